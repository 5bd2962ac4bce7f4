"""Reward rows: the catalogue and what members took from it."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from loyalist.db.base import Base, BigId, JsonDoc


class RewardStatus(StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"


class RewardRedemptionStatus(StrEnum):
    """issued (a personal coupon the member may use) → once the coupon expired, refunded
    (unused and the reward refunds: points back) or expired (used, or no refund: settled)."""

    ISSUED = "issued"
    REFUNDED = "refunded"
    EXPIRED = "expired"


class Reward(Base):
    """A catalogue entry. Its coupon campaign (``campaign_id``, origin ``reward``) holds the
    discount and the conditions of use; this row holds the price in points, stock, per-member
    limit, validity and who may take it. ``issued`` counts against ``stock`` by conditional
    update."""

    __tablename__ = "rewards"
    __table_args__ = (
        CheckConstraint("stock IS NULL OR issued <= stock", name="issued_within_stock"),
        CheckConstraint("issued >= 0", name="issued_not_negative"),
        CheckConstraint("cost_points >= 0", name="cost_not_negative"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    campaign_id: Mapped[int] = mapped_column(BigId, ForeignKey("coupon_campaigns.id"))
    name: Mapped[dict[str, Any]] = mapped_column(JsonDoc)
    description: Mapped[dict[str, Any] | None] = mapped_column(JsonDoc)
    cost_points: Mapped[int] = mapped_column(BigInteger)
    stock: Mapped[int | None] = mapped_column(BigInteger)
    issued: Mapped[int] = mapped_column(BigInteger, default=0)
    per_member_limit: Mapped[int | None]
    tiers: Mapped[list[Any]] = mapped_column(JsonDoc)
    segments: Mapped[list[Any]] = mapped_column(JsonDoc)
    valid_from: Mapped[datetime | None]
    valid_until: Mapped[datetime | None]
    coupon_valid_days: Mapped[int]
    refund_unused: Mapped[bool] = mapped_column(default=False)
    status: Mapped[RewardStatus] = mapped_column(String(16))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class RewardRedemption(Base):
    """A reward a member took (for points or granted by a rule) and the coupon it issued."""

    __tablename__ = "reward_redemptions"
    __table_args__ = (
        UniqueConstraint("source"),
        Index("ix_reward_redemptions_member", "member_id", "reward_id"),
        Index("ix_reward_redemptions_due", "status", "expires_at"),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    reward_id: Mapped[int] = mapped_column(BigId, ForeignKey("rewards.id"))
    member_id: Mapped[int] = mapped_column(BigId, ForeignKey("members.id"))
    points: Mapped[int] = mapped_column(BigInteger)
    posting_id: Mapped[int | None] = mapped_column(BigInteger)
    code_id: Mapped[int] = mapped_column(BigId, ForeignKey("coupon_codes.id"))
    status: Mapped[RewardRedemptionStatus] = mapped_column(String(16))
    #: ``points`` (bought), ``rule:<key>:<ref>`` (granted); unique, so a replay adds nothing.
    source: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime | None]
    refunded_at: Mapped[datetime | None]
