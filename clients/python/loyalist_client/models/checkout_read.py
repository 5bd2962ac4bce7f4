from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.checkout_status import CheckoutStatus

if TYPE_CHECKING:
    from ..models.redemption_read import RedemptionRead


T = TypeVar("T", bound="CheckoutRead")


@_attrs_define
class CheckoutRead:
    """A checkout hold: the points and coupon uses reserved for an order.

    Attributes:
        id (str):
        member_id (None | str):
        status (CheckoutStatus):
        order_id (None | str):
        reference (None | str):
        currency (str):
        subtotal (int):
        shipping (int):
        coupon_discount (int):
        points (int):
        points_discount (int):
        total (int):
        point_hold_id (None | str):
        coupons (list[RedemptionRead]):
        refunded_points (int):
        created_at (datetime.datetime):
        expires_at (datetime.datetime):
        settled_at (datetime.datetime | None):
    """

    id: str
    member_id: None | str
    status: CheckoutStatus
    order_id: None | str
    reference: None | str
    currency: str
    subtotal: int
    shipping: int
    coupon_discount: int
    points: int
    points_discount: int
    total: int
    point_hold_id: None | str
    coupons: list[RedemptionRead]
    refunded_points: int
    created_at: datetime.datetime
    expires_at: datetime.datetime
    settled_at: datetime.datetime | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        member_id: None | str
        member_id = self.member_id

        status = self.status.value

        order_id: None | str
        order_id = self.order_id

        reference: None | str
        reference = self.reference

        currency = self.currency

        subtotal = self.subtotal

        shipping = self.shipping

        coupon_discount = self.coupon_discount

        points = self.points

        points_discount = self.points_discount

        total = self.total

        point_hold_id: None | str
        point_hold_id = self.point_hold_id

        coupons = []
        for coupons_item_data in self.coupons:
            coupons_item = coupons_item_data.to_dict()
            coupons.append(coupons_item)

        refunded_points = self.refunded_points

        created_at = self.created_at.isoformat()

        expires_at = self.expires_at.isoformat()

        settled_at: None | str
        if isinstance(self.settled_at, datetime.datetime):
            settled_at = self.settled_at.isoformat()
        else:
            settled_at = self.settled_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "member_id": member_id,
                "status": status,
                "order_id": order_id,
                "reference": reference,
                "currency": currency,
                "subtotal": subtotal,
                "shipping": shipping,
                "coupon_discount": coupon_discount,
                "points": points,
                "points_discount": points_discount,
                "total": total,
                "point_hold_id": point_hold_id,
                "coupons": coupons,
                "refunded_points": refunded_points,
                "created_at": created_at,
                "expires_at": expires_at,
                "settled_at": settled_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.redemption_read import RedemptionRead  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        def _parse_member_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        member_id = _parse_member_id(d.pop("member_id"))

        status = CheckoutStatus(d.pop("status"))

        def _parse_order_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        order_id = _parse_order_id(d.pop("order_id"))

        def _parse_reference(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        reference = _parse_reference(d.pop("reference"))

        currency = d.pop("currency")

        subtotal = d.pop("subtotal")

        shipping = d.pop("shipping")

        coupon_discount = d.pop("coupon_discount")

        points = d.pop("points")

        points_discount = d.pop("points_discount")

        total = d.pop("total")

        def _parse_point_hold_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        point_hold_id = _parse_point_hold_id(d.pop("point_hold_id"))

        coupons = []
        _coupons = d.pop("coupons")
        for coupons_item_data in _coupons:
            coupons_item = RedemptionRead.from_dict(coupons_item_data)

            coupons.append(coupons_item)

        refunded_points = d.pop("refunded_points")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        expires_at = datetime.datetime.fromisoformat(d.pop("expires_at"))

        def _parse_settled_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                settled_at_type_0 = datetime.datetime.fromisoformat(data)

                return settled_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        settled_at = _parse_settled_at(d.pop("settled_at"))

        checkout_read = cls(
            id=id,
            member_id=member_id,
            status=status,
            order_id=order_id,
            reference=reference,
            currency=currency,
            subtotal=subtotal,
            shipping=shipping,
            coupon_discount=coupon_discount,
            points=points,
            points_discount=points_discount,
            total=total,
            point_hold_id=point_hold_id,
            coupons=coupons,
            refunded_points=refunded_points,
            created_at=created_at,
            expires_at=expires_at,
            settled_at=settled_at,
        )

        checkout_read.additional_properties = d
        return checkout_read

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
