from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="FreeProduct")


@_attrs_define
class FreeProduct:
    """``quantity`` units of ``sku`` free when they are in the cart.

    Attributes:
        type_ (Literal['free_product']):
        sku (str):
        quantity (int | Unset):  Default: 1.
    """

    type_: Literal["free_product"]
    sku: str
    quantity: int | Unset = 1

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        sku = self.sku

        quantity = self.quantity

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "type": type_,
                "sku": sku,
            }
        )
        if quantity is not UNSET:
            field_dict["quantity"] = quantity

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        type_ = cast(Literal["free_product"], d.pop("type"))
        if type_ != "free_product":
            raise ValueError(f"type must match const 'free_product', got '{type_}'")

        sku = d.pop("sku")

        quantity = d.pop("quantity", UNSET)

        free_product = cls(
            type_=type_,
            sku=sku,
            quantity=quantity,
        )

        return free_product
