"""Tier routes: a member's tier, perks, window, progress and history."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from loyalist.api.deps import GuardedRoute, MemberId, app_of, read, refuse_nul, require
from loyalist.api.problems import problem_responses
from loyalist.api.responses import success
from loyalist.db.uow import UnitOfWork
from loyalist.members.errors import MemberNotFoundError
from loyalist.staff.models import Permission
from loyalist.tiers import service
from loyalist.tiers.schemas import TierRead

router = APIRouter(
    prefix="/api/v1", tags=["tiers"], dependencies=[Depends(refuse_nul)], route_class=GuardedRoute
)


@router.get(
    "/members/{member_id}/tier",
    response_model=TierRead,
    dependencies=[Depends(require(Permission.MEMBERS_READ))],
    responses=problem_responses(
        MemberNotFoundError,
        success={
            200: success(
                None,
                {
                    "member_id": "M1",
                    "tier": {"key": "member", "name": "Member"},
                    "source": "qualified",
                    "qualified_tier": {"key": "member", "name": "Member"},
                    "perks": {
                        "earning_multiplier": "1",
                        "free_shipping": False,
                        "flags": {},
                        "rewards": [],
                    },
                    "window": {
                        "kind": "calendar_year",
                        "starts_at": "2026-01-01T00:00:00Z",
                        "ends_at": "2027-01-01T00:00:00Z",
                        "last_day": "2026-12-31",
                    },
                    "currency": "EUR",
                    "progress": {"spend": 12000, "points": 120, "orders": 1},
                    "next_tier": {
                        "tier": {"key": "silver", "name": "Silver"},
                        "needs": {"spend": 8000, "points": None, "orders": 4},
                        "by": "2026-12-31",
                    },
                    "text": "€80 or 4 orders to Silver by 31 Dec",
                    "locale": "en",
                    "history": [],
                },
                "The member's tier",
            )
        },
    ),
)
async def get_tier(
    member_id: MemberId,
    request: Request,
    locale: Annotated[str | None, Query(description="en or ru; default: the member's")] = None,
) -> TierRead:
    """The tier in effect and where it comes from (qualified or a paid plan), its perks, the
    qualification window, progress and what the next tier still needs, in words."""
    zone = app_of(request).program.zone

    def op(uow: UnitOfWork) -> TierRead:
        return service.read_tier(uow, member_id, zone, locale)

    return await read(request, op)
