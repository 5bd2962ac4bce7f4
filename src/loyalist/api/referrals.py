"""Referral routes: the program, a member's code and link, look-ups for the shop's pages,
clicks and shares, the review queue, the funnel and the ambassador leaderboard."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import AwareDatetime
from starlette.responses import Response

from loyalist.api.deps import GuardedRoute, MemberId, app_of, read, refuse_nul, require, write
from loyalist.api.idempotency import IdempotencyKey, idempotent
from loyalist.api.masking import codes_for
from loyalist.api.problems import problem_responses
from loyalist.api.responses import JsonResponse, success
from loyalist.audit import service as audit
from loyalist.db.uow import UnitOfWork
from loyalist.errors import IdempotencyKeyReusedError
from loyalist.members.errors import MemberNotFoundError
from loyalist.referrals import service as referrals
from loyalist.referrals.errors import (
    ReferralCodeUnavailableError,
    ReferralLinkNotFoundError,
    ReferralNotFoundError,
    ReferralNotInReviewError,
    ReferralProgramInvalidError,
)
from loyalist.referrals.models import ReferralStatus
from loyalist.referrals.schemas import (
    ClickIn,
    ClickRead,
    DecisionIn,
    Funnel,
    Leaderboard,
    MemberReferral,
    ReferralPage,
    ReferralProgramIn,
    ReferralProgramRead,
    ReferralRead,
    Resolution,
    ShareIn,
    ShareRead,
)
from loyalist.staff.models import Permission
from loyalist.staff.service import Principal

router = APIRouter(
    prefix="/api/v1",
    tags=["referrals"],
    dependencies=[Depends(refuse_nul)],
    route_class=GuardedRoute,
)

Code = Annotated[str, Path(min_length=1, max_length=64, description="as the friend typed it")]
Token = Annotated[str, Path(min_length=1, max_length=64, description="the share link's token")]
From = Annotated[AwareDatetime | None, Query(alias="from", description="inclusive")]
To = Annotated[AwareDatetime | None, Query(alias="to", description="exclusive")]


_AT = "2026-01-15T12:00:00Z"
_PROGRAM = {
    "is_active": True,
    "attribution_window_days": 14,
    "friend_reward": {"points": 100, "on": "enrolled"},
    "referrer_reward": {"points": 500},
    "min_order": {"EUR": 5000},
    "milestones": [],
    "fraud": {
        "self_referral": {"action": "block", "signal_window_days": 30},
        "existing_customer": {"action": "block"},
        "disposable_email": {"action": "block"},
        "velocity": {"action": "review", "max_referrals": 3, "days": 7},
        "similar_identity": {"action": "review", "threshold": 90},
    },
    "disposable_domains": {"add": [], "exceptions": []},
    "share_base_url": "https://shop.example/r/",
    "show_referrer_name": False,
    "version": 2,
    "updated_at": _AT,
    "updated_by": "api-key:shop admin",
}
_COUNTS = {
    "shares": 2,
    "clicks": 3,
    "attributed": 5,
    "enrolled": 5,
    "pending": 1,
    "review": 0,
    "qualifying": 0,
    "blocked": 1,
    "rejected": 0,
    "converted": 3,
    "rewarded": 3,
}
_OFFER = {"en": "100 bonus points when you sign up", "ru": "100 бонусных баллов при регистрации"}
_RESOLVED = {
    "code": "ANNA-GJVM",
    "is_valid": True,
    "offer": _OFFER,
    "friend_reward": {"points": 100, "on": "enrolled"},
}
_REFERRAL = {
    "id": 1,
    "referrer_id": "ANNA",
    "friend_id": "BOB",
    "status": "qualifying",
    "via": "code",
    "attributed_on": "first_order",
    "attributed_at": _AT,
    "checks": [],
    "order_id": "O1",
    "matures_at": "2026-04-15T12:00:00Z",
    "is_friend_rewarded": True,
    "history": [
        {"at": _AT, "what": "attributed", "status": "pending", "via": "code"},
        {"at": _AT, "what": "qualifying_order", "order_id": "O1"},
    ],
}
_APPROVED = _REFERRAL | {
    "status": "pending",
    "attributed_on": "enrolled",
    "checks": [{"rule": "similar_identity", "action": "review", "reason": "names 93% alike"}],
    "order_id": None,
    "matures_at": None,
    "decided_by": "api-key:shop admin",
    "decided_at": _AT,
    "decision_note": "cousins",
    "history": [
        {"at": _AT, "what": "attributed", "status": "review", "via": "code"},
        {"at": _AT, "what": "approved", "by": "api-key:shop admin", "note": "cousins"},
    ],
}


# -- the program --------------------------------------------------------------------------
@router.put(
    "/referral-program",
    responses=problem_responses(
        ReferralProgramInvalidError,
        success={200: success(ReferralProgramRead, _PROGRAM, "Saved, with its new version")},
    ),
)
async def put_program(
    spec: ReferralProgramIn,
    request: Request,
    who: Principal = Depends(require(Permission.RULES_WRITE)),
) -> Response:
    """Replace the referral program: attribution window, rewards, milestones, cap, fraud
    rules (each ``off``, ``review`` or ``block``), disposable-domain edits, ``is_active``."""

    def op(uow: UnitOfWork) -> dict[str, Any]:
        view = referrals.put_program(uow, spec, who=f"api-key:{who.name}")
        audit.record(
            uow,
            who.actor,
            "referral_program.changed",
            target_type="referral_program",
            after=view,
        )
        return view

    return JsonResponse(await write(request, op))


@router.get(
    "/referral-program",
    dependencies=[Depends(require(Permission.PROGRAM_READ))],
    responses={200: success(ReferralProgramRead, _PROGRAM, "The program")},
)
async def get_program(request: Request) -> Response:
    """The referral program with its ``version`` (0 and inactive until first saved)."""
    return JsonResponse(await read(request, referrals.program_view))


# -- codes and links ----------------------------------------------------------------------
@router.get(
    "/members/{member_id}/referral",
    responses=problem_responses(
        MemberNotFoundError,
        ReferralCodeUnavailableError,
        success={
            200: success(
                MemberReferral,
                {
                    "member_id": "ANNA",
                    "code": "ANNA-GJVM",
                    "token": "03klrxE6w5hJMoafv6uGH45YQ3AhZCRL",
                    "share_url": "https://shop.example/r/03klrxE6w5hJMoafv6uGH45YQ3AhZCRL",
                    "is_program_active": True,
                    "funnel": _COUNTS | {"ambassadors": 2},
                },
                "The member's code, link and funnel",
            )
        },
    ),
)
async def member_referral(
    member_id: MemberId,
    request: Request,
    who: Principal = Depends(require(Permission.REFERRALS_READ)),
) -> Response:
    """The member's personal code (created on first request), share link and funnel; the
    code masked for callers without ``coupons.export``."""

    def op(uow: UnitOfWork) -> dict[str, Any]:
        return referrals.member_referral(uow, member_id)

    return JsonResponse(codes_for(who, await write(request, op)))


@router.get(
    "/referral-codes/{code}",
    responses={200: success(Resolution, _RESOLVED, "Valid or not (never a 404)")},
)
async def resolve_code(
    code: Code, request: Request, who: Principal = Depends(require(Permission.REFERRALS_READ))
) -> Response:
    """Whether a code is valid (case, spaces and dashes do not matter) and the friend's
    offer in English and Russian; never the referrer's personal data (the code itself
    masked for callers without ``coupons.export``)."""
    found = await read(request, lambda uow: referrals.resolve_code(uow, code))
    return JsonResponse(codes_for(who, found))


@router.get(
    "/referral-links/{token}",
    dependencies=[Depends(require(Permission.REFERRALS_READ))],
    responses={
        200: success(
            Resolution,
            _RESOLVED | {"token": "03klrxE6w5hJMoafv6uGH45YQ3AhZCRL"},
            "Valid or not (never a 404)",
        )
    },
)
async def resolve_link(token: Token, request: Request) -> Response:
    """Whether a share link's token is valid and the friend's offer."""
    return JsonResponse(await read(request, lambda uow: referrals.resolve_token(uow, token)))


@router.post(
    "/referral-links/{token}/clicks",
    dependencies=[Depends(require(Permission.EVENTS_WRITE))],
    responses=problem_responses(
        ReferralLinkNotFoundError,
        success={
            200: success(ClickRead, {"click_id": "clk-8841", "is_recorded": True}, "Counted or not")
        },
    ),
)
async def record_click(token: Token, body: ClickIn, request: Request) -> Response:
    """The shop reports a click on a share link; counted once per ``click_id``
    (``is_recorded: false`` for a repeat or past the daily limit). 404
    ``referral_link_not_found``."""

    def op(uow: UnitOfWork) -> dict[str, Any]:
        return referrals.record_click(uow, token, body.click_id, body.ip, body.device_id)

    return JsonResponse(await write(request, op))


@router.post(
    "/members/{member_id}/referral/shares",
    status_code=201,
    responses=problem_responses(
        MemberNotFoundError,
        IdempotencyKeyReusedError,
        success={
            201: success(
                ShareRead,
                {"id": 7, "member_id": "ANNA", "channel": "whatsapp", "shared_at": _AT},
                "Recorded (or the replay of the first answer)",
            )
        },
    ),
)
async def record_share(
    member_id: MemberId,
    body: ShareIn,
    request: Request,
    idempotency_key: IdempotencyKey = None,
    who: Principal = Depends(require(Permission.EVENTS_WRITE)),
) -> Response:
    """The member shared the link (``channel``: whatsapp, email …), for the funnel."""

    def op(uow: UnitOfWork) -> dict[str, Any]:
        return referrals.record_share(uow, member_id, body.channel)

    return await idempotent(
        request, "referral-share", member_id, idempotency_key, body.model_dump(), 201, op
    )


# -- referrals ----------------------------------------------------------------------------
@router.get(
    "/referrals/funnel",
    dependencies=[Depends(require(Permission.REFERRALS_READ))],
    responses=problem_responses(
        MemberNotFoundError,
        success={
            200: success(
                Funnel,
                {"referrer_id": None, "from": "2026-01-01T00:00:00Z", "to": None}
                | _COUNTS
                | {"ambassadors": 2},
                "The funnel's counts",
            )
        },
    ),
)
async def funnel(
    request: Request,
    start: From = None,
    end: To = None,
    referrer: Annotated[str | None, Query(max_length=128)] = None,
) -> Response:
    """Shares, clicks, attributed (and of them enrolled), each status, converted, rewarded
    and the ambassadors KPI (members with at least one converted referral)."""

    def op(uow: UnitOfWork) -> dict[str, Any]:
        return referrals.funnel(uow, referrer, start, end)

    return JsonResponse(await read(request, op))


@router.get(
    "/referrals/leaderboard",
    dependencies=[Depends(require(Permission.REFERRALS_READ))],
    responses={
        200: success(
            Leaderboard,
            {
                "from": "2026-01-01T00:00:00Z",
                "to": None,
                "items": [
                    {
                        "rank": 1,
                        "member_id": "ANNA",
                        "converted": 2,
                        "last_converted_at": "2026-04-15T12:00:00Z",
                    }
                ],
            },
            "The leaderboard",
        )
    },
)
async def leaderboard(
    request: Request,
    start: From = None,
    end: To = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
) -> Response:
    """The members with the most referrals converted in the period."""

    def op(uow: UnitOfWork) -> dict[str, Any]:
        return referrals.leaderboard(uow, start, end, limit)

    return JsonResponse(await read(request, op))


@router.get(
    "/referrals",
    dependencies=[Depends(require(Permission.REFERRALS_READ))],
    responses=problem_responses(
        MemberNotFoundError,
        success={200: success(ReferralPage, {"items": [_REFERRAL], "next_after": None}, "A page")},
    ),
)
async def list_referrals(
    request: Request,
    status: ReferralStatus | None = None,
    referrer: Annotated[str | None, Query(max_length=128)] = None,
    after: Annotated[
        int | None, Query(ge=0, le=2**63 - 1, description="the last id of the page before")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> Response:
    """Referrals oldest first; ``status=review`` is the staff queue."""

    def op(uow: UnitOfWork) -> dict[str, Any]:
        items = referrals.list_referrals(
            uow,
            status=status.value if status else None,
            referrer=referrer,
            after_id=after,
            limit=limit,
        )
        return {"items": items, "next_after": items[-1]["id"] if len(items) == limit else None}

    return JsonResponse(await read(request, op))


ReferralId = Annotated[int, Path(ge=1, le=2**63 - 1)]


@router.get(
    "/referrals/{referral_id}",
    dependencies=[Depends(require(Permission.REFERRALS_READ))],
    responses=problem_responses(
        ReferralNotFoundError, success={200: success(ReferralRead, _REFERRAL, "The referral")}
    ),
)
async def get_referral(referral_id: ReferralId, request: Request) -> Response:
    """A referral: who referred whom, its status, the fraud checks that fired, the order
    and the rewards, and its history."""

    def op(uow: UnitOfWork) -> dict[str, Any]:
        return referrals.referral_view(uow, referrals.get_referral(uow, referral_id))

    return JsonResponse(await read(request, op))


async def _decide(
    request: Request, referral_id: int, body: DecisionIn, who: Principal, *, approve: bool
) -> Response:
    program = app_of(request).program

    def op(uow: UnitOfWork) -> dict[str, Any]:
        return referrals.decide(
            uow,
            program,
            referral_id,
            approve=approve,
            note=body.note,
            who=f"api-key:{who.name}",
            actor=who.actor,
            reason=body.reason,
        )

    return JsonResponse(await write(request, op))


@router.post(
    "/referrals/{referral_id}/approve",
    responses=problem_responses(
        ReferralNotFoundError,
        ReferralNotInReviewError,
        success={200: success(ReferralRead, _APPROVED, "Approved")},
    ),
)
async def approve(
    referral_id: ReferralId,
    body: DecisionIn,
    request: Request,
    who: Principal = Depends(require(Permission.REFERRALS_REVIEW)),
) -> Response:
    """Approve a referral held for review: it goes on, the friend's reward is given.
    ``reason`` (optional): ``signals_explained``, ``verified_new_customer`` or ``other``.
    Audited as ``referral.approved``. 409 ``referral_not_in_review``."""
    return await _decide(request, referral_id, body, who, approve=True)


@router.post(
    "/referrals/{referral_id}/reject",
    responses=problem_responses(
        ReferralNotFoundError,
        ReferralNotInReviewError,
        success={
            200: success(
                ReferralRead,
                _APPROVED | {"status": "rejected", "decision_note": "same household"},
                "Rejected",
            )
        },
    ),
)
async def reject(
    referral_id: ReferralId,
    body: DecisionIn,
    request: Request,
    who: Principal = Depends(require(Permission.REFERRALS_REVIEW)),
) -> Response:
    """Reject a referral held for review; nobody is rewarded for it. ``reason``
    (optional): ``same_person``, ``existing_customer``, ``disposable_email``,
    ``referral_farming`` or ``other``. Audited as ``referral.rejected``.
    409 ``referral_not_in_review``."""
    return await _decide(request, referral_id, body, who, approve=False)
