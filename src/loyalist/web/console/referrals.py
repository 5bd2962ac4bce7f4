"""Referrals: the funnel, the leaderboard and the review queue.

Guarded as ``/api/v1/referrals*``: the figures and the queue need ``referrals.read``,
approving and rejecting ``referrals.review``. A decision carries a reason code of the
domain's (``DecisionReason``) and is audited by the domain, as through the API.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from fastapi import Depends, Path, Query
from starlette.requests import Request
from starlette.responses import Response

from loyalist.api.deps import app_of, read, require, write
from loyalist.db.uow import UnitOfWork
from loyalist.errors import FieldError, RequestInvalidError
from loyalist.referrals import policy
from loyalist.referrals import service as referrals
from loyalist.referrals.models import DecisionReason, ReferralStatus
from loyalist.referrals.schemas import DecisionIn
from loyalist.staff.models import Permission as P
from loyalist.staff.service import Principal
from loyalist.web.console import kit
from loyalist.web.console.coupons import parsed

router = kit.console_router()
ReferralId = Annotated[int, Path(ge=1, le=2**63 - 1)]
#: The periods the figures can be read for, in days (None: all time).
PERIODS: dict[str, int | None] = {"30": 30, "90": 90, "365": 365, "all": None}
#: Held referrals shown per page of the queue.
QUEUE_PAGE = 50
LEADERS = 10
#: What the reason codes mean, for the reviewer's choice.
REASON_LABELS: dict[DecisionReason, str] = {
    DecisionReason.SIGNALS_EXPLAINED: "Signals explained (household, office network…)",
    DecisionReason.VERIFIED_NEW_CUSTOMER: "Verified: a new customer, another person",
    DecisionReason.SAME_PERSON: "Same person as the referrer",
    DecisionReason.EXISTING_CUSTOMER: "Already a customer",
    DecisionReason.DISPOSABLE_EMAIL: "Disposable e-mail address",
    DecisionReason.REFERRAL_FARMING: "Accounts made to farm rewards",
    DecisionReason.OTHER: "Other (say why in the note)",
}
_REASON_CODES = frozenset(r.value for r in DecisionReason)
#: The funnel's stages as the chart and its table show them.
STAGES = (
    ("shares", "Shares"),
    ("clicks", "Clicks"),
    ("attributed", "Referred friends"),
    ("enrolled", "Referred at sign-up"),
    ("converted", "Converted"),
    ("rewarded", "Rewarded"),
)


@router.get("/referrals", dependencies=[Depends(require(P.REFERRALS_READ))])
async def overview(
    request: Request, period: Annotated[str, Query(pattern="^(30|90|365|all)$")] = "90"
) -> Response:
    """The funnel (a chart with its table) and the leaderboard over the chosen period."""
    days = PERIODS[period]
    end = app_of(request).clock.now()
    start = end - timedelta(days=days) if days is not None else None

    def op(uow: UnitOfWork) -> tuple[dict[str, Any], dict[str, Any]]:
        return (
            referrals.funnel(uow, None, start, None),
            referrals.leaderboard(uow, start, None, LEADERS),
        )

    funnel, leaders = await read(request, op)
    shown = {
        "period": period,
        "periods": list(PERIODS),
        "funnel": funnel,
        "stages": [(key, label, funnel[key]) for key, label in STAGES],
        "statuses": [(s.value, funnel[s.value]) for s in ReferralStatus if s.value in funnel],
        "chart": _funnel_chart(funnel),
        "leaders": leaders["items"],
    }
    return await kit.page(request, "console/referrals/overview.html.j2", shown)


def _funnel_chart(funnel: dict[str, Any]) -> dict[str, Any]:
    """A Chart.js horizontal bar chart of the funnel's stages."""
    return {
        "type": "bar",
        "data": {
            "labels": [label for _, label in STAGES],
            "datasets": [
                {
                    "label": "Referral funnel",
                    "data": [funnel[key] for key, _ in STAGES],
                    "backgroundColor": "#0a58ca",
                }
            ],
        },
        "options": {"indexAxis": "y", "plugins": {"legend": {"display": False}}},
    }


@router.get("/referrals/review", dependencies=[Depends(require(P.REFERRALS_READ))])
async def review_queue(
    request: Request,
    after: Annotated[int | None, Query(ge=0, le=2**63 - 1)] = None,
) -> Response:
    """The referrals held for review, oldest first, with the fraud rules that fired."""

    def op(uow: UnitOfWork) -> list[dict[str, Any]]:
        return referrals.list_referrals(
            uow,
            status=ReferralStatus.REVIEW.value,
            referrer=None,
            after_id=after,
            limit=QUEUE_PAGE,
        )

    held = await read(request, op)
    shown = {
        "held": held,
        "next_after": held[-1]["id"] if len(held) == QUEUE_PAGE else None,
        **_reasons(),
    }
    return await kit.page(request, "console/referrals/review.html.j2", shown)


def _reasons() -> dict[str, Any]:
    return {
        "approval_reasons": [(r.value, REASON_LABELS[r]) for r in policy.APPROVAL_REASONS],
        "rejection_reasons": [(r.value, REASON_LABELS[r]) for r in policy.REJECTION_REASONS],
    }


async def _decide(request: Request, referral_id: int, who: Principal, *, approve: bool) -> Response:
    """A decision from the queue's form: a reason code (required here), a note (the
    reason's label when left empty)."""
    form = await request.form()
    reason = str(form.get("reason", ""))
    if reason not in _REASON_CODES:
        detail = "choose the reason for the decision"
        raise RequestInvalidError(detail, errors=[FieldError("/reason", detail)])
    note = str(form.get("note", "")).strip() or REASON_LABELS[DecisionReason(reason)]
    body = parsed(DecisionIn, {"reason": reason, "note": note})
    program = app_of(request).program

    def op(uow: UnitOfWork) -> dict[str, Any]:
        return referrals.decide(
            uow,
            program,
            referral_id,
            approve=approve,
            note=body.note,
            who=f"staff:{who.name}",
            actor=who.actor,
            reason=body.reason,
        )

    shown = {"referral": await write(request, op), "labels": REASON_LABELS}
    return await kit.page(request, "console/referrals/_decided.html.j2", shown)


@router.post("/referrals/review/{referral_id}/approve")
async def approve(
    referral_id: ReferralId,
    request: Request,
    who: Annotated[Principal, Depends(require(P.REFERRALS_REVIEW))],
) -> Response:
    """Approve a held referral: it goes on, the friend's reward is given."""
    return await _decide(request, referral_id, who, approve=True)


@router.post("/referrals/review/{referral_id}/reject")
async def reject(
    referral_id: ReferralId,
    request: Request,
    who: Annotated[Principal, Depends(require(P.REFERRALS_REVIEW))],
) -> Response:
    """Reject a held referral; nobody is rewarded for it."""
    return await _decide(request, referral_id, who, approve=False)
