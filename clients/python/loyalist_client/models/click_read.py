from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.click_read_reason_type_0 import ClickReadReasonType0
from ..types import UNSET, Unset

T = TypeVar("T", bound="ClickRead")


@_attrs_define
class ClickRead:
    """Whether a click was counted.

    Attributes:
        click_id (str):
        is_recorded (bool):
        reason (ClickReadReasonType0 | None | Unset):
    """

    click_id: str
    is_recorded: bool
    reason: ClickReadReasonType0 | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        click_id = self.click_id

        is_recorded = self.is_recorded

        reason: None | str | Unset
        if isinstance(self.reason, Unset):
            reason = UNSET
        elif isinstance(self.reason, ClickReadReasonType0):
            reason = self.reason.value
        else:
            reason = self.reason

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "click_id": click_id,
                "is_recorded": is_recorded,
            }
        )
        if reason is not UNSET:
            field_dict["reason"] = reason

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        click_id = d.pop("click_id")

        is_recorded = d.pop("is_recorded")

        def _parse_reason(data: object) -> ClickReadReasonType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                reason_type_0 = ClickReadReasonType0(data)

                return reason_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ClickReadReasonType0 | None | Unset, data)

        reason = _parse_reason(d.pop("reason", UNSET))

        click_read = cls(
            click_id=click_id,
            is_recorded=is_recorded,
            reason=reason,
        )

        click_read.additional_properties = d
        return click_read

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
