from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="CohortCell")


@_attrs_define
class CohortCell:
    """
    Attributes:
        months_since (int): 0: the month of the first order
        members (int): members of the cohort with an order in that month
        share (float): members / cohort size, 4 decimals
    """

    months_since: int
    members: int
    share: float
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        months_since = self.months_since

        members = self.members

        share = self.share

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "months_since": months_since,
                "members": members,
                "share": share,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        months_since = d.pop("months_since")

        members = d.pop("members")

        share = d.pop("share")

        cohort_cell = cls(
            months_since=months_since,
            members=members,
            share=share,
        )

        cohort_cell.additional_properties = d
        return cohort_cell

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
