from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.redemption_status import RedemptionStatus

if TYPE_CHECKING:
    from ..models.coupon_line_discount import CouponLineDiscount
    from ..models.redeemed_gift_type_0 import RedeemedGiftType0


T = TypeVar("T", bound="Redeemed")


@_attrs_define
class Redeemed:
    """A code redeemed: the use, with what it took off each line and any gift.

    Attributes:
        id (str):
        code (str):
        campaign (str):
        member_id (None | str):
        order_id (None | str):
        checkout_id (None | str):
        status (RedemptionStatus): reserved (by a checkout hold) → redeemed | released; redeemed → rolled_back.
        currency (str):
        discount (int): all it took off, shipping included (minor units)
        shipping_discount (int):
        reason (None | str):
        created_at (datetime.datetime):
        settled_at (datetime.datetime | None):
        lines (list[CouponLineDiscount]):
        gift (None | RedeemedGiftType0):
    """

    id: str
    code: str
    campaign: str
    member_id: None | str
    order_id: None | str
    checkout_id: None | str
    status: RedemptionStatus
    currency: str
    discount: int
    shipping_discount: int
    reason: None | str
    created_at: datetime.datetime
    settled_at: datetime.datetime | None
    lines: list[CouponLineDiscount]
    gift: None | RedeemedGiftType0
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.redeemed_gift_type_0 import RedeemedGiftType0  # noqa: PLC0415

        id = self.id

        code = self.code

        campaign = self.campaign

        member_id: None | str
        member_id = self.member_id

        order_id: None | str
        order_id = self.order_id

        checkout_id: None | str
        checkout_id = self.checkout_id

        status = self.status.value

        currency = self.currency

        discount = self.discount

        shipping_discount = self.shipping_discount

        reason: None | str
        reason = self.reason

        created_at = self.created_at.isoformat()

        settled_at: None | str
        if isinstance(self.settled_at, datetime.datetime):
            settled_at = self.settled_at.isoformat()
        else:
            settled_at = self.settled_at

        lines = []
        for lines_item_data in self.lines:
            lines_item = lines_item_data.to_dict()
            lines.append(lines_item)

        gift: dict[str, Any] | None
        if isinstance(self.gift, RedeemedGiftType0):
            gift = self.gift.to_dict()
        else:
            gift = self.gift

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "code": code,
                "campaign": campaign,
                "member_id": member_id,
                "order_id": order_id,
                "checkout_id": checkout_id,
                "status": status,
                "currency": currency,
                "discount": discount,
                "shipping_discount": shipping_discount,
                "reason": reason,
                "created_at": created_at,
                "settled_at": settled_at,
                "lines": lines,
                "gift": gift,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.coupon_line_discount import CouponLineDiscount  # noqa: PLC0415
        from ..models.redeemed_gift_type_0 import RedeemedGiftType0  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        code = d.pop("code")

        campaign = d.pop("campaign")

        def _parse_member_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        member_id = _parse_member_id(d.pop("member_id"))

        def _parse_order_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        order_id = _parse_order_id(d.pop("order_id"))

        def _parse_checkout_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        checkout_id = _parse_checkout_id(d.pop("checkout_id"))

        status = RedemptionStatus(d.pop("status"))

        currency = d.pop("currency")

        discount = d.pop("discount")

        shipping_discount = d.pop("shipping_discount")

        def _parse_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        reason = _parse_reason(d.pop("reason"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

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

        lines = []
        _lines = d.pop("lines")
        for lines_item_data in _lines:
            lines_item = CouponLineDiscount.from_dict(lines_item_data)

            lines.append(lines_item)

        def _parse_gift(data: object) -> None | RedeemedGiftType0:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                gift_type_0 = RedeemedGiftType0.from_dict(data)

                return gift_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | RedeemedGiftType0, data)

        gift = _parse_gift(d.pop("gift"))

        redeemed = cls(
            id=id,
            code=code,
            campaign=campaign,
            member_id=member_id,
            order_id=order_id,
            checkout_id=checkout_id,
            status=status,
            currency=currency,
            discount=discount,
            shipping_discount=shipping_discount,
            reason=reason,
            created_at=created_at,
            settled_at=settled_at,
            lines=lines,
            gift=gift,
        )

        redeemed.additional_properties = d
        return redeemed

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
