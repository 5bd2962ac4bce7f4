"""What a rule's non-point effects ask of higher domains (coupons, gamification)."""

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
