from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.redemption_status import RedemptionStatus

T = TypeVar("T", bound="RedemptionRead")


@_attrs_define
class RedemptionRead:
    """A use of a coupon code: reserved (by a checkout hold), redeemed, released or
    rolled back. The code is masked for callers without ``coupons.export``.

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
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
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
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
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

        redemption_read = cls(
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
        )

        redemption_read.additional_properties = d
        return redemption_read

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
