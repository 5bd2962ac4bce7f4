from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.campaign_status import CampaignStatus
from ..models.code_mode import CodeMode
from ..models.stacking import Stacking
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.conditions import Conditions
    from ..models.custom_reward import CustomReward
    from ..models.fixed_discount import FixedDiscount
    from ..models.free_product import FreeProduct
    from ..models.free_shipping import FreeShipping
    from ..models.gift import Gift
    from ..models.percent_discount import PercentDiscount
    from ..models.text import Text


T = TypeVar("T", bound="CampaignIn")


@_attrs_define
class CampaignIn:
    """A coupon campaign; ``key`` comes from the path.

    Attributes:
        name (Text): A text members read, in English and Russian.
        discount (CustomReward | FixedDiscount | FreeProduct | FreeShipping | Gift | PercentDiscount):
        conditions (Conditions | Unset): When a coupon applies: minimum order (goods after the shop's discounts, in
            ``currency``), eligible lines (any listed SKU or category; none listed = every line),
            and who may use it (tier or segment; none listed = everybody).
        stacking (Stacking | Unset): An exclusive coupon is used alone; combinable ones apply together in priority
            order.
        priority (int | Unset): lower applies first Default: 100.
        code_mode (CodeMode | Unset): One shared code for everybody, or many unique codes (generated or issued).
        code (None | str | Unset): the shared code of a generic campaign
        uses_per_code (int | None | Unset): unique codes: default 1; generic: unlimited
        max_redemptions (int | None | Unset):
        per_member_limit (int | None | Unset):
        valid_from (datetime.datetime | None | Unset):
        valid_until (datetime.datetime | None | Unset):
        code_valid_days (int | None | Unset): personal codes expire this many days after issue
        status (CampaignStatus | Unset):
    """

    name: Text
    discount: CustomReward | FixedDiscount | FreeProduct | FreeShipping | Gift | PercentDiscount
    conditions: Conditions | Unset = UNSET
    stacking: Stacking | Unset = UNSET
    priority: int | Unset = 100
    code_mode: CodeMode | Unset = UNSET
    code: None | str | Unset = UNSET
    uses_per_code: int | None | Unset = UNSET
    max_redemptions: int | None | Unset = UNSET
    per_member_limit: int | None | Unset = UNSET
    valid_from: datetime.datetime | None | Unset = UNSET
    valid_until: datetime.datetime | None | Unset = UNSET
    code_valid_days: int | None | Unset = UNSET
    status: CampaignStatus | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.fixed_discount import FixedDiscount  # noqa: PLC0415
        from ..models.free_product import FreeProduct  # noqa: PLC0415
        from ..models.free_shipping import FreeShipping  # noqa: PLC0415
        from ..models.gift import Gift  # noqa: PLC0415
        from ..models.percent_discount import PercentDiscount  # noqa: PLC0415

        name = self.name.to_dict()

        discount: dict[str, Any]
        if isinstance(self.discount, FixedDiscount):
            discount = self.discount.to_dict()
        elif isinstance(self.discount, PercentDiscount):
            discount = self.discount.to_dict()
        elif isinstance(self.discount, FreeShipping):
            discount = self.discount.to_dict()
        elif isinstance(self.discount, FreeProduct):
            discount = self.discount.to_dict()
        elif isinstance(self.discount, Gift):
            discount = self.discount.to_dict()
        else:
            discount = self.discount.to_dict()

        conditions: dict[str, Any] | Unset = UNSET
        if not isinstance(self.conditions, Unset):
            conditions = self.conditions.to_dict()

        stacking: str | Unset = UNSET
        if not isinstance(self.stacking, Unset):
            stacking = self.stacking.value

        priority = self.priority

        code_mode: str | Unset = UNSET
        if not isinstance(self.code_mode, Unset):
            code_mode = self.code_mode.value

        code: None | str | Unset
        if isinstance(self.code, Unset):
            code = UNSET
        else:
            code = self.code

        uses_per_code: int | None | Unset
        if isinstance(self.uses_per_code, Unset):
            uses_per_code = UNSET
        else:
            uses_per_code = self.uses_per_code

        max_redemptions: int | None | Unset
        if isinstance(self.max_redemptions, Unset):
            max_redemptions = UNSET
        else:
            max_redemptions = self.max_redemptions

        per_member_limit: int | None | Unset
        if isinstance(self.per_member_limit, Unset):
            per_member_limit = UNSET
        else:
            per_member_limit = self.per_member_limit

        valid_from: None | str | Unset
        if isinstance(self.valid_from, Unset):
            valid_from = UNSET
        elif isinstance(self.valid_from, datetime.datetime):
            valid_from = self.valid_from.isoformat()
        else:
            valid_from = self.valid_from

        valid_until: None | str | Unset
        if isinstance(self.valid_until, Unset):
            valid_until = UNSET
        elif isinstance(self.valid_until, datetime.datetime):
            valid_until = self.valid_until.isoformat()
        else:
            valid_until = self.valid_until

        code_valid_days: int | None | Unset
        if isinstance(self.code_valid_days, Unset):
            code_valid_days = UNSET
        else:
            code_valid_days = self.code_valid_days

        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "discount": discount,
            }
        )
        if conditions is not UNSET:
            field_dict["conditions"] = conditions
        if stacking is not UNSET:
            field_dict["stacking"] = stacking
        if priority is not UNSET:
            field_dict["priority"] = priority
        if code_mode is not UNSET:
            field_dict["code_mode"] = code_mode
        if code is not UNSET:
            field_dict["code"] = code
        if uses_per_code is not UNSET:
            field_dict["uses_per_code"] = uses_per_code
        if max_redemptions is not UNSET:
            field_dict["max_redemptions"] = max_redemptions
        if per_member_limit is not UNSET:
            field_dict["per_member_limit"] = per_member_limit
        if valid_from is not UNSET:
            field_dict["valid_from"] = valid_from
        if valid_until is not UNSET:
            field_dict["valid_until"] = valid_until
        if code_valid_days is not UNSET:
            field_dict["code_valid_days"] = code_valid_days
        if status is not UNSET:
            field_dict["status"] = status

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.conditions import Conditions  # noqa: PLC0415
        from ..models.custom_reward import CustomReward  # noqa: PLC0415
        from ..models.fixed_discount import FixedDiscount  # noqa: PLC0415
        from ..models.free_product import FreeProduct  # noqa: PLC0415
        from ..models.free_shipping import FreeShipping  # noqa: PLC0415
        from ..models.gift import Gift  # noqa: PLC0415
        from ..models.percent_discount import PercentDiscount  # noqa: PLC0415
        from ..models.text import Text  # noqa: PLC0415

        d = dict(src_dict)
        name = Text.from_dict(d.pop("name"))

        def _parse_discount(
            data: object,
        ) -> CustomReward | FixedDiscount | FreeProduct | FreeShipping | Gift | PercentDiscount:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                discount_type_0 = FixedDiscount.from_dict(data)

                return discount_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                discount_type_1 = PercentDiscount.from_dict(data)

                return discount_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                discount_type_2 = FreeShipping.from_dict(data)

                return discount_type_2
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                discount_type_3 = FreeProduct.from_dict(data)

                return discount_type_3
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                discount_type_4 = Gift.from_dict(data)

                return discount_type_4
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            discount_type_5 = CustomReward.from_dict(data)

            return discount_type_5

        discount = _parse_discount(d.pop("discount"))

        _conditions = d.pop("conditions", UNSET)
        conditions: Conditions | Unset
        if isinstance(_conditions, Unset):
            conditions = UNSET
        else:
            conditions = Conditions.from_dict(_conditions)

        _stacking = d.pop("stacking", UNSET)
        stacking: Stacking | Unset
        if isinstance(_stacking, Unset):
            stacking = UNSET
        else:
            stacking = Stacking(_stacking)

        priority = d.pop("priority", UNSET)

        _code_mode = d.pop("code_mode", UNSET)
        code_mode: CodeMode | Unset
        if isinstance(_code_mode, Unset):
            code_mode = UNSET
        else:
            code_mode = CodeMode(_code_mode)

        def _parse_code(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        code = _parse_code(d.pop("code", UNSET))

        def _parse_uses_per_code(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        uses_per_code = _parse_uses_per_code(d.pop("uses_per_code", UNSET))

        def _parse_max_redemptions(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        max_redemptions = _parse_max_redemptions(d.pop("max_redemptions", UNSET))

        def _parse_per_member_limit(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        per_member_limit = _parse_per_member_limit(d.pop("per_member_limit", UNSET))

        def _parse_valid_from(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                valid_from_type_0 = datetime.datetime.fromisoformat(data)

                return valid_from_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        valid_from = _parse_valid_from(d.pop("valid_from", UNSET))

        def _parse_valid_until(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                valid_until_type_0 = datetime.datetime.fromisoformat(data)

                return valid_until_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        valid_until = _parse_valid_until(d.pop("valid_until", UNSET))

        def _parse_code_valid_days(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        code_valid_days = _parse_code_valid_days(d.pop("code_valid_days", UNSET))

        _status = d.pop("status", UNSET)
        status: CampaignStatus | Unset
        if isinstance(_status, Unset):
            status = UNSET
        else:
            status = CampaignStatus(_status)

        campaign_in = cls(
            name=name,
            discount=discount,
            conditions=conditions,
            stacking=stacking,
            priority=priority,
            code_mode=code_mode,
            code=code,
            uses_per_code=uses_per_code,
            max_redemptions=max_redemptions,
            per_member_limit=per_member_limit,
            valid_from=valid_from,
            valid_until=valid_until,
            code_valid_days=code_valid_days,
            status=status,
        )

        return campaign_in
