from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.campaign_status import CampaignStatus
from ..models.code_mode import CodeMode
from ..models.stacking import Stacking

if TYPE_CHECKING:
    from ..models.campaign_stats import CampaignStats
    from ..models.coupon_campaign_read_conditions import CouponCampaignReadConditions
    from ..models.coupon_campaign_read_discount import CouponCampaignReadDiscount
    from ..models.coupon_campaign_read_name import CouponCampaignReadName


T = TypeVar("T", bound="CouponCampaignRead")


@_attrs_define
class CouponCampaignRead:
    """A coupon campaign with its figures.

    Attributes:
        key (str):
        name (CouponCampaignReadName): by locale (en, ru)
        origin (str): campaign, reward, referral…: what issues its codes
        discount (CouponCampaignReadDiscount): the discount as set (see CampaignIn)
        conditions (CouponCampaignReadConditions):
        stacking (Stacking): An exclusive coupon is used alone; combinable ones apply together in priority order.
        priority (int):
        code_mode (CodeMode): One shared code for everybody, or many unique codes (generated or issued).
        uses_per_code (int | None):
        max_redemptions (int | None):
        per_member_limit (int | None):
        valid_from (datetime.datetime | None):
        valid_until (datetime.datetime | None):
        code_valid_days (int | None):
        status (CampaignStatus):
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
        stats (CampaignStats):
    """

    key: str
    name: CouponCampaignReadName
    origin: str
    discount: CouponCampaignReadDiscount
    conditions: CouponCampaignReadConditions
    stacking: Stacking
    priority: int
    code_mode: CodeMode
    uses_per_code: int | None
    max_redemptions: int | None
    per_member_limit: int | None
    valid_from: datetime.datetime | None
    valid_until: datetime.datetime | None
    code_valid_days: int | None
    status: CampaignStatus
    created_at: datetime.datetime
    updated_at: datetime.datetime
    stats: CampaignStats
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        key = self.key

        name = self.name.to_dict()

        origin = self.origin

        discount = self.discount.to_dict()

        conditions = self.conditions.to_dict()

        stacking = self.stacking.value

        priority = self.priority

        code_mode = self.code_mode.value

        uses_per_code: int | None
        uses_per_code = self.uses_per_code

        max_redemptions: int | None
        max_redemptions = self.max_redemptions

        per_member_limit: int | None
        per_member_limit = self.per_member_limit

        valid_from: None | str
        if isinstance(self.valid_from, datetime.datetime):
            valid_from = self.valid_from.isoformat()
        else:
            valid_from = self.valid_from

        valid_until: None | str
        if isinstance(self.valid_until, datetime.datetime):
            valid_until = self.valid_until.isoformat()
        else:
            valid_until = self.valid_until

        code_valid_days: int | None
        code_valid_days = self.code_valid_days

        status = self.status.value

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        stats = self.stats.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "key": key,
                "name": name,
                "origin": origin,
                "discount": discount,
                "conditions": conditions,
                "stacking": stacking,
                "priority": priority,
                "code_mode": code_mode,
                "uses_per_code": uses_per_code,
                "max_redemptions": max_redemptions,
                "per_member_limit": per_member_limit,
                "valid_from": valid_from,
                "valid_until": valid_until,
                "code_valid_days": code_valid_days,
                "status": status,
                "created_at": created_at,
                "updated_at": updated_at,
                "stats": stats,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.campaign_stats import CampaignStats  # noqa: PLC0415
        from ..models.coupon_campaign_read_conditions import CouponCampaignReadConditions  # noqa: PLC0415
        from ..models.coupon_campaign_read_discount import CouponCampaignReadDiscount  # noqa: PLC0415
        from ..models.coupon_campaign_read_name import CouponCampaignReadName  # noqa: PLC0415

        d = dict(src_dict)
        key = d.pop("key")

        name = CouponCampaignReadName.from_dict(d.pop("name"))

        origin = d.pop("origin")

        discount = CouponCampaignReadDiscount.from_dict(d.pop("discount"))

        conditions = CouponCampaignReadConditions.from_dict(d.pop("conditions"))

        stacking = Stacking(d.pop("stacking"))

        priority = d.pop("priority")

        code_mode = CodeMode(d.pop("code_mode"))

        def _parse_uses_per_code(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        uses_per_code = _parse_uses_per_code(d.pop("uses_per_code"))

        def _parse_max_redemptions(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        max_redemptions = _parse_max_redemptions(d.pop("max_redemptions"))

        def _parse_per_member_limit(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        per_member_limit = _parse_per_member_limit(d.pop("per_member_limit"))

        def _parse_valid_from(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                valid_from_type_0 = datetime.datetime.fromisoformat(data)

                return valid_from_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        valid_from = _parse_valid_from(d.pop("valid_from"))

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

        def _parse_code_valid_days(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        code_valid_days = _parse_code_valid_days(d.pop("code_valid_days"))

        status = CampaignStatus(d.pop("status"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        stats = CampaignStats.from_dict(d.pop("stats"))

        coupon_campaign_read = cls(
            key=key,
            name=name,
            origin=origin,
            discount=discount,
            conditions=conditions,
            stacking=stacking,
            priority=priority,
            code_mode=code_mode,
            uses_per_code=uses_per_code,
            max_redemptions=max_redemptions,
            per_member_limit=per_member_limit,
            valid_from=valid_from,
            valid_until=valid_until,
            code_valid_days=code_valid_days,
            status=status,
            created_at=created_at,
            updated_at=updated_at,
            stats=stats,
        )

        coupon_campaign_read.additional_properties = d
        return coupon_campaign_read

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
