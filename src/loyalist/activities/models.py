"""Stored activities (the idempotency record of every event) and the order facts built from them."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from loyalist.db.base import Base, BigId


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
    SURVEY_ANSWERED = "survey.answered"
    MEMBERSHIP_STARTED = "membership.started"
    MEMBERSHIP_RENEWED = "membership.renewed"
    MEMBERSHIP_CANCELLED = "membership.cancelled"
    MEMBERSHIP_EXPIRED = "membership.expired"


class OrderChannel(StrEnum):
    WEB = "web"
    APP = "app"
    POS = "pos"


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
