"""Pricing a cart with coupons: pure decisions, no I/O, ``now`` passed in.

Money is integer minor units. A discount over several lines is spread in proportion to
what each line still costs, by largest remainder, so the line discounts always add up to
the coupon's discount exactly. Coupons apply in priority order (then the order given),
each to what the previous ones left; an exclusive coupon is never combined with another.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from loyalist.coupons.errors import (
    CouponCurrencyMismatchError,
    CouponExpiredError,
    CouponMinOrderError,
    CouponNoEligibleLinesError,
    CouponNotApplicableError,
    CouponNotCombinableError,
    CouponNotEligibleError,
    CouponNotStartedError,
    CouponProductMissingError,
)
from loyalist.coupons.models import Stacking
from loyalist.coupons.schemas import (
    Cart,
    Conditions,
    CustomReward,
    Discount,
    FixedDiscount,
    FreeProduct,
    FreeShipping,
    Gift,
    PercentDiscount,
)
from loyalist.errors import DomainError


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why a coupon does not apply: the problem it is (its class has the stable code) and
    words for a person."""

    problem: type[DomainError]
    detail: str

    @property
    def code(self) -> str:
        return self.problem.code


@dataclass(frozen=True, slots=True)
class Offer:
    """A coupon that passed its state checks (exists, active, uses left), to be priced."""

    code: str
    campaign: str
    discount: Discount
    conditions: Conditions
    stacking: Stacking
    priority: int


@dataclass(slots=True)
class Priced:
    """What one coupon takes off: per line (by cart index) and off shipping."""

    offer: Offer
    lines: dict[int, int] = field(default_factory=dict)
    shipping: int = 0
    refusal: Refusal | None = None

    @property
    def amount(self) -> int:
        return sum(self.lines.values()) + self.shipping


def allocate(total: int, weights: Sequence[int]) -> list[int]:
    """Split ``total`` over ``weights`` in proportion, by largest remainder (exact sum).

    ``total`` must not exceed ``sum(weights)`` when every part must fit its weight; it never
    gives a part more than its weight then.
    """
    whole = sum(weights)
    if whole <= 0 or total <= 0:
        return [0] * len(weights)
    parts = [total * w // whole for w in weights]
    order = sorted(range(len(weights)), key=lambda i: (-(total * weights[i] % whole), i))
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


def timing(
    now: datetime, valid_from: datetime | None, valid_until: datetime | None
) -> Refusal | None:
    if valid_from is not None and now < valid_from:
        return Refusal(CouponNotStartedError, f"the coupon is valid from {valid_from.isoformat()}")
    if valid_until is not None and now >= valid_until:
        return Refusal(CouponExpiredError, f"the coupon expired at {valid_until.isoformat()}")
    return None


def eligible_lines(cart: Cart, conditions: Conditions) -> list[int]:
    if not conditions.skus and not conditions.categories:
        return list(range(len(cart.lines)))
    skus, categories = set(conditions.skus), set(conditions.categories)
    return [
        i
        for i, line in enumerate(cart.lines)
        if line.sku in skus or (line.category is not None and line.category in categories)
    ]


def audience(conditions: Conditions, tier: str | None, segments: Sequence[str]) -> Refusal | None:
    """Tier or segment gating (any listed tier, any listed segment)."""
    if conditions.tiers and tier not in conditions.tiers:
        return Refusal(
            CouponNotEligibleError, f"the coupon is for the tiers {', '.join(conditions.tiers)}"
        )
    if conditions.segments and not set(conditions.segments) & set(segments):
        return Refusal(CouponNotEligibleError, "the coupon is for other customer segments")
    return None


def price_cart(cart: Cart, offers: Sequence[Offer]) -> list[Priced]:
    """Price every offer against the cart in stacking order; results come back in the
    order of ``offers``."""
    remaining = [line.amount for line in cart.lines]
    shipping_left = cart.shipping
    ordered = sorted(range(len(offers)), key=lambda i: (offers[i].priority, i))
    results: dict[int, Priced] = {}
    applied: list[Offer] = []
    for i in ordered:
        offer = offers[i]
        result = Priced(offer)
        results[i] = result
        if applied and (
            offer.stacking == Stacking.EXCLUSIVE
            or any(o.stacking == Stacking.EXCLUSIVE for o in applied)
        ):
            first = applied[0].code
            result.refusal = Refusal(
                CouponNotCombinableError,
                f"the coupon cannot be combined with {first}"
                if offer.stacking == Stacking.EXCLUSIVE
                else f"{first} cannot be combined with other coupons",
            )
            continue
        refusal = _price_one(cart, offer, remaining, shipping_left, result)
        result.lines = {i: amount for i, amount in result.lines.items() if amount > 0}
        gives_money = not isinstance(offer.discount, Gift | CustomReward)
        if refusal is None and gives_money and result.amount == 0:
            refusal = Refusal(CouponNotApplicableError, "the coupon gives nothing on this order")
        if refusal is not None:
            result.refusal = refusal
            result.lines, result.shipping = {}, 0
            continue
        for index, amount in result.lines.items():
            remaining[index] -= amount
        shipping_left -= result.shipping
        applied.append(offer)
    return [results[i] for i in range(len(offers))]


def _price_one(
    cart: Cart, offer: Offer, remaining: list[int], shipping_left: int, out: Priced
) -> Refusal | None:
    conditions, discount = offer.conditions, offer.discount
    if conditions.min_order is not None:
        if cart.currency != conditions.currency:
            return Refusal(
                CouponCurrencyMismatchError, f"the coupon is for orders in {conditions.currency}"
            )
        if cart.subtotal < conditions.min_order:
            return Refusal(
                CouponMinOrderError,
                f"the order must be at least {conditions.min_order} "
                f"(minor units of {conditions.currency}); it is {cart.subtotal}",
            )
    lines = [i for i in eligible_lines(cart, conditions) if remaining[i] > 0]
    if isinstance(discount, FreeShipping):
        if shipping_left == 0:
            return Refusal(CouponNotApplicableError, "the order has no shipping to take off")
        cap = shipping_left
        if discount.max_amount is not None:
            if discount.currency != cart.currency:
                return Refusal(
                    CouponCurrencyMismatchError,
                    f"the coupon's cap is in {discount.currency}, the order in {cart.currency}",
                )
            cap = min(cap, discount.max_amount)
        out.shipping = cap
        return None
    if isinstance(discount, Gift | CustomReward):
        return None  # no money off: the shop adds the gift or fulfils the reward
    if not lines:
        return Refusal(CouponNoEligibleLinesError, "no line of the order is eligible")
    if isinstance(discount, FixedDiscount):
        if discount.currency != cart.currency:
            return Refusal(
                CouponCurrencyMismatchError, f"the coupon is for orders in {discount.currency}"
            )
        weights = [remaining[i] for i in lines]
        total = min(discount.amount, sum(weights))
        out.lines = dict(zip(lines, allocate(total, weights), strict=True))
        return None
    if isinstance(discount, PercentDiscount):
        weights = [remaining[i] for i in lines]
        total = int(
            (Decimal(sum(weights)) * discount.percent / 100).to_integral_value(ROUND_HALF_UP)
        )
        if discount.max_amount is not None:
            if discount.currency != cart.currency:
                return Refusal(
                    CouponCurrencyMismatchError,
                    f"the coupon's cap is in {discount.currency}, the order in {cart.currency}",
                )
            total = min(total, discount.max_amount)
        out.lines = dict(zip(lines, allocate(total, weights), strict=True))
        return None
    assert isinstance(discount, FreeProduct)
    units = discount.quantity
    for i in lines:
        line = cart.lines[i]
        if line.sku != discount.sku or units <= 0:
            continue
        free = min(units, line.quantity)
        take = min(free * line.unit_price, remaining[i])
        if take > 0:
            out.lines[i] = take
        units -= free
    if not out.lines:
        return Refusal(
            CouponProductMissingError, f"add {discount.sku} to the order to get it for free"
        )
    return None
