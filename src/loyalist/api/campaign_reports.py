"""Campaign routes that measure: the report per arm with uplift against the control
group, and the program's global holdout."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request

from loyalist.api.deps import GuardedRoute, app_of, read, refuse_nul, require
from loyalist.api.problems import problem_responses
from loyalist.campaigns import report
from loyalist.campaigns.errors import MarketingCampaignNotFoundError
from loyalist.campaigns.schemas import CampaignReport, HoldoutReport
from loyalist.db.uow import UnitOfWork
from loyalist.insights.errors import DateRangeInvalidError
from loyalist.staff.models import Permission

router = APIRouter(
    prefix="/api/v1",
    tags=["campaigns"],
    dependencies=[Depends(refuse_nul)],
    route_class=GuardedRoute,
)


@router.get(
    "/campaigns/{key}/report",
    response_model=CampaignReport,
    dependencies=[Depends(require(Permission.CAMPAIGNS_READ))],
    responses=problem_responses(MarketingCampaignNotFoundError),
)
async def get_campaign_report(
    request: Request, key: Annotated[str, Path(max_length=32)]
) -> CampaignReport:
    """Per arm (the control group keyed `control`): members measured, messages sent and
    delivered, conversions (the first goal event in each member's window), conversion
    rate, revenue and revenue per member, points and discount cost; per variant, the
    uplift against the control group with 95% intervals (Newcombe for the conversion
    rate, Welch for revenue per member), p-values (Holm-corrected across variants) and
    incremental revenue and profit. Money in minor units of the program's currency."""
    program = app_of(request).program

    def op(uow: UnitOfWork) -> CampaignReport:
        return CampaignReport.model_validate(report.report(uow, key, program))

    return await read(request, op)


@router.get(
    "/insights/holdout",
    response_model=HoldoutReport,
    dependencies=[Depends(require(Permission.ANALYTICS_READ))],
    responses=problem_responses(DateRangeInvalidError),
)
async def get_holdout(
    request: Request,
    from_: Annotated[
        date | None, Query(alias="from", description="first day, program time zone")
    ] = None,
    to: Annotated[date | None, Query(description="last day (included), program time zone")] = None,
) -> HoldoutReport:
    """The program's global holdout (members who get no marketing at all,
    `campaigns.global_holdout_percent`) against the rest of the members enrolled by the
    period's end: members, buyers, conversion rate, revenue per member, and the rest's
    uplift with the same intervals as a campaign report. Default period: the last 30
    days."""
    program = app_of(request).program

    def op(uow: UnitOfWork) -> HoldoutReport:
        return HoldoutReport.model_validate(report.holdout_report(uow, program, from_, to))

    return await read(request, op)
