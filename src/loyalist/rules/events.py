"""What a rule's non-point effects ask of higher domains (rewards, gamification); coupons,
a lower domain, are issued by the rules directly."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class BadgeGranted:
    """A rule fired with a ``badge`` effect: gamification awards the badge (once)."""

    member_id: int
    badge: str
    rule_key: str
    rule_version_id: int | None
    ref: str


@dataclass(frozen=True, slots=True)
class RewardGranted:
    """A rule fired with a ``reward`` effect: the rewards domain issues the member the
    reward without its points cost (once per rule, reward and ``ref``); ``occurred_at`` is
    when the fact the rule fired on happened."""

    member_id: int
    reward: str
    rule_key: str
    rule_version_id: int | None
    ref: str
    occurred_at: datetime
