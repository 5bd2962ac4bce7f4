"""Tier rows: the stored program, each member's tier state, qualifying credits (append-only),
paid memberships and the history of tier changes."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from loyalist.db.base import Base, BigId


class CreditKind(StrEnum):
    ORDER = "order"
    RETURN = "return"
    CANCEL = "cancel"
    POINTS = "points"


class MembershipStatus(StrEnum):
    ACTIVE = "active"
    CANCELLED = "cancelled"  # no renewal; benefits last until ``ends_at``
    ENDED = "ended"


class ChangeReason(StrEnum):
    QUALIFIED = "qualified"  # a threshold was met
    REVIEW = "review"  # the window ended and the grace period passed
    MEMBERSHIP_STARTED = "membership_started"
    MEMBERSHIP_ENDED = "membership_ended"
    PROGRAM_CHANGED = "program_changed"  # the stored tier is no longer in the program


class TierProgramVersion(Base):
    """Every tier program applied; the newest row is the one in force."""

    __tablename__ = "tier_programs"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    program: Mapped[dict[str, Any]]
    created_at: Mapped[datetime]


class MemberTier(Base):
    """A member's qualified tier and its next review; the lock row of tier writes.

    ``tier`` is null below every qualifiable tier (the member has the base tier, if any).
    ``window_end`` ends the window the next review judges; ``review_at`` is that plus grace.
    """

    __tablename__ = "member_tiers"
    __table_args__ = (Index("ix_member_tiers_review_at", "review_at"),)

    member_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("members.id", ondelete="CASCADE"), primary_key=True
    )
    tier: Mapped[str | None] = mapped_column(String(64))
    reached_at: Mapped[datetime | None]
    window_end: Mapped[datetime | None]
    review_at: Mapped[datetime | None]
    updated_at: Mapped[datetime]


class TierCredit(Base):
    """What counts toward qualification, append-only: an order adds spend, one order and its
    points; a return or cancellation adds the negative share, dated at the order (``at``)."""

    __tablename__ = "tier_credits"
    __table_args__ = (
        Index("ix_tier_credits_member_at", "member_id", "at"),
        Index("ix_tier_credits_member_ref", "member_id", "ref"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    member_id: Mapped[int] = mapped_column(BigId, ForeignKey("members.id", ondelete="CASCADE"))
    kind: Mapped[CreditKind] = mapped_column(String(16))
    ref: Mapped[str | None] = mapped_column(String(200))
    at: Mapped[datetime]
    spend: Mapped[int] = mapped_column(BigInteger)
    points: Mapped[int] = mapped_column(BigInteger)
    orders: Mapped[int]
    recorded_at: Mapped[datetime]


class TierMembership(Base):
    """A paid plan of a member: grants ``tier`` until ``ends_at``."""

    __tablename__ = "tier_memberships"
    __table_args__ = (
        Index("ix_tier_memberships_due", "status", "ends_at"),
        CheckConstraint("status IN ('active', 'cancelled', 'ended')", name="status_known"),
    )

    member_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("members.id", ondelete="CASCADE"), primary_key=True
    )
    membership_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    plan: Mapped[str] = mapped_column(String(128))
    tier: Mapped[str | None] = mapped_column(String(128))
    status: Mapped[MembershipStatus] = mapped_column(String(16))
    period_end: Mapped[datetime]
    ends_at: Mapped[datetime]
    last_event_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class TierChange(Base):
    """One change of a member's tier (``from_tier`` → ``to_tier``, the tier in effect) or of
    the qualified tier under a paid plan (``qualified_tier``, the one activity supports)."""

    __tablename__ = "tier_changes"
    __table_args__ = (Index("ix_tier_changes_member", "member_id", "at", "id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    member_id: Mapped[int] = mapped_column(BigId, ForeignKey("members.id", ondelete="CASCADE"))
    at: Mapped[datetime]
    from_tier: Mapped[str | None] = mapped_column(String(64))
    to_tier: Mapped[str | None] = mapped_column(String(64))
    qualified_tier: Mapped[str | None] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(16))
    reason: Mapped[ChangeReason] = mapped_column(String(32))
    details: Mapped[dict[str, Any]]
    recorded_at: Mapped[datetime]
