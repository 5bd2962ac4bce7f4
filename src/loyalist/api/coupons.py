"""Coupon routes: campaigns, validate (writes nothing), redeem, roll back, member coupons."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, ConfigDict, Field
from starlette.responses import Response

from loyalist.api.deps import (
    GuardedRoute,
    MemberId,
    app_of,
    read,
    read_raw,
    refuse_nul,
    require,
    write,
)
from loyalist.api.errors import CouponAttemptsLimitedError
from loyalist.api.guard import Guard
from loyalist.api.idempotency import IdempotencyKey, RequiredIdempotencyKey, idempotent
from loyalist.api.masking import codes_for
from loyalist.api.problems import problem_responses
from loyalist.api.responses import Items, JsonResponse
from loyalist.audit import service as audit
from loyalist.coupons import service as coupons
from loyalist.coupons import validation
from loyalist.coupons.errors import (
    CampaignNotFoundError,
    CampaignNotUniqueError,
    CampaignOriginMismatchError,
    CouponCampaignExhaustedError,
    CouponCampaignModeFixedError,
    CouponCodeTakenError,
    CouponCurrencyMismatchError,
    CouponExpiredError,
    CouponInactiveError,
    CouponLimitBelowUsesError,
    CouponMemberLimitError,
    CouponMemberRequiredError,
    CouponMinOrderError,
    CouponNoEligibleLinesError,
    CouponNotApplicableError,
    CouponNotEligibleError,
    CouponNotFoundError,
    CouponNotStartedError,
    CouponProductMissingError,
    CouponUsedUpError,
    RedemptionNotFoundError,
    RedemptionNotRedeemedError,
)
from loyalist.coupons.schemas import (
    CampaignIn,
    CouponCampaignRead,
    CouponGiven,
    CouponValid,
    Key,
    MemberCoupons,
    Redeemed,
    RedeemIn,
    RedemptionRead,
    RollbackIn,
    ValidateIn,
)
from loyalist.db.raw import RawReader
from loyalist.db.uow import UnitOfWork
from loyalist.errors import DomainError, IdempotencyKeyReusedError
from loyalist.members import service as members
from loyalist.members.errors import MemberNotFoundError
from loyalist.staff.models import Permission
from loyalist.staff.service import Principal

T = TypeVar("T")
router = APIRouter(
    prefix="/api/v1", tags=["coupons"], dependencies=[Depends(refuse_nul)], route_class=GuardedRoute
)
#: Why one typed code does not apply to a cart, and the guessing limits it counts against.
CODE_REFUSALS = (
    MemberNotFoundError,
    CouponNotFoundError,
    CouponInactiveError,
    CouponNotStartedError,
    CouponExpiredError,
    CouponUsedUpError,
    CouponCampaignExhaustedError,
    CouponMemberRequiredError,
    CouponMemberLimitError,
    CouponNotEligibleError,
    CouponCurrencyMismatchError,
    CouponMinOrderError,
    CouponNoEligibleLinesError,
    CouponProductMissingError,
    CouponNotApplicableError,
    CouponAttemptsLimitedError,
)


def guard_of(request: Request) -> Guard:
    guard: Guard = request.app.state.coupon_guard
    return guard


async def guarded(
    request: Request,
    who: Principal,
    member: str | None,
    code: str,
    call: Callable[[], Awaitable[T]],
) -> T:
    """Run a coupon attempt under the guessing limits, recording a failure when it fails."""
    guard = guard_of(request)
    key = who.ref
    guard.admit(key, member)
    try:
        return await call()
    except DomainError as exc:
        guard.failed(key, member, code, exc.code)
        raise


# -- campaigns ----------------------------------------------------------------------------
@router.put(
    "/coupon-campaigns/{key}",
    status_code=201,
    response_model=CouponCampaignRead,
    responses=problem_responses(
        CampaignOriginMismatchError,
        CouponCampaignModeFixedError,
        CouponLimitBelowUsesError,
        CouponCodeTakenError,
        success={
            200: {"model": CouponCampaignRead, "description": "updated"},
            201: {"description": "created"},
        },
    ),
)
async def put_campaign(
    key: Key,
    spec: CampaignIn,
    request: Request,
    who: Principal = Depends(require(Permission.COUPONS_WRITE)),
) -> Response:
    """Create or replace a coupon campaign (discount, validity, limits, stacking)."""

    def op(uow: UnitOfWork) -> tuple[bool, dict[str, Any]]:
        found = coupons.find_campaign(uow, key)
        before = coupons.campaign_view(uow, found) if found is not None else None
        campaign = coupons.put_campaign(uow, key, spec)
        after = coupons.campaign_view(uow, campaign)
        audit.record(
            uow,
            who.actor,
            "coupon_campaign.changed",
            target_type="coupon_campaign",
            target_id=key,
            before=before,
            after=after,
        )
        return found is None, after

    created, view = await write(request, op)
    return JsonResponse(view, status_code=201 if created else 200)


@router.get(
    "/coupon-campaigns",
    response_model=Items[CouponCampaignRead],
    dependencies=[Depends(require(Permission.PROGRAM_READ))],
)
async def list_campaigns(request: Request) -> Response:
    """Every coupon campaign with its figures."""

    def op(uow: UnitOfWork) -> list[dict[str, Any]]:
        return [coupons.campaign_view(uow, c) for c in coupons.list_campaigns(uow)]

    return JsonResponse({"items": await read(request, op)})


@router.get(
    "/coupon-campaigns/{key}",
    response_model=CouponCampaignRead,
    dependencies=[Depends(require(Permission.PROGRAM_READ))],
    responses=problem_responses(CampaignNotFoundError),
)
async def get_campaign(key: Key, request: Request) -> Response:
    """The campaign with its figures: codes, uses, redemptions and discount given."""

    def op(uow: UnitOfWork) -> dict[str, Any]:
        return coupons.campaign_view(uow, coupons.get_campaign(uow, key))

    return JsonResponse(await read(request, op))


# -- codes at checkout --------------------------------------------------------------------
@router.post(
    "/coupons/validate", response_model=CouponValid, responses=problem_responses(*CODE_REFUSALS)
)
async def validate(
    body: ValidateIn, request: Request, who: Principal = Depends(require(Permission.CHECKOUT_READ))
) -> Response:
    """Price the cart with one code; writes nothing. A code that does not apply is a
    problem whose ``code`` says why (404 ``coupon_not_found``, 409 ``coupon_used_up``, 422
    ``coupon_min_order`` …). Failed attempts are limited per API key and member (429)."""

    app = app_of(request)
    now = app.clock.now()

    def op(reader: RawReader) -> dict[str, Any]:
        member_pk = members.get_member_id(reader, body.member_id) if body.member_id else None
        audience = validation.deferred_audience(member_pk, app.program.zone, app.db.read)
        return validation.validate(reader, now, body.code, body.cart, audience)

    return JsonResponse(
        await guarded(request, who, body.member_id, body.code, lambda: read_raw(request, op))
    )


@router.post(
    "/coupons/redemptions",
    status_code=201,
    response_model=Redeemed,
    responses=problem_responses(*CODE_REFUSALS, IdempotencyKeyReusedError),
)
async def redeem(
    body: RedeemIn,
    request: Request,
    idempotency_key: IdempotencyKey = None,
    who: Principal = Depends(require(Permission.CHECKOUT)),
) -> Response:
    """Validate and use a code in one transaction: exactly one of any number of concurrent
    redemptions of a single-use code succeeds; the others get 409 ``coupon_used_up``."""

    def op(uow: UnitOfWork) -> dict[str, Any]:
        member_pk = members.get_member_id(uow, body.member_id) if body.member_id else None
        audience = validation.audience_of(uow, member_pk, app_of(request).program.zone)
        return coupons.redeem(
            uow, body.code, body.cart, audience, order_id=body.order_id, member=body.member_id
        )

    return await guarded(
        request,
        who,
        body.member_id,
        body.code,
        lambda: idempotent(
            request, "coupon-redeem", "", idempotency_key, body.model_dump(mode="json"), 201, op
        ),
    )


@router.get(
    "/coupons/redemptions/{redemption_id}",
    response_model=RedemptionRead,
    responses=problem_responses(RedemptionNotFoundError),
)
async def get_redemption(
    redemption_id: str,
    request: Request,
    who: Principal = Depends(require(Permission.CHECKOUT_READ)),
) -> Response:
    """A redemption; its code masked for callers without ``coupons.export``."""

    def op(uow: UnitOfWork) -> dict[str, Any]:
        return coupons.redemption_view(uow, coupons.get_redemption(uow, redemption_id))

    return JsonResponse(codes_for(who, await read(request, op)))


@router.post(
    "/coupons/redemptions/{redemption_id}/rollback",
    response_model=RedemptionRead,
    responses=problem_responses(
        RedemptionNotFoundError, RedemptionNotRedeemedError, IdempotencyKeyReusedError
    ),
)
async def rollback(
    redemption_id: str,
    body: RollbackIn,
    request: Request,
    idempotency_key: IdempotencyKey = None,
    who: Principal = Depends(require(Permission.CHECKOUT)),
) -> Response:
    """Undo a redemption with a reason: the use returns to the code (and to the member's and
    campaign's counts). Repeat-safe."""

    def op(uow: UnitOfWork) -> dict[str, Any]:
        return coupons.redemption_view(uow, coupons.rollback(uow, redemption_id, body.reason))

    return await idempotent(
        request, "coupon-rollback", redemption_id, idempotency_key, body.model_dump(), 200, op
    )


@router.get(
    "/members/{member_id}/coupons",
    response_model=MemberCoupons,
    responses=problem_responses(MemberNotFoundError),
)
async def member_coupons(
    member_id: MemberId,
    request: Request,
    include_used: Annotated[bool, Query(description="also used and expired codes")] = False,
    who: Principal = Depends(require(Permission.CHECKOUT_READ)),
) -> Response:
    """The member's personal codes (rewards, rule grants), newest first; masked for
    callers without ``coupons.export``."""

    def op(uow: UnitOfWork) -> list[dict[str, Any]]:
        member_pk = members.get_member_id(uow, member_id)
        return coupons.member_coupons(uow, member_pk, usable_only=not include_used)

    items = codes_for(who, await read(request, op))
    return JsonResponse({"member_id": member_id, "items": items})


class CouponGift(BaseModel):
    """Which campaign's personal code to give the member, and why (kept in the audit trail)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"campaign": "come-back", "reason": "goodwill: the parcel came late"}]
        },
    )
    campaign: Key
    reason: str = Field(min_length=3, max_length=500)


@router.post(
    "/members/{member_id}/coupons",
    status_code=201,
    response_model=CouponGiven,
    responses=problem_responses(
        MemberNotFoundError,
        CampaignNotFoundError,
        CampaignNotUniqueError,
        CouponInactiveError,
        IdempotencyKeyReusedError,
    ),
)
async def give_coupon(
    member_id: MemberId,
    body: CouponGift,
    request: Request,
    idempotency_key: RequiredIdempotencyKey,
    who: Principal = Depends(require(Permission.COUPONS_WRITE)),
) -> Response:
    """Give the member a personal code of an active unique-code campaign (a goodwill
    gesture), with a reason: audited as ``coupon.given``. Replaying the Idempotency-Key
    returns the first code. 422 ``campaign_not_unique`` for a shared-code campaign,
    ``coupon_inactive`` for a paused one."""

    def op(uow: UnitOfWork) -> dict[str, Any]:
        return given_coupon(uow, member_id, body, idempotency_key, who)

    return await idempotent(
        request, "coupon-give", member_id, idempotency_key, body.model_dump(), 201, op
    )


def given_coupon(
    uow: UnitOfWork, member_id: str, body: CouponGift, key: str, who: Principal
) -> dict[str, Any]:
    """Give the code (see :func:`give_coupon`) and answer it: the console's action too."""
    member_pk = members.get_member_id(uow, member_id)
    code = coupons.give_to_member(
        uow, body.campaign, member_pk, source=f"given:{key}", actor=who.actor, reason=body.reason
    )
    return {
        "member_id": member_id,
        "campaign": body.campaign,
        "code": coupons.show(code.code),
        "valid_until": code.valid_until,
    }
