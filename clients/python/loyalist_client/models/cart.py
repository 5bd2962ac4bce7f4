from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.cart_line import CartLine


T = TypeVar("T", bound="Cart")


@_attrs_define
class Cart:
    """What the customer is about to pay for; money in minor units of ``currency``.

    Attributes:
        currency (str):
        lines (list[CartLine]):
        shipping (int | Unset):  Default: 0.
    """

    currency: str
    lines: list[CartLine]
    shipping: int | Unset = 0

    def to_dict(self) -> dict[str, Any]:
        currency = self.currency

        lines = []
        for lines_item_data in self.lines:
            lines_item = lines_item_data.to_dict()
            lines.append(lines_item)

        shipping = self.shipping

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "currency": currency,
                "lines": lines,
            }
        )
        if shipping is not UNSET:
            field_dict["shipping"] = shipping

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.cart_line import CartLine  # noqa: PLC0415

        d = dict(src_dict)
        currency = d.pop("currency")

        lines = []
        _lines = d.pop("lines")
        for lines_item_data in _lines:
            lines_item = CartLine.from_dict(lines_item_data)

            lines.append(lines_item)

        shipping = d.pop("shipping", UNSET)

        cart = cls(
            currency=currency,
            lines=lines,
            shipping=shipping,
        )

        return cart
