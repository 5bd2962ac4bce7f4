"""Checkout requests: a member's cart, the coupon codes typed in, the points chosen."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from loyalist.coupons.schemas import Cart, CodeText, Ref


class QuoteIn(BaseModel):
    """Price a cart for a member. ``points`` is the amount the customer chose (omit to
    see the allowed range only); ``coupons`` are codes typed in, applied in stacking order."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    member_id: Ref
    cart: Cart
    coupons: list[CodeText] = Field(default_factory=list, max_length=20)
    points: int | None = Field(default=None, ge=0, le=10**12)


class HoldIn(QuoteIn):
    """Reserve the chosen points and coupons until confirmed, released or timed out."""

    order_id: Ref | None = Field(
        default=None, description="the shop's order id: its `order.paid` confirms the hold"
    )
    reference: str | None = Field(default=None, max_length=200)
    timeout_seconds: int | None = Field(default=None, ge=10, le=7 * 24 * 3600)


class ConfirmIn(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    order_id: Ref | None = None


class ReleaseIn(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    reason: str | None = Field(default=None, max_length=500)
