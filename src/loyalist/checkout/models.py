"""Checkout rows: a hold of points and coupon uses for one order, until confirmed or let go."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from loyalist.db.base import Base, BigId, JsonDoc


class CheckoutStatus(StrEnum):
    ACTIVE = "active"
    CONFIRMED = "confirmed"
    RELEASED = "released"
    TIMED_OUT = "timed_out"


class Checkout(Base):
    """What a customer is paying with besides money: ``points`` (a ledger hold) and coupon
    uses (reserved redemptions with this ``id``), priced against ``cart``.

    ``refunded_points`` is what returns of the order gave back so far (cumulative, so each
    return re-credits only its own share, once).
    """

    __tablename__ = "checkouts"
    __table_args__ = (
        CheckConstraint("points >= 0", name="points_not_negative"),
        CheckConstraint("refunded_points >= 0", name="refunded_not_negative"),
        CheckConstraint("refunded_points <= points", name="refunded_within_points"),
        Index("ix_checkouts_due", "status", "expires_at"),
        Index("ix_checkouts_order", "order_id"),
        Index("ix_checkouts_member", "member_id", "created_at"),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    member_id: Mapped[int] = mapped_column(BigId, ForeignKey("members.id"))
    status: Mapped[CheckoutStatus] = mapped_column(String(16))
    currency: Mapped[str] = mapped_column(String(3))
    cart: Mapped[dict[str, Any]] = mapped_column(JsonDoc)
    subtotal: Mapped[int] = mapped_column(BigInteger)
    shipping: Mapped[int] = mapped_column(BigInteger)
    coupon_discount: Mapped[int] = mapped_column(BigInteger)
    points: Mapped[int] = mapped_column(BigInteger)
    points_discount: Mapped[int] = mapped_column(BigInteger)
    total: Mapped[int] = mapped_column(BigInteger)
    point_hold_id: Mapped[str | None] = mapped_column(String(40))
    order_id: Mapped[str | None] = mapped_column(String(128))
    reference: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    settled_at: Mapped[datetime | None]
    refunded_points: Mapped[int] = mapped_column(BigInteger, default=0)
