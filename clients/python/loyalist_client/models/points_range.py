from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="PointsRange")


@_attrs_define
class PointsRange:
    """What the member may spend on this cart, and what the chosen points take off.

    Attributes:
        balance (int): points available now (held ones left out)
        min_ (int):
        max_ (int):
        step (int):
        value_per_point (str): money per point in the cart's currency (decimal)
        max_discount (int): what `max` points take off, in minor units
        used (int): the points applied (the chosen amount, within the range)
        discount (int): what the used points take off, in minor units
    """

    balance: int
    min_: int
    max_: int
    step: int
    value_per_point: str
    max_discount: int
    used: int
    discount: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        balance = self.balance

        min_ = self.min_

        max_ = self.max_

        step = self.step

        value_per_point = self.value_per_point

        max_discount = self.max_discount

        used = self.used

        discount = self.discount

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "balance": balance,
                "min": min_,
                "max": max_,
                "step": step,
                "value_per_point": value_per_point,
                "max_discount": max_discount,
                "used": used,
                "discount": discount,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        balance = d.pop("balance")

        min_ = d.pop("min")

        max_ = d.pop("max")

        step = d.pop("step")

        value_per_point = d.pop("value_per_point")

        max_discount = d.pop("max_discount")

        used = d.pop("used")

        discount = d.pop("discount")

        points_range = cls(
            balance=balance,
            min_=min_,
            max_=max_,
            step=step,
            value_per_point=value_per_point,
            max_discount=max_discount,
            used=used,
            discount=discount,
        )

        points_range.additional_properties = d
        return points_range

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
