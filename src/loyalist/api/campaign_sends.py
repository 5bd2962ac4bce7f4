"""Campaign routes that reach members: the audience estimate and the launch."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request

from loyalist.api.campaigns import CONTENT_PROBLEMS
from loyalist.api.deps import GuardedRoute, app_of, read, refuse_nul, require, write
from loyalist.api.problems import problem_responses
from loyalist.campaigns import broadcast, service
from loyalist.campaigns.errors import (
    CampaignNotLaunchableError,
    CampaignOfferInactiveError,
    CampaignOfferInvalidError,
    MarketingCampaignNotFoundError,
)
from loyalist.campaigns.schemas import CampaignRead, Estimate
from loyalist.db.uow import UnitOfWork
from loyalist.rules.errors import RuleInvalidError
from loyalist.staff.models import Permission
from loyalist.staff.service import Principal

router = APIRouter(
    prefix="/api/v1",
    tags=["campaigns"],
    dependencies=[Depends(refuse_nul)],
    route_class=GuardedRoute,
)

CampaignKeyPath = Annotated[str, Path(min_length=1, max_length=32, description="the campaign")]


@router.post(
    "/campaigns/{key}/launch",
    response_model=CampaignRead,
    responses=problem_responses(
        MarketingCampaignNotFoundError,
        CampaignNotLaunchableError,
        RuleInvalidError,
        CampaignOfferInvalidError,
        CampaignOfferInactiveError,
        *CONTENT_PROBLEMS,
    ),
)
async def launch_campaign(
    key: CampaignKeyPath,
    request: Request,
    who: Principal = Depends(require(Permission.CAMPAIGNS_WRITE)),
) -> CampaignRead:
    """Launch a draft campaign: `running` (its messages go out now) or `scheduled` (at its
    `send_at`, in each member's time zone when it has no offset). The worker writes the
    audience and sends in short chunks; pausing, cancelling or a crash never sends a member
    a message twice. Launching again changes nothing and answers the campaign as it is
    (a cancelled one is a 409)."""

    def op(uow: UnitOfWork) -> CampaignRead:
        return service.read(uow, broadcast.launch(uow, key, who.actor))

    return await write(request, op)


@router.post(
    "/campaigns/{key}/audience/estimate",
    response_model=Estimate,
    dependencies=[Depends(require(Permission.CAMPAIGNS_READ))],
    responses=problem_responses(MarketingCampaignNotFoundError, RuleInvalidError),
)
async def estimate_audience(key: CampaignKeyPath, request: Request) -> Estimate:
    """How many members the campaign's audience matches now, how many each channel reaches
    after consent and suppression (members in the program's global holdout never count),
    the expected control group on its channel, and why members matching are left out."""
    program = app_of(request).program
    return await read(request, lambda uow: broadcast.estimate(uow, key, program))
