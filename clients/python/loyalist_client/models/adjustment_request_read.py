from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.adjustment_state import AdjustmentState

T = TypeVar("T", bound="AdjustmentRequestRead")


@_attrs_define
class AdjustmentRequestRead:
    """A manual adjustment above the approval threshold, as asked and (once) decided.

    Attributes:
        request_id (int):
        member_id (None | str): the member's external id (none once erased)
        points (int): points to add (negative: to take away)
        reason (str):
        state (AdjustmentState):
        requested_by (str): the name of who asked
        requested_at (datetime.datetime):
        decided_at (datetime.datetime | None):
        decision_reason (None | str): why it was rejected
        posting_id (int | None): the ledger posting, once approved
    """

    request_id: int
    member_id: None | str
    points: int
    reason: str
    state: AdjustmentState
    requested_by: str
    requested_at: datetime.datetime
    decided_at: datetime.datetime | None
    decision_reason: None | str
    posting_id: int | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        request_id = self.request_id

        member_id: None | str
        member_id = self.member_id

        points = self.points

        reason = self.reason

        state = self.state.value

        requested_by = self.requested_by

        requested_at = self.requested_at.isoformat()

        decided_at: None | str
        if isinstance(self.decided_at, datetime.datetime):
            decided_at = self.decided_at.isoformat()
        else:
            decided_at = self.decided_at

        decision_reason: None | str
        decision_reason = self.decision_reason

        posting_id: int | None
        posting_id = self.posting_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "request_id": request_id,
                "member_id": member_id,
                "points": points,
                "reason": reason,
                "state": state,
                "requested_by": requested_by,
                "requested_at": requested_at,
                "decided_at": decided_at,
                "decision_reason": decision_reason,
                "posting_id": posting_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        request_id = d.pop("request_id")

        def _parse_member_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        member_id = _parse_member_id(d.pop("member_id"))

        points = d.pop("points")

        reason = d.pop("reason")

        state = AdjustmentState(d.pop("state"))

        requested_by = d.pop("requested_by")

        requested_at = datetime.datetime.fromisoformat(d.pop("requested_at"))

        def _parse_decided_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                decided_at_type_0 = datetime.datetime.fromisoformat(data)

                return decided_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        decided_at = _parse_decided_at(d.pop("decided_at"))

        def _parse_decision_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        decision_reason = _parse_decision_reason(d.pop("decision_reason"))

        def _parse_posting_id(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        posting_id = _parse_posting_id(d.pop("posting_id"))

        adjustment_request_read = cls(
            request_id=request_id,
            member_id=member_id,
            points=points,
            reason=reason,
            state=state,
            requested_by=requested_by,
            requested_at=requested_at,
            decided_at=decided_at,
            decision_reason=decision_reason,
            posting_id=posting_id,
        )

        adjustment_request_read.additional_properties = d
        return adjustment_request_read

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
