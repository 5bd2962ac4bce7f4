from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.cart import Cart


T = TypeVar("T", bound="RedeemIn")


@_attrs_define
class RedeemIn:
    """
    Attributes:
        code (str):
        cart (Cart): What the customer is about to pay for; money in minor units of ``currency``.
        member_id (None | str | Unset):
        order_id (None | str | Unset):
    """

    code: str
    cart: Cart
    member_id: None | str | Unset = UNSET
    order_id: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        code = self.code

        cart = self.cart.to_dict()

        member_id: None | str | Unset
        if isinstance(self.member_id, Unset):
            member_id = UNSET
        else:
            member_id = self.member_id

        order_id: None | str | Unset
        if isinstance(self.order_id, Unset):
            order_id = UNSET
        else:
            order_id = self.order_id

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "code": code,
                "cart": cart,
            }
        )
        if member_id is not UNSET:
            field_dict["member_id"] = member_id
        if order_id is not UNSET:
            field_dict["order_id"] = order_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.cart import Cart  # noqa: PLC0415

        d = dict(src_dict)
        code = d.pop("code")

        cart = Cart.from_dict(d.pop("cart"))

        def _parse_member_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        member_id = _parse_member_id(d.pop("member_id", UNSET))

        def _parse_order_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        order_id = _parse_order_id(d.pop("order_id", UNSET))

        redeem_in = cls(
            code=code,
            cart=cart,
            member_id=member_id,
            order_id=order_id,
        )

        return redeem_in
