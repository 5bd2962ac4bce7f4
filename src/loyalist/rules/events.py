"""What a rule's non-point effects ask of higher domains (coupons, rewards, gamification)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class CouponGranted:
    """A rule fired with a ``coupon`` effect: the coupons domain issues the member a code."""

    member_id: int
    campaign: str
    rule_key: str
    rule_version_id: int | None
    ref: str


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
    reward without its points cost (once per rule, reward and ``ref``)."""

    member_id: int
    reward: str
    rule_key: str
    rule_version_id: int | None
    ref: str
