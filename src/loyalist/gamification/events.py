"""Gamification moments that later messaging (campaigns) reacts to."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class BadgeAwarded:
    """``badge.awarded``: emitted once per member and badge."""

    member_id: int
    badge: str
    awarded_at: datetime


@dataclass(frozen=True, slots=True)
class QuestCompleted:
    """``quest.completed``: emitted once per member, quest and period."""

    member_id: int
    quest: str
    period: str
    completed_at: datetime


@dataclass(frozen=True, slots=True)
class StreakExtended:
    """``streak.extended``: the member's streak reached ``current`` periods (``best`` so far)."""

    member_id: int
    streak: str
    period: str
    current: int
    best: int
    extended_at: datetime
