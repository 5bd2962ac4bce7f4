from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.cart import Cart


T = TypeVar("T", bound="QuoteIn")


@_attrs_define
class QuoteIn:
    """Price a cart for a member. ``points`` is the amount the customer chose (omit to
    see the allowed range only); ``coupons`` are codes typed in, applied in stacking order.

        Attributes:
            member_id (str):
            cart (Cart): What the customer is about to pay for; money in minor units of ``currency``.
            coupons (list[str] | Unset):
            points (int | None | Unset):
    """

    member_id: str
    cart: Cart
    coupons: list[str] | Unset = UNSET
    points: int | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        member_id = self.member_id

        cart = self.cart.to_dict()

        coupons: list[str] | Unset = UNSET
        if not isinstance(self.coupons, Unset):
            coupons = self.coupons

        points: int | None | Unset
        if isinstance(self.points, Unset):
            points = UNSET
        else:
            points = self.points

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "member_id": member_id,
                "cart": cart,
            }
        )
        if coupons is not UNSET:
            field_dict["coupons"] = coupons
        if points is not UNSET:
            field_dict["points"] = points

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.cart import Cart  # noqa: PLC0415

        d = dict(src_dict)
        member_id = d.pop("member_id")

        cart = Cart.from_dict(d.pop("cart"))

        coupons = cast(list[str], d.pop("coupons", UNSET))

        def _parse_points(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        points = _parse_points(d.pop("points", UNSET))

        quote_in = cls(
            member_id=member_id,
            cart=cart,
            coupons=coupons,
            points=points,
        )

        return quote_in
