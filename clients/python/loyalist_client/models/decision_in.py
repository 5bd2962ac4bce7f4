from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.decision_reason import DecisionReason
from ..types import UNSET, Unset

T = TypeVar("T", bound="DecisionIn")


@_attrs_define
class DecisionIn:
    """
    Attributes:
        note (str):
        reason (DecisionReason | None | Unset): why, as a code: signals_explained, verified_new_customer (approve);
            same_person, existing_customer, disposable_email, referral_farming (reject); other
    """

    note: str
    reason: DecisionReason | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        note = self.note

        reason: None | str | Unset
        if isinstance(self.reason, Unset):
            reason = UNSET
        elif isinstance(self.reason, DecisionReason):
            reason = self.reason.value
        else:
            reason = self.reason

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "note": note,
            }
        )
        if reason is not UNSET:
            field_dict["reason"] = reason

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        note = d.pop("note")

        def _parse_reason(data: object) -> DecisionReason | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                reason_type_0 = DecisionReason(data)

                return reason_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DecisionReason | None | Unset, data)

        reason = _parse_reason(d.pop("reason", UNSET))

        decision_in = cls(
            note=note,
            reason=reason,
        )

        return decision_in
