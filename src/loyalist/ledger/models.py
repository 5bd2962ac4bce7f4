"""Ledger rows: postings (double entry), lots with their buckets, lot moves, holds, balances.

A posting moves ``amount`` points from ``debit_account`` to ``credit_account`` (the
double-entry transfer form: its two legs always sum to zero). Member accounts are
``available``, ``pending`` and ``held``; the system accounts are where points come from
and go to. A credit raises an account's balance, a debit lowers it.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from loyalist.db.base import Base, BigId


class Account(StrEnum):
    AVAILABLE = "member.available"
    PENDING = "member.pending"
    HELD = "member.held"
    ISSUED = "system.issued"
    REDEEMED = "system.redeemed"
    EXPIRED = "system.expired"
    REVERSED = "system.reversed"
    ADJUSTED = "system.adjusted"
    #: Where an erased member's unspent points went (and a debt written off came from).
    ERASED = "system.erased"


SYSTEM_ACCOUNTS = (
    Account.ISSUED,
    Account.REDEEMED,
    Account.EXPIRED,
    Account.REVERSED,
    Account.ADJUSTED,
    Account.ERASED,
)


class PostingKind(StrEnum):
    EARN = "earn"
    MATURE = "mature"
    SPEND = "spend"
    HOLD = "hold"
    CONFIRM = "confirm"
    RELEASE = "release"
    EXPIRE = "expire"
    REVERSE = "reverse"
    ADJUST = "adjust"
    REFUND = "refund"
    ERASURE = "erasure"


class LotStatus(StrEnum):
    PENDING = "pending"
    AVAILABLE = "available"
    SPENT = "spent"
    EXPIRED = "expired"
    REVERSED = "reversed"


class Bucket(StrEnum):
    """Where a lot's points are; a lot move takes points from one bucket to another."""

    REMAINING = "remaining"
    HELD = "held"
    SPENT = "spent"
    EXPIRED = "expired"
    REVERSED = "reversed"


class HoldStatus(StrEnum):
    ACTIVE = "active"
    CONFIRMED = "confirmed"
    RELEASED = "released"
    TIMED_OUT = "timed_out"


#: The balance and lifetime columns of ``MemberPoints``, in one order everywhere.
BALANCE_COLUMNS = (
    "available",
    "pending",
    "held",
    "debt",
    "earned",
    "spent",
    "expired",
    "reversed",
    "adjusted",
)


class MemberPoints(Base):
    """A member's balances: the lock row of every ledger write and a cache of the entries."""

    __tablename__ = "member_points"
    __table_args__ = (
        CheckConstraint("pending >= 0 AND held >= 0 AND debt >= 0", name="balances_sane"),
        CheckConstraint("available >= -debt", name="available_covers_debt"),
    )

    member_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("members.id", ondelete="CASCADE"), primary_key=True
    )
    available: Mapped[int] = mapped_column(default=0)
    pending: Mapped[int] = mapped_column(default=0)
    held: Mapped[int] = mapped_column(default=0)
    debt: Mapped[int] = mapped_column(default=0)
    earned: Mapped[int] = mapped_column(default=0)
    spent: Mapped[int] = mapped_column(default=0)
    expired: Mapped[int] = mapped_column(default=0)
    reversed: Mapped[int] = mapped_column(default=0)
    adjusted: Mapped[int] = mapped_column(default=0)


class Posting(Base):
    __tablename__ = "point_postings"
    __table_args__ = (
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint("debit_account <> credit_account", name="two_accounts"),
        Index("ix_point_postings_member", "member_id", "effective_at", "id"),
        Index("ix_point_postings_order", "order_ref"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    member_id: Mapped[int] = mapped_column(BigId, ForeignKey("members.id"))
    kind: Mapped[PostingKind] = mapped_column(String(16))
    debit_account: Mapped[Account] = mapped_column(String(24))
    credit_account: Mapped[Account] = mapped_column(String(24))
    amount: Mapped[int]
    reason_code: Mapped[str] = mapped_column(String(64))
    reason_params: Mapped[dict[str, Any]]
    order_ref: Mapped[str | None] = mapped_column(String(128))
    hold_id: Mapped[str | None] = mapped_column(String(40))
    rule_version_id: Mapped[int | None] = mapped_column(BigId)
    issuer: Mapped[str | None] = mapped_column(String(200))
    effective_at: Mapped[datetime]
    created_at: Mapped[datetime]


class Lot(Base):
    """Points earned together; ``amount`` = remaining + held + spent + expired + reversed."""

    __tablename__ = "point_lots"
    __table_args__ = (
        CheckConstraint(
            "remaining >= 0 AND held >= 0 AND spent >= 0 AND expired >= 0 AND reversed >= 0",
            name="buckets_not_negative",
        ),
        CheckConstraint(
            "amount = remaining + held + spent + expired + reversed", name="buckets_sum"
        ),
        Index("ix_point_lots_member", "member_id", "status"),
        Index("ix_point_lots_maturing", "status", "available_at"),
        Index("ix_point_lots_expiring", "status", "expires_at"),
        Index("ix_point_lots_order", "order_ref"),
        Index("ix_point_lots_rule_version", "rule_version_id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    member_id: Mapped[int] = mapped_column(BigId, ForeignKey("members.id"))
    status: Mapped[LotStatus] = mapped_column(String(16))
    amount: Mapped[int]
    remaining: Mapped[int]
    held: Mapped[int] = mapped_column(default=0)
    spent: Mapped[int] = mapped_column(default=0)
    expired: Mapped[int] = mapped_column(default=0)
    reversed: Mapped[int] = mapped_column(default=0)
    reversal_due: Mapped[int] = mapped_column(default=0)
    order_ref: Mapped[str | None] = mapped_column(String(128))
    origin_posting_id: Mapped[int] = mapped_column(BigId, ForeignKey("point_postings.id"))
    rule_version_id: Mapped[int | None] = mapped_column(BigId)
    created_at: Mapped[datetime]
    available_at: Mapped[datetime]
    matured_at: Mapped[datetime | None]
    expires_at: Mapped[datetime | None]
    #: When ``PointsExpiring`` announced the lot's coming expiry (once).
    expiry_noticed_at: Mapped[datetime | None]


class LotMove(Base):
    """Lot allocation: which posting moved how many points of which lot between buckets."""

    __tablename__ = "point_lot_moves"
    __table_args__ = (
        CheckConstraint("amount > 0", name="amount_positive"),
        Index("ix_point_lot_moves_lot", "lot_id"),
        Index("ix_point_lot_moves_hold", "hold_id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    posting_id: Mapped[int] = mapped_column(BigId, ForeignKey("point_postings.id"))
    lot_id: Mapped[int] = mapped_column(BigId, ForeignKey("point_lots.id"))
    member_id: Mapped[int] = mapped_column(BigId)
    from_bucket: Mapped[Bucket] = mapped_column(String(16))
    to_bucket: Mapped[Bucket] = mapped_column(String(16))
    amount: Mapped[int]
    hold_id: Mapped[str | None] = mapped_column(String(40))


class Hold(Base):
    """Points reserved for a checkout until confirmed, released or timed out."""

    __tablename__ = "point_holds"
    __table_args__ = (
        CheckConstraint("amount > 0", name="amount_positive"),
        Index("ix_point_holds_due", "status", "expires_at"),
        Index("ix_point_holds_member", "member_id", "status"),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    member_id: Mapped[int] = mapped_column(BigId, ForeignKey("members.id"))
    amount: Mapped[int]
    confirmed_amount: Mapped[int] = mapped_column(default=0)
    status: Mapped[HoldStatus] = mapped_column(String(16))
    reference: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    settled_at: Mapped[datetime | None]


class AdjustmentState(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class AdjustmentRequest(Base):
    """A manual adjustment above the program's approval threshold, waiting for a second
    person (maker-checker): booked only when someone other than ``requested_by`` approves."""

    __tablename__ = "point_adjustment_requests"
    __table_args__ = (
        CheckConstraint("points <> 0", name="points_nonzero"),
        CheckConstraint("state IN ('pending', 'approved', 'rejected')", name="state_known"),
        CheckConstraint(
            "(state = 'approved') = (posting_id IS NOT NULL)", name="booked_when_approved"
        ),
        Index("ix_point_adjustment_requests_state", "state", "id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    member_id: Mapped[int] = mapped_column(BigId, ForeignKey("members.id"))
    points: Mapped[int]
    reason: Mapped[str] = mapped_column(String(500))
    state: Mapped[AdjustmentState] = mapped_column(String(16))
    #: ``<actor kind>:<id>`` of who asked, and their name (the issuer of the booking).
    requested_by: Mapped[str] = mapped_column(String(120))
    requested_by_name: Mapped[str] = mapped_column(String(200))
    idempotency_key: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime]
    decided_by: Mapped[str | None] = mapped_column(String(120))
    decided_at: Mapped[datetime | None]
    decision_reason: Mapped[str | None] = mapped_column(String(500))
    posting_id: Mapped[int | None] = mapped_column(BigId)
