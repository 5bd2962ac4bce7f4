from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="CartLine")


@_attrs_define
class CartLine:
    """
    Attributes:
        sku (str):
        quantity (int):
        unit_price (int):
        category (None | str | Unset):
        discount (int | Unset): the shop's own discount on the line Default: 0.
    """

    sku: str
    quantity: int
    unit_price: int
    category: None | str | Unset = UNSET
    discount: int | Unset = 0

    def to_dict(self) -> dict[str, Any]:
        sku = self.sku

        quantity = self.quantity

        unit_price = self.unit_price

        category: None | str | Unset
        if isinstance(self.category, Unset):
            category = UNSET
        else:
            category = self.category

        discount = self.discount

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "sku": sku,
                "quantity": quantity,
                "unit_price": unit_price,
            }
        )
        if category is not UNSET:
            field_dict["category"] = category
        if discount is not UNSET:
            field_dict["discount"] = discount

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        sku = d.pop("sku")

        quantity = d.pop("quantity")

        unit_price = d.pop("unit_price")

        def _parse_category(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        category = _parse_category(d.pop("category", UNSET))

        discount = d.pop("discount", UNSET)

        cart_line = cls(
            sku=sku,
            quantity=quantity,
            unit_price=unit_price,
            category=category,
            discount=discount,
        )

        return cart_line
