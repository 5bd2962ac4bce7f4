from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="SkippedCount")


@_attrs_define
class SkippedCount:
    """A journey's facts that started nothing, being older than the freshness window.

    Attributes:
        journey (str):
        skipped_count (int):
        last_skipped_at (datetime.datetime):
    """

    journey: str
    skipped_count: int
    last_skipped_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        journey = self.journey

        skipped_count = self.skipped_count

        last_skipped_at = self.last_skipped_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "journey": journey,
                "skipped_count": skipped_count,
                "last_skipped_at": last_skipped_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        journey = d.pop("journey")

        skipped_count = d.pop("skipped_count")

        last_skipped_at = datetime.datetime.fromisoformat(d.pop("last_skipped_at"))

        skipped_count = cls(
            journey=journey,
            skipped_count=skipped_count,
            last_skipped_at=last_skipped_at,
        )

        skipped_count.additional_properties = d
        return skipped_count

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
