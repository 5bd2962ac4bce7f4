from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.holdout_group_report_key import HoldoutGroupReportKey

T = TypeVar("T", bound="HoldoutGroupReport")


@_attrs_define
class HoldoutGroupReport:
    """
    Attributes:
        key (HoldoutGroupReportKey):
        members (int):
        buyers (int):
        conversion_rate (float | None):
        revenue (int):
        revenue_per_member (float | None):
    """

    key: HoldoutGroupReportKey
    members: int
    buyers: int
    conversion_rate: float | None
    revenue: int
    revenue_per_member: float | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        key = self.key.value

        members = self.members

        buyers = self.buyers

        conversion_rate: float | None
        conversion_rate = self.conversion_rate

        revenue = self.revenue

        revenue_per_member: float | None
        revenue_per_member = self.revenue_per_member

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "key": key,
                "members": members,
                "buyers": buyers,
                "conversion_rate": conversion_rate,
                "revenue": revenue,
                "revenue_per_member": revenue_per_member,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        key = HoldoutGroupReportKey(d.pop("key"))

        members = d.pop("members")

        buyers = d.pop("buyers")

        def _parse_conversion_rate(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        conversion_rate = _parse_conversion_rate(d.pop("conversion_rate"))

        revenue = d.pop("revenue")

        def _parse_revenue_per_member(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        revenue_per_member = _parse_revenue_per_member(d.pop("revenue_per_member"))

        holdout_group_report = cls(
            key=key,
            members=members,
            buyers=buyers,
            conversion_rate=conversion_rate,
            revenue=revenue,
            revenue_per_member=revenue_per_member,
        )

        holdout_group_report.additional_properties = d
        return holdout_group_report

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
