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
from loyalist.api.responses import JsonResponse
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
from loyalist.members import service as members
from loyalist.members.errors import MemberNotFoundError
from loyalist.staff.models import Permission
from loyalist.staff.service import Principal

router = APIRouter(
    prefix="/api/v1", tags=["points"], dependencies=[Depends(refuse_nul)], route_class=GuardedRoute
)


class Redemption(BaseModel):
    model_config = ConfigDict(extra="forbid")
    points: int = Field(gt=0, le=10**9)
    reference: str | None = Field(default=None, max_length=200)


class HoldCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    points: int = Field(gt=0, le=10**9)
    reference: str | None = Field(default=None, max_length=200)
    timeout_seconds: int | None = Field(default=None, ge=10, le=7 * 24 * 3600)


class HoldConfirm(BaseModel):
    model_config = ConfigDict(extra="forbid")
    points: int | None = Field(default=None, gt=0, le=10**9)


class Adjustment(BaseModel):
    model_config = ConfigDict(extra="forbid")
    points: int = Field(ge=-(10**9), le=10**9)
    reason: str = Field(min_length=1, max_length=500)


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
    responses=problem_responses(MemberNotFoundError),
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
    responses=problem_responses(MemberNotFoundError, CursorInvalidError),
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
        MemberNotFoundError, InsufficientPointsError, IdempotencyKeyReusedError
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
        MemberNotFoundError, InsufficientPointsError, IdempotencyKeyReusedError
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
    responses=problem_responses(HoldNotFoundError),
)
async def get_hold(hold_id: str, request: Request) -> Response:
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
    responses=problem_responses(HoldNotFoundError, HoldNotActiveError, IdempotencyKeyReusedError),
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
    responses={
        202: {"description": "above the approval threshold: a pending request, not booked"},
        **problem_responses(
            MemberNotFoundError,
            AdjustmentInvalidError,
            InsufficientPointsError,
            IdempotencyKeyReusedError,
        ),
    },
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


@router.get("/points/liability", dependencies=[Depends(require(Permission.ANALYTICS_READ))])
async def get_liability(request: Request) -> Response:
    """Outstanding points (available + pending + held) from the system accounts."""
    return JsonResponse(await read(request, balances.liability))
