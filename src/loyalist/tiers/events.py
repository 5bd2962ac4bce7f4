"""Tier changes that later domains (messaging) react to."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class TierUpgraded:
    """The member's tier in effect went up (``tier.upgraded``).

    ``reason``: ``qualified``, ``review``, ``membership_started`` or ``program_changed``;
    ``source``: where the new tier comes from, ``qualified`` or ``membership``.
    """

    member_id: int
    from_tier: str | None
    to_tier: str | None
    at: datetime
    reason: str
    source: str


@dataclass(frozen=True, slots=True)
class TierDowngraded:
    """The member's tier in effect went down (``tier.downgraded``): at a review, when a paid
    plan lapsed, or after a program change. ``to_tier`` is null below every tier."""

    member_id: int
    from_tier: str | None
    to_tier: str | None
    at: datetime
    reason: str
    source: str
