"""Rule rows: immutable versions, the counters limits are checked against, once-only
triggers, and the order statistics rules read about a member."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from loyalist.db.base import Base, BigId, JsonDoc


class RuleVersion(Base):
    """One version of a rule; never changed. Editing a rule adds a version and retires the
    one before (``retired_at``); ledger entries point at the version that produced them."""

    __tablename__ = "rule_versions"
    __table_args__ = (
        UniqueConstraint("key", "version"),
        Index("ix_rule_versions_live", "retired_at", "key"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    key: Mapped[str] = mapped_column(String(64))
    version: Mapped[int]
    spec: Mapped[dict[str, Any]] = mapped_column(JsonDoc)
    created_at: Mapped[datetime]
    created_by: Mapped[str | None] = mapped_column(String(100))
    retired_at: Mapped[datetime | None]


class RuleCounter(Base):
    """Points issued and uses of a rule with a budget or a uses limit (every version); the
    row is locked while an event is granted, so a budget is never passed."""

    __tablename__ = "rule_counters"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    points: Mapped[int] = mapped_column(BigInteger, default=0)
    uses: Mapped[int] = mapped_column(BigInteger, default=0)


class RuleMemberCounter(Base):
    """A member's points and uses of a rule in one period (``d2026-01-15``, ``w2026-03``,
    ``m2026-01``, ``y2026`` or ``all``); written under the member's ledger lock."""

    __tablename__ = "rule_member_counters"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    member_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("members.id", ondelete="CASCADE"), primary_key=True
    )
    period: Mapped[str] = mapped_column(String(16), primary_key=True)
    points: Mapped[int] = mapped_column(BigInteger, default=0)
    uses: Mapped[int] = mapped_column(BigInteger, default=0)


class RuleTrigger(Base):
    """A trigger that may happen once (a birthday a year, a completed profile): the unique
    key makes a second run, or a concurrent one, a no-op."""

    __tablename__ = "rule_triggers"

    trigger_key: Mapped[str] = mapped_column(String(160), primary_key=True)
    member_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("members.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime]


class MemberOrderStats(Base):
    """What rules read about a member's orders, kept in event order: paid orders not
    cancelled, net spend after returns (minor units, any currency), first and last order."""

    __tablename__ = "member_order_stats"

    member_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("members.id", ondelete="CASCADE"), primary_key=True
    )
    order_count: Mapped[int] = mapped_column(default=0)
    spend: Mapped[int] = mapped_column(BigInteger, default=0)
    first_order_at: Mapped[datetime | None]
    last_order_at: Mapped[datetime | None]
