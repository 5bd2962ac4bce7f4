from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.availability import Availability
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.award_badge import AwardBadge
    from ..models.fixed_points import FixedPoints
    from ..models.grant_reward import GrantReward
    from ..models.issue_coupon import IssueCoupon
    from ..models.limits import Limits
    from ..models.multiplier import Multiplier
    from ..models.name import Name
    from ..models.per_item import PerItem
    from ..models.per_unit import PerUnit
    from ..models.targeting import Targeting
    from ..models.validity import Validity


T = TypeVar("T", bound="RuleSpec")


@_attrs_define
class RuleSpec:
    """One earning rule as written in the program file or sent to the API.

    Attributes:
        key (str):
        name (Name): A text members may read, in English and Russian.
        on (list[str]):
        effects (list[AwardBadge | FixedPoints | GrantReward | IssueCoupon | Multiplier | PerItem | PerUnit]):
        condition (str | Unset):  Default: 'true'.
        limits (Limits | Unset):
        validity (Validity | Unset):
        targeting (Targeting | Unset):
        priority (int | Unset):  Default: 0.
        group (None | str | Unset): Rules of one exclusive group never stack: the highest priority that fires wins;
            rules without a group add up.
        available (Availability | None | Unset): Default: after the return window for order.paid, at once otherwise.
        available_after_days (int | None | Unset):
        qualifying (bool | Unset): Points count toward tier thresholds. Default: True.
        is_active (bool | Unset):  Default: True.
    """

    key: str
    name: Name
    on: list[str]
    effects: list[AwardBadge | FixedPoints | GrantReward | IssueCoupon | Multiplier | PerItem | PerUnit]
    condition: str | Unset = "true"
    limits: Limits | Unset = UNSET
    validity: Validity | Unset = UNSET
    targeting: Targeting | Unset = UNSET
    priority: int | Unset = 0
    group: None | str | Unset = UNSET
    available: Availability | None | Unset = UNSET
    available_after_days: int | None | Unset = UNSET
    qualifying: bool | Unset = True
    is_active: bool | Unset = True

    def to_dict(self) -> dict[str, Any]:
        from ..models.award_badge import AwardBadge  # noqa: PLC0415
        from ..models.fixed_points import FixedPoints  # noqa: PLC0415
        from ..models.issue_coupon import IssueCoupon  # noqa: PLC0415
        from ..models.multiplier import Multiplier  # noqa: PLC0415
        from ..models.per_item import PerItem  # noqa: PLC0415
        from ..models.per_unit import PerUnit  # noqa: PLC0415

        key = self.key

        name = self.name.to_dict()

        on = self.on

        effects = []
        for effects_item_data in self.effects:
            effects_item: dict[str, Any]
            if isinstance(effects_item_data, FixedPoints):
                effects_item = effects_item_data.to_dict()
            elif isinstance(effects_item_data, PerUnit):
                effects_item = effects_item_data.to_dict()
            elif isinstance(effects_item_data, Multiplier):
                effects_item = effects_item_data.to_dict()
            elif isinstance(effects_item_data, PerItem):
                effects_item = effects_item_data.to_dict()
            elif isinstance(effects_item_data, IssueCoupon):
                effects_item = effects_item_data.to_dict()
            elif isinstance(effects_item_data, AwardBadge):
                effects_item = effects_item_data.to_dict()
            else:
                effects_item = effects_item_data.to_dict()

            effects.append(effects_item)

        condition = self.condition

        limits: dict[str, Any] | Unset = UNSET
        if not isinstance(self.limits, Unset):
            limits = self.limits.to_dict()

        validity: dict[str, Any] | Unset = UNSET
        if not isinstance(self.validity, Unset):
            validity = self.validity.to_dict()

        targeting: dict[str, Any] | Unset = UNSET
        if not isinstance(self.targeting, Unset):
            targeting = self.targeting.to_dict()

        priority = self.priority

        group: None | str | Unset
        if isinstance(self.group, Unset):
            group = UNSET
        else:
            group = self.group

        available: None | str | Unset
        if isinstance(self.available, Unset):
            available = UNSET
        elif isinstance(self.available, Availability):
            available = self.available.value
        else:
            available = self.available

        available_after_days: int | None | Unset
        if isinstance(self.available_after_days, Unset):
            available_after_days = UNSET
        else:
            available_after_days = self.available_after_days

        qualifying = self.qualifying

        is_active = self.is_active

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "key": key,
                "name": name,
                "on": on,
                "effects": effects,
            }
        )
        if condition is not UNSET:
            field_dict["condition"] = condition
        if limits is not UNSET:
            field_dict["limits"] = limits
        if validity is not UNSET:
            field_dict["validity"] = validity
        if targeting is not UNSET:
            field_dict["targeting"] = targeting
        if priority is not UNSET:
            field_dict["priority"] = priority
        if group is not UNSET:
            field_dict["group"] = group
        if available is not UNSET:
            field_dict["available"] = available
        if available_after_days is not UNSET:
            field_dict["available_after_days"] = available_after_days
        if qualifying is not UNSET:
            field_dict["qualifying"] = qualifying
        if is_active is not UNSET:
            field_dict["is_active"] = is_active

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.award_badge import AwardBadge  # noqa: PLC0415
        from ..models.fixed_points import FixedPoints  # noqa: PLC0415
        from ..models.grant_reward import GrantReward  # noqa: PLC0415
        from ..models.issue_coupon import IssueCoupon  # noqa: PLC0415
        from ..models.limits import Limits  # noqa: PLC0415
        from ..models.multiplier import Multiplier  # noqa: PLC0415
        from ..models.name import Name  # noqa: PLC0415
        from ..models.per_item import PerItem  # noqa: PLC0415
        from ..models.per_unit import PerUnit  # noqa: PLC0415
        from ..models.targeting import Targeting  # noqa: PLC0415
        from ..models.validity import Validity  # noqa: PLC0415

        d = dict(src_dict)
        key = d.pop("key")

        name = Name.from_dict(d.pop("name"))

        on = cast(list[str], d.pop("on"))

        effects = []
        _effects = d.pop("effects")
        for effects_item_data in _effects:

            def _parse_effects_item(
                data: object,
            ) -> AwardBadge | FixedPoints | GrantReward | IssueCoupon | Multiplier | PerItem | PerUnit:
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    effects_item_type_0 = FixedPoints.from_dict(data)

                    return effects_item_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    effects_item_type_1 = PerUnit.from_dict(data)

                    return effects_item_type_1
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    effects_item_type_2 = Multiplier.from_dict(data)

                    return effects_item_type_2
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    effects_item_type_3 = PerItem.from_dict(data)

                    return effects_item_type_3
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    effects_item_type_4 = IssueCoupon.from_dict(data)

                    return effects_item_type_4
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    effects_item_type_5 = AwardBadge.from_dict(data)

                    return effects_item_type_5
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                if not isinstance(data, dict):
                    raise TypeError()
                effects_item_type_6 = GrantReward.from_dict(data)

                return effects_item_type_6

            effects_item = _parse_effects_item(effects_item_data)

            effects.append(effects_item)

        condition = d.pop("condition", UNSET)

        _limits = d.pop("limits", UNSET)
        limits: Limits | Unset
        if isinstance(_limits, Unset):
            limits = UNSET
        else:
            limits = Limits.from_dict(_limits)

        _validity = d.pop("validity", UNSET)
        validity: Validity | Unset
        if isinstance(_validity, Unset):
            validity = UNSET
        else:
            validity = Validity.from_dict(_validity)

        _targeting = d.pop("targeting", UNSET)
        targeting: Targeting | Unset
        if isinstance(_targeting, Unset):
            targeting = UNSET
        else:
            targeting = Targeting.from_dict(_targeting)

        priority = d.pop("priority", UNSET)

        def _parse_group(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        group = _parse_group(d.pop("group", UNSET))

        def _parse_available(data: object) -> Availability | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                available_type_0 = Availability(data)

                return available_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Availability | None | Unset, data)

        available = _parse_available(d.pop("available", UNSET))

        def _parse_available_after_days(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        available_after_days = _parse_available_after_days(d.pop("available_after_days", UNSET))

        qualifying = d.pop("qualifying", UNSET)

        is_active = d.pop("is_active", UNSET)

        rule_spec = cls(
            key=key,
            name=name,
            on=on,
            effects=effects,
            condition=condition,
            limits=limits,
            validity=validity,
            targeting=targeting,
            priority=priority,
            group=group,
            available=available,
            available_after_days=available_after_days,
            qualifying=qualifying,
            is_active=is_active,
        )

        return rule_spec
