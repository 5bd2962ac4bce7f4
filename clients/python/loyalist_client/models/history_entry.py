from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.posting_kind import PostingKind
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.balance_change import BalanceChange
    from ..models.reason import Reason


T = TypeVar("T", bound="HistoryEntry")


@_attrs_define
class HistoryEntry:
    """One ledger posting as the member sees it.

    Attributes:
        id (int):
        at (datetime.datetime): when it took effect
        recorded_at (datetime.datetime):
        kind (PostingKind):
        points (int): the signed change of the member's points
        change (BalanceChange): How a posting changed each of the member's accounts.
        reason (Reason): Why a posting was written: a stable code and its parameters.
        text (str): the reason in the member's (or the asked) language
        hold_id (None | str | Unset):
        issuer (None | str | Unset): who booked a manual adjustment
        rule_version_id (int | None | Unset):
    """

    id: int
    at: datetime.datetime
    recorded_at: datetime.datetime
    kind: PostingKind
    points: int
    change: BalanceChange
    reason: Reason
    text: str
    hold_id: None | str | Unset = UNSET
    issuer: None | str | Unset = UNSET
    rule_version_id: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        at = self.at.isoformat()

        recorded_at = self.recorded_at.isoformat()

        kind = self.kind.value

        points = self.points

        change = self.change.to_dict()

        reason = self.reason.to_dict()

        text = self.text

        hold_id: None | str | Unset
        if isinstance(self.hold_id, Unset):
            hold_id = UNSET
        else:
            hold_id = self.hold_id

        issuer: None | str | Unset
        if isinstance(self.issuer, Unset):
            issuer = UNSET
        else:
            issuer = self.issuer

        rule_version_id: int | None | Unset
        if isinstance(self.rule_version_id, Unset):
            rule_version_id = UNSET
        else:
            rule_version_id = self.rule_version_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "at": at,
                "recorded_at": recorded_at,
                "kind": kind,
                "points": points,
                "change": change,
                "reason": reason,
                "text": text,
            }
        )
        if hold_id is not UNSET:
            field_dict["hold_id"] = hold_id
        if issuer is not UNSET:
            field_dict["issuer"] = issuer
        if rule_version_id is not UNSET:
            field_dict["rule_version_id"] = rule_version_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.balance_change import BalanceChange  # noqa: PLC0415
        from ..models.reason import Reason  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        at = datetime.datetime.fromisoformat(d.pop("at"))

        recorded_at = datetime.datetime.fromisoformat(d.pop("recorded_at"))

        kind = PostingKind(d.pop("kind"))

        points = d.pop("points")

        change = BalanceChange.from_dict(d.pop("change"))

        reason = Reason.from_dict(d.pop("reason"))

        text = d.pop("text")

        def _parse_hold_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        hold_id = _parse_hold_id(d.pop("hold_id", UNSET))

        def _parse_issuer(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        issuer = _parse_issuer(d.pop("issuer", UNSET))

        def _parse_rule_version_id(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        rule_version_id = _parse_rule_version_id(d.pop("rule_version_id", UNSET))

        history_entry = cls(
            id=id,
            at=at,
            recorded_at=recorded_at,
            kind=kind,
            points=points,
            change=change,
            reason=reason,
            text=text,
            hold_id=hold_id,
            issuer=issuer,
            rule_version_id=rule_version_id,
        )

        history_entry.additional_properties = d
        return history_entry

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
