"""Stored activities (the idempotency record of every event) and the order facts built from them."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from loyalist.db.base import Base, BigId
from loyalist.db.crypto import Field

#: The personal part of a stored event (a member event's profile fields, a survey's
#: comment): kept in ``data.sealed`` under the member's data key, its field names in
#: ``data.personal_fields``.
PERSONAL = Field("activities", "personal", "activity.personal")


class EventType(StrEnum):
    MEMBER_ENROLLED = "member.enrolled"
    MEMBER_UPDATED = "member.updated"
    ORDER_PLACED = "order.placed"
    ORDER_PAID = "order.paid"
    ORDER_SHIPPED = "order.shipped"
    ORDER_DELIVERED = "order.delivered"
    ORDER_CANCELLED = "order.cancelled"
    ORDER_RETURNED = "order.returned"
    REVIEW_PUBLISHED = "review.published"
    REVIEW_REMOVED = "review.removed"
    SURVEY_ANSWERED = "survey.answered"
    MEMBERSHIP_STARTED = "membership.started"
    MEMBERSHIP_RENEWED = "membership.renewed"
    MEMBERSHIP_CANCELLED = "membership.cancelled"
    MEMBERSHIP_EXPIRED = "membership.expired"


class OrderChannel(StrEnum):
    WEB = "web"
    APP = "app"
    POS = "pos"


class SurveyChannel(StrEnum):
    """Where a survey was answered (NPS is reported per channel)."""

    EMAIL = "email"
    WEB = "web"
    APP = "app"
    POS = "pos"
    SMS = "sms"
    CALL = "call"
    OTHER = "other"


class ReviewStatus(StrEnum):
    LIVE = "live"
    REMOVED = "removed"


class Activity(Base):
    __tablename__ = "activities"
    __table_args__ = (Index("ix_activities_member_timeline", "member_id", "occurred_at", "id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    event_id: Mapped[str] = mapped_column(String(128), unique=True)
    type: Mapped[str] = mapped_column(String(64))
    member_id: Mapped[int] = mapped_column(BigId, ForeignKey("members.id"))
    occurred_at: Mapped[datetime]
    received_at: Mapped[datetime]
    data: Mapped[dict[str, Any]]
    request_hash: Mapped[str] = mapped_column(String(64))
    result: Mapped[dict[str, Any]]


class Order(Base):
    """What is known of one order, whatever order its events arrived in."""

    __tablename__ = "orders"
    __table_args__ = (
        CheckConstraint("net_amount >= 0", name="net_amount_not_negative"),
        Index("ix_orders_member", "member_id", "id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    order_id: Mapped[str] = mapped_column(String(128), unique=True)
    member_id: Mapped[int] = mapped_column(BigId, ForeignKey("members.id"))
    currency: Mapped[str | None] = mapped_column(String(3))
    channel: Mapped[str | None] = mapped_column(String(8))
    store: Mapped[str | None] = mapped_column(String(128))
    shipping: Mapped[int] = mapped_column(default=0)
    tax: Mapped[int] = mapped_column(default=0)
    total: Mapped[int] = mapped_column(default=0)
    net_amount: Mapped[int] = mapped_column(default=0)
    has_lines: Mapped[bool] = mapped_column(default=False)
    placed_at: Mapped[datetime | None]
    paid_at: Mapped[datetime | None]
    shipped_at: Mapped[datetime | None]
    delivered_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    carrier: Mapped[str | None] = mapped_column(String(64))
    tracking_number: Mapped[str | None] = mapped_column(String(128))
    tracking_url: Mapped[str | None] = mapped_column(String(1024))
    #: The checkout hold (points, coupons) this order pays with; payment confirms it.
    checkout_id: Mapped[str | None] = mapped_column(String(40))
    is_paid_reported: Mapped[bool] = mapped_column(default=False)
    is_delivery_reported: Mapped[bool] = mapped_column(default=False)
    is_cancel_reported: Mapped[bool] = mapped_column(default=False)
    #: A referral the order carries (``code`` or ``token``) and the shop's fraud signals,
    #: the personal ones only as keyed hashes; kept so a later ref-only payment has them.
    referral: Mapped[dict[str, Any] | None]
    #: When the accounting period ran out: the shop's order id was replaced by an opaque
    #: ``retired:<id>`` and the line details dropped (the amounts stay).
    retired_at: Mapped[datetime | None]

    lines: Mapped[list[OrderLine]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by="OrderLine.line_no"
    )
    returns: Mapped[list[OrderReturn]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by="OrderReturn.id"
    )


class OrderLine(Base):
    __tablename__ = "order_lines"
    __table_args__ = (
        UniqueConstraint("order_id", "sku"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint(
            "returned_quantity >= 0 AND returned_quantity <= quantity", name="returned_in_range"
        ),
        CheckConstraint("discount >= 0 AND discount <= quantity * unit_price", name="discount_ok"),
    )

    order_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("orders.id", ondelete="CASCADE"), primary_key=True
    )
    line_no: Mapped[int] = mapped_column(primary_key=True)
    sku: Mapped[str] = mapped_column(String(128))
    name: Mapped[str | None] = mapped_column(String(500))
    category: Mapped[str | None] = mapped_column(String(200))
    quantity: Mapped[int]
    unit_price: Mapped[int]
    discount: Mapped[int] = mapped_column(default=0)
    returned_quantity: Mapped[int] = mapped_column(default=0)


class OrderReturn(Base):
    """One return of one order; applied to the order's lines once the order's points exist."""

    __tablename__ = "order_returns"
    __table_args__ = (UniqueConstraint("order_id", "return_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    order_id: Mapped[int] = mapped_column(BigId, ForeignKey("orders.id", ondelete="CASCADE"))
    return_id: Mapped[str] = mapped_column(String(128))
    occurred_at: Mapped[datetime]
    requested: Mapped[list[Any]]
    applied: Mapped[list[Any] | None]
    returned_amount: Mapped[int] = mapped_column(default=0)
    is_applied: Mapped[bool] = mapped_column(default=False)


class Review(Base):
    """A product review as published by the shop, and what it counts for.

    ``holds_slot`` marks the one live review of a verified purchase that may earn for this
    member and SKU (a partial unique index keeps it one, also under concurrent events);
    removing the review frees the slot.
    """

    __tablename__ = "reviews"
    __table_args__ = (
        CheckConstraint("rating BETWEEN 1 AND 5", name="rating_in_range"),
        CheckConstraint("status IN ('live', 'removed')", name="status_known"),
        CheckConstraint("NOT holds_slot OR status = 'live'", name="slot_only_when_live"),
        Index("ix_reviews_member_sku", "member_id", "sku"),
        Index(
            "uq_reviews_slot",
            "member_id",
            "sku",
            unique=True,
            postgresql_where=text("holds_slot"),
            sqlite_where=text("holds_slot"),
        ),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    review_id: Mapped[str] = mapped_column(String(128), unique=True)
    member_id: Mapped[int] = mapped_column(BigId, ForeignKey("members.id"))
    sku: Mapped[str] = mapped_column(String(128))
    rating: Mapped[int]
    text_length: Mapped[int] = mapped_column(default=0)
    has_photo: Mapped[bool] = mapped_column(default=False)
    order_id: Mapped[str | None] = mapped_column(String(128))
    event_id: Mapped[str] = mapped_column(String(128))
    published_at: Mapped[datetime]
    is_verified_purchase: Mapped[bool]
    is_first_for_product: Mapped[bool]
    #: The paid order that verified the purchase (the latest one paid before the review).
    verified_order_id: Mapped[str | None] = mapped_column(String(128))
    holds_slot: Mapped[bool] = mapped_column(default=False)
    status: Mapped[ReviewStatus] = mapped_column(String(16), default=ReviewStatus.LIVE)
    removed_at: Mapped[datetime | None]
    removal_reason: Mapped[str | None] = mapped_column(String(200))
    #: What the rules granted for it (written by the rules when they run on it).
    points: Mapped[int] = mapped_column(default=0)


class SurveyAnswer(Base):
    """One answer to a survey; only the member's first answer to a survey counts (NPS,
    points). The comment stays in the activity row only, sealed under the member's key (it
    is free text: it may be personal)."""

    __tablename__ = "survey_answers"
    __table_args__ = (
        CheckConstraint("score IS NULL OR score BETWEEN 0 AND 10", name="score_in_range"),
        CheckConstraint("comment_length >= 0", name="comment_length_not_negative"),
        Index("ix_survey_answers_member_survey", "member_id", "survey_id"),
        Index("ix_survey_answers_answered_at", "answered_at"),
        Index(
            "uq_survey_answers_first",
            "member_id",
            "survey_id",
            unique=True,
            postgresql_where=text("is_first"),
            sqlite_where=text("is_first"),
        ),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    event_id: Mapped[str] = mapped_column(String(128), unique=True)
    member_id: Mapped[int] = mapped_column(BigId, ForeignKey("members.id"))
    survey_id: Mapped[str] = mapped_column(String(128))
    score: Mapped[int | None]
    channel: Mapped[SurveyChannel | None] = mapped_column(String(8))
    comment_length: Mapped[int] = mapped_column(default=0)
    answered_at: Mapped[datetime]
    received_at: Mapped[datetime]
    is_first: Mapped[bool]


class ImportStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"


class ImportJob(Base):
    """A file of events uploaded in the console, imported by the worker a chunk at a time.

    ``content`` is the file sealed under the master key (events carry members' personal
    data) and is dropped once the import is done; ``errors`` keeps, for each bad line, its
    number, a field pointer and what is wrong (never the line's values), the first
    ``IMPORT_ERRORS_KEPT`` of them.
    """

    __tablename__ = "import_jobs"
    __table_args__ = (
        CheckConstraint("records_done <= record_count", name="done_within_total"),
        Index("ix_import_jobs_status", "status", "created_at"),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    file_name: Mapped[str] = mapped_column(String(255))
    file_format: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(16))
    content: Mapped[str | None] = mapped_column(Text)
    record_count: Mapped[int]
    records_done: Mapped[int] = mapped_column(default=0)
    imported_count: Mapped[int] = mapped_column(default=0)
    replayed_count: Mapped[int] = mapped_column(default=0)
    error_count: Mapped[int] = mapped_column(default=0)
    errors: Mapped[list[Any]]
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
