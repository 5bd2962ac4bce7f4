"""The shape of earning rules and of the program file (``program.yaml``), validated once."""

from __future__ import annotations

import re
from datetime import datetime, time
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from loyalist.tiers.schemas import TierProgram

RuleKey = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_\-]{0,63}$")]
Currency = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]

#: Trigger names a rule may listen to; ``x.<name>`` custom events are accepted too.
TRIGGERS = (
    "order.paid",
    "member.enrolled",
    "member.updated",
    "profile.completed",
    "birthday",
    "review.published",
    "survey.answered",
    "referral.converted",
)
CUSTOM_TRIGGER = re.compile(r"^x\.[a-z0-9_][a-z0-9_.\-]{0,59}$")
#: Rules whose key starts with this belong to campaigns (``cmp-<campaign>-<arm>``): the
#: program file neither names nor retires them.
CAMPAIGN_RULE_PREFIX = "cmp-"
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Name(_Strict):
    """A text members may read, in English and Russian."""

    en: str = Field(min_length=1, max_length=200)
    ru: str = Field(min_length=1, max_length=200)


class LineMatch(_Strict):
    """Which order lines an effect counts: any listed SKU or category, and the condition."""

    skus: list[str] = Field(default_factory=list, max_length=10_000)
    categories: list[str] = Field(default_factory=list, max_length=1_000)
    condition: str | None = Field(
        default=None,
        max_length=4_000,
        description="CEL over `line` (and the rule's other variables); slower than lists.",
    )


class FixedPoints(_Strict):
    """A fixed number of points each time the rule fires."""

    type: Literal["fixed"]
    points: int = Field(gt=0, le=100_000_000)


class PerUnit(_Strict):
    """Points per whole currency unit of the order (shipping excluded) or of matching lines.

    ``base: true`` marks the program's base earning, which multipliers and tier perks scale.
    """

    type: Literal["per_unit"]
    rates: dict[Currency, Decimal] = Field(min_length=1)
    of: Literal["order", "lines"] = "order"
    lines: LineMatch | None = None
    base: bool = False

    @field_validator("rates")
    @classmethod
    def _positive(cls, value: dict[str, Decimal]) -> dict[str, Decimal]:
        if any(rate <= 0 or rate > 1_000_000 for rate in value.values()):
            raise ValueError("rates must be above 0 and at most 1,000,000")
        return value

    @model_validator(mode="after")
    def _lines_need_match(self) -> PerUnit:
        if self.of == "lines" and self.lines is None:
            raise ValueError("`of: lines` needs `lines` (skus, categories or condition)")
        return self


class Multiplier(_Strict):
    """Extra base points: ``factor`` 2 doubles the base points of the order (or of the
    matching lines), i.e. adds one more time the base."""

    type: Literal["multiplier"]
    factor: Decimal = Field(gt=1, le=100)
    lines: LineMatch | None = None


class PerItem(_Strict):
    """A bonus per matching item (quantity) of the order."""

    type: Literal["per_item"]
    points: int = Field(gt=0, le=1_000_000)
    lines: LineMatch


class IssueCoupon(_Strict):
    """Issue the member a coupon of a campaign (carried out by the coupons domain)."""

    type: Literal["coupon"]
    campaign: RuleKey


class AwardBadge(_Strict):
    """Award a badge (carried out by the gamification domain)."""

    type: Literal["badge"]
    badge: RuleKey


class GrantReward(_Strict):
    """Grant the member a catalogue reward without its points cost, a "surprise" (carried
    out by the rewards domain; the reward's stock and per-member limit still apply)."""

    type: Literal["reward"]
    reward: RuleKey


Effect = Annotated[
    FixedPoints | PerUnit | Multiplier | PerItem | IssueCoupon | AwardBadge | GrantReward,
    Field(discriminator="type"),
]


class MemberCaps(_Strict):
    """Most points one member may get from the rule per calendar period (program zone)."""

    day: int | None = Field(default=None, gt=0)
    week: int | None = Field(default=None, gt=0)
    month: int | None = Field(default=None, gt=0)
    year: int | None = Field(default=None, gt=0)


class Limits(_Strict):
    per_event: int | None = Field(
        default=None, gt=0, description="Most points per event (per order)."
    )
    per_member: MemberCaps = Field(default_factory=MemberCaps)
    uses_per_member: int | None = Field(
        default=None, gt=0, description="How many times one member may get the rule, ever."
    )
    budget: int | None = Field(
        default=None, gt=0, description="Most points the rule issues in all (every version)."
    )
    uses: int | None = Field(default=None, gt=0, description="How many times the rule may fire.")


class HoursWindow(_Strict):
    """Local time of day ``from`` (inclusive) to ``to`` (exclusive); may wrap midnight."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    start: time = Field(alias="from")
    end: time = Field(alias="to")

    @field_validator("start", "end", mode="before")
    @classmethod
    def _clock_text(cls, value: Any) -> Any:
        if isinstance(value, time):
            return value
        if not isinstance(value, str) or not re.fullmatch(r"\d{2}:\d{2}(:\d{2})?", value):
            raise ValueError("write a local time of day as 'HH:MM' (in quotes in YAML)")
        return value

    @field_validator("start", "end")
    @classmethod
    def _local(cls, value: time) -> time:
        if value.tzinfo is not None:
            raise ValueError("hours are local to the program time zone: no offset")
        return value


class Validity(_Strict):
    starts_at: AwareDatetime | None = None
    ends_at: AwareDatetime | None = None
    days_of_week: list[Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]] = Field(
        default_factory=list
    )
    hours: list[HoursWindow] = Field(default_factory=list, max_length=24)

    @model_validator(mode="after")
    def _ordered(self) -> Validity:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValueError("ends_at must be after starts_at")
        return self


class Targeting(_Strict):
    tiers: list[str] = Field(default_factory=list, description="Any of these tier keys.")
    segments: list[str] = Field(default_factory=list, description="Any of these segments.")
    offers: list[str] = Field(
        default_factory=list,
        max_length=100,
        description="Members holding any of these offers (a campaign's `campaign:<key>/<arm>`).",
    )


class Availability(StrEnum):
    """When a rule's points become spendable."""

    AFTER_RETURN_WINDOW = "after_return_window"
    IMMEDIATELY = "immediately"
    AFTER_DAYS = "after_days"


class RuleSpec(_Strict):
    """One earning rule as written in the program file or sent to the API."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        json_schema_extra={
            "examples": [
                {
                    "key": "weekend",
                    "name": {"en": "Double points weekend", "ru": "Двойные баллы по выходным"},
                    "on": ["order.paid"],
                    "validity": {"days_of_week": ["sat", "sun"]},
                    "effects": [{"type": "multiplier", "factor": "2"}],
                }
            ]
        },
    )

    key: RuleKey
    name: Name
    on: list[str] = Field(min_length=1, max_length=20)
    condition: str = Field(default="true", min_length=1, max_length=4_000)
    effects: list[Effect] = Field(min_length=1, max_length=20)
    limits: Limits = Field(default_factory=Limits)
    validity: Validity = Field(default_factory=Validity)
    targeting: Targeting = Field(default_factory=Targeting)
    priority: int = Field(default=0, ge=-1_000_000, le=1_000_000)
    group: RuleKey | None = Field(
        default=None,
        description="Rules of one exclusive group never stack: the highest priority that "
        "fires wins; rules without a group add up.",
    )
    available: Availability | None = Field(
        default=None,
        description="Default: after the return window for order.paid, at once otherwise.",
    )
    available_after_days: int | None = Field(default=None, ge=1, le=3650)
    qualifying: bool = Field(default=True, description="Points count toward tier thresholds.")
    is_active: bool = True

    @field_validator("on", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    @field_validator("on")
    @classmethod
    def _known_triggers(cls, value: list[str]) -> list[str]:
        for trigger in value:
            if trigger not in TRIGGERS and not CUSTOM_TRIGGER.match(trigger):
                raise ValueError(
                    f"unknown trigger {trigger!r}: use one of {', '.join(TRIGGERS)} or x.<name>"
                )
        if len(set(value)) != len(value):
            raise ValueError("each trigger once")
        return value

    @model_validator(mode="after")
    def _coherent(self) -> RuleSpec:
        order_only = [e for e in self.effects if isinstance(e, PerUnit | Multiplier | PerItem)]
        if order_only and self.on != ["order.paid"]:
            raise ValueError(
                "per_unit, multiplier and per_item effects need an order: use `on: order.paid`"
            )
        if self.available == Availability.AFTER_RETURN_WINDOW and self.on != ["order.paid"]:
            raise ValueError("after_return_window is only for `on: order.paid`")
        if (self.available == Availability.AFTER_DAYS) != (self.available_after_days is not None):
            raise ValueError("available: after_days goes with available_after_days, and only it")
        if self.available == Availability.AFTER_DAYS and "order.paid" in self.on:
            raise ValueError("order points mature after the return window or at once")
        if sum(1 for e in self.effects if isinstance(e, PerUnit) and e.base) > 1:
            raise ValueError("at most one base per_unit effect per rule")
        return self


class RuleRead(BaseModel):
    """A stored rule version."""

    key: str
    version: int
    version_id: int
    spec: RuleSpec
    created_at: datetime
    created_by: str | None = None
    retired_at: datetime | None = None


class ProgramFile(_Strict):
    """``program.yaml``'s rules and tiers, applied in one transaction.

    A section left out is left as it is: no ``rules`` keeps every rule, no ``tiers`` keeps
    the tiers; ``rules: []`` retires every rule. ``tiers`` is the tiers domain's own model
    (levels, window, plans).
    """

    version: Literal[1] = 1
    rules: list[RuleSpec] | None = Field(
        default=None,
        max_length=1_000,
        description="the whole rule set (rules not listed are retired); absent: unchanged",
    )
    tiers: TierProgram | None = Field(default=None, description="absent: unchanged")

    @field_validator("rules", mode="before")
    @classmethod
    def _given(cls, value: Any) -> Any:
        if value is None:
            raise ValueError(
                "write `rules: []` to retire every rule, or leave the section out to keep them"
            )
        return value

    @field_validator("rules")
    @classmethod
    def _not_campaigns(cls, value: list[RuleSpec] | None) -> list[RuleSpec] | None:
        taken = [rule.key for rule in value or [] if rule.key.startswith(CAMPAIGN_RULE_PREFIX)]
        if taken:
            raise ValueError(
                f"rule keys starting with {CAMPAIGN_RULE_PREFIX!r} belong to campaigns (they are "
                f"created and retired with them): rename {', '.join(taken)}"
            )
        return value

    @model_validator(mode="after")
    def _unique_keys(self) -> ProgramFile:
        keys = [rule.key for rule in self.rules or []]
        dupes = sorted({k for k in keys if keys.count(k) > 1})
        if dupes:
            raise ValueError(f"rule keys must be unique: {', '.join(dupes)}")
        return self


class EvaluateRequest(BaseModel):
    """A dry run: the event as the shop would send it, evaluated against the program."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "event": {
                        "id": "p1",
                        "type": "order.paid",
                        "member_id": "M1",
                        "occurred_at": "2026-01-15T12:00:00Z",
                        "data": {
                            "order_id": "o1",
                            "currency": "EUR",
                            "lines": [
                                {"sku": "boot", "quantity": 1, "unit_price": 9900, "discount": 0}
                            ],
                            "shipping": 0,
                            "total": 9900,
                        },
                    }
                }
            ]
        },
    )

    event: dict[str, Any]
    rules: list[RuleSpec] | None = Field(
        default=None, description="Evaluate against these rules instead of the stored program."
    )


# -- what the rule routes answer (documentation models) -----------------------------------
class RuleList(BaseModel):
    """The live version of every rule."""

    items: list[RuleRead]


class RuleVersions(BaseModel):
    """Every version of a rule, newest first."""

    key: str
    versions: list[RuleRead]


class EffectOutcome(BaseModel):
    """One effect of a rule that matched: its kind, its points and what it was worked out
    from (amount, factor, …)."""

    type: str
    points: int


class RuleOutcome(BaseModel):
    """A rule that matched the event: what it gives, and whether a limit cut it."""

    rule: str
    version_id: int | None = Field(default=None, description="null for rules sent to try")
    name: Name
    fired: bool
    points: int
    points_before_limits: int
    limited_by: str | None = None
    effects: list[EffectOutcome]
    coupons: list[str] = Field(description="coupon campaigns it would issue")
    badges: list[str]
    rewards: list[str]


class RuleMiss(BaseModel):
    """A rule that did not fire, and why."""

    rule: str
    reason: str


class AwardOutcome(BaseModel):
    """Points the event would award, and when they become available."""

    points: int
    reason: str
    rule_version_id: int | None = None
    available_at: datetime | None = None


class Evaluation(BaseModel):
    """What an event would get, rule by rule; nothing was written."""

    trigger: str
    member_known: bool
    tier: str | None = None
    points: int
    tier_bonus: int
    rules: list[RuleOutcome]
    not_fired: list[RuleMiss]
    awards: list[AwardOutcome]


class OrderPointsEntry(BaseModel):
    """A point movement of an order and the rule version behind it."""

    kind: str
    points: int
    text: str
    rule: str | None = None
    rule_version: int | None = None
    rule_version_id: int | None = None
    at: datetime


class OrderPoints(BaseModel):
    """Every point an order moved."""

    order_id: str
    currency: str
    net_amount: int
    earned: int
    reversed: int
    entries: list[OrderPointsEntry]


class TemplateVersionCreated(BaseModel):
    key: str
    locale: str
    version: int


class ProgramApplied(BaseModel):
    """What applying a program file changed."""

    created: list[str] = Field(description="rule keys with a new version")
    unchanged: list[str]
    retired: list[str]
    tiers_changed: bool
    orders_backfilled: int
    journeys_changed: list[str]
    templates_created: list[TemplateVersionCreated]
    campaigns_changed: list[str]
