from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.coupon_applied_gift_type_0 import CouponAppliedGiftType0
    from ..models.coupon_applied_name import CouponAppliedName
    from ..models.coupon_line_discount import CouponLineDiscount


T = TypeVar("T", bound="CouponApplied")


@_attrs_define
class CouponApplied:
    """A typed code that applies, with what it takes off.

    Attributes:
        code (str):
        campaign (str):
        name (CouponAppliedName): the campaign's name by locale
        discount_type (str):
        discount (int):
        shipping_discount (int):
        currency (str):
        lines (list[CouponLineDiscount]):
        gift (CouponAppliedGiftType0 | None): a gift or custom reward to hand over
        applied (bool):
    """

    code: str
    campaign: str
    name: CouponAppliedName
    discount_type: str
    discount: int
    shipping_discount: int
    currency: str
    lines: list[CouponLineDiscount]
    gift: CouponAppliedGiftType0 | None
    applied: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.coupon_applied_gift_type_0 import CouponAppliedGiftType0  # noqa: PLC0415

        code = self.code

        campaign = self.campaign

        name = self.name.to_dict()

        discount_type = self.discount_type

        discount = self.discount

        shipping_discount = self.shipping_discount

        currency = self.currency

        lines = []
        for lines_item_data in self.lines:
            lines_item = lines_item_data.to_dict()
            lines.append(lines_item)

        gift: dict[str, Any] | None
        if isinstance(self.gift, CouponAppliedGiftType0):
            gift = self.gift.to_dict()
        else:
            gift = self.gift

        applied = self.applied

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "code": code,
                "campaign": campaign,
                "name": name,
                "discount_type": discount_type,
                "discount": discount,
                "shipping_discount": shipping_discount,
                "currency": currency,
                "lines": lines,
                "gift": gift,
                "applied": applied,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.coupon_applied_gift_type_0 import CouponAppliedGiftType0  # noqa: PLC0415
        from ..models.coupon_applied_name import CouponAppliedName  # noqa: PLC0415
        from ..models.coupon_line_discount import CouponLineDiscount  # noqa: PLC0415

        d = dict(src_dict)
        code = d.pop("code")

        campaign = d.pop("campaign")

        name = CouponAppliedName.from_dict(d.pop("name"))

        discount_type = d.pop("discount_type")

        discount = d.pop("discount")

        shipping_discount = d.pop("shipping_discount")

        currency = d.pop("currency")

        lines = []
        _lines = d.pop("lines")
        for lines_item_data in _lines:
            lines_item = CouponLineDiscount.from_dict(lines_item_data)

            lines.append(lines_item)

        def _parse_gift(data: object) -> CouponAppliedGiftType0 | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                gift_type_0 = CouponAppliedGiftType0.from_dict(data)

                return gift_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CouponAppliedGiftType0 | None, data)

        gift = _parse_gift(d.pop("gift"))

        applied = d.pop("applied")

        coupon_applied = cls(
            code=code,
            campaign=campaign,
            name=name,
            discount_type=discount_type,
            discount=discount,
            shipping_discount=shipping_discount,
            currency=currency,
            lines=lines,
            gift=gift,
            applied=applied,
        )

        coupon_applied.additional_properties = d
        return coupon_applied

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
