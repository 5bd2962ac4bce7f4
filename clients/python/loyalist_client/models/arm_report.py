from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ArmReport")


@_attrs_define
class ArmReport:
    """One arm (the control group is ``control``): members measured (main send queued or
    held out), messages sent and delivered, conversions and revenue (minor units of the
    program's currency), the points its rule awarded and what they and its codes' discounts
    cost. ``opened``/``clicked``: null where the channel does not report them.

        Attributes:
            key (str):
            members (int):
            sent (int):
            delivered (int):
            opened (int | None):
            clicked (int | None):
            converted (int):
            conversion_rate (float | None):
            revenue (int):
            revenue_per_member (float | None):
            points_awarded (int):
            points_cost (int):
            discount_cost (int):
    """

    key: str
    members: int
    sent: int
    delivered: int
    opened: int | None
    clicked: int | None
    converted: int
    conversion_rate: float | None
    revenue: int
    revenue_per_member: float | None
    points_awarded: int
    points_cost: int
    discount_cost: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        key = self.key

        members = self.members

        sent = self.sent

        delivered = self.delivered

        opened: int | None
        opened = self.opened

        clicked: int | None
        clicked = self.clicked

        converted = self.converted

        conversion_rate: float | None
        conversion_rate = self.conversion_rate

        revenue = self.revenue

        revenue_per_member: float | None
        revenue_per_member = self.revenue_per_member

        points_awarded = self.points_awarded

        points_cost = self.points_cost

        discount_cost = self.discount_cost

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "key": key,
                "members": members,
                "sent": sent,
                "delivered": delivered,
                "opened": opened,
                "clicked": clicked,
                "converted": converted,
                "conversion_rate": conversion_rate,
                "revenue": revenue,
                "revenue_per_member": revenue_per_member,
                "points_awarded": points_awarded,
                "points_cost": points_cost,
                "discount_cost": discount_cost,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        key = d.pop("key")

        members = d.pop("members")

        sent = d.pop("sent")

        delivered = d.pop("delivered")

        def _parse_opened(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        opened = _parse_opened(d.pop("opened"))

        def _parse_clicked(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        clicked = _parse_clicked(d.pop("clicked"))

        converted = d.pop("converted")

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

        points_awarded = d.pop("points_awarded")

        points_cost = d.pop("points_cost")

        discount_cost = d.pop("discount_cost")

        arm_report = cls(
            key=key,
            members=members,
            sent=sent,
            delivered=delivered,
            opened=opened,
            clicked=clicked,
            converted=converted,
            conversion_rate=conversion_rate,
            revenue=revenue,
            revenue_per_member=revenue_per_member,
            points_awarded=points_awarded,
            points_cost=points_cost,
            discount_cost=discount_cost,
        )

        arm_report.additional_properties = d
        return arm_report

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
