from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="CouponGift")


@_attrs_define
class CouponGift:
    """Which campaign's personal code to give the member, and why (kept in the audit trail).

    Attributes:
        campaign (str):
        reason (str):
    """

    campaign: str
    reason: str

    def to_dict(self) -> dict[str, Any]:
        campaign = self.campaign

        reason = self.reason

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "campaign": campaign,
                "reason": reason,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        campaign = d.pop("campaign")

        reason = d.pop("reason")

        coupon_gift = cls(
            campaign=campaign,
            reason=reason,
        )

        return coupon_gift
