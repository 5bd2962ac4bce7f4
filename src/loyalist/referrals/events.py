"""What the referrals domain tells higher domains (gamification, later campaigns)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class ReferralAttributed:
    """A friend was attributed to a referrer (status ``pending``, ``review`` or ``blocked``)."""

    referral_id: int
    referrer_id: int
    friend_id: int
    status: str
    attributed_at: datetime


@dataclass(frozen=True, slots=True)
class ReferralConverted:
    """The friend's first qualifying order matured past the return window: the referral
    counts (the referrer is rewarded unless a cap stops it). Emitted once per referral."""

    referral_id: int
    referrer_id: int
    friend_id: int
    order_id: str
    converted_at: datetime
    rewarded: bool
