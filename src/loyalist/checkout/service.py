"""Checkout use cases: quote (writes nothing), hold, confirm, release, time-out, and what
payment, cancellation and returns of the order do to a hold.

Locks are taken member first (the ledger's balance row), then the checkout row, in every
path (API, worker, event handlers), so two paths never wait on each other in a circle.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from loyalist.checkout import policy, repository
from loyalist.checkout.errors import (
    CheckoutEmptyError,
    CheckoutExistsError,
    CheckoutExpiredError,
    CheckoutNotActiveError,
    CheckoutNotFoundError,
    CheckoutOrderMismatchError,
    CouponDuplicateError,
    PointsOutOfRangeError,
)
from loyalist.checkout.models import Checkout, CheckoutStatus
from loyalist.checkout.policy import PointsRange
from loyalist.checkout.schemas import HoldIn, QuoteIn
from loyalist.coupons import policy as coupon_policy
from loyalist.coupons import service as coupons
from loyalist.coupons import validation
from loyalist.coupons.codes import normalize
from loyalist.coupons.errors import CouponNotFoundError
from loyalist.coupons.models import RedemptionStatus
from loyalist.coupons.policy import Priced, Refusal
from loyalist.coupons.schemas import Cart
from loyalist.db.raw import Cursor
from loyalist.db.uow import UnitOfWork
from loyalist.errors import FieldError
from loyalist.ledger import balances
from loyalist.ledger import service as ledger
from loyalist.ledger.errors import InsufficientPointsError
from loyalist.ledger.models import HoldStatus
from loyalist.ledger.policy import minor_unit_exponent
from loyalist.members import service as members
from loyalist.settings import ProgramPolicy


# -- pricing ------------------------------------------------------------------------------
@dataclass(slots=True)
class TypedCoupon:
    """One code the customer typed: found and priced, or refused with a reason."""

    text: str
    found: validation.Found | None = None
    priced: Priced | None = None
    refusal: Refusal | None = None


@dataclass(slots=True)
class Pricing:
    cart: Cart
    typed: list[TypedCoupon]
    line_coupon: list[int]
    shipping_coupon: int
    points: PointsRange
    balance: int
    used_points: int = 0
    points_money: int = 0
    line_points: list[int] = field(default_factory=list)
    shipping_points: int = 0

    @property
    def coupon_discount(self) -> int:
        return sum(self.line_coupon) + self.shipping_coupon

    @property
    def total(self) -> int:
        return self.cart.subtotal + self.cart.shipping - self.coupon_discount - self.points_money

    @property
    def applied(self) -> list[TypedCoupon]:
        return [t for t in self.typed if t.priced is not None and t.priced.refusal is None]


def point_value(program: ProgramPolicy, currency: str) -> Decimal | None:
    """Minor units of ``currency`` a point pays for."""
    whole = program.point_value_in(currency)
    return None if whole is None else whole * (10 ** minor_unit_exponent(currency))


def price(
    reader: Cursor,
    now: datetime,
    request: QuoteIn,
    program: ProgramPolicy,
    *,
    balance: int,
    audience: validation.Audience,
) -> Pricing:
    """Apply the typed coupons (in stacking order), then work out the points range and the
    chosen points' money, spread over what the lines (and shipping) still cost.

    Raises:
        InvalidRequestError: ``points`` outside the allowed range (``points_out_of_range``).
    """
    cart = request.cart
    typed: list[TypedCoupon] = []
    seen: set[str] = set()
    for text in request.coupons:
        entry = TypedCoupon(text)
        typed.append(entry)
        body = normalize(text)
        if body in seen:
            entry.refusal = Refusal(CouponDuplicateError, "the code was entered twice")
            continue
        seen.add(body)
        entry.found, entry.refusal = validation.find(reader, now, text, audience)
    candidates = [t for t in typed if t.found is not None]
    for entry, priced in zip(
        candidates,
        coupon_policy.price_cart(cart, [t.found.offer for t in candidates if t.found]),
        strict=True,
    ):
        entry.priced = priced
        entry.refusal = priced.refusal
    line_coupon = [0] * len(cart.lines)
    shipping_coupon = 0
    for entry in typed:
        if entry.priced is not None and entry.priced.refusal is None:
            for index, amount in entry.priced.lines.items():
                line_coupon[index] += amount
            shipping_coupon += entry.priced.shipping
    remaining = [line.amount - line_coupon[i] for i, line in enumerate(cart.lines)]
    shipping_left = cart.shipping - shipping_coupon
    payment = program.points_payment
    payable = sum(remaining) + (shipping_left if payment.include_shipping else 0)
    points_range = policy.points_range(
        payable, balance, point_value(program, cart.currency), payment
    )
    pricing = Pricing(cart, typed, line_coupon, shipping_coupon, points_range, balance)
    chosen = request.points or 0
    if not points_range.allows(chosen) and policy.points_range(
        payable, chosen, point_value(program, cart.currency), payment
    ).allows(chosen):
        raise InsufficientPointsError(f"{chosen} points asked, {balance} available")
    if not points_range.allows(chosen):
        detail = (
            "points cannot pay for this order"
            if points_range.maximum == 0
            else f"use 0 or {points_range.minimum}..{points_range.maximum} points "
            f"in steps of {points_range.step}"
        )
        raise PointsOutOfRangeError(detail, errors=[FieldError("/points", detail)])
    pricing.used_points = chosen
    pricing.points_money = policy.money_for(chosen, points_range.value)
    weights = remaining + ([shipping_left] if payment.include_shipping else [])
    parts = coupon_policy.allocate(pricing.points_money, weights)
    pricing.line_points = parts[: len(remaining)]
    pricing.shipping_points = parts[len(remaining)] if payment.include_shipping else 0
    return pricing


def _coupon_view(entry: TypedCoupon, cart: Cart) -> dict[str, Any]:
    if entry.priced is not None and entry.priced.refusal is None and entry.found is not None:
        return {"applied": True, **validation.priced_view(cart, entry.priced, entry.found.campaign)}
    refusal = entry.refusal or Refusal(CouponNotFoundError, "no such coupon code")
    return {
        "applied": False,
        "code": entry.text,
        "reason": refusal.code,
        "detail": refusal.detail,
    }


def pricing_view(pricing: Pricing) -> dict[str, Any]:
    cart, points = pricing.cart, pricing.points
    return {
        "currency": cart.currency,
        "subtotal": cart.subtotal,
        "shipping": cart.shipping,
        "coupons": [_coupon_view(t, cart) for t in pricing.typed],
        "points": {
            "balance": pricing.balance,
            "min": points.minimum if points.maximum else 0,
            "max": points.maximum,
            "step": points.step,
            "value_per_point": str(points.value.normalize()),
            "max_discount": policy.money_for(points.maximum, points.value),
            "used": pricing.used_points,
            "discount": pricing.points_money,
        },
        "lines": [
            {
                "index": i,
                "sku": line.sku,
                "amount": line.amount,
                "coupon_discount": pricing.line_coupon[i],
                "points_discount": pricing.line_points[i],
                "total": line.amount - pricing.line_coupon[i] - pricing.line_points[i],
            }
            for i, line in enumerate(cart.lines)
        ],
        "shipping_discount": pricing.shipping_coupon + pricing.shipping_points,
        "discount_total": pricing.coupon_discount + pricing.points_money,
        "total": pricing.total,
    }


def _member_offers(
    reader: Cursor,
    now: datetime,
    member_id: int,
    request: QuoteIn,
    audience: validation.Audience,
) -> list[dict[str, Any]]:
    """The member's own usable coupons (rewards, rule grants), each priced alone."""
    typed = {normalize(t) for t in request.coupons}
    out = []
    for code in validation.personal_codes(reader, member_id):
        if code in typed:
            continue
        found, _ = validation.find(reader, now, code, audience)
        if found is None:
            continue  # expired, used up, paused: not on offer
        (priced,) = coupon_policy.price_cart(request.cart, [found.offer])
        entry: dict[str, Any] = {
            "code": code,
            "campaign": found.campaign.key,
            "name": found.campaign.name,
            "valid_until": found.code.valid_until,
        }
        if priced.refusal is None:
            out.append(entry | {"applicable": True, "discount": priced.amount})
        else:
            out.append(entry | {"applicable": False, "reason": priced.refusal.code})
    return out


def quote(
    reader: Cursor,
    now: datetime,
    request: QuoteIn,
    program: ProgramPolicy,
    read: Callable[[Callable[[UnitOfWork], Any]], Any],
) -> dict[str, Any]:
    """What the cart costs with the typed coupons and the chosen points, the points range,
    and which of the member's own coupons would apply. Writes nothing; on the raw read
    path (``read`` runs the rare reads that need a unit: a gated campaign's tier check).

    Raises:
        NotFoundError: unknown member. InvalidRequestError: points out of range.
    """
    member_id = members.get_member_id(reader, request.member_id)
    audience = validation.deferred_audience(member_id, program.zone, read)
    balance = balances.available_points(reader, member_id)
    pricing = price(reader, now, request, program, balance=balance, audience=audience)
    return {
        "member_id": request.member_id,
        **pricing_view(pricing),
        "available_coupons": _member_offers(reader, now, member_id, request, audience),
    }


# -- holds --------------------------------------------------------------------------------
def hold(uow: UnitOfWork, request: HoldIn, program: ProgramPolicy) -> Checkout:
    """Reserve the chosen points (a ledger hold) and a use of each typed coupon.

    Raises:
        NotFoundError / ConflictError / InvalidRequestError: the first coupon that does not
        apply (pointer ``/coupons/<i>``); ``insufficient_points``; ``points_out_of_range``;
        ``checkout_empty`` (neither points nor coupons); ``checkout_exists`` (the order
        already has an active or confirmed checkout).
    """
    member_id = members.get_member_id(uow, request.member_id)
    ledger.lock(uow, [member_id])
    if request.order_id is not None and repository.open_for_order(uow.session, request.order_id):
        raise CheckoutExistsError(f"order {request.order_id} already has a checkout hold")
    pricing = price(
        uow,
        uow.now,
        request,
        program,
        balance=ledger.available_now(uow, member_id),
        audience=validation.audience_of(uow, member_id, program.zone),
    )
    for index, entry in enumerate(pricing.typed):
        if entry.refusal is not None:
            raise validation.refusal_error(entry.refusal, f"/coupons/{index}")
    if not pricing.used_points and not pricing.applied:
        raise CheckoutEmptyError("a hold needs points or a coupon", errors=[FieldError("", "")])
    checkout_id = f"chk_{secrets.token_hex(12)}"
    timeout = timedelta(seconds=request.timeout_seconds or program.hold_timeout_minutes * 60)
    point_hold = None
    if pricing.used_points:
        point_hold = ledger.hold_points(
            uow, member_id, pricing.used_points, timeout=timeout, reference=checkout_id
        )
    for entry in pricing.applied:
        assert entry.found is not None
        assert entry.priced is not None
        coupons.take(
            uow,
            entry.found,
            entry.priced,
            member_id=member_id,
            currency=request.cart.currency,
            order_id=request.order_id,
            checkout_id=checkout_id,
            status=RedemptionStatus.RESERVED,
        )
    checkout = Checkout(
        id=checkout_id,
        member_id=member_id,
        status=CheckoutStatus.ACTIVE,
        currency=request.cart.currency,
        cart={**request.cart.model_dump(mode="json"), "coupons": request.coupons},
        subtotal=request.cart.subtotal,
        shipping=request.cart.shipping,
        coupon_discount=pricing.coupon_discount,
        points=pricing.used_points,
        points_discount=pricing.points_money,
        total=pricing.total,
        point_hold_id=None if point_hold is None else point_hold.id,
        order_id=request.order_id,
        reference=request.reference,
        created_at=uow.now,
        expires_at=uow.now + timeout,
        settled_at=None,
        refunded_points=0,
    )
    uow.session.add(checkout)
    uow.state[_ANY_OPEN] = True
    uow.session.flush()
    return checkout


_ANY_OPEN = "checkout.any_open"


def any_open(uow: UnitOfWork) -> bool:
    """Whether any checkout is active or confirmed (asked once per unit of work: the order
    facts of a unit without any skip every checkout lookup)."""
    found = uow.state.get(_ANY_OPEN)
    if found is None:
        found = uow.state[_ANY_OPEN] = repository.has_open(uow.session)
    return bool(found)


def get(uow: UnitOfWork, checkout_id: str) -> Checkout:
    found = uow.session.get(Checkout, checkout_id)
    if found is None:
        raise CheckoutNotFoundError(f"checkout {checkout_id!r} does not exist")
    return found


def lock_checkout(uow: UnitOfWork, checkout_id: str) -> Checkout:
    """The checkout, locked after its member (the one lock order).

    Raises:
        NotFoundError: no such checkout.
    """
    member_id = repository.member_of(uow, checkout_id)
    if member_id is None:
        raise CheckoutNotFoundError(f"checkout {checkout_id!r} does not exist")
    ledger.lock(uow, [member_id])
    locked = repository.lock(uow.session, checkout_id)
    assert locked is not None
    return locked


def confirm(
    uow: UnitOfWork, checkout_id: str, *, order_id: str | None, program: ProgramPolicy
) -> Checkout:
    """Spend the held points and turn reserved coupon uses into redemptions. Confirming a
    confirmed checkout again (same order) changes nothing.

    Raises:
        NotFoundError; ConflictError ``checkout_not_active`` (released or timed out),
        ``checkout_expired`` (past its time-out), ``checkout_order_mismatch``.
    """
    checkout = lock_checkout(uow, checkout_id)
    if checkout.status == CheckoutStatus.CONFIRMED:
        if order_id is not None and checkout.order_id not in (None, order_id):
            raise CheckoutOrderMismatchError(
                f"checkout {checkout_id} was confirmed for order {checkout.order_id}"
            )
        return checkout
    if checkout.status != CheckoutStatus.ACTIVE:
        raise CheckoutNotActiveError(f"checkout {checkout_id} is {checkout.status}")
    if checkout.expires_at <= uow.now:
        raise CheckoutExpiredError(
            f"checkout {checkout_id} timed out at {checkout.expires_at.isoformat()}"
        )
    if order_id is not None and checkout.order_id not in (None, order_id):
        raise CheckoutOrderMismatchError(f"checkout {checkout_id} is for order {checkout.order_id}")
    if (
        order_id is not None
        and checkout.order_id is None
        and repository.open_for_order(uow.session, order_id, besides=checkout_id)
    ):
        raise CheckoutExistsError(f"order {order_id} already has a checkout hold")
    confirm_locked(uow, checkout, order_id or checkout.order_id, program)
    return checkout


def confirm_locked(
    uow: UnitOfWork, checkout: Checkout, order_id: str | None, program: ProgramPolicy
) -> None:
    """Spend the hold and redeem its coupon uses (the checkout is locked and active)."""
    if checkout.point_hold_id is not None:
        ledger.confirm_hold(uow, checkout.point_hold_id, program=program)
    if _has_coupons(checkout):
        coupons.settle_checkout(uow, checkout.id, confirm=True, order_id=order_id, reason="")
    checkout.status = CheckoutStatus.CONFIRMED
    checkout.order_id = order_id
    checkout.settled_at = uow.now
    uow.session.flush()


def release(
    uow: UnitOfWork,
    checkout_id: str,
    *,
    reason: str | None = None,
    status: CheckoutStatus = CheckoutStatus.RELEASED,
) -> Checkout:
    """Give the points and coupon uses back. Releasing a released checkout is a no-op.

    Raises:
        NotFoundError; ConflictError ``checkout_not_active`` once confirmed.
    """
    checkout = lock_checkout(uow, checkout_id)
    if checkout.status in (CheckoutStatus.RELEASED, CheckoutStatus.TIMED_OUT):
        return checkout
    if checkout.status == CheckoutStatus.CONFIRMED:
        raise CheckoutNotActiveError(
            f"checkout {checkout_id} was confirmed; roll back coupon redemptions or send a "
            "return instead"
        )
    release_locked(uow, checkout, reason or status.value, status)
    return checkout


def release_locked(
    uow: UnitOfWork, checkout: Checkout, reason: str, status: CheckoutStatus
) -> None:
    """Give the points and coupon uses back (the checkout is locked and active)."""
    if checkout.point_hold_id is not None:
        ledger.release_hold(
            uow,
            checkout.point_hold_id,
            status=HoldStatus.TIMED_OUT
            if status == CheckoutStatus.TIMED_OUT
            else HoldStatus.RELEASED,
        )
    if _has_coupons(checkout):
        coupons.settle_checkout(uow, checkout.id, confirm=False, order_id=None, reason=reason)
    checkout.status = status
    checkout.settled_at = uow.now
    uow.session.flush()


def erase_member_checkouts(uow: UnitOfWork, member_ids: Sequence[int]) -> dict[int, int]:
    """The members are being erased: their active checkouts are released (points and coupon
    uses given back) and every checkout of theirs keeps only its amounts and the coupons
    it used, not the cart's lines or the shop's reference. Returns checkouts per member."""
    found = repository.of_members(uow.session, sorted(set(member_ids)))
    cleared: dict[int, int] = {}
    for checkout in found:
        if checkout.status == CheckoutStatus.ACTIVE:
            release_locked(
                uow, lock_checkout(uow, checkout.id), "member erased", CheckoutStatus.RELEASED
            )
        checkout.cart = {"coupons": checkout.cart.get("coupons", [])}
        checkout.reference = None
        cleared[checkout.member_id] = cleared.get(checkout.member_id, 0) + 1
    uow.session.flush()
    return cleared


def retire_order_refs(uow: UnitOfWork, refs: dict[str, str]) -> None:
    """The accounting period of these orders ran out: checkouts name them by the opaque
    ids given (``old -> new``)."""
    repository.rename_orders(uow.session, refs)


def _has_coupons(checkout: Checkout) -> bool:
    return bool(checkout.cart.get("coupons"))


def view(uow: UnitOfWork, checkout: Checkout, *, member: str | None = None) -> dict[str, Any]:
    """The checkout as the API shows it (``member``: its shop id, when the caller knows)."""
    redemptions = coupons.redemptions_of(uow, checkout.id) if _has_coupons(checkout) else ()
    if member is None:
        member = members.external_ids(uow, [checkout.member_id]).get(checkout.member_id)
    return {
        "id": checkout.id,
        "member_id": member,
        "status": checkout.status,
        "order_id": checkout.order_id,
        "reference": checkout.reference,
        "currency": checkout.currency,
        "subtotal": checkout.subtotal,
        "shipping": checkout.shipping,
        "coupon_discount": checkout.coupon_discount,
        "points": checkout.points,
        "points_discount": checkout.points_discount,
        "total": checkout.total,
        "point_hold_id": checkout.point_hold_id,
        "coupons": [coupons.redemption_view(uow, r) for r in redemptions],
        "refunded_points": checkout.refunded_points,
        "created_at": checkout.created_at,
        "expires_at": checkout.expires_at,
        "settled_at": checkout.settled_at,
    }
