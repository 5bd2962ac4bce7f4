"""Reward routes: the catalogue, a member's view of it, redemptions for points."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from starlette.responses import Response

from loyalist.api.deps import GuardedRoute, MemberId, app_of, read, refuse_nul, require, write
from loyalist.api.idempotency import RequiredIdempotencyKey, answer, run_once
from loyalist.api.masking import codes_for
from loyalist.api.problems import problem_responses
from loyalist.api.responses import JsonResponse, success
from loyalist.audit import service as audit
from loyalist.db.uow import UnitOfWork
from loyalist.errors import IdempotencyKeyReusedError
from loyalist.ledger.errors import InsufficientPointsError
from loyalist.members import service as members
from loyalist.members.errors import MemberNotFoundError
from loyalist.rewards import catalogue
from loyalist.rewards import service as rewards
from loyalist.rewards.errors import (
    RewardCampaignTakenError,
    RewardLimitReachedError,
    RewardNotAvailableError,
    RewardNotEligibleError,
    RewardNotFoundError,
    RewardOutOfStockError,
    RewardStockBelowIssuedError,
)
from loyalist.rewards.schemas import (
    MemberCatalogue,
    MemberRedemptions,
    RewardIn,
    RewardList,
    RewardRead,
    RewardRedemptionRead,
)
from loyalist.staff.models import Permission
from loyalist.staff.service import Principal

router = APIRouter(
    prefix="/api/v1", tags=["rewards"], dependencies=[Depends(refuse_nul)], route_class=GuardedRoute
)

RewardKey = Annotated[
    str,
    Path(
        pattern=r"^[a-z0-9][a-z0-9_\-]{0,56}$",
        description="the reward's key: lower-case letters, digits, _ and -, up to 57",
    ),
]


_AT = "2026-01-15T12:00:00Z"
_NAME = {"en": "Five euros off", "ru": "Скидка пять евро"}
_DISCOUNT = {"type": "fixed", "amount": 500, "currency": "EUR"}
_REWARD = {
    "key": "fiver",
    "name": _NAME,
    "description": {"en": "On your next order", "ru": "На следующий заказ"},
    "discount": _DISCOUNT,
    "conditions": {"min_order": 2000, "currency": "EUR", "skus": [], "categories": []},
    "stacking": "combinable",
    "priority": 100,
    "cost_points": 300,
    "stock": 100,
    "issued": 12,
    "stock_left": 88,
    "per_member_limit": 2,
    "tiers": [],
    "segments": [],
    "valid_from": None,
    "valid_until": None,
    "coupon_valid_days": 14,
    "refund_unused": False,
    "status": "active",
    "campaign": "reward-fiver",
    "created_at": _AT,
    "updated_at": _AT,
}
_OFFER = {
    "key": "fiver",
    "name": "Five euros off",
    "description": "On your next order",
    "discount": _DISCOUNT,
    "cost_points": 300,
    "stock_left": 88,
    "per_member_limit": 2,
    "taken": 0,
    "valid_from": None,
    "valid_until": None,
    "coupon_valid_days": 14,
    "tiers": [],
    "segments": [],
    "affordable": False,
    "eligible": True,
    "in_stock": True,
    "redeemable": False,
    "reasons": [
        {
            "code": "insufficient_points",
            "detail": "not enough points: 120 available, 300 needed",
        }
    ],
}
_REDEMPTION = {
    "id": "rwd_9fbe8d15f3182511707e19d3",
    "reward": "fiver",
    "name": _NAME,
    "member_id": "M1",
    "points": 300,
    "code": "TKDP4GDMBH",
    "valid_until": "2026-01-29T12:00:00Z",
    "coupon_used": False,
    "status": "issued",
    "granted_by_rule": None,
    "created_at": _AT,
    "refunded_at": None,
}


# -- the catalogue ------------------------------------------------------------------------
@router.put(
    "/rewards/{key}",
    responses=problem_responses(
        RewardCampaignTakenError,
        RewardStockBelowIssuedError,
        success={
            200: success(RewardRead, _REWARD, "Replaced"),
            201: success(RewardRead, _REWARD, "Created"),
        },
    ),
)
async def put_reward(
    key: RewardKey,
    spec: RewardIn,
    request: Request,
    who: Principal = Depends(require(Permission.RULES_WRITE)),
) -> Response:
    """Create or replace a reward: what its coupon gives, its price in points, stock,
    per-member limit, dates and who may take it. 409 ``reward_stock_below_issued``."""

    def op(uow: UnitOfWork) -> tuple[bool, dict[str, Any]]:
        found = catalogue.find_reward(uow, key)
        before = catalogue.reward_view(uow, found) if found is not None else None
        reward, created = catalogue.put_reward(uow, key, spec)
        after = catalogue.reward_view(uow, reward)
        audit.record(
            uow,
            who.actor,
            "reward.changed",
            target_type="reward",
            target_id=key,
            before=before,
            after=after,
        )
        return created, after

    created, view = await write(request, op)
    return JsonResponse(view, status_code=201 if created else 200)


@router.get(
    "/rewards",
    dependencies=[Depends(require(Permission.PROGRAM_READ))],
    responses={200: success(RewardList, {"items": [_REWARD]}, "The catalogue")},
)
async def list_rewards(request: Request) -> Response:
    """Every reward, active and paused, with the stock left."""

    def op(uow: UnitOfWork) -> list[dict[str, Any]]:
        return catalogue.reward_views(uow)

    return JsonResponse({"items": await read(request, op)})


@router.get(
    "/rewards/{key}",
    dependencies=[Depends(require(Permission.PROGRAM_READ))],
    responses=problem_responses(
        RewardNotFoundError, success={200: success(RewardRead, _REWARD, "The reward")}
    ),
)
async def get_reward(key: RewardKey, request: Request) -> Response:
    """A reward as stored, in every language, with the stock left."""

    def op(uow: UnitOfWork) -> dict[str, Any]:
        return catalogue.reward_view(uow, catalogue.get_reward(uow, key))

    return JsonResponse(await read(request, op))


@router.delete(
    "/rewards/{key}",
    responses=problem_responses(
        RewardNotFoundError,
        success={200: success(RewardRead, _REWARD | {"status": "paused"}, "Paused")},
    ),
)
async def pause_reward(
    key: RewardKey, request: Request, who: Principal = Depends(require(Permission.RULES_WRITE))
) -> Response:
    """Take the reward out of the catalogue (``status: paused``); coupons already issued
    stay valid and its history stays. PUT it with ``status: active`` to offer it again."""

    def op(uow: UnitOfWork) -> dict[str, Any]:
        view = catalogue.reward_view(uow, catalogue.pause_reward(uow, key))
        audit.record(uow, who.actor, "reward.paused", target_type="reward", target_id=key)
        return view

    return JsonResponse(await write(request, op))


# -- members ------------------------------------------------------------------------------
@router.get(
    "/members/{member_id}/rewards",
    dependencies=[Depends(require(Permission.POINTS_READ))],
    responses=problem_responses(
        MemberNotFoundError,
        success={
            200: success(MemberCatalogue, {"member_id": "M1", "items": [_OFFER]}, "The offers")
        },
    ),
)
async def member_catalogue(
    member_id: MemberId,
    request: Request,
    locale: Annotated[str | None, Query(description="en or ru; default: the member's")] = None,
    redeemable_only: Annotated[
        bool, Query(description="only rewards the member can redeem now")
    ] = False,
) -> Response:
    """Every active reward for this member, cheapest first: whether it can be redeemed now
    and, if not, ``reasons`` with stable codes (``insufficient_points``,
    ``reward_not_eligible``, ``reward_out_of_stock``, ``reward_limit_reached``,
    ``reward_not_available``)."""
    program = app_of(request).program

    def op(uow: UnitOfWork) -> dict[str, Any]:
        member = members.get_member(uow, member_id)
        items = catalogue.catalogue(
            uow,
            member.id,
            program,
            locale=locale or member.locale,
            redeemable_only=redeemable_only,
        )
        return {"member_id": member_id, "items": items}

    return JsonResponse(await read(request, op))


@router.post(
    "/members/{member_id}/rewards/{key}/redemptions",
    status_code=201,
    responses=problem_responses(
        MemberNotFoundError,
        RewardNotFoundError,
        RewardNotAvailableError,
        RewardNotEligibleError,
        RewardLimitReachedError,
        RewardOutOfStockError,
        InsufficientPointsError,
        IdempotencyKeyReusedError,
        success={
            201: success(
                RewardRedemptionRead, _REDEMPTION, "Redeemed (or the replay of the first answer)"
            )
        },
    ),
)
async def redeem_reward(
    member_id: MemberId,
    key: RewardKey,
    request: Request,
    idempotency_key: RequiredIdempotencyKey,
    who: Principal = Depends(require(Permission.CHECKOUT)),
) -> Response:
    """Spend the reward's points and issue the member its personal coupon, in one
    transaction. 404 ``reward_not_found``; 409 ``insufficient_points``,
    ``reward_out_of_stock``, ``reward_limit_reached``; 422 ``reward_not_eligible``,
    ``reward_not_available``. Replaying an ``Idempotency-Key`` returns the first answer."""
    return answer(*await redeem_once(request, member_id, key, idempotency_key))


async def redeem_once(
    request: Request, member_id: str, key: str, idempotency_key: str
) -> tuple[int, dict[str, Any], bool]:
    """Redeem ``key`` for the member once per ``idempotency_key`` (the API's header, the
    portal's attempt): the status, the redemption and whether it is a replay."""
    program = app_of(request).program

    def op(uow: UnitOfWork) -> dict[str, Any]:
        member_pk = members.get_member_id(uow, member_id)
        redemption = rewards.redeem(
            uow,
            member_pk,
            key,
            program,
            source=f"points:{idempotency_key}",
        )
        return rewards.redemption_view(uow, redemption)

    return await run_once(
        request, "reward-redeem", member_id, idempotency_key, {"reward": key}, 201, op
    )


@router.get(
    "/members/{member_id}/reward-redemptions",
    responses=problem_responses(
        MemberNotFoundError,
        success={
            200: success(
                MemberRedemptions, {"member_id": "M1", "items": [_REDEMPTION]}, "The rewards"
            )
        },
    ),
)
async def member_redemptions(
    member_id: MemberId,
    request: Request,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    who: Principal = Depends(require(Permission.POINTS_READ)),
) -> Response:
    """The member's rewards, newest first: code (masked for callers without
    ``coupons.export``), validity, whether the coupon was used, and ``status`` (issued,
    refunded, expired)."""

    def op(uow: UnitOfWork) -> dict[str, Any]:
        member_pk = members.get_member_id(uow, member_id)
        return {
            "member_id": member_id,
            "items": rewards.member_redemptions(uow, member_pk, limit=limit),
        }

    return JsonResponse(codes_for(who, await read(request, op)))
