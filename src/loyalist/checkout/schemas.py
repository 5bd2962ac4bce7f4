"""Checkout requests: a member's cart, the coupon codes typed in, the points chosen."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from loyalist.checkout.models import CheckoutStatus
from loyalist.coupons.schemas import Cart, CodeText, PricedCoupon, RedemptionRead, Ref

_QUOTE_IN_EXAMPLE: dict[str, Any] = {
    "member_id": "customer-42",
    "cart": {
        "currency": "EUR",
        "lines": [{"sku": "TEA-01", "quantity": 2, "unit_price": 2250}],
        "shipping": 300,
    },
    "coupons": ["SPRING-7QX2"],
    "points": 500,
}


class QuoteIn(BaseModel):
    """Price a cart for a member. ``points`` is the amount the customer chose (omit to
    see the allowed range only); ``coupons`` are codes typed in, applied in stacking order."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        json_schema_extra={"examples": [_QUOTE_IN_EXAMPLE]},
    )

    member_id: Ref
    cart: Cart
    coupons: list[CodeText] = Field(default_factory=list, max_length=20)
    points: int | None = Field(default=None, ge=0, le=10**12)


class HoldIn(QuoteIn):
    """Reserve the chosen points and coupons until confirmed, released or timed out."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{**_QUOTE_IN_EXAMPLE, "order_id": "1001"}]}
    )

    order_id: Ref | None = Field(
        default=None, description="the shop's order id: its `order.paid` confirms the hold"
    )
    reference: str | None = Field(default=None, max_length=200)
    timeout_seconds: int | None = Field(default=None, ge=10, le=7 * 24 * 3600)


class ConfirmIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid", frozen=True, json_schema_extra={"examples": [{"order_id": "1001"}]}
    )

    order_id: Ref | None = None


class ReleaseIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        json_schema_extra={"examples": [{"reason": "the customer emptied the cart"}]},
    )

    reason: str | None = Field(default=None, max_length=500)


# -- answers ------------------------------------------------------------------------------
class PointsRange(BaseModel):
    """What the member may spend on this cart, and what the chosen points take off."""

    balance: int = Field(description="points available now (held ones left out)")
    min: int
    max: int
    step: int
    value_per_point: str = Field(description="money per point in the cart's currency (decimal)")
    max_discount: int = Field(description="what `max` points take off, in minor units")
    used: int = Field(description="the points applied (the chosen amount, within the range)")
    discount: int = Field(description="what the used points take off, in minor units")


class PricedLine(BaseModel):
    """A cart line with what coupons and points take off it (minor units)."""

    index: int
    sku: str
    amount: int
    coupon_discount: int
    points_discount: int
    total: int


class CouponApplied(PricedCoupon):
    """A typed code that applies, with what it takes off."""

    applied: Literal[True]


class CouponRefused(BaseModel):
    """A typed code that does not apply, with the problem code saying why."""

    applied: Literal[False]
    code: str
    reason: str = Field(description="a problem code, e.g. `coupon_expired`")
    detail: str


class MemberOffer(BaseModel):
    """One of the member's own coupons: whether it would apply to this cart."""

    code: str
    campaign: str
    name: dict[str, Any]
    valid_until: datetime | None
    applicable: bool
    discount: int | None = None
    reason: str | None = None


_QUOTE_EXAMPLE: dict[str, Any] = {
    "member_id": "customer-42",
    "currency": "EUR",
    "subtotal": 4500,
    "shipping": 300,
    "coupons": [
        {
            "applied": True,
            "code": "SPRING-7QX2",
            "campaign": "spring",
            "name": {"en": "Spring 10%", "ru": "Весна 10%"},
            "discount_type": "percent",
            "discount": 450,
            "shipping_discount": 0,
            "currency": "EUR",
            "lines": [{"index": 0, "sku": "TEA-01", "discount": 450}],
            "gift": None,
        }
    ],
    "points": {
        "balance": 1200,
        "min": 100,
        "max": 1200,
        "step": 100,
        "value_per_point": "0.01",
        "max_discount": 1200,
        "used": 500,
        "discount": 500,
    },
    "lines": [
        {
            "index": 0,
            "sku": "TEA-01",
            "amount": 4500,
            "coupon_discount": 450,
            "points_discount": 500,
            "total": 3550,
        }
    ],
    "shipping_discount": 0,
    "discount_total": 950,
    "total": 3850,
    "available_coupons": [],
}


class Quote(BaseModel):
    """A cart priced: coupons and points applied per line, the points range, the member's
    own coupons that would apply. Money in minor units."""

    model_config = ConfigDict(json_schema_extra={"examples": [_QUOTE_EXAMPLE]})

    member_id: str
    currency: str
    subtotal: int
    shipping: int
    coupons: list[CouponApplied | CouponRefused] = Field(description="the typed codes, in order")
    points: PointsRange
    lines: list[PricedLine]
    shipping_discount: int
    discount_total: int
    total: int
    available_coupons: list[MemberOffer]


class CheckoutRead(BaseModel):
    """A checkout hold: the points and coupon uses reserved for an order."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "chk_5b1e0c3d2a4f6e7d8c9b0a1f",
                    "member_id": "customer-42",
                    "status": "active",
                    "order_id": "1001",
                    "reference": None,
                    "currency": "EUR",
                    "subtotal": 4500,
                    "shipping": 300,
                    "coupon_discount": 450,
                    "points": 500,
                    "points_discount": 500,
                    "total": 3850,
                    "point_hold_id": "hld_1c2d3e4f5a6b",
                    "coupons": [
                        {
                            "id": "cpr_9f2c4b1a",
                            "code": "SPRING-7QX2",
                            "campaign": "spring",
                            "member_id": "customer-42",
                            "order_id": "1001",
                            "checkout_id": "chk_5b1e0c3d2a4f6e7d8c9b0a1f",
                            "status": "reserved",
                            "currency": "EUR",
                            "discount": 450,
                            "shipping_discount": 0,
                            "reason": None,
                            "created_at": "2026-03-08T10:14:00Z",
                            "settled_at": None,
                        }
                    ],
                    "refunded_points": 0,
                    "created_at": "2026-03-08T10:14:00Z",
                    "expires_at": "2026-03-08T10:29:00Z",
                    "settled_at": None,
                }
            ]
        }
    )

    id: str
    member_id: str | None
    status: CheckoutStatus
    order_id: str | None
    reference: str | None
    currency: str
    subtotal: int
    shipping: int
    coupon_discount: int
    points: int
    points_discount: int
    total: int
    point_hold_id: str | None
    coupons: list[RedemptionRead]
    refunded_points: int
    created_at: datetime
    expires_at: datetime
    settled_at: datetime | None
