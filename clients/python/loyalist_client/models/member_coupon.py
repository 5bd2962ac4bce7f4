from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.member_coupon_discount import MemberCouponDiscount
    from ..models.member_coupon_name import MemberCouponName


T = TypeVar("T", bound="MemberCoupon")


@_attrs_define
class MemberCoupon:
    """One of the member's personal codes.

    Attributes:
        code (str): masked for callers without `coupons.export`
        campaign (str):
        name (MemberCouponName):
        discount (MemberCouponDiscount):
        valid_until (datetime.datetime | None):
        uses_left (int | None):
        usable (bool):
        reason (None | str): why it is not usable: a problem code
    """

    code: str
    campaign: str
    name: MemberCouponName
    discount: MemberCouponDiscount
    valid_until: datetime.datetime | None
    uses_left: int | None
    usable: bool
    reason: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        code = self.code

        campaign = self.campaign

        name = self.name.to_dict()

        discount = self.discount.to_dict()

        valid_until: None | str
        if isinstance(self.valid_until, datetime.datetime):
            valid_until = self.valid_until.isoformat()
        else:
            valid_until = self.valid_until

        uses_left: int | None
        uses_left = self.uses_left

        usable = self.usable

        reason: None | str
        reason = self.reason

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "code": code,
                "campaign": campaign,
                "name": name,
                "discount": discount,
                "valid_until": valid_until,
                "uses_left": uses_left,
                "usable": usable,
                "reason": reason,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.member_coupon_discount import MemberCouponDiscount  # noqa: PLC0415
        from ..models.member_coupon_name import MemberCouponName  # noqa: PLC0415

        d = dict(src_dict)
        code = d.pop("code")

        campaign = d.pop("campaign")

        name = MemberCouponName.from_dict(d.pop("name"))

        discount = MemberCouponDiscount.from_dict(d.pop("discount"))

        def _parse_valid_until(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                valid_until_type_0 = datetime.datetime.fromisoformat(data)

                return valid_until_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        valid_until = _parse_valid_until(d.pop("valid_until"))

        def _parse_uses_left(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        uses_left = _parse_uses_left(d.pop("uses_left"))

        usable = d.pop("usable")

        def _parse_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        reason = _parse_reason(d.pop("reason"))

        member_coupon = cls(
            code=code,
            campaign=campaign,
            name=name,
            discount=discount,
            valid_until=valid_until,
            uses_left=uses_left,
            usable=usable,
            reason=reason,
        )

        member_coupon.additional_properties = d
        return member_coupon

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
