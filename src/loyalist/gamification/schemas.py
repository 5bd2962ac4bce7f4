"""The shape of badge, quest, streak and level definitions, validated once at PUT."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator, model_validator

from loyalist.rules.schemas import Name

#: Event types gamification reacts to; ``x.<name>`` custom events are accepted too.
EVENT_TYPES = (
    "order.paid",
    "order.returned",
    "order.cancelled",
    "member.enrolled",
    "member.updated",
    "profile.completed",
    "review.published",
    "review.removed",
    "survey.answered",
    "referral.converted",
    "referral.attributed",
)
CUSTOM_EVENT = re.compile(r"^x\.[a-z0-9_][a-z0-9_.\-]{0,59}$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _check_types(types: list[str]) -> list[str]:
    for name in types:
        if name not in EVENT_TYPES and not CUSTOM_EVENT.match(name):
            raise ValueError(f"unknown event type {name!r}: use one of {', '.join(EVENT_TYPES)}")
    return types


class BadgeSpec(_Strict):
    """A badge: awarded once, the first time ``criteria`` holds for a member."""

    name: Name
    description: Name | None = None
    criteria: str = Field(
        min_length=1, max_length=4_000, description="CEL over `member`, `event` and `now`."
    )
    on: list[str] = Field(
        default_factory=list,
        max_length=20,
        description="Event types that evaluate the badge; empty: every fact of the member.",
    )
    is_active: bool = True

    _types = field_validator("on")(_check_types)


class QuestStep(_Strict):
    """``count`` events of ``event`` (for which ``condition`` holds) complete the step."""

    event: str
    condition: str | None = Field(default=None, max_length=4_000)
    count: int = Field(default=1, ge=1, le=10_000)
    name: Name | None = None

    @field_validator("event")
    @classmethod
    def _event(cls, value: str) -> str:
        _check_types([value])
        return value


class QuestPeriod(_Strict):
    """``fixed``: once, between ``starts_at`` and ``ends_at``; ``month`` / ``week``: again
    every calendar month or ISO week in the program time zone (optionally only between the
    two instants)."""

    type: Literal["fixed", "month", "week"]
    starts_at: AwareDatetime | None = None
    ends_at: AwareDatetime | None = None

    @model_validator(mode="after")
    def _bounds(self) -> QuestPeriod:
        if self.type == "fixed" and (self.starts_at is None or self.ends_at is None):
            raise ValueError("a fixed period needs starts_at and ends_at")
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValueError("ends_at must be after starts_at")
        return self


class QuestReward(_Strict):
    """What completing the quest gives, once per member and period."""

    points: int | None = Field(default=None, gt=0, le=100_000_000)
    coupon: str | None = Field(default=None, description="A coupon campaign's key.")
    badge: str | None = Field(default=None, description="A badge's key.")

    @model_validator(mode="after")
    def _something(self) -> QuestReward:
        if self.points is None and self.coupon is None and self.badge is None:
            raise ValueError("a reward needs points, a coupon or a badge")
        return self


class QuestSpec(_Strict):
    name: Name
    description: Name | None = None
    steps: list[QuestStep] = Field(min_length=1, max_length=20)
    period: QuestPeriod
    reward: QuestReward
    is_active: bool = True


class StreakSpec(_Strict):
    """Consecutive weeks or months (program time zone) with a qualifying event."""

    name: Name
    description: Name | None = None
    period: Literal["week", "month"]
    on: list[str] = Field(min_length=1, max_length=20)
    condition: str | None = Field(default=None, max_length=4_000)
    is_active: bool = True

    _types = field_validator("on")(_check_types)


class LevelSpec(_Strict):
    """A gamified level reached at ``points`` lifetime earned points."""

    name: Name
    description: Name | None = None
    points: int = Field(ge=0, le=10**12)
    is_active: bool = True


Spec = BadgeSpec | QuestSpec | StreakSpec | LevelSpec
