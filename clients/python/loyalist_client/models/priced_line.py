from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="PricedLine")


@_attrs_define
class PricedLine:
    """A cart line with what coupons and points take off it (minor units).

    Attributes:
        index (int):
        sku (str):
        amount (int):
        coupon_discount (int):
        points_discount (int):
        total (int):
    """

    index: int
    sku: str
    amount: int
    coupon_discount: int
    points_discount: int
    total: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        index = self.index

        sku = self.sku

        amount = self.amount

        coupon_discount = self.coupon_discount

        points_discount = self.points_discount

        total = self.total

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "index": index,
                "sku": sku,
                "amount": amount,
                "coupon_discount": coupon_discount,
                "points_discount": points_discount,
                "total": total,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        index = d.pop("index")

        sku = d.pop("sku")

        amount = d.pop("amount")

        coupon_discount = d.pop("coupon_discount")

        points_discount = d.pop("points_discount")

        total = d.pop("total")

        priced_line = cls(
            index=index,
            sku=sku,
            amount=amount,
            coupon_discount=coupon_discount,
            points_discount=points_discount,
            total=total,
        )

        priced_line.additional_properties = d
        return priced_line

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
