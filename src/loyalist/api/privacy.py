"""Privacy routes: a member's export bundle and erasure, the destruction records.

Guarded by ``privacy.requests`` (``staff.models.Permission.PRIVACY_REQUESTS``).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Depends, Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from loyalist.api.deps import GuardedRoute, MemberId, app_of, read, refuse_nul, require, write
from loyalist.api.errors import CursorInvalidError
from loyalist.api.paging import make_cursor, parse_cursor
from loyalist.api.problems import problem_responses
from loyalist.api.responses import JsonResponse, success
from loyalist.db.uow import UnitOfWork
from loyalist.members.errors import MemberNotFoundError
from loyalist.privacy import service as privacy
from loyalist.privacy.schemas import (
    DestructionRecordPage,
    DestructionRecordRead,
    ErasureIn,
    MemberExport,
)
from loyalist.staff.models import Permission
from loyalist.staff.service import Principal

router = APIRouter(
    prefix="/api/v1", tags=["privacy"], dependencies=[Depends(refuse_nul)], route_class=GuardedRoute
)


_AT = "2026-01-15T12:00:00Z"
_RECORD = {
    "id": 3,
    "subject": "erased-7f3a9c2e51d04b8e",
    "kind": "request",
    "legal_basis": "subject_request",
    "reference": "DSR-2026-0042",
    "note": "the member asked by e-mail on 2026-01-14",
    "categories": {"profile": ["email", "first_name", "last_name", "phone"], "devices": 1},
    "method": "overwritten and deleted in the database",
    "points_closed": 420,
    "actor": {"kind": "api_key", "id": "4", "label": "privacy officer"},
    "audit_seq": 118,
    "performed_at": _AT,
}
_EXPORT = {
    "format": "loyalist.member-export",
    "version": 1,
    "generated_at": _AT,
    "member": {"id": "M1", "erased_at": None, "profile": {"email": "anna@example.com"}},
    "consents": {"purposes": [], "changes": [], "topics": [], "topic_changes": []},
    "ledger": {"summary": {"available": 420}, "balance": {}, "entries": [], "lots": []},
    "events": [],
    "orders": [],
    "reviews": [],
    "survey_answers": [],
    "checkouts": [],
    "coupons": {"codes": [], "redemptions": [], "uses": []},
    "rewards": {"redemptions": []},
    "referrals": {"code": None, "referred_by": None, "referred": []},
    "messages": [],
    "suppressions": [],
    "gamification": {"statistics": {}, "badges": [], "quests": [], "streaks": []},
    "tiers": {"current": None, "memberships": [], "changes": [], "credits": []},
    "rules": {"counters": [], "triggers": [], "order_statistics": []},
    "insights": {"segments": [], "scores": None},
    "audit": [],
    "destruction_record": None,
}


#: Exports, erasures and their records are the privacy officer's (or an admin's) work.
PrivacyOfficer = Annotated[Principal, Depends(require(Permission.PRIVACY_REQUESTS))]


@router.post(
    "/members/{member_id}/privacy/export",
    responses=problem_responses(
        MemberNotFoundError,
        success={
            200: success(MemberExport, _EXPORT, "The export bundle (docs/privacy.md, version 1)")
        },
    ),
)
async def export_member(member_id: MemberId, request: Request, who: PrivacyOfficer) -> Response:
    """Everything held about the member as one JSON document (format
    `loyalist.member-export`, version 1): profile, consents with their trail, ledger,
    events, orders, reviews, survey answers, checkouts, coupons, rewards, referrals,
    messages, gamification, tiers, scores and segments, devices (tokens masked), the audit
    rows about the member. Recorded in the audit trail (`privacy.export`). After an
    erasure the member's former id still answers, with no personal data left in it."""
    actor = who.actor
    document = await write(request, lambda uow: privacy.export_member(uow, member_id, actor))
    return JsonResponse(document, headers={"Cache-Control": "no-store"})


@router.post(
    "/members/{member_id}/privacy/erasure",
    response_model=DestructionRecordRead,
    responses=problem_responses(
        MemberNotFoundError,
        success={
            200: success(None, _RECORD, "Erased before: the same record"),
            201: success(DestructionRecordRead, _RECORD, "Erased"),
        },
    ),
)
async def erase_member(
    member_id: MemberId,
    request: Request,
    who: PrivacyOfficer,
    body: Annotated[ErasureIn | None, Body()] = None,
) -> Response:
    """Erase the member's personal data, keeping the books exact: profile, devices,
    message contents, stored event data and free text are destroyed, unspent points are
    closed by an `erasure` ledger entry, the member keeps only an opaque id; a destruction
    record (the act) is written and answered (201). Repeating the request answers the same
    record (200). Later events and changes for the member's id are refused
    (`member_erased`); `GET /api/v1/members/{id}` answers `member_not_found`."""
    actor = who.actor
    record, created = await write(
        request, lambda uow: privacy.erase_member(uow, member_id, body or ErasureIn(), actor)
    )
    if created:
        await run_in_threadpool(app_of(request).db.checkpoint)
    return JsonResponse(record.model_dump(mode="json"), status_code=201 if created else 200)


@router.get(
    "/privacy/destruction-records",
    response_model=DestructionRecordPage,
    dependencies=[Depends(require(Permission.PRIVACY_REQUESTS))],
    responses=problem_responses(
        CursorInvalidError,
        success={200: success(None, {"items": [_RECORD], "next_before": None}, "A page")},
    ),
)
async def list_destruction_records(
    request: Request,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    before: Annotated[str | None, Query(description="cursor from next_before")] = None,
) -> DestructionRecordPage:
    """The destruction records (what was destroyed of whom, how, when, by whom and on
    what ground), newest first; page with `before`."""
    cursor = parse_cursor(before)

    def op(uow: UnitOfWork) -> DestructionRecordPage:
        items, after = privacy.destruction_records(uow, limit=limit, before=cursor)
        return DestructionRecordPage(
            items=items, next_before=make_cursor(*after) if after else None
        )

    return await read(request, op)
