from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="EventsApplied")


@_attrs_define
class EventsApplied:
    """What a provider's post changed.

    Attributes:
        suppressed (int):
        delivered (int):
        ignored (int):
        engaged (int):
    """

    suppressed: int
    delivered: int
    ignored: int
    engaged: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        suppressed = self.suppressed

        delivered = self.delivered

        ignored = self.ignored

        engaged = self.engaged

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "suppressed": suppressed,
                "delivered": delivered,
                "ignored": ignored,
                "engaged": engaged,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        suppressed = d.pop("suppressed")

        delivered = d.pop("delivered")

        ignored = d.pop("ignored")

        engaged = d.pop("engaged")

        events_applied = cls(
            suppressed=suppressed,
            delivered=delivered,
            ignored=ignored,
            engaged=engaged,
        )

        events_applied.additional_properties = d
        return events_applied

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
