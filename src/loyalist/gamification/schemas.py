"""The shape of badge, quest, streak and level definitions, validated once at PUT."""

from __future__ import annotations

import re
from typing import Any, Literal

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

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "name": {"en": "First review", "ru": "Первый отзыв"},
                    "criteria": "member.reviews_count >= 1",
                    "on": ["review.published"],
                }
            ]
        }
    )

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
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "name": {"en": "Spring tea tour", "ru": "Весенний чайный тур"},
                    "steps": [{"event": "order.placed", "count": 2}, {"event": "review.published"}],
                    "period": {"type": "month"},
                    "reward": {"points": 300},
                }
            ]
        }
    )

    name: Name
    description: Name | None = None
    steps: list[QuestStep] = Field(min_length=1, max_length=20)
    period: QuestPeriod
    reward: QuestReward
    is_active: bool = True


class StreakSpec(_Strict):
    """Consecutive weeks or months (program time zone) with a qualifying event."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "name": {"en": "Monthly regular", "ru": "Каждый месяц"},
                    "period": "month",
                    "on": ["order.placed"],
                }
            ]
        }
    )

    name: Name
    description: Name | None = None
    period: Literal["week", "month"]
    on: list[str] = Field(min_length=1, max_length=20)
    condition: str | None = Field(default=None, max_length=4_000)
    is_active: bool = True

    _types = field_validator("on")(_check_types)


class LevelSpec(_Strict):
    """A gamified level reached at ``points`` lifetime earned points."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"name": {"en": "Explorer", "ru": "Исследователь"}, "points": 1000}]
        }
    )

    name: Name
    description: Name | None = None
    points: int = Field(ge=0, le=10**12)
    is_active: bool = True


Spec = BadgeSpec | QuestSpec | StreakSpec | LevelSpec


# -- answers ------------------------------------------------------------------------------
class _Stored(BaseModel):
    """What every stored definition adds to its spec."""

    key: str
    version: int = Field(description="raised by every change of the spec")
    created_at: AwareDatetime
    updated_at: AwareDatetime


_NAME: dict[str, Any] = {"en": "First review", "ru": "Первый отзыв"}
_STORED: dict[str, Any] = {
    "version": 1,
    "created_at": "2026-03-01T09:00:00Z",
    "updated_at": "2026-03-01T09:00:00Z",
}


class BadgeRead(BadgeSpec, _Stored):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "kind": "badge",
                    "key": "first-review",
                    "name": _NAME,
                    "criteria": "member.reviews_count >= 1",
                    "on": ["review.published"],
                    "is_active": True,
                    **_STORED,
                }
            ]
        }
    )

    kind: Literal["badge"]


class QuestRead(QuestSpec, _Stored):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "kind": "quest",
                    "key": "spring-tea",
                    "name": {"en": "Spring tea tour", "ru": "Весенний чайный тур"},
                    "steps": [
                        {"event": "order.placed", "count": 2},
                        {"event": "review.published", "count": 1},
                    ],
                    "period": {"type": "month"},
                    "reward": {"points": 300},
                    "is_active": True,
                    **_STORED,
                }
            ]
        }
    )

    kind: Literal["quest"]


class StreakRead(StreakSpec, _Stored):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "kind": "streak",
                    "key": "monthly-order",
                    "name": {"en": "Monthly regular", "ru": "Каждый месяц"},
                    "period": "month",
                    "on": ["order.placed"],
                    "is_active": True,
                    **_STORED,
                }
            ]
        }
    )

    kind: Literal["streak"]


class LevelRead(LevelSpec, _Stored):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "kind": "level",
                    "key": "explorer",
                    "name": {"en": "Explorer", "ru": "Исследователь"},
                    "points": 1000,
                    "is_active": True,
                    **_STORED,
                }
            ]
        }
    )

    kind: Literal["level"]


class MemberBadge(BaseModel):
    key: str
    name: str
    description: str | None
    awarded_at: AwareDatetime


class QuestPeriodRead(BaseModel):
    key: str = Field(description="the period's key, e.g. `2026-03`")
    starts_at: AwareDatetime | None
    ends_at: AwareDatetime | None


class QuestStepRead(BaseModel):
    event: str
    name: str | None
    done: int
    needed: int


class MemberQuest(BaseModel):
    """A quest in the current period, with the member's progress per step."""

    key: str
    name: str | None
    description: str | None
    period: QuestPeriodRead
    steps: list[QuestStepRead]
    is_completed: bool
    completed_at: AwareDatetime | None
    reward: QuestReward


class MemberStreak(BaseModel):
    key: str
    name: str | None
    period: Literal["week", "month"]
    current: int
    best: int
    last_period: str | None


class LevelRef(BaseModel):
    key: str
    name: str | None
    points: int = Field(description="lifetime earned points the level starts at")


class NextLevel(LevelRef):
    points_to_go: int


class MemberLevel(BaseModel):
    points: int = Field(description="the member's lifetime earned points")
    current: LevelRef | None
    next: NextLevel | None


class GameStats(BaseModel):
    orders: int
    categories: int
    reviews: int
    surveys: int
    referrals: int
    quests: int
    badges: int


_MEMBER_QUEST: dict[str, Any] = {
    "key": "spring-tea",
    "name": "Spring tea tour",
    "description": None,
    "period": {
        "key": "2026-03",
        "starts_at": "2026-03-01T00:00:00Z",
        "ends_at": "2026-04-01T00:00:00Z",
    },
    "steps": [
        {"event": "order.placed", "name": None, "done": 1, "needed": 2},
        {"event": "review.published", "name": None, "done": 0, "needed": 1},
    ],
    "is_completed": False,
    "completed_at": None,
    "reward": {"points": 300},
}


class MemberGame(BaseModel):
    """A member's badges, quests in progress, streaks, level and counts (texts in
    ``locale``)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "member_id": "customer-42",
                    "locale": "en",
                    "badges": [
                        {
                            "key": "first-review",
                            "name": "First review",
                            "description": None,
                            "awarded_at": "2026-03-04T18:20:00Z",
                        }
                    ],
                    "quests": [_MEMBER_QUEST],
                    "streaks": [
                        {
                            "key": "monthly-order",
                            "name": "Monthly regular",
                            "period": "month",
                            "current": 3,
                            "best": 5,
                            "last_period": "m2026-03",
                        }
                    ],
                    "level": {
                        "points": 1450,
                        "current": {"key": "explorer", "name": "Explorer", "points": 1000},
                        "next": {
                            "key": "connoisseur",
                            "name": "Connoisseur",
                            "points": 5000,
                            "points_to_go": 3550,
                        },
                    },
                    "stats": {
                        "orders": 7,
                        "categories": 3,
                        "reviews": 1,
                        "surveys": 0,
                        "referrals": 0,
                        "quests": 2,
                        "badges": 1,
                    },
                }
            ]
        }
    )

    member_id: str
    locale: str
    badges: list[MemberBadge]
    quests: list[MemberQuest]
    streaks: list[MemberStreak]
    level: MemberLevel | None = Field(description="none when the program has no levels")
    stats: GameStats


class MemberQuests(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"member_id": "customer-42", "items": [_MEMBER_QUEST]}]}
    )

    member_id: str
    items: list[MemberQuest]
