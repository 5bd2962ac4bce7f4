"""Referral rows: the program, personal codes and links, referrals, signals, shares, clicks.

A member is referred at most once: ``referrals.friend_id`` is unique and a referral is
created by ``INSERT … ON CONFLICT DO NOTHING``, so two attributions at once make one row.
Status changes are conditional updates (``… WHERE status = 'qualifying'``), so a job rerun
or a concurrent job converts a referral once.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from loyalist.db.base import Base, BigId


class ReferralStatus(StrEnum):
    """pending → qualifying → converted; review → pending | qualifying (approved) or
    rejected; blocked is final. A return before maturity takes qualifying back to pending."""

    PENDING = "pending"
    REVIEW = "review"
    BLOCKED = "blocked"
    REJECTED = "rejected"
    QUALIFYING = "qualifying"
    CONVERTED = "converted"


class DecisionReason(StrEnum):
    """Why a reviewer approved or rejected a referral held for review (``policy`` says
    which fit an approval and which a rejection)."""

    #: The signals that fired have an innocent explanation (a household, an office network).
    SIGNALS_EXPLAINED = "signals_explained"
    #: The reviewer checked that the friend is a new customer and a different person.
    VERIFIED_NEW_CUSTOMER = "verified_new_customer"
    SAME_PERSON = "same_person"
    EXISTING_CUSTOMER = "existing_customer"
    DISPOSABLE_EMAIL = "disposable_email"
    #: Accounts made to farm referral rewards (many friends from one device or network).
    REFERRAL_FARMING = "referral_farming"
    OTHER = "other"


class Via(StrEnum):
    CODE = "code"
    TOKEN = "token"  # noqa: S105 (the share link, not a secret)


class AttributedOn(StrEnum):
    ENROLLED = "enrolled"
    FIRST_ORDER = "first_order"


class SignalKind(StrEnum):
    IP = "ip"
    DEVICE_ID = "device_id"
    PAYMENT_FINGERPRINT = "payment_fingerprint"
    ADDRESS_FINGERPRINT = "address_fingerprint"


class ReferralProgram(Base):
    """The program's one configuration row; ``version`` grows with every change."""

    __tablename__ = "referral_program"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int]
    digest: Mapped[str] = mapped_column(String(64))
    config: Mapped[dict[str, Any]]
    updated_at: Mapped[datetime]
    updated_by: Mapped[str] = mapped_column(String(100))


class ReferralCode(Base):
    """A member's personal code (stored normalised: ``ANNA7K2Q``) and share-link token."""

    __tablename__ = "referral_codes"

    member_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("members.id", ondelete="CASCADE"), primary_key=True
    )
    code: Mapped[str] = mapped_column(String(16), unique=True)
    display: Mapped[str] = mapped_column(String(16))
    token: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]


class Referral(Base):
    __tablename__ = "referrals"
    __table_args__ = (
        CheckConstraint(
            "status IN ('pending', 'review', 'blocked', 'rejected', 'qualifying', 'converted')",
            name="status_known",
        ),
        CheckConstraint("friend_id <> referrer_id OR status = 'blocked'", name="self_blocked"),
        Index("ix_referrals_referrer", "referrer_id", "status"),
        Index("ix_referrals_due", "status", "matures_at"),
        Index("ix_referrals_converted", "converted_at"),
        Index("ix_referrals_ip", "ip_index", "attributed_at"),
        Index("ix_referrals_device", "device_index", "attributed_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    friend_id: Mapped[int] = mapped_column(BigId, ForeignKey("members.id"), unique=True)
    referrer_id: Mapped[int] = mapped_column(BigId, ForeignKey("members.id"))
    via: Mapped[Via] = mapped_column(String(8))
    attributed_on: Mapped[AttributedOn] = mapped_column(String(16))
    status: Mapped[ReferralStatus] = mapped_column(String(16))
    #: Every fraud rule that fired: ``[{rule, action, reason}]``.
    checks: Mapped[list[Any]]
    #: What happened to it, oldest first: ``[{at, what, ...}]``.
    history: Mapped[list[Any]]
    ip_index: Mapped[str | None] = mapped_column(String(32))
    device_index: Mapped[str | None] = mapped_column(String(32))
    attributed_at: Mapped[datetime]
    order_id: Mapped[str | None] = mapped_column(String(128))
    order_currency: Mapped[str | None] = mapped_column(String(3))
    matures_at: Mapped[datetime | None]
    is_friend_rewarded: Mapped[bool] = mapped_column(default=False)
    converted_at: Mapped[datetime | None]
    is_rewarded: Mapped[bool | None]
    #: What the referrer got at conversion (points, coupon, milestone) or why not (cap).
    reward: Mapped[dict[str, Any] | None]
    decided_by: Mapped[str | None] = mapped_column(String(100))
    decided_at: Mapped[datetime | None]
    decision_note: Mapped[str | None] = mapped_column(String(500))


class ReferralSignal(Base):
    """A keyed hash of a signal (IP, device, payment or address fingerprint) a member's own
    events carried, with when it was first and last seen."""

    __tablename__ = "referral_signals"
    __table_args__ = (Index("ix_referral_signals_digest", "kind", "digest"),)

    member_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("members.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[SignalKind] = mapped_column(String(24), primary_key=True)
    digest: Mapped[str] = mapped_column(String(32), primary_key=True)
    first_seen_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]


class ReferralShare(Base):
    __tablename__ = "referral_shares"
    __table_args__ = (Index("ix_referral_shares_member", "member_id", "shared_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    member_id: Mapped[int] = mapped_column(BigId, ForeignKey("members.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(32))
    shared_at: Mapped[datetime]


class ReferralClick(Base):
    """A click on a member's share link as the shop reported it, once per click id."""

    __tablename__ = "referral_clicks"
    __table_args__ = (
        UniqueConstraint("referrer_id", "click_id"),
        Index("ix_referral_clicks_referrer", "referrer_id", "clicked_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    referrer_id: Mapped[int] = mapped_column(BigId, ForeignKey("members.id", ondelete="CASCADE"))
    click_id: Mapped[str] = mapped_column(String(128))
    ip_index: Mapped[str | None] = mapped_column(String(32))
    device_index: Mapped[str | None] = mapped_column(String(32))
    clicked_at: Mapped[datetime]
