from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="FavouriteProductRead")


@_attrs_define
class FavouriteProductRead:
    """
    Attributes:
        orders (int): paid, not cancelled orders holding a unit kept
        quantity (int): units bought and not returned
        spend (int): net spend in minor units of `currency`, returns deducted
        last_bought_at (datetime.datetime):
        score (float): orders, or recency-weighted orders with a half-life
        sku (str):
        category (None | str):
    """

    orders: int
    quantity: int
    spend: int
    last_bought_at: datetime.datetime
    score: float
    sku: str
    category: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        orders = self.orders

        quantity = self.quantity

        spend = self.spend

        last_bought_at = self.last_bought_at.isoformat()

        score = self.score

        sku = self.sku

        category: None | str
        category = self.category

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "orders": orders,
                "quantity": quantity,
                "spend": spend,
                "last_bought_at": last_bought_at,
                "score": score,
                "sku": sku,
                "category": category,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        orders = d.pop("orders")

        quantity = d.pop("quantity")

        spend = d.pop("spend")

        last_bought_at = datetime.datetime.fromisoformat(d.pop("last_bought_at"))

        score = d.pop("score")

        sku = d.pop("sku")

        def _parse_category(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        category = _parse_category(d.pop("category"))

        favourite_product_read = cls(
            orders=orders,
            quantity=quantity,
            spend=spend,
            last_bought_at=last_bought_at,
            score=score,
            sku=sku,
            category=category,
        )

        favourite_product_read.additional_properties = d
        return favourite_product_read

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
