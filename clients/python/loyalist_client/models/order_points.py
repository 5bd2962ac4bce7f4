from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.order_points_entry import OrderPointsEntry


T = TypeVar("T", bound="OrderPoints")


@_attrs_define
class OrderPoints:
    """Every point an order moved.

    Attributes:
        order_id (str):
        currency (str):
        net_amount (int):
        earned (int):
        reversed_ (int):
        entries (list[OrderPointsEntry]):
    """

    order_id: str
    currency: str
    net_amount: int
    earned: int
    reversed_: int
    entries: list[OrderPointsEntry]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        order_id = self.order_id

        currency = self.currency

        net_amount = self.net_amount

        earned = self.earned

        reversed_ = self.reversed_

        entries = []
        for entries_item_data in self.entries:
            entries_item = entries_item_data.to_dict()
            entries.append(entries_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "order_id": order_id,
                "currency": currency,
                "net_amount": net_amount,
                "earned": earned,
                "reversed": reversed_,
                "entries": entries,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.order_points_entry import OrderPointsEntry  # noqa: PLC0415

        d = dict(src_dict)
        order_id = d.pop("order_id")

        currency = d.pop("currency")

        net_amount = d.pop("net_amount")

        earned = d.pop("earned")

        reversed_ = d.pop("reversed")

        entries = []
        _entries = d.pop("entries")
        for entries_item_data in _entries:
            entries_item = OrderPointsEntry.from_dict(entries_item_data)

            entries.append(entries_item)

        order_points = cls(
            order_id=order_id,
            currency=currency,
            net_amount=net_amount,
            earned=earned,
            reversed_=reversed_,
            entries=entries,
        )

        order_points.additional_properties = d
        return order_points

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
