from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.reward_status import RewardStatus
from ..models.stacking import Stacking
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.coupon_use import CouponUse
    from ..models.custom_reward import CustomReward
    from ..models.fixed_discount import FixedDiscount
    from ..models.free_product import FreeProduct
    from ..models.free_shipping import FreeShipping
    from ..models.gift import Gift
    from ..models.percent_discount import PercentDiscount
    from ..models.text import Text


T = TypeVar("T", bound="RewardIn")


@_attrs_define
class RewardIn:
    """A catalogue reward; ``key`` comes from the path.

    Redeeming it costs ``cost_points`` (0: free, still counted against stock and limits) and
    issues the member a personal, single-use coupon with ``discount``, valid for
    ``coupon_valid_days``. ``stock`` (None: unlimited) counts every reward ever issued;
    ``per_member_limit`` counts the member's rewards not refunded.

        Attributes:
            name (Text): A text members read, in English and Russian.
            description (Text): A text members read, in English and Russian.
            discount (CustomReward | FixedDiscount | FreeProduct | FreeShipping | Gift | PercentDiscount):
            cost_points (int):
            conditions (CouponUse | Unset): When the issued coupon applies at checkout: minimum order (goods after the
                shop's
                discounts, in ``currency``) and eligible lines (any listed SKU or category; none listed
                = every line). Who may take the reward is the reward's own ``tiers``/``segments``: the
                coupon is personal, so it needs no audience of its own.
            stacking (Stacking | Unset): An exclusive coupon is used alone; combinable ones apply together in priority
                order.
            priority (int | Unset): lower applies first Default: 100.
            stock (int | None | Unset): None: unlimited
            per_member_limit (int | None | Unset):
            tiers (list[str] | Unset): only members of these tiers
            segments (list[str] | Unset): only members in one of these segments
            valid_from (datetime.datetime | None | Unset):
            valid_until (datetime.datetime | None | Unset):
            coupon_valid_days (int | Unset):  Default: 30.
            refund_unused (bool | Unset): points come back when the coupon expires unused Default: False.
            status (RewardStatus | Unset):
    """

    name: Text
    description: Text
    discount: CustomReward | FixedDiscount | FreeProduct | FreeShipping | Gift | PercentDiscount
    cost_points: int
    conditions: CouponUse | Unset = UNSET
    stacking: Stacking | Unset = UNSET
    priority: int | Unset = 100
    stock: int | None | Unset = UNSET
    per_member_limit: int | None | Unset = UNSET
    tiers: list[str] | Unset = UNSET
    segments: list[str] | Unset = UNSET
    valid_from: datetime.datetime | None | Unset = UNSET
    valid_until: datetime.datetime | None | Unset = UNSET
    coupon_valid_days: int | Unset = 30
    refund_unused: bool | Unset = False
    status: RewardStatus | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.fixed_discount import FixedDiscount  # noqa: PLC0415
        from ..models.free_product import FreeProduct  # noqa: PLC0415
        from ..models.free_shipping import FreeShipping  # noqa: PLC0415
        from ..models.gift import Gift  # noqa: PLC0415
        from ..models.percent_discount import PercentDiscount  # noqa: PLC0415

        name = self.name.to_dict()

        description = self.description.to_dict()

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

        cost_points = self.cost_points

        conditions: dict[str, Any] | Unset = UNSET
        if not isinstance(self.conditions, Unset):
            conditions = self.conditions.to_dict()

        stacking: str | Unset = UNSET
        if not isinstance(self.stacking, Unset):
            stacking = self.stacking.value

        priority = self.priority

        stock: int | None | Unset
        if isinstance(self.stock, Unset):
            stock = UNSET
        else:
            stock = self.stock

        per_member_limit: int | None | Unset
        if isinstance(self.per_member_limit, Unset):
            per_member_limit = UNSET
        else:
            per_member_limit = self.per_member_limit

        tiers: list[str] | Unset = UNSET
        if not isinstance(self.tiers, Unset):
            tiers = self.tiers

        segments: list[str] | Unset = UNSET
        if not isinstance(self.segments, Unset):
            segments = self.segments

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

        coupon_valid_days = self.coupon_valid_days

        refund_unused = self.refund_unused

        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "description": description,
                "discount": discount,
                "cost_points": cost_points,
            }
        )
        if conditions is not UNSET:
            field_dict["conditions"] = conditions
        if stacking is not UNSET:
            field_dict["stacking"] = stacking
        if priority is not UNSET:
            field_dict["priority"] = priority
        if stock is not UNSET:
            field_dict["stock"] = stock
        if per_member_limit is not UNSET:
            field_dict["per_member_limit"] = per_member_limit
        if tiers is not UNSET:
            field_dict["tiers"] = tiers
        if segments is not UNSET:
            field_dict["segments"] = segments
        if valid_from is not UNSET:
            field_dict["valid_from"] = valid_from
        if valid_until is not UNSET:
            field_dict["valid_until"] = valid_until
        if coupon_valid_days is not UNSET:
            field_dict["coupon_valid_days"] = coupon_valid_days
        if refund_unused is not UNSET:
            field_dict["refund_unused"] = refund_unused
        if status is not UNSET:
            field_dict["status"] = status

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.coupon_use import CouponUse  # noqa: PLC0415
        from ..models.custom_reward import CustomReward  # noqa: PLC0415
        from ..models.fixed_discount import FixedDiscount  # noqa: PLC0415
        from ..models.free_product import FreeProduct  # noqa: PLC0415
        from ..models.free_shipping import FreeShipping  # noqa: PLC0415
        from ..models.gift import Gift  # noqa: PLC0415
        from ..models.percent_discount import PercentDiscount  # noqa: PLC0415
        from ..models.text import Text  # noqa: PLC0415

        d = dict(src_dict)
        name = Text.from_dict(d.pop("name"))

        description = Text.from_dict(d.pop("description"))

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

        cost_points = d.pop("cost_points")

        _conditions = d.pop("conditions", UNSET)
        conditions: CouponUse | Unset
        if isinstance(_conditions, Unset):
            conditions = UNSET
        else:
            conditions = CouponUse.from_dict(_conditions)

        _stacking = d.pop("stacking", UNSET)
        stacking: Stacking | Unset
        if isinstance(_stacking, Unset):
            stacking = UNSET
        else:
            stacking = Stacking(_stacking)

        priority = d.pop("priority", UNSET)

        def _parse_stock(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        stock = _parse_stock(d.pop("stock", UNSET))

        def _parse_per_member_limit(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        per_member_limit = _parse_per_member_limit(d.pop("per_member_limit", UNSET))

        tiers = cast(list[str], d.pop("tiers", UNSET))

        segments = cast(list[str], d.pop("segments", UNSET))

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

        coupon_valid_days = d.pop("coupon_valid_days", UNSET)

        refund_unused = d.pop("refund_unused", UNSET)

        _status = d.pop("status", UNSET)
        status: RewardStatus | Unset
        if isinstance(_status, Unset):
            status = UNSET
        else:
            status = RewardStatus(_status)

        reward_in = cls(
            name=name,
            description=description,
            discount=discount,
            cost_points=cost_points,
            conditions=conditions,
            stacking=stacking,
            priority=priority,
            stock=stock,
            per_member_limit=per_member_limit,
            tiers=tiers,
            segments=segments,
            valid_from=valid_from,
            valid_until=valid_until,
            coupon_valid_days=coupon_valid_days,
            refund_unused=refund_unused,
            status=status,
        )

        return reward_in
