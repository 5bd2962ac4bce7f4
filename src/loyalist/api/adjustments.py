"""Maker-checker routes: pending manual adjustments listed, approved (booked then) or
rejected by someone other than who asked."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import BaseModel, ConfigDict, Field
from starlette.responses import Response

from loyalist.api.deps import GuardedRoute, app_of, read, refuse_nul, require, write
from loyalist.api.problems import problem_responses
from loyalist.api.responses import Items, JsonResponse
from loyalist.db.uow import UnitOfWork
from loyalist.ledger import approvals
from loyalist.ledger.errors import (
    AdjustmentDecidedError,
    AdjustmentRequestNotFoundError,
    ApprovalByRequesterError,
    InsufficientPointsError,
)
from loyalist.ledger.models import AdjustmentRequest, AdjustmentState
from loyalist.members import service as members
from loyalist.staff.models import Permission
from loyalist.staff.service import Principal

router = APIRouter(
    prefix="/api/v1", tags=["points"], dependencies=[Depends(refuse_nul)], route_class=GuardedRoute
)

RequestId = Annotated[int, Path(ge=1, le=2**63 - 1, description="the request's id")]


class Rejection(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"reason": "the goodwill was already given by voucher"}]},
    )
    reason: str = Field(min_length=3, max_length=500)


_REQUEST_EXAMPLE: dict[str, Any] = {
    "request_id": 12,
    "member_id": "customer-42",
    "points": 5000,
    "reason": "goodwill: parcel lost by the carrier",
    "state": "approved",
    "requested_by": "Anna Petrova",
    "requested_at": "2026-03-02T09:30:00Z",
    "decided_at": "2026-03-02T11:05:00Z",
    "decision_reason": None,
    "posting_id": 381,
}


class AdjustmentRequestRead(BaseModel):
    """A manual adjustment above the approval threshold, as asked and (once) decided."""

    model_config = ConfigDict(json_schema_extra={"examples": [_REQUEST_EXAMPLE]})

    request_id: int
    member_id: str | None = Field(description="the member's external id (none once erased)")
    points: int = Field(description="points to add (negative: to take away)")
    reason: str
    state: AdjustmentState
    requested_by: str = Field(description="the name of who asked")
    requested_at: datetime
    decided_at: datetime | None
    decision_reason: str | None = Field(description="why it was rejected")
    posting_id: int | None = Field(description="the ledger posting, once approved")


def request_view(request: AdjustmentRequest, member: str | None) -> dict[str, Any]:
    return {
        "request_id": request.id,
        "member_id": member,
        "points": request.points,
        "reason": request.reason,
        "state": request.state,
        "requested_by": request.requested_by_name,
        "requested_at": request.created_at,
        "decided_at": request.decided_at,
        "decision_reason": request.decision_reason,
        "posting_id": request.posting_id,
    }


def decided_view(uow: UnitOfWork, request: AdjustmentRequest) -> dict[str, Any]:
    """One request as the API answers it, after a decision."""
    return request_view(
        request, members.external_ids(uow, [request.member_id]).get(request.member_id)
    )


def request_views(
    uow: UnitOfWork, state: AdjustmentState | None, *, limit: int
) -> list[dict[str, Any]]:
    """Adjustment requests (of ``state``, when given) with their members' external ids,
    oldest first; the API's list and the console's approvals page show the same."""
    found = approvals.list_adjustment_requests(uow, state, limit=limit)
    ids = members.external_ids(uow, {r.member_id for r in found})
    return [request_view(r, ids.get(r.member_id)) for r in found]


@router.get(
    "/points/adjustments",
    response_model=Items[AdjustmentRequestRead],
    dependencies=[Depends(require(Permission.POINTS_APPROVE))],
)
async def list_adjustments(
    request: Request,
    state: AdjustmentState | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> Response:
    """Adjustment requests (``state=pending``: those waiting for approval), oldest first."""
    items = await read(request, lambda uow: request_views(uow, state, limit=limit))
    return JsonResponse({"items": items})


@router.post(
    "/points/adjustments/{request_id}/approve",
    response_model=AdjustmentRequestRead,
    responses=problem_responses(
        AdjustmentRequestNotFoundError,
        ApprovalByRequesterError,
        AdjustmentDecidedError,
        InsufficientPointsError,
    ),
)
async def approve(
    request_id: RequestId,
    request: Request,
    who: Principal = Depends(require(Permission.POINTS_APPROVE)),
) -> Response:
    """Approve someone else's request: the points are booked now, once (a concurrent or
    repeated approval is 409 ``adjustment_decided``); your own is 403
    ``approval_by_requester``."""
    program = app_of(request).program

    def op(uow: UnitOfWork) -> dict[str, Any]:
        decided = approvals.approve_adjustment(uow, request_id, actor=who.actor, program=program)
        return decided_view(uow, decided)

    return JsonResponse(await write(request, op))


@router.post(
    "/points/adjustments/{request_id}/reject",
    response_model=AdjustmentRequestRead,
    responses=problem_responses(
        AdjustmentRequestNotFoundError, ApprovalByRequesterError, AdjustmentDecidedError
    ),
)
async def reject(
    request_id: RequestId,
    body: Rejection,
    request: Request,
    who: Principal = Depends(require(Permission.POINTS_APPROVE)),
) -> Response:
    """Reject someone else's request with a reason; nothing is booked."""

    def op(uow: UnitOfWork) -> dict[str, Any]:
        decided = approvals.reject_adjustment(uow, request_id, actor=who.actor, reason=body.reason)
        return decided_view(uow, decided)

    return JsonResponse(await write(request, op))
