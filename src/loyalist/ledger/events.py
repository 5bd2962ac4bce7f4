"""What the ledger tells higher domains (tiers, gamification, messages): points that moved.

Each event is emitted inside the unit of work that booked the movement, after the postings
are recorded in the unit's books, so a handler that reads the member's balance through
``ledger.service`` sees the movement.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class PointsAwarded:
    """Points were granted for one occurrence (an order, an activity, a quest, a referral).

    ``points`` is the total granted, ``pending_points`` the part that waits for maturity,
    ``qualifying_points`` the part that counts toward tier qualification. ``trigger`` says
    what earned them (``order.paid``, a rule trigger such as ``review.published`` or
    ``birthday``, ``quest.completed``, ``referral``); ``order_ref`` is the reference
    reversals find the points by (an order id, ``review:<id>``); ``source`` names the
    occurrence (``order:<id>``, ``event:<id>``, ``birthday:<member>:<year>``…).
    """

    member_id: int
    points: int
    pending_points: int
    qualifying_points: int
    trigger: str | None
    order_ref: str | None
    source: str | None
    earned_at: datetime


@dataclass(frozen=True, slots=True)
class PointsMatured:
    """Pending points of one lot became available (return window over, or delivery).

    ``matured_at`` is when the ledger matured them, ``available_at`` when they were due to
    (the fact's own time: points of history being loaded mature late, but were due long
    ago, and start no journey)."""

    member_id: int
    points: int
    order_ref: str | None
    matured_at: datetime
    available_at: datetime


@dataclass(frozen=True, slots=True)
class PointsReversed:
    """Points were taken back: a return, a cancellation or a removed review.

    ``debt`` is the part the member could not cover (``allow_debt``); ``written_off`` the
    part left uncollected under ``claw_back``.
    """

    member_id: int
    points: int
    order_ref: str
    reason_code: str
    debt: int
    written_off: int
    reversed_at: datetime


@dataclass(frozen=True, slots=True)
class PointsExpired:
    """Available points of one lot reached their expiry date unspent."""

    member_id: int
    points: int
    expired_at: datetime


@dataclass(frozen=True, slots=True)
class PointsSpent:
    """Points left the member's balance for good: a redemption, or a confirmed hold."""

    member_id: int
    points: int
    reason_code: str
    hold_id: str | None
    spent_at: datetime


@dataclass(frozen=True, slots=True)
class PointsRefunded:
    """Spent points were given back (a returned order paid with points, an unused reward)."""

    member_id: int
    points: int
    reason_code: str
    refunded_at: datetime


@dataclass(frozen=True, slots=True)
class PointsAdjusted:
    """Staff corrected the balance by ``points`` (negative: a debit)."""

    member_id: int
    points: int
    issuer: str
    adjusted_at: datetime


@dataclass(frozen=True, slots=True)
class PointsExpiring:
    """Available points will expire soon (emitted once per lot, ``notice_days`` ahead):
    what "your points are about to expire" messages are sent from."""

    member_id: int
    points: int
    expires_at: datetime
