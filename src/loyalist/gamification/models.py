"""Gamification rows: definitions, member statistics, badges, quest progress, streaks."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from loyalist.db.base import Base, BigId, JsonDoc


class DefinitionKind(StrEnum):
    BADGE = "badge"
    QUEST = "quest"
    STREAK = "streak"
    LEVEL = "level"


class GameDefinition(Base):
    """A badge, quest, streak or level as staff defined it; ``version`` grows with each
    change of ``spec`` (the cache key of its compiled form)."""

    __tablename__ = "game_definitions"
    __table_args__ = (
        UniqueConstraint("kind", "key"),
        CheckConstraint("kind IN ('badge', 'quest', 'streak', 'level')", name="kind_known"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    key: Mapped[str] = mapped_column(String(64))
    spec: Mapped[dict[str, Any]] = mapped_column(JsonDoc)
    version: Mapped[int] = mapped_column(Integer)
    is_active: Mapped[bool]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class MemberGameStats(Base):
    """What badge criteria read about a member, kept from the facts gamification receives;
    the lock row of every gamification write for the member."""

    __tablename__ = "member_game_stats"
    __table_args__ = (
        CheckConstraint("orders_count >= 0", name="orders_not_negative"),
        CheckConstraint("badges_count >= 0", name="badges_not_negative"),
    )

    member_id: Mapped[int] = mapped_column(BigId, ForeignKey("members.id"), primary_key=True)
    orders_count: Mapped[int] = mapped_column(Integer, default=0)
    spend: Mapped[int] = mapped_column(BigInteger, default=0)
    #: Distinct categories bought, sorted.
    categories: Mapped[list[Any]] = mapped_column(JsonDoc)
    #: Ids of the verified reviews counted (a removal takes its review back out).
    reviews: Mapped[list[Any]] = mapped_column(JsonDoc)
    #: Ids of the surveys answered (each counts once).
    surveys: Mapped[list[Any]] = mapped_column(JsonDoc)
    referrals_count: Mapped[int] = mapped_column(Integer, default=0)
    quests_count: Mapped[int] = mapped_column(Integer, default=0)
    badges_count: Mapped[int] = mapped_column(Integer, default=0)
    is_profile_complete: Mapped[bool] = mapped_column(default=False)
    last_order_at: Mapped[datetime | None]
    updated_at: Mapped[datetime | None]


class MemberBadge(Base):
    """A badge a member holds: awarded once (the unique key), with when and why."""

    __tablename__ = "member_badges"
    __table_args__ = (UniqueConstraint("member_id", "badge"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    member_id: Mapped[int] = mapped_column(BigId, ForeignKey("members.id"))
    badge: Mapped[str] = mapped_column(String(64))
    awarded_at: Mapped[datetime]
    #: ``event:<type>``, ``rule:<key>:<ref>``, ``quest:<key>:<period>`` or ``sweep``.
    source: Mapped[str] = mapped_column(String(200))


class QuestProgress(Base):
    """A member's steps done in one period of a quest; ``completed_at`` is set once."""

    __tablename__ = "quest_progress"
    __table_args__ = (UniqueConstraint("member_id", "quest", "period"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    member_id: Mapped[int] = mapped_column(BigId, ForeignKey("members.id"))
    quest: Mapped[str] = mapped_column(String(64))
    period: Mapped[str] = mapped_column(String(32))
    #: Count done per step, in the quest's step order.
    steps: Mapped[list[Any]] = mapped_column(JsonDoc)
    completed_at: Mapped[datetime | None]
    updated_at: Mapped[datetime]


class MemberStreak(Base):
    """A member's run of consecutive periods with a qualifying action."""

    __tablename__ = "member_streaks"
    __table_args__ = (
        UniqueConstraint("member_id", "streak"),
        CheckConstraint("current <= best", name="current_within_best"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    member_id: Mapped[int] = mapped_column(BigId, ForeignKey("members.id"))
    streak: Mapped[str] = mapped_column(String(64))
    current: Mapped[int] = mapped_column(Integer)
    best: Mapped[int] = mapped_column(Integer)
    #: The last qualifying period: its key (``m2026-10``) and ordinal (consecutive: +1).
    last_period: Mapped[str] = mapped_column(String(32))
    last_index: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime]


class GameSweep(Base):
    """Where the time-based badge sweep stands: the last member swept, the day of the last
    finished pass (program time zone, ``YYYY-MM-DD``)."""

    __tablename__ = "game_sweeps"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    after_member_id: Mapped[int] = mapped_column(BigInteger)
    finished_on: Mapped[str | None] = mapped_column(String(10))
    updated_at: Mapped[datetime]
