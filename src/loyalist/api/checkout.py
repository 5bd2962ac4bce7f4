"""Checkout routes: quote (writes nothing), holds of points and coupons, confirm, release."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from loyalist.api.coupons import CODE_REFUSALS, guard_of
from loyalist.api.deps import GuardedRoute, app_of, read, read_raw, refuse_nul, require
from loyalist.api.errors import CouponAttemptsLimitedError
from loyalist.api.idempotency import IdempotencyKey, RequiredIdempotencyKey, idempotent
from loyalist.api.problems import problem_responses
from loyalist.api.responses import JsonResponse
from loyalist.checkout import service as checkout
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
from loyalist.checkout.schemas import CheckoutRead, ConfirmIn, HoldIn, Quote, QuoteIn, ReleaseIn
from loyalist.coupons.errors import CouponNotCombinableError
from loyalist.db.raw import RawReader
from loyalist.db.uow import UnitOfWork
from loyalist.errors import DomainError, IdempotencyKeyReusedError
from loyalist.ledger.errors import InsufficientPointsError
from loyalist.members.errors import MemberNotFoundError
from loyalist.staff.models import Permission
from loyalist.staff.service import Principal

router = APIRouter(
    prefix="/api/v1",
    tags=["checkout"],
    dependencies=[Depends(refuse_nul)],
    route_class=GuardedRoute,
)


def _record_failures(request: Request, who: Principal, body: QuoteIn, result: Any) -> None:
    """Typed codes refused for guess-like reasons count against the guessing limits."""
    guard = guard_of(request)
    for entry in result.get("coupons", []):
        if not entry.get("applied"):
            guard.failed(who.ref, body.member_id, entry["code"], entry["reason"])


@router.post(
    "/checkout/quote",
    response_model=Quote,
    responses=problem_responses(
        MemberNotFoundError,
        InsufficientPointsError,
        PointsOutOfRangeError,
        CouponAttemptsLimitedError,
    ),
)
async def quote(
    body: QuoteIn, request: Request, who: Principal = Depends(require(Permission.CHECKOUT_READ))
) -> Response:
    """The cart priced with the typed coupons and the chosen points: discount per line, the
    points range (min, max, step, value), and which of the member's own coupons apply.
    Writes nothing."""
    program = app_of(request).program
    if body.coupons:
        guard_of(request).admit(who.ref, body.member_id, len(body.coupons))

    app = app_of(request)
    now = app.clock.now()

    def op(reader: RawReader) -> dict[str, Any]:
        return checkout.quote(reader, now, body, program, app.db.read)

    result = await read_raw(request, op)
    _record_failures(request, who, body, result)
    return JsonResponse(result)


@router.post(
    "/checkout/holds",
    status_code=201,
    response_model=CheckoutRead,
    responses=problem_responses(
        *CODE_REFUSALS,
        CouponDuplicateError,
        CouponNotCombinableError,
        InsufficientPointsError,
        PointsOutOfRangeError,
        CheckoutEmptyError,
        CheckoutExistsError,
        IdempotencyKeyReusedError,
    ),
)
async def create_hold(
    body: HoldIn,
    request: Request,
    idempotency_key: RequiredIdempotencyKey,
    who: Principal = Depends(require(Permission.CHECKOUT)),
) -> Response:
    """Reserve the chosen points and a use of each coupon until confirmed (here or by the
    order's ``order.paid`` with this ``checkout_id`` or the hold's ``order_id``), released,
    or timed out. The sum of a member's holds never exceeds the balance."""
    program = app_of(request).program
    guard = guard_of(request)
    if body.coupons:
        guard.admit(who.ref, body.member_id, len(body.coupons))

    def op(uow: UnitOfWork) -> dict[str, Any]:
        return checkout.view(uow, checkout.hold(uow, body, program), member=body.member_id)

    try:
        return await idempotent(
            request, "checkout-hold", "", idempotency_key, body.model_dump(mode="json"), 201, op
        )
    except DomainError as exc:
        pointer = exc.errors[0].pointer if exc.errors else ""
        if pointer.startswith("/coupons/"):
            index = int(pointer.rsplit("/", 1)[1])
            guard.failed(who.ref, body.member_id, body.coupons[index], exc.code)
        raise


@router.get(
    "/checkout/holds/{checkout_id}",
    response_model=CheckoutRead,
    dependencies=[Depends(require(Permission.CHECKOUT_READ))],
    responses=problem_responses(CheckoutNotFoundError),
)
async def get_hold(checkout_id: str, request: Request) -> Response:
    """The checkout hold: its status, the points and coupon uses it reserved, and when it
    times out."""

    def op(uow: UnitOfWork) -> dict[str, Any]:
        return checkout.view(uow, checkout.get(uow, checkout_id))

    return JsonResponse(await read(request, op))


@router.post(
    "/checkout/holds/{checkout_id}/confirm",
    response_model=CheckoutRead,
    responses=problem_responses(
        CheckoutNotFoundError,
        CheckoutNotActiveError,
        CheckoutExpiredError,
        CheckoutOrderMismatchError,
        CheckoutExistsError,
        IdempotencyKeyReusedError,
    ),
)
async def confirm_hold(
    checkout_id: str,
    request: Request,
    body: ConfirmIn | None = None,
    idempotency_key: IdempotencyKey = None,
    who: Principal = Depends(require(Permission.CHECKOUT)),
) -> Response:
    """Spend the held points and redeem the reserved coupons. Repeat-safe; 409 once
    released or timed out."""
    program = app_of(request).program
    order_id = body.order_id if body else None

    def op(uow: UnitOfWork) -> dict[str, Any]:
        return checkout.view(
            uow, checkout.confirm(uow, checkout_id, order_id=order_id, program=program)
        )

    return await idempotent(
        request, "checkout-confirm", checkout_id, idempotency_key, {"order_id": order_id}, 200, op
    )


@router.post(
    "/checkout/holds/{checkout_id}/release",
    response_model=CheckoutRead,
    responses=problem_responses(
        CheckoutNotFoundError, CheckoutNotActiveError, IdempotencyKeyReusedError
    ),
)
async def release_hold(
    checkout_id: str,
    request: Request,
    body: ReleaseIn | None = None,
    idempotency_key: IdempotencyKey = None,
    who: Principal = Depends(require(Permission.CHECKOUT)),
) -> Response:
    """Give the points and coupon uses back. Repeat-safe; 409 once confirmed."""
    reason = body.reason if body else None

    def op(uow: UnitOfWork) -> dict[str, Any]:
        return checkout.view(uow, checkout.release(uow, checkout_id, reason=reason))

    return await idempotent(
        request, "checkout-release", checkout_id, idempotency_key, {"reason": reason}, 200, op
    )
