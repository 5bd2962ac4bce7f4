from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.cart import Cart


T = TypeVar("T", bound="HoldIn")


@_attrs_define
class HoldIn:
    """Reserve the chosen points and coupons until confirmed, released or timed out.

    Attributes:
        member_id (str):
        cart (Cart): What the customer is about to pay for; money in minor units of ``currency``.
        coupons (list[str] | Unset):
        points (int | None | Unset):
        order_id (None | str | Unset): the shop's order id: its `order.paid` confirms the hold
        reference (None | str | Unset):
        timeout_seconds (int | None | Unset):
    """

    member_id: str
    cart: Cart
    coupons: list[str] | Unset = UNSET
    points: int | None | Unset = UNSET
    order_id: None | str | Unset = UNSET
    reference: None | str | Unset = UNSET
    timeout_seconds: int | None | Unset = UNSET

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

        order_id: None | str | Unset
        if isinstance(self.order_id, Unset):
            order_id = UNSET
        else:
            order_id = self.order_id

        reference: None | str | Unset
        if isinstance(self.reference, Unset):
            reference = UNSET
        else:
            reference = self.reference

        timeout_seconds: int | None | Unset
        if isinstance(self.timeout_seconds, Unset):
            timeout_seconds = UNSET
        else:
            timeout_seconds = self.timeout_seconds

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
        if order_id is not UNSET:
            field_dict["order_id"] = order_id
        if reference is not UNSET:
            field_dict["reference"] = reference
        if timeout_seconds is not UNSET:
            field_dict["timeout_seconds"] = timeout_seconds

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

        def _parse_order_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        order_id = _parse_order_id(d.pop("order_id", UNSET))

        def _parse_reference(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reference = _parse_reference(d.pop("reference", UNSET))

        def _parse_timeout_seconds(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        timeout_seconds = _parse_timeout_seconds(d.pop("timeout_seconds", UNSET))

        hold_in = cls(
            member_id=member_id,
            cart=cart,
            coupons=coupons,
            points=points,
            order_id=order_id,
            reference=reference,
            timeout_seconds=timeout_seconds,
        )

        return hold_in
