"""Points routes: balances, history, redemptions, holds, adjustments, liability."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, ConfigDict, Field
from starlette.responses import Response

from loyalist.api.adjustments import request_view
from loyalist.api.deps import GuardedRoute, MemberId, app_of, read, read_raw, refuse_nul, require
from loyalist.api.errors import CursorInvalidError
from loyalist.api.idempotency import IdempotencyKey, RequiredIdempotencyKey, idempotent
from loyalist.api.paging import make_cursor, parse_cursor
from loyalist.api.problems import problem_responses
from loyalist.api.responses import JsonResponse, success
from loyalist.db.raw import RawReader
from loyalist.db.uow import UnitOfWork
from loyalist.errors import IdempotencyKeyReusedError
from loyalist.ledger import approvals, balances, service
from loyalist.ledger.errors import (
    AdjustmentInvalidError,
    HoldExpiredError,
    HoldNotActiveError,
    HoldNotFoundError,
    InsufficientPointsError,
    PointsAmountInvalidError,
)
from loyalist.ledger.models import Hold
from loyalist.ledger.policy import needs_approval
from loyalist.ledger.schemas import (
    AdjustmentRead,
    AdjustmentRequestRead,
    HistoryPage,
    HoldRead,
    Liability,
    PointsBalance,
    SpendRead,
)
from loyalist.members import service as members
from loyalist.members.errors import MemberNotFoundError
from loyalist.staff.models import Permission
from loyalist.staff.service import Principal

router = APIRouter(
    prefix="/api/v1", tags=["points"], dependencies=[Depends(refuse_nul)], route_class=GuardedRoute
)


class Redemption(BaseModel):
    """Points to spend at once, with the shop's reference (an order or cart id)."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"points": 200, "reference": "cart-7"}]}
    )
    points: int = Field(gt=0, le=10**9)
    reference: str | None = Field(default=None, max_length=200)


class HoldCreate(BaseModel):
    """Points to reserve; ``timeout_seconds`` overrides the program's hold time-out."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"points": 200, "reference": "cart-7", "timeout_seconds": 900}]
        },
    )
    points: int = Field(gt=0, le=10**9)
    reference: str | None = Field(default=None, max_length=200)
    timeout_seconds: int | None = Field(default=None, ge=10, le=7 * 24 * 3600)


class HoldConfirm(BaseModel):
    """Spend only ``points`` of the hold (the rest goes back); no body: all of it."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"points": 80}]})
    points: int | None = Field(default=None, gt=0, le=10**9)


class Adjustment(BaseModel):
    """A signed correction and why (kept in the ledger and the audit trail)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"points": -150, "reason": "duplicate credit"}]},
    )
    points: int = Field(ge=-(10**9), le=10**9)
    reason: str = Field(min_length=1, max_length=500)


_AT = "2026-01-15T12:00:00Z"
_BALANCE = {
    "member_id": "M1",
    "available": 300,
    "pending": 110,
    "on_hold": 200,
    "debt": 0,
    "lifetime_earned": 610,
    "spent": 0,
    "expired": 0,
    "reversed": 0,
    "next_expiry": {"at": "2027-02-01T00:00:00Z", "on": "2027-02-01", "points": 300},
}
_HISTORY = {
    "items": [
        {
            "id": 2,
            "at": _AT,
            "recorded_at": _AT,
            "kind": "hold",
            "points": -200,
            "change": {"available": -200, "pending": 0, "held": 200},
            "reason": {"code": "hold", "params": {"reference": "cart-7"}},
            "text": "\u2212200 points reserved at checkout",
            "hold_id": "hld_673b75d79c21e52dacdf543e",
            "issuer": None,
            "rule_version_id": None,
        },
        {
            "id": 1,
            "at": _AT,
            "recorded_at": _AT,
            "kind": "earn",
            "points": 110,
            "change": {"available": 0, "pending": 110, "held": 0},
            "reason": {"code": "earn_order", "params": {"order_id": "1043"}},
            "text": "+110 points for order 1043",
            "hold_id": None,
            "issuer": None,
            "rule_version_id": 3,
        },
    ],
    "next_before": "2026-01-15T12:00:00Z~1",
}
_HOLD = {
    "id": "hld_673b75d79c21e52dacdf543e",
    "member_id": "M1",
    "points": 200,
    "confirmed_points": 0,
    "status": "active",
    "reference": "cart-7",
    "created_at": _AT,
    "expires_at": "2026-01-15T12:15:00Z",
    "settled_at": None,
}
_CONFIRMED = _HOLD | {"confirmed_points": 80, "status": "confirmed", "settled_at": _AT}
_RELEASED = _HOLD | {"status": "released", "settled_at": _AT}
_SPEND = {"posting_id": 7, "member_id": "M1", "points": 200, "reference": "cart-7"}
_ADJUSTED = {
    "posting_id": 8,
    "member_id": "M1",
    "points": -150,
    "reason": "duplicate credit",
    "issuer": "api-key:shop admin",
}
_REQUESTED = {
    "request_id": 4,
    "member_id": "M1",
    "points": 5000,
    "reason": "compensation for a lost parcel",
    "state": "pending",
    "requested_by": "api-key:shop admin",
    "requested_at": _AT,
    "decided_at": None,
    "decision_reason": None,
    "posting_id": None,
}
_LIABILITY = {
    "outstanding_points": 460,
    "system_accounts": {
        "system.issued": -500,
        "system.redeemed": 40,
        "system.expired": 0,
        "system.reversed": 0,
        "system.adjusted": 0,
        "system.erased": 0,
    },
    "as_of": _AT,
}


def hold_view(hold: Hold, member_external_id: str | None = None) -> dict[str, Any]:
    return {
        "id": hold.id,
        "member_id": member_external_id,
        "points": hold.amount,
        "confirmed_points": hold.confirmed_amount,
        "status": hold.status,
        "reference": hold.reference,
        "created_at": hold.created_at,
        "expires_at": hold.expires_at,
        "settled_at": hold.settled_at,
    }


@router.get(
    "/members/{member_id}/points",
    dependencies=[Depends(require(Permission.POINTS_READ))],
    responses=problem_responses(
        MemberNotFoundError, success={200: success(PointsBalance, _BALANCE, "The balance")}
    ),
)
async def get_points(member_id: MemberId, request: Request) -> Response:
    """Available, pending, on hold, lifetime earned, spent, expired and the next expiry."""
    program = app_of(request).program

    def op(reader: RawReader) -> dict[str, Any]:
        member_pk = members.get_member_id(reader, member_id)
        return {"member_id": member_id, **balances.points_summary(reader, member_pk, program)}

    return JsonResponse(await read_raw(request, op))


@router.get(
    "/members/{member_id}/points/history",
    dependencies=[Depends(require(Permission.POINTS_READ))],
    responses=problem_responses(
        MemberNotFoundError,
        CursorInvalidError,
        success={200: success(HistoryPage, _HISTORY, "A page of history")},
    ),
)
async def get_history(
    member_id: MemberId,
    request: Request,
    locale: Annotated[str | None, Query(description="en or ru; default: the member's")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    before: Annotated[str | None, Query(description="next_before of the last page")] = None,
) -> Response:
    """Entries newest first, each with a reason rendered in the member's language."""
    cursor = parse_cursor(before)

    def op(uow: UnitOfWork) -> dict[str, Any]:
        member = members.get_member(uow, member_id)
        items = balances.history(
            uow, member.id, locale or member.locale, limit=limit, before=cursor
        )
        last = items[-1] if len(items) == limit else None
        return {
            "items": items,
            "next_before": make_cursor(last["at"], last["id"]) if last else None,
        }

    return JsonResponse(await read(request, op))


@router.post(
    "/members/{member_id}/points/redemptions",
    status_code=201,
    responses=problem_responses(
        MemberNotFoundError,
        InsufficientPointsError,
        IdempotencyKeyReusedError,
        success={201: success(SpendRead, _SPEND, "Spent (or the replay of the first answer)")},
    ),
)
async def post_redemption(
    member_id: MemberId,
    body: Redemption,
    request: Request,
    idempotency_key: RequiredIdempotencyKey,
    who: Principal = Depends(require(Permission.CHECKOUT)),
) -> Response:
    """Spend points at once (earliest-expiring first). 409 ``insufficient_points``."""

    def op(uow: UnitOfWork) -> dict[str, Any]:
        member_pk = members.get_member_id(uow, member_id)
        posting_id = service.spend_points(
            uow, member_pk, body.points, reason_params={"reference": body.reference}
        )
        return {
            "posting_id": posting_id,
            "member_id": member_id,
            "points": body.points,
            "reference": body.reference,
        }

    return await idempotent(
        request, "redeem", member_id, idempotency_key, body.model_dump(), 201, op
    )


@router.post(
    "/members/{member_id}/points/holds",
    status_code=201,
    responses=problem_responses(
        MemberNotFoundError,
        InsufficientPointsError,
        IdempotencyKeyReusedError,
        success={201: success(HoldRead, _HOLD, "Held (or the replay of the first answer)")},
    ),
)
async def post_hold(
    member_id: MemberId,
    body: HoldCreate,
    request: Request,
    idempotency_key: RequiredIdempotencyKey,
    who: Principal = Depends(require(Permission.CHECKOUT)),
) -> Response:
    """Reserve points for a checkout until confirmed, released or timed out."""
    program = app_of(request).program
    timeout = timedelta(seconds=body.timeout_seconds or program.hold_timeout_minutes * 60)

    def op(uow: UnitOfWork) -> dict[str, Any]:
        member_pk = members.get_member_id(uow, member_id)
        hold = service.hold_points(
            uow, member_pk, body.points, timeout=timeout, reference=body.reference
        )
        return hold_view(hold, member_id)

    return await idempotent(request, "hold", member_id, idempotency_key, body.model_dump(), 201, op)


@router.get(
    "/points/holds/{hold_id}",
    dependencies=[Depends(require(Permission.POINTS_READ))],
    responses=problem_responses(HoldNotFoundError, success={200: success(HoldRead, _HOLD)}),
)
async def get_hold(hold_id: str, request: Request) -> Response:
    """A hold and its state (``active`` until confirmed, released or timed out)."""

    def op(uow: UnitOfWork) -> dict[str, Any]:
        hold = service.get_hold(uow, hold_id)
        return hold_view(hold, members.external_ids(uow, [hold.member_id]).get(hold.member_id))

    return JsonResponse(await read(request, op))


@router.post(
    "/points/holds/{hold_id}/confirm",
    responses=problem_responses(
        HoldNotFoundError,
        HoldNotActiveError,
        HoldExpiredError,
        PointsAmountInvalidError,
        IdempotencyKeyReusedError,
        success={200: success(HoldRead, _CONFIRMED, "Confirmed (again: the same answer)")},
    ),
)
async def confirm_hold(
    hold_id: str,
    request: Request,
    body: HoldConfirm | None = None,
    idempotency_key: IdempotencyKey = None,
    who: Principal = Depends(require(Permission.CHECKOUT)),
) -> Response:
    """Spend the held points (or ``points`` of them, releasing the rest). Repeat-safe."""
    program = app_of(request).program
    amount = body.points if body else None

    def op(uow: UnitOfWork) -> dict[str, Any]:
        hold = service.confirm_hold(uow, hold_id, amount=amount, program=program)
        return hold_view(hold, members.external_ids(uow, [hold.member_id]).get(hold.member_id))

    return await idempotent(
        request, "confirm", hold_id, idempotency_key, {"points": amount}, 200, op
    )


@router.post(
    "/points/holds/{hold_id}/release",
    responses=problem_responses(
        HoldNotFoundError,
        HoldNotActiveError,
        IdempotencyKeyReusedError,
        success={200: success(HoldRead, _RELEASED, "Released (again: the same answer)")},
    ),
)
async def release_hold(
    hold_id: str,
    request: Request,
    idempotency_key: IdempotencyKey = None,
    who: Principal = Depends(require(Permission.CHECKOUT)),
) -> Response:
    """Give the held points back. Repeat-safe; 409 once confirmed."""

    def op(uow: UnitOfWork) -> dict[str, Any]:
        hold = service.release_hold(uow, hold_id)
        return hold_view(hold, members.external_ids(uow, [hold.member_id]).get(hold.member_id))

    return await idempotent(request, "release", hold_id, idempotency_key, {}, 200, op)


@router.post(
    "/members/{member_id}/points/adjustments",
    status_code=201,
    responses=problem_responses(
        MemberNotFoundError,
        AdjustmentInvalidError,
        InsufficientPointsError,
        IdempotencyKeyReusedError,
        success={
            201: success(AdjustmentRead, _ADJUSTED, "Booked"),
            202: success(
                AdjustmentRequestRead,
                _REQUESTED,
                "Above the approval threshold: a pending request, not booked",
            ),
        },
    ),
)
async def post_adjustment(
    member_id: MemberId,
    body: Adjustment,
    request: Request,
    idempotency_key: RequiredIdempotencyKey,
    who: Principal = Depends(require(Permission.POINTS_ADJUST)),
) -> Response:
    """A manual correction with a reason; the API key's name is recorded as the issuer,
    and the adjustment in the audit trail (``points.adjusted``). One larger (either way)
    than the program's ``adjustment_approval_threshold`` is not booked: it answers 202
    with a pending request (``request_id``) that another person with ``points.approve``
    approves or rejects (``/api/v1/points/adjustments/{id}/approve`` or ``/reject``)."""
    program = app_of(request).program
    issuer = f"api-key:{who.name}"

    def op(uow: UnitOfWork) -> dict[str, Any]:
        done = approvals.adjust_or_request(
            uow, members.get_member_id(uow, member_id), body.points, reason=body.reason,
            actor=who.actor, name=issuer, target=member_id, idempotency_key=idempotency_key,
            program=program,
        )  # fmt: skip
        if done.request is not None:
            return request_view(done.request, member_id)
        return {
            "posting_id": done.posting_id,
            "member_id": member_id,
            "points": body.points,
            "reason": body.reason,
            "issuer": issuer,
        }

    status = 202 if needs_approval(body.points, program) else 201
    return await idempotent(
        request, "adjust", member_id, idempotency_key, body.model_dump(), status, op
    )


@router.get(
    "/points/liability",
    dependencies=[Depends(require(Permission.ANALYTICS_READ))],
    responses={200: success(Liability, _LIABILITY, "The liability now")},
)
async def get_liability(request: Request) -> Response:
    """Outstanding points (available + pending + held) from the system accounts."""
    return JsonResponse(await read(request, balances.liability))
