"""Insights routes: NPS by period and by segment, tier or channel."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from loyalist.api.deps import app_of, read, refuse_nul, require
from loyalist.db.uow import UnitOfWork
from loyalist.insights import service
from loyalist.insights.nps import Dimension, Period
from loyalist.insights.schemas import NpsReport
from loyalist.staff.models import Scope

router = APIRouter(prefix="/api/v1", tags=["insights"], dependencies=[Depends(refuse_nul)])


@router.get(
    "/insights/nps",
    response_model=NpsReport,
    dependencies=[Depends(require(Scope.INSIGHTS_READ))],
    responses={422: {"description": "`date_range_invalid` or a bad parameter"}},
)
async def get_nps(
    request: Request,
    period: Annotated[
        Period | None, Query(description="day, week (ISO, from Monday) or month; none: whole range")
    ] = None,
    by: Annotated[Dimension | None, Query(description="segment, tier or channel")] = None,
    from_: Annotated[
        date | None, Query(alias="from", description="first day, program time zone")
    ] = None,
    to: Annotated[date | None, Query(description="last day (included), program time zone")] = None,
) -> NpsReport:
    """Net Promoter Score of members' first answers to each survey (later answers to the
    same survey do not count), with promoters (9–10), passives (7–8), detractors (0–6) and
    NPS = % promoters − % detractors to one decimal. Tiers and segments are the members'
    current ones; a member in several segments counts in each, once in the total."""
    zone = app_of(request).program.zone

    def op(uow: UnitOfWork) -> NpsReport:
        return service.nps_report(uow, zone, period=period, by=by, start=from_, end=to)

    return await read(request, op)
