"""Members: exact search (blind index), member 360 and its actions.

Every page and action is guarded by the permission of the matching API route and calls the
same domain services; what a viewer may not see is left out (a section needing a permission
they lack) or masked (personal data without ``members.read_pii``, as the API masks it).
Revealing a field goes through the reveal service: a reason, one ``pii.read`` audit row,
the per-caller limit. Actions that move points or spend them are replay-safe: the form
carries a fresh idempotency key, so a double submit books once.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Annotated, Any, TypeVar

import orjson
from fastapi import Depends, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.responses import Response

from loyalist.api.adjustments import (
    Rejection,
    RequestId,
    decided_view,
    request_view,
    request_views,
)
from loyalist.api.coupons import CouponGift, given_coupon
from loyalist.api.deps import MemberId, app_of, read, require, write
from loyalist.api.idempotency import idempotent
from loyalist.api.masking import codes_for, member_for
from loyalist.api.members import timeline_kinds, timeline_page
from loyalist.api.paging import parse_timeline_key
from loyalist.api.points import Adjustment
from loyalist.api.reveals import RevealLimit
from loyalist.coupons import service as coupons
from loyalist.db.uow import UnitOfWork
from loyalist.insights import segments
from loyalist.insights.errors import ScoresNotComputedError
from loyalist.ledger import approvals, balances
from loyalist.ledger import service as ledger
from loyalist.ledger.models import AdjustmentState
from loyalist.members import consents
from loyalist.members import service as members
from loyalist.members.errors import LookupInvalidError
from loyalist.members.models import LookupKey, PersonalField
from loyalist.members.schemas import RevealIn
from loyalist.messages import service as messages
from loyalist.recommendations import service as recommendations
from loyalist.recommendations.models import Method
from loyalist.recommendations.policy import RecommendationSettings
from loyalist.rewards import catalogue
from loyalist.rewards import service as rewards
from loyalist.settings import ProgramPolicy
from loyalist.staff.models import Permission as P
from loyalist.staff.service import Principal
from loyalist.tiers import service as tiers
from loyalist.web.console.kit import console_router, page

router = console_router()
#: Pending adjustment requests the approvals page lists (oldest first).
PENDING_SHOWN = 100
#: Timeline entries per page.
TIMELINE_PAGE = 25
#: How far ahead the member page lists expiring lots.
EXPIRY_HORIZON_DAYS = 365
#: Which masked field of the profile each reveal shows.
REVEALABLE = {
    "email": PersonalField.EMAIL,
    "phone": PersonalField.PHONE,
    "last_name": PersonalField.NAME,
    "birthday": PersonalField.BIRTHDAY,
}
_RECOMMENDING = RecommendationSettings()


# -- search ---------------------------------------------------------------------------------
@router.get("/members")
async def search(
    request: Request, who: Annotated[Principal, Depends(require(P.MEMBERS_READ))]
) -> Response:
    """The search form and, when asked, the members whose id, e-mail address or phone number
    is exactly the value given (no part of a personal value finds anything)."""
    by = request.query_params.get("by", LookupKey.EMAIL.value)
    q = request.query_params.get("q", "").strip()
    key = LookupKey(by) if by in LookupKey.__members__.values() else LookupKey.EMAIL
    shown: dict[str, Any] = {
        "by": key.value,
        "q": q,
        "keys": list(LookupKey),
        "found": None,
        "error": None,
    }
    if not q:
        return await page(request, "console/members/search.html.j2", shown)

    def op(uow: UnitOfWork) -> list[Any]:
        return [
            member_for(who, members.read_member(uow, m))
            for m in members.find_members(uow, key, q, pointer="/q")
        ]

    try:
        shown["found"] = await read(request, op)
    except LookupInvalidError as exc:
        shown["error"] = exc.errors[0].detail if exc.errors else str(exc)
        return await page(request, "console/members/search.html.j2", shown, status=422)
    return await page(request, "console/members/search.html.j2", shown)


# -- approvals (maker-checker) -------------------------------------------------------------
# Registered before the member 360, whose ``{member_id}`` would otherwise take this path.
@router.get("/members/adjustments", dependencies=[Depends(require(P.POINTS_APPROVE))])
async def adjustments(request: Request) -> Response:
    """Adjustments waiting for a second person's approval, oldest first (as the API's
    ``GET /api/v1/points/adjustments?state=pending``), each with Approve and Reject."""
    pending = await read(
        request, lambda uow: request_views(uow, AdjustmentState.PENDING, limit=PENDING_SHOWN)
    )
    shown = {"pending": pending, "limit": PENDING_SHOWN}
    return await page(request, "console/members/adjustments.html.j2", shown)


@router.post("/members/adjustments/{request_id}/approve")
async def approve(
    request_id: RequestId,
    request: Request,
    who: Annotated[Principal, Depends(require(P.POINTS_APPROVE))],
) -> Response:
    """Approve someone else's request: the points are booked now and the decision audited
    (``points.adjustment_approved``); one's own request is refused (``approval_by_requester``)
    and shown in the row."""
    program = app_of(request).program

    def op(uow: UnitOfWork) -> dict[str, Any]:
        decided = approvals.approve_adjustment(uow, request_id, actor=who.actor, program=program)
        return decided_view(uow, decided)

    return await _decided(request, await write(request, op))


@router.post("/members/adjustments/{request_id}/reject")
async def reject(
    request_id: RequestId,
    request: Request,
    who: Annotated[Principal, Depends(require(P.POINTS_APPROVE))],
) -> Response:
    """Reject someone else's request with a reason (as the API's reject); nothing is booked,
    the decision is audited (``points.adjustment_rejected``)."""
    form = await _form(request)
    body = _form_model(Rejection, {"reason": form.get("reason", "")})

    def op(uow: UnitOfWork) -> dict[str, Any]:
        decided = approvals.reject_adjustment(uow, request_id, actor=who.actor, reason=body.reason)
        return decided_view(uow, decided)

    return await _decided(request, await write(request, op))


async def _decided(request: Request, decided: dict[str, Any]) -> Response:
    """The decision in place of the row's forms (a refusal stays beside them instead)."""
    target = f"#decision-{decided['request_id']}"
    return await page(
        request,
        "console/members/decided.html.j2",
        {"decided": decided},
        headers={"HX-Retarget": target, "HX-Reswap": "innerHTML"},
    )


# -- member 360 -----------------------------------------------------------------------------
@router.get("/members/{member_id}")
async def member_page(
    member_id: MemberId,
    request: Request,
    who: Annotated[Principal, Depends(require(P.MEMBERS_READ))],
) -> Response:
    """Everything about one member the viewer may see: the profile (masked without
    ``members.read_pii``), tier and progress, balances and lots, scores, recommendations,
    consents, the timeline, and the actions the viewer's permissions allow."""
    program = app_of(request).program
    shown = await read(request, lambda uow: _member_360(uow, who, member_id, program))
    shown["form_key"] = secrets.token_urlsafe(16)
    shown["threshold"] = program.adjustment_approval_threshold
    return await page(request, "console/members/member.html.j2", shown)


def _member_360(
    uow: UnitOfWork, who: Principal, member_id: str, program: ProgramPolicy
) -> dict[str, Any]:
    """What the member page shows, read in one unit through the domains' services."""
    found = members.get_member(uow, member_id)
    can = who.permissions.__contains__
    shown: dict[str, Any] = {
        "member": member_for(who, members.read_member(uow, found)),
        "tier": tiers.read_tier(uow, member_id, program.zone, "en"),
        "consents": consents.member_consents(uow, found.id, member_id, limit=20),
        "timeline": timeline_page(
            uow, member_id, limit=TIMELINE_PAGE, cursor=None, kinds=timeline_kinds(who)
        ),
        "revealable": REVEALABLE,
        "currency": program.currency,
    }
    if can(P.POINTS_READ):
        until = uow.now + timedelta(days=EXPIRY_HORIZON_DAYS)
        shown["points"] = balances.points_summary(uow, found.id, program)
        shown["expiring"] = ledger.expiring_lots(uow, [found.id], until)[:20]
        shown["history"] = balances.history(uow, found.id, "en", limit=20)
        shown["redemptions"] = codes_for(who, rewards.member_redemptions(uow, found.id, limit=20))
    if can(P.CHECKOUT_READ):
        held = coupons.member_coupons(uow, found.id, usable_only=False)[:20]
        shown["member_coupons"] = codes_for(who, held)
    if can(P.COUPONS_WRITE):
        shown["campaigns"] = [
            {"key": c.key, "name": c.name.get("en") or c.key}
            for c in coupons.givable_campaigns(uow)
        ]
    if can(P.CHECKOUT):
        shown["catalogue"] = catalogue.catalogue(
            uow, found.id, program, locale="en", redeemable_only=True
        )
    if can(P.ANALYTICS_READ):
        try:
            shown["scores"] = segments.member_scores(uow, member_id)
        except ScoresNotComputedError:
            shown["scores"] = None
    if can(P.RECOMMENDATIONS_READ):
        shown["recommended"] = recommendations.recommend_for_member(
            uow, member_id, method=Method.ALS, limit=10, settings=_RECOMMENDING
        )
        shown["favourites"] = recommendations.member_favourites(
            uow, member_id, currency=program.currency, limit=10, half_life_days=None
        )
    return shown


@router.get("/members/{member_id}/timeline")
async def timeline(
    member_id: MemberId,
    request: Request,
    who: Annotated[Principal, Depends(require(P.MEMBERS_READ))],
) -> Response:
    """The next page of the member's timeline (rows for HTMX to append)."""
    cursor = parse_timeline_key(request.query_params.get("before"))
    kinds = timeline_kinds(who)
    found = await read(
        request,
        lambda uow: timeline_page(uow, member_id, limit=TIMELINE_PAGE, cursor=cursor, kinds=kinds),
    )
    shown = {"timeline": found, "member_id": member_id}
    return await page(request, "console/members/timeline_rows.html.j2", shown)


# -- actions --------------------------------------------------------------------------------
class _Reveal(BaseModel):
    model_config = ConfigDict(extra="ignore")
    field: str = Field(pattern="^(email|phone|last_name|birthday)$")
    reason: str = Field(min_length=3, max_length=500)


class _Resend(BaseModel):
    model_config = ConfigDict(extra="ignore")
    reason: str | None = Field(default=None, max_length=300)


class _Keyed(BaseModel):
    """A form that moves points or gives something: its key makes a double submit one."""

    model_config = ConfigDict(extra="ignore")
    form_key: str = Field(min_length=8, max_length=64)


class _Redeem(_Keyed):
    reward: str = Field(pattern=r"^[a-z0-9][a-z0-9_\-]{0,56}$")


class _Adjust(Adjustment, _Keyed):
    model_config = ConfigDict(extra="ignore")


M = TypeVar("M", bound=BaseModel)


def _form_model(model: type[M], values: dict[str, Any]) -> M:
    """``values`` (a form, blanks as absent) as ``model``; a refusal points at the fields.

    Raises:
        RequestValidationError: 422 ``request_invalid`` with a pointer per field.
    """
    try:
        return model.model_validate({k: v for k, v in values.items() if v != ""})
    except ValidationError as exc:
        raise RequestValidationError(exc.errors()) from None


async def _form(request: Request) -> dict[str, Any]:
    return {k: v for k, v in (await request.form()).items() if isinstance(v, str)}


@router.post("/members/{member_id}/reveal")
async def reveal(
    member_id: MemberId,
    request: Request,
    who: Annotated[Principal, Depends(require(P.MEMBERS_REVEAL))],
) -> Response:
    """One masked field in full, for a reason: the reveal service records it (``pii.read``)
    and counts it against the viewer's limit; the value is swapped into the profile."""
    asked = _form_model(_Reveal, await _form(request))
    spec = _form_model(RevealIn, {"field": REVEALABLE[asked.field], "reason": asked.reason})
    limit: RevealLimit = request.app.state.reveal_limit
    limit.admit(who)
    shown = await write(request, lambda uow: members.reveal(uow, member_id, spec, who.actor))
    return await page(
        request, "console/members/revealed.html.j2", {"field": asked.field, "revealed": shown}
    )


@router.post("/members/{member_id}/points")
async def adjust(
    member_id: MemberId,
    request: Request,
    who: Annotated[Principal, Depends(require(P.POINTS_ADJUST))],
) -> Response:
    """Adjust the member's points with a reason: booked at once, or above the program's
    threshold a pending request another person approves (maker-checker)."""
    body = _form_model(_Adjust, await _form(request))
    program = app_of(request).program
    issuer = f"staff:{who.name}"
    wanted = Adjustment(points=body.points, reason=body.reason)

    def op(uow: UnitOfWork) -> dict[str, Any]:
        done = approvals.adjust_or_request(
            uow, members.get_member_id(uow, member_id), body.points, reason=body.reason,
            actor=who.actor, name=issuer, target=member_id, idempotency_key=body.form_key,
            program=program,
        )  # fmt: skip
        if done.request is not None:
            return request_view(done.request, member_id)
        return {"posting_id": done.posting_id, "points": body.points}

    answer = await idempotent(
        request, "adjust", member_id, body.form_key, wanted.model_dump(), 201, op
    )
    result = orjson.loads(bytes(answer.body))
    shown = {
        "result": result,
        "threshold": program.adjustment_approval_threshold,
        "new_key": secrets.token_urlsafe(16),
    }
    return await page(request, "console/members/adjusted.html.j2", shown)


@router.post("/members/{member_id}/rewards")
async def redeem(
    member_id: MemberId,
    request: Request,
    who: Annotated[Principal, Depends(require(P.CHECKOUT))],
) -> Response:
    """Redeem a reward for the member with their points (as the API's redemption does):
    the reward's personal coupon is issued."""
    body = _form_model(_Redeem, await _form(request))
    program = app_of(request).program

    def op(uow: UnitOfWork) -> dict[str, Any]:
        member_pk = members.get_member_id(uow, member_id)
        done = rewards.redeem(
            uow, member_pk, body.reward, program, source=f"points:{body.form_key}"
        )
        return rewards.redemption_view(uow, done)

    answer = await idempotent(
        request, "reward-redeem", member_id, body.form_key, {"reward": body.reward}, 201, op
    )
    result = codes_for(who, orjson.loads(bytes(answer.body)))
    shown = {"result": result, "new_key": secrets.token_urlsafe(16)}
    return await page(request, "console/members/redeemed.html.j2", shown)


@router.post("/members/{member_id}/coupons")
async def give_coupon(
    member_id: MemberId,
    request: Request,
    who: Annotated[Principal, Depends(require(P.COUPONS_WRITE))],
) -> Response:
    """Give the member a personal code of an active unique-code campaign, with a reason
    (as the API's ``POST /api/v1/members/{id}/coupons``; audited ``coupon.given``)."""
    form = await _form(request)
    body = _form_model(CouponGift, {k: form.get(k, "") for k in ("campaign", "reason")})
    key = _form_model(_Keyed, form).form_key

    answer = await idempotent(
        request, "coupon-give", member_id, key, body.model_dump(), 201,
        lambda uow: given_coupon(uow, member_id, body, key, who),
    )  # fmt: skip
    shown = {"result": orjson.loads(bytes(answer.body)), "new_key": secrets.token_urlsafe(16)}
    return await page(request, "console/members/given.html.j2", shown)


@router.post("/members/{member_id}/messages/{message_id}/resend")
async def resend(
    member_id: MemberId,
    message_id: str,
    request: Request,
    who: Annotated[Principal, Depends(require(P.MESSAGES_SEND))],
) -> Response:
    """Send a failed or not-configured message again (the send-time check runs again)."""
    body = _form_model(_Resend, await _form(request))

    def op(uow: UnitOfWork) -> Any:
        return messages.resend(uow, member_id, message_id, by=f"staff {who.name}", why=body.reason)

    sent = await write(request, op)
    return await page(request, "console/members/resent.html.j2", {"message": sent})
