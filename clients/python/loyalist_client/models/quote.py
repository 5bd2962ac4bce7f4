from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.coupon_applied import CouponApplied
    from ..models.coupon_refused import CouponRefused
    from ..models.member_offer import MemberOffer
    from ..models.points_range import PointsRange
    from ..models.priced_line import PricedLine


T = TypeVar("T", bound="Quote")


@_attrs_define
class Quote:
    """A cart priced: coupons and points applied per line, the points range, the member's
    own coupons that would apply. Money in minor units.

        Attributes:
            member_id (str):
            currency (str):
            subtotal (int):
            shipping (int):
            coupons (list[CouponApplied | CouponRefused]): the typed codes, in order
            points (PointsRange): What the member may spend on this cart, and what the chosen points take off.
            lines (list[PricedLine]):
            shipping_discount (int):
            discount_total (int):
            total (int):
            available_coupons (list[MemberOffer]):
    """

    member_id: str
    currency: str
    subtotal: int
    shipping: int
    coupons: list[CouponApplied | CouponRefused]
    points: PointsRange
    lines: list[PricedLine]
    shipping_discount: int
    discount_total: int
    total: int
    available_coupons: list[MemberOffer]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.coupon_applied import CouponApplied  # noqa: PLC0415

        member_id = self.member_id

        currency = self.currency

        subtotal = self.subtotal

        shipping = self.shipping

        coupons = []
        for coupons_item_data in self.coupons:
            coupons_item: dict[str, Any]
            if isinstance(coupons_item_data, CouponApplied):
                coupons_item = coupons_item_data.to_dict()
            else:
                coupons_item = coupons_item_data.to_dict()

            coupons.append(coupons_item)

        points = self.points.to_dict()

        lines = []
        for lines_item_data in self.lines:
            lines_item = lines_item_data.to_dict()
            lines.append(lines_item)

        shipping_discount = self.shipping_discount

        discount_total = self.discount_total

        total = self.total

        available_coupons = []
        for available_coupons_item_data in self.available_coupons:
            available_coupons_item = available_coupons_item_data.to_dict()
            available_coupons.append(available_coupons_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "member_id": member_id,
                "currency": currency,
                "subtotal": subtotal,
                "shipping": shipping,
                "coupons": coupons,
                "points": points,
                "lines": lines,
                "shipping_discount": shipping_discount,
                "discount_total": discount_total,
                "total": total,
                "available_coupons": available_coupons,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.coupon_applied import CouponApplied  # noqa: PLC0415
        from ..models.coupon_refused import CouponRefused  # noqa: PLC0415
        from ..models.member_offer import MemberOffer  # noqa: PLC0415
        from ..models.points_range import PointsRange  # noqa: PLC0415
        from ..models.priced_line import PricedLine  # noqa: PLC0415

        d = dict(src_dict)
        member_id = d.pop("member_id")

        currency = d.pop("currency")

        subtotal = d.pop("subtotal")

        shipping = d.pop("shipping")

        coupons = []
        _coupons = d.pop("coupons")
        for coupons_item_data in _coupons:

            def _parse_coupons_item(data: object) -> CouponApplied | CouponRefused:
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    coupons_item_type_0 = CouponApplied.from_dict(data)

                    return coupons_item_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                if not isinstance(data, dict):
                    raise TypeError()
                coupons_item_type_1 = CouponRefused.from_dict(data)

                return coupons_item_type_1

            coupons_item = _parse_coupons_item(coupons_item_data)

            coupons.append(coupons_item)

        points = PointsRange.from_dict(d.pop("points"))

        lines = []
        _lines = d.pop("lines")
        for lines_item_data in _lines:
            lines_item = PricedLine.from_dict(lines_item_data)

            lines.append(lines_item)

        shipping_discount = d.pop("shipping_discount")

        discount_total = d.pop("discount_total")

        total = d.pop("total")

        available_coupons = []
        _available_coupons = d.pop("available_coupons")
        for available_coupons_item_data in _available_coupons:
            available_coupons_item = MemberOffer.from_dict(available_coupons_item_data)

            available_coupons.append(available_coupons_item)

        quote = cls(
            member_id=member_id,
            currency=currency,
            subtotal=subtotal,
            shipping=shipping,
            coupons=coupons,
            points=points,
            lines=lines,
            shipping_discount=shipping_discount,
            discount_total=discount_total,
            total=total,
            available_coupons=available_coupons,
        )

        quote.additional_properties = d
        return quote

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
