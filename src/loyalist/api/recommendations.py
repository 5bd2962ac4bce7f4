"""Recommendations routes: also bought, a member's recommendations and favourites."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request

from loyalist.api.deps import GuardedRoute, MemberId, app_of, read, refuse_nul, require
from loyalist.api.problems import problem_responses
from loyalist.api.responses import success
from loyalist.db.uow import UnitOfWork
from loyalist.members.errors import MemberNotFoundError
from loyalist.recommendations import service
from loyalist.recommendations.models import Method
from loyalist.recommendations.policy import RecommendationSettings
from loyalist.recommendations.schemas import (
    AlsoBoughtRead,
    FavouritesRead,
    MemberRecommendationsRead,
    PairScore,
)
from loyalist.staff.models import Permission

router = APIRouter(
    prefix="/api/v1",
    tags=["recommendations"],
    dependencies=[Depends(refuse_nul)],
    route_class=GuardedRoute,
)

Sku = Annotated[str, Path(min_length=1, max_length=128, description="the shop's product SKU")]
Limit = Annotated[int, Query(ge=1, le=100, description="how many items at most")]
_SETTINGS = RecommendationSettings()


@router.get(
    "/products/{sku:path}/also-bought",
    response_model=AlsoBoughtRead,
    dependencies=[Depends(require(Permission.RECOMMENDATIONS_READ))],
    responses={
        200: success(
            None,
            {
                "sku": "A",
                "score": "lift",
                "computed_at": "2026-01-15T12:00:00Z",
                "items": [
                    {"sku": "B", "score": 1.25, "lift": 1.25, "cosine": 0.7071, "support": 4}
                ],
            },
            "Products bought with it",
        )
    },
)
async def also_bought(
    sku: Sku,
    request: Request,
    limit: Limit = 10,
    score: Annotated[PairScore, Query(description="rank by lift or cosine")] = PairScore.LIFT,
) -> AlsoBoughtRead:
    """ "Bought this, also bought": items bought in the same basket (one order, or the same
    member's orders within 30 days) at least 3 times, from the last refresh. An unknown or
    rarely bought SKU answers 200 with no items (there is no catalogue to tell them apart)."""

    def op(uow: UnitOfWork) -> AlsoBoughtRead:
        return service.also_bought(uow, sku, by=score, limit=limit)

    return await read(request, op)


@router.get(
    "/members/{member_id}/recommendations",
    response_model=MemberRecommendationsRead,
    dependencies=[Depends(require(Permission.RECOMMENDATIONS_READ))],
    responses=problem_responses(
        MemberNotFoundError,
        success={
            200: success(
                None,
                {
                    "member_id": "M8",
                    "method": "item_knn",
                    "computed_at": "2026-01-15T12:00:00Z",
                    "items": [
                        {"sku": "B", "score": 0.7071, "source": "item_knn"},
                        {"sku": "F", "score": 2.0, "source": "popular"},
                    ],
                },
                "Recommendations",
            )
        },
    ),
)
async def member_recommendations(
    member_id: MemberId,
    request: Request,
    limit: Limit = 10,
    method: Annotated[Method, Query(description="als (default), item_knn or popular")] = Method.ALS,
) -> MemberRecommendationsRead:
    """Products for the member from their purchase history, never one bought in the last
    90 days or ever returned; filled up with popular items (last 90 days, distinct buyers),
    which is all a member without history gets."""

    def op(uow: UnitOfWork) -> MemberRecommendationsRead:
        return service.recommend_for_member(
            uow, member_id, method=method, limit=limit, settings=_SETTINGS
        )

    return await read(request, op)


@router.get(
    "/members/{member_id}/favourites",
    response_model=FavouritesRead,
    dependencies=[Depends(require(Permission.RECOMMENDATIONS_READ))],
    responses=problem_responses(
        MemberNotFoundError,
        success={
            200: success(
                None,
                {
                    "member_id": "M1",
                    "currency": "EUR",
                    "half_life_days": 30.0,
                    "products": [
                        {
                            "sku": "B",
                            "category": "shoes",
                            "orders": 1,
                            "quantity": 2,
                            "spend": 1000,
                            "last_bought_at": "2026-01-15T12:00:00Z",
                            "score": 0.629981,
                        }
                    ],
                    "categories": [
                        {
                            "category": "shoes",
                            "orders": 1,
                            "quantity": 3,
                            "spend": 2000,
                            "last_bought_at": "2026-01-15T12:00:00Z",
                            "score": 0.629981,
                        }
                    ],
                },
                "Favourites",
            )
        },
    ),
)
async def member_favourites(
    member_id: MemberId,
    request: Request,
    limit: Limit = 10,
    half_life_days: Annotated[
        float | None,
        Query(gt=0, le=3650, description="weigh each order by 0.5^(age in days / this)"),
    ] = None,
) -> FavouritesRead:
    """The member's top products and categories by orders (returns deducted), then spend
    in the program currency: what a "discount on your favourites" offer targets."""
    currency = app_of(request).program.currency

    def op(uow: UnitOfWork) -> FavouritesRead:
        return service.member_favourites(
            uow, member_id, currency=currency, limit=limit, half_life_days=half_life_days
        )

    return await read(request, op)
