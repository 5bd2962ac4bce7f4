from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.actor import Actor
    from ..models.audit_record_read_after_type_0 import AuditRecordReadAfterType0
    from ..models.audit_record_read_before_type_0 import AuditRecordReadBeforeType0


T = TypeVar("T", bound="AuditRecordRead")


@_attrs_define
class AuditRecordRead:
    """One entry of the trail.

    Attributes:
        seq (int): its place in the hash chain
        at (datetime.datetime):
        actor (Actor): Who acted: a staff user, an API key, a member (portal) or the system.
        action (str): what was done, e.g. `reward.updated`
        target_type (None | str):
        target_id (None | str):
        member_id (None | str): the member concerned (the shop's id)
        before (AuditRecordReadBeforeType0 | None): the target before the change
        after (AuditRecordReadAfterType0 | None): the target after the change
        reason (None | str):
        ip (None | str): the address, cut to its network (IPv4 /24, IPv6 /48)
        request_id (None | str):
    """

    seq: int
    at: datetime.datetime
    actor: Actor
    action: str
    target_type: None | str
    target_id: None | str
    member_id: None | str
    before: AuditRecordReadBeforeType0 | None
    after: AuditRecordReadAfterType0 | None
    reason: None | str
    ip: None | str
    request_id: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.audit_record_read_after_type_0 import AuditRecordReadAfterType0  # noqa: PLC0415
        from ..models.audit_record_read_before_type_0 import AuditRecordReadBeforeType0  # noqa: PLC0415

        seq = self.seq

        at = self.at.isoformat()

        actor = self.actor.to_dict()

        action = self.action

        target_type: None | str
        target_type = self.target_type

        target_id: None | str
        target_id = self.target_id

        member_id: None | str
        member_id = self.member_id

        before: dict[str, Any] | None
        if isinstance(self.before, AuditRecordReadBeforeType0):
            before = self.before.to_dict()
        else:
            before = self.before

        after: dict[str, Any] | None
        if isinstance(self.after, AuditRecordReadAfterType0):
            after = self.after.to_dict()
        else:
            after = self.after

        reason: None | str
        reason = self.reason

        ip: None | str
        ip = self.ip

        request_id: None | str
        request_id = self.request_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "seq": seq,
                "at": at,
                "actor": actor,
                "action": action,
                "target_type": target_type,
                "target_id": target_id,
                "member_id": member_id,
                "before": before,
                "after": after,
                "reason": reason,
                "ip": ip,
                "request_id": request_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.actor import Actor  # noqa: PLC0415
        from ..models.audit_record_read_after_type_0 import AuditRecordReadAfterType0  # noqa: PLC0415
        from ..models.audit_record_read_before_type_0 import AuditRecordReadBeforeType0  # noqa: PLC0415

        d = dict(src_dict)
        seq = d.pop("seq")

        at = datetime.datetime.fromisoformat(d.pop("at"))

        actor = Actor.from_dict(d.pop("actor"))

        action = d.pop("action")

        def _parse_target_type(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        target_type = _parse_target_type(d.pop("target_type"))

        def _parse_target_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        target_id = _parse_target_id(d.pop("target_id"))

        def _parse_member_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        member_id = _parse_member_id(d.pop("member_id"))

        def _parse_before(data: object) -> AuditRecordReadBeforeType0 | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                before_type_0 = AuditRecordReadBeforeType0.from_dict(data)

                return before_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AuditRecordReadBeforeType0 | None, data)

        before = _parse_before(d.pop("before"))

        def _parse_after(data: object) -> AuditRecordReadAfterType0 | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                after_type_0 = AuditRecordReadAfterType0.from_dict(data)

                return after_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AuditRecordReadAfterType0 | None, data)

        after = _parse_after(d.pop("after"))

        def _parse_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        reason = _parse_reason(d.pop("reason"))

        def _parse_ip(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        ip = _parse_ip(d.pop("ip"))

        def _parse_request_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        request_id = _parse_request_id(d.pop("request_id"))

        audit_record_read = cls(
            seq=seq,
            at=at,
            actor=actor,
            action=action,
            target_type=target_type,
            target_id=target_id,
            member_id=member_id,
            before=before,
            after=after,
            reason=reason,
            ip=ip,
            request_id=request_id,
        )

        audit_record_read.additional_properties = d
        return audit_record_read

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
