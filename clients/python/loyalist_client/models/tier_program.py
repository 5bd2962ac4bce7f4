from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..models.tier_program_downgrade import TierProgramDowngrade
from ..models.tier_program_window import TierProgramWindow
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.tier_level import TierLevel
    from ..models.tier_program_plans import TierProgramPlans


T = TypeVar("T", bound="TierProgram")


@_attrs_define
class TierProgram:
    """Ordered tiers (lowest first), their qualification window and downgrade policy.

    Attributes:
        window (TierProgramWindow | Unset):  Default: TierProgramWindow.CALENDAR_YEAR.
        grace_days (int | Unset):  Default: 30.
        downgrade (TierProgramDowngrade | Unset):  Default: TierProgramDowngrade.ONE_STEP.
        currency (str | Unset):  Default: 'EUR'.
        levels (list[TierLevel] | Unset):
        plans (TierProgramPlans | Unset):
    """

    window: TierProgramWindow | Unset = TierProgramWindow.CALENDAR_YEAR
    grace_days: int | Unset = 30
    downgrade: TierProgramDowngrade | Unset = TierProgramDowngrade.ONE_STEP
    currency: str | Unset = "EUR"
    levels: list[TierLevel] | Unset = UNSET
    plans: TierProgramPlans | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        window: str | Unset = UNSET
        if not isinstance(self.window, Unset):
            window = self.window.value

        grace_days = self.grace_days

        downgrade: str | Unset = UNSET
        if not isinstance(self.downgrade, Unset):
            downgrade = self.downgrade.value

        currency = self.currency

        levels: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.levels, Unset):
            levels = []
            for levels_item_data in self.levels:
                levels_item = levels_item_data.to_dict()
                levels.append(levels_item)

        plans: dict[str, Any] | Unset = UNSET
        if not isinstance(self.plans, Unset):
            plans = self.plans.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if window is not UNSET:
            field_dict["window"] = window
        if grace_days is not UNSET:
            field_dict["grace_days"] = grace_days
        if downgrade is not UNSET:
            field_dict["downgrade"] = downgrade
        if currency is not UNSET:
            field_dict["currency"] = currency
        if levels is not UNSET:
            field_dict["levels"] = levels
        if plans is not UNSET:
            field_dict["plans"] = plans

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.tier_level import TierLevel  # noqa: PLC0415
        from ..models.tier_program_plans import TierProgramPlans  # noqa: PLC0415

        d = dict(src_dict)
        _window = d.pop("window", UNSET)
        window: TierProgramWindow | Unset
        if isinstance(_window, Unset):
            window = UNSET
        else:
            window = TierProgramWindow(_window)

        grace_days = d.pop("grace_days", UNSET)

        _downgrade = d.pop("downgrade", UNSET)
        downgrade: TierProgramDowngrade | Unset
        if isinstance(_downgrade, Unset):
            downgrade = UNSET
        else:
            downgrade = TierProgramDowngrade(_downgrade)

        currency = d.pop("currency", UNSET)

        _levels = d.pop("levels", UNSET)
        levels: list[TierLevel] | Unset = UNSET
        if _levels is not UNSET:
            levels = []
            for levels_item_data in _levels:
                levels_item = TierLevel.from_dict(levels_item_data)

                levels.append(levels_item)

        _plans = d.pop("plans", UNSET)
        plans: TierProgramPlans | Unset
        if isinstance(_plans, Unset):
            plans = UNSET
        else:
            plans = TierProgramPlans.from_dict(_plans)

        tier_program = cls(
            window=window,
            grace_days=grace_days,
            downgrade=downgrade,
            currency=currency,
            levels=levels,
            plans=plans,
        )

        return tier_program
