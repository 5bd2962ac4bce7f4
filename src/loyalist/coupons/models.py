"""Coupon rows: campaigns, generation batches, codes, per-member uses and redemptions.

Limits are kept as counters on the row they limit and changed only by conditional updates
(``UPDATE … SET uses = uses + 1 WHERE uses < max_uses``), so concurrent redemptions can
never pass a limit whatever the isolation level; CHECK constraints are the backstop.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from loyalist.db.base import Base, BigId, JsonDoc


class CodeMode(StrEnum):
    """One shared code for everybody, or many unique codes (generated or issued)."""

    GENERIC = "generic"
    UNIQUE = "unique"


class Stacking(StrEnum):
    """An exclusive coupon is used alone; combinable ones apply together in priority order."""

    EXCLUSIVE = "exclusive"
    COMBINABLE = "combinable"


class CampaignStatus(StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"


class BatchStatus(StrEnum):
    """Codes of a batch still being generated are not valid yet."""

    GENERATING = "generating"
    READY = "ready"


class RedemptionStatus(StrEnum):
    """reserved (by a checkout hold) → redeemed | released; redeemed → rolled_back."""

    RESERVED = "reserved"
    REDEEMED = "redeemed"
    RELEASED = "released"
    ROLLED_BACK = "rolled_back"


class CouponCampaign(Base):
    """What a coupon gives (``discount``, the same definitions as rewards), when, to whom and
    how often. ``redemptions`` counts uses only when ``max_redemptions`` is set (a counter
    nobody limits would be a hot row for nothing)."""

    __tablename__ = "coupon_campaigns"
    __table_args__ = (
        CheckConstraint(
            "max_redemptions IS NULL OR redemptions <= max_redemptions",
            name="redemptions_within_max",
        ),
        CheckConstraint("redemptions >= 0", name="redemptions_not_negative"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[dict[str, Any]] = mapped_column(JsonDoc)
    origin: Mapped[str] = mapped_column(String(16), default="campaign")
    discount: Mapped[dict[str, Any]] = mapped_column(JsonDoc)
    conditions: Mapped[dict[str, Any]] = mapped_column(JsonDoc)
    stacking: Mapped[Stacking] = mapped_column(String(16))
    priority: Mapped[int] = mapped_column(default=100)
    code_mode: Mapped[CodeMode] = mapped_column(String(16))
    uses_per_code: Mapped[int | None]
    max_redemptions: Mapped[int | None] = mapped_column(BigInteger)
    redemptions: Mapped[int] = mapped_column(BigInteger, default=0)
    per_member_limit: Mapped[int | None]
    valid_from: Mapped[datetime | None]
    valid_until: Mapped[datetime | None]
    code_valid_days: Mapped[int | None]
    status: Mapped[CampaignStatus] = mapped_column(String(16))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class CouponBatch(Base):
    """One generation run of unique codes, written in chunks; its codes count once READY.

    ``request_key`` makes a repeated or resumed run of the same request add nothing twice.
    """

    __tablename__ = "coupon_batches"
    __table_args__ = (UniqueConstraint("campaign_id", "request_key"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    campaign_id: Mapped[int] = mapped_column(BigId, ForeignKey("coupon_campaigns.id"))
    request_key: Mapped[str] = mapped_column(String(100))
    pattern: Mapped[dict[str, Any]] = mapped_column(JsonDoc)
    requested: Mapped[int] = mapped_column(BigInteger)
    generated: Mapped[int] = mapped_column(BigInteger, default=0)
    status: Mapped[BatchStatus] = mapped_column(String(16))
    created_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]


class CouponCode(Base):
    """A code, stored normalised (upper case, no separators); unique across all campaigns so
    a code alone names its campaign. ``member_id`` makes it personal (rewards, rule grants);
    ``max_uses`` None is unlimited (a generic code limited by its campaign).

    Bulk generation writes only ``campaign_id, batch_id, code, max_uses``: everything else
    has a server default. Built for inserting millions: ``campaign_id`` and ``batch_id``
    carry no foreign key (a PostgreSQL foreign key is a trigger per inserted row, half the
    cost of a bulk insert; only this domain writes them, from rows it just read), the
    indexes of personal codes are partial, and the code compares bytewise (``C``).
    """

    __tablename__ = "coupon_codes"
    __table_args__ = (
        CheckConstraint("uses >= 0", name="uses_not_negative"),
        CheckConstraint("max_uses IS NULL OR uses <= max_uses", name="uses_within_max"),
        Index(
            "uq_coupon_codes_source",
            "source",
            unique=True,
            postgresql_where=text("source IS NOT NULL"),
            sqlite_where=text("source IS NOT NULL"),
        ),
        Index(
            "ix_coupon_codes_member",
            "member_id",
            postgresql_where=text("member_id IS NOT NULL"),
            sqlite_where=text("member_id IS NOT NULL"),
        ),
        Index("ix_coupon_codes_campaign", "campaign_id", "id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    campaign_id: Mapped[int] = mapped_column(BigId)
    batch_id: Mapped[int | None] = mapped_column(BigId)
    code: Mapped[str] = mapped_column(
        String(48).with_variant(String(48, collation="C"), "postgresql"), unique=True
    )
    max_uses: Mapped[int | None]
    uses: Mapped[int] = mapped_column(default=0, server_default=text("0"))
    disabled: Mapped[bool] = mapped_column(default=False, server_default=text("false"))
    member_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("members.id"))
    valid_until: Mapped[datetime | None]
    issued_at: Mapped[datetime | None]
    #: Who issued a personal code (``rule:<key>:<ref>``, ``reward:<id>``): issuing twice
    #: for the same source is a no-op.
    source: Mapped[str | None] = mapped_column(String(200))


class CouponMemberUse(Base):
    """How many times a member used a campaign (checked only when it has a per-member limit)."""

    __tablename__ = "coupon_member_uses"
    __table_args__ = (CheckConstraint("uses >= 0", name="uses_not_negative"),)

    campaign_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("coupon_campaigns.id"), primary_key=True
    )
    member_id: Mapped[int] = mapped_column(BigId, ForeignKey("members.id"), primary_key=True)
    uses: Mapped[int] = mapped_column(default=0)


class CouponRedemption(Base):
    """One use of a code: reserved by a checkout hold or redeemed directly, with the discount
    it gave; rolled back or released with a reason. Never deleted."""

    __tablename__ = "coupon_redemptions"
    __table_args__ = (
        Index("ix_coupon_redemptions_code", "code_id"),
        Index("ix_coupon_redemptions_order", "order_id"),
        Index("ix_coupon_redemptions_checkout", "checkout_id"),
        Index("ix_coupon_redemptions_member", "member_id", "created_at"),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    code_id: Mapped[int] = mapped_column(BigId, ForeignKey("coupon_codes.id"))
    campaign_id: Mapped[int] = mapped_column(BigId, ForeignKey("coupon_campaigns.id"))
    member_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("members.id"))
    order_id: Mapped[str | None] = mapped_column(String(128))
    checkout_id: Mapped[str | None] = mapped_column(String(40))
    currency: Mapped[str] = mapped_column(String(3))
    discount: Mapped[int] = mapped_column(BigInteger)
    shipping_discount: Mapped[int] = mapped_column(BigInteger, default=0)
    status: Mapped[RedemptionStatus] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime]
    settled_at: Mapped[datetime | None]
    #: Counted against the member's per-member limit (so a rollback gives exactly that back).
    member_counted: Mapped[bool] = mapped_column(default=False)
    campaign_counted: Mapped[bool] = mapped_column(default=False)
