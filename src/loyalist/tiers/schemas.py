"""The tier program (the ``tiers:`` part of the program file) and the tier read model."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

TierKey = Annotated[
    str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_\-]{0,63}$", strip_whitespace=True)
]
WindowKind = Literal["calendar_year", "rolling_12_months", "lifetime"]
DowngradeMode = Literal["one_step", "to_qualified"]
Source = Literal["qualified", "membership", "none"]
METRICS = ("spend", "points", "orders")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Threshold(_Strict):
    """Any one metric reached qualifies; at least one is set. ``spend`` is in minor units of
    the program's ``currency``."""

    points: int | None = Field(default=None, gt=0, le=10**12)
    spend: int | None = Field(default=None, gt=0, le=10**15)
    orders: int | None = Field(default=None, gt=0, le=10**9)

    @model_validator(mode="after")
    def _one_metric(self) -> Threshold:
        if self.points is None and self.spend is None and self.orders is None:
            raise ValueError("a threshold needs at least one of points, spend or orders")
        return self


class Perks(_Strict):
    """What a tier gives; the shop reads ``free_shipping`` and ``flags`` from the API.

    ``rewards`` is the seam for tier-only rewards and offers: reward or offer ids the
    rewards domain shows only to members of this tier.
    """

    earning_multiplier: Decimal = Field(default=Decimal(1), ge=1, le=100)
    free_shipping: bool = False
    flags: dict[str, str | bool | int] = Field(default_factory=dict)
    rewards: list[str] = Field(default_factory=list)


class TierLevel(_Strict):
    """One tier. Without a threshold, the first level is the base tier every member has;
    any later level is reachable only through a paid plan."""

    key: TierKey
    name: dict[str, str]
    threshold: Threshold | None = None
    perks: Perks = Field(default_factory=Perks)

    @model_validator(mode="after")
    def _names(self) -> TierLevel:
        missing = [locale for locale in ("en", "ru") if not self.name.get(locale, "").strip()]
        if missing:
            raise ValueError(f"tier {self.key!r} needs a name in {' and '.join(missing)}")
        return self


class TierProgram(_Strict):
    """Ordered tiers (lowest first), their qualification window and downgrade policy."""

    window: WindowKind = "calendar_year"
    grace_days: int = Field(default=30, ge=0, le=3660)
    downgrade: DowngradeMode = "one_step"
    currency: str = Field(default="EUR", pattern=r"^[A-Z]{3}$")
    levels: list[TierLevel] = Field(default_factory=list)
    plans: dict[str, TierKey] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _consistent(self) -> TierProgram:
        keys = [level.key for level in self.levels]
        duplicates = sorted({k for k in keys if keys.count(k) > 1})
        if duplicates:
            raise ValueError(f"duplicate tier keys: {', '.join(duplicates)}")
        for metric in METRICS:
            last: tuple[str, int] | None = None
            for level in self.levels:
                value = getattr(level.threshold, metric) if level.threshold else None
                if value is None:
                    continue
                if last is not None and value <= last[1]:
                    raise ValueError(
                        f"{metric} thresholds must increase with the tier: {level.key!r} "
                        f"needs {value}, not more than {last[0]!r} ({last[1]})"
                    )
                last = (level.key, value)
        for plan, tier in self.plans.items():
            if tier not in keys:
                raise ValueError(f"plan {plan!r} grants unknown tier {tier!r}")
        return self


# -- read model -------------------------------------------------------------------------------


class TierRef(BaseModel):
    key: str
    name: str


class WindowRead(BaseModel):
    kind: WindowKind
    starts_at: datetime | None = Field(default=None, description="null for lifetime")
    ends_at: datetime | None = Field(default=None, description="exclusive; null for lifetime")
    last_day: date | None = Field(
        default=None, description="the window's last day in the program time zone"
    )


class Totals(BaseModel):
    spend: int = Field(description="minor units of the program currency")
    points: int
    orders: int


class Needs(BaseModel):
    """What is still missing for the next tier; any one of the set figures is enough."""

    spend: int | None = None
    points: int | None = None
    orders: int | None = None


class NextTierRead(BaseModel):
    tier: TierRef
    needs: Needs
    by: date | None = Field(default=None, description="last day of the window (calendar year only)")


class MembershipRead(BaseModel):
    membership_id: str
    plan: str
    tier: str | None = None
    status: str
    period_end: datetime
    ends_at: datetime


class TierChangeRead(BaseModel):
    at: datetime
    from_tier: str | None = None
    to_tier: str | None = None
    qualified_tier: str | None = None
    source: str
    reason: str


class TierRead(BaseModel):
    """``GET /members/{id}/tier``: the tier, where it comes from, the window and progress."""

    member_id: str
    tier: TierRef | None = None
    source: Source
    qualified_tier: TierRef | None = None
    since: datetime | None = None
    review_at: datetime | None = Field(
        default=None, description="when the qualified tier is next reviewed (window end + grace)"
    )
    keeps_tier_at_review: bool | None = None
    perks: Perks
    membership: MembershipRead | None = None
    window: WindowRead
    currency: str
    progress: Totals
    next_tier: NextTierRead | None = None
    text: str | None = Field(
        default=None, description="what the next tier needs, in the member's language"
    )
    locale: str
    history: list[TierChangeRead] = Field(description="the latest tier changes, newest first")
