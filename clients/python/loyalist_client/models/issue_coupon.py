from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="IssueCoupon")


@_attrs_define
class IssueCoupon:
    """Issue the member a coupon of a campaign (carried out by the coupons domain).

    Attributes:
        type_ (Literal['coupon']):
        campaign (str):
    """

    type_: Literal["coupon"]
    campaign: str

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        campaign = self.campaign

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "type": type_,
                "campaign": campaign,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        type_ = cast(Literal["coupon"], d.pop("type"))
        if type_ != "coupon":
            raise ValueError(f"type must match const 'coupon', got '{type_}'")

        campaign = d.pop("campaign")

        issue_coupon = cls(
            type_=type_,
            campaign=campaign,
        )

        return issue_coupon
