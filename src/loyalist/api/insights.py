"""Insights routes: NPS, KPIs, purchase cohorts, time to second order, customer journey."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from loyalist.api.deps import GuardedRoute, analyse, app_of, refuse_nul, require
from loyalist.api.problems import problem_responses
from loyalist.db.uow import UnitOfWork
from loyalist.insights import service
from loyalist.insights.errors import DateRangeInvalidError, DateRangeTooLongError
from loyalist.insights.nps import Dimension, Period
from loyalist.insights.schemas import (
    CohortsReport,
    JourneyReport,
    KpiReport,
    NpsReport,
    SecondOrderReport,
)
from loyalist.staff.models import Permission

router = APIRouter(
    prefix="/api/v1",
    tags=["insights"],
    dependencies=[Depends(refuse_nul)],
    route_class=GuardedRoute,
)


@router.get(
    "/insights/nps",
    response_model=NpsReport,
    dependencies=[Depends(require(Permission.ANALYTICS_READ))],
    responses=problem_responses(DateRangeInvalidError),
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

    return await analyse(request, op)


_Currency = Annotated[
    str | None,
    Query(pattern=r"^[A-Z]{3}$", description="orders in this currency; default: the program's"),
]
_From = Annotated[date | None, Query(alias="from", description="first day, program time zone")]
_To = Annotated[date | None, Query(description="last day (included), program time zone")]


@router.get(
    "/insights/kpis",
    response_model=KpiReport,
    dependencies=[Depends(require(Permission.ANALYTICS_READ))],
    responses=problem_responses(DateRangeInvalidError, DateRangeTooLongError),
)
async def get_kpis(
    request: Request,
    period: Annotated[
        Period, Query(description="day, week (ISO, from Monday) or month")
    ] = Period.MONTH,
    by: Annotated[
        Dimension | None,
        Query(description="channel (of the order), tier or segment (current ones)"),
    ] = None,
    from_: _From = None,
    to: _To = None,
    churn_days: Annotated[
        int, Query(ge=1, le=3650, description="days without an order that make a churned customer")
    ] = 180,
    currency: _Currency = None,
) -> KpiReport:
    """Program KPIs per period (default: from the first enrolment or order to today) and
    group: members, active and new members, orders, revenue, average order value, purchase
    frequency, repeat-purchase rate, churn, ambassadors, NPS, reviews, points flows,
    liability, breakage and redemption rates; each defined in docs/insights.md. Money is in
    minor units; rates are floats with 4 decimals (null without a denominator)."""
    program = app_of(request).program

    def op(uow: UnitOfWork) -> KpiReport:
        return service.kpi_report(
            uow,
            program,
            period=period,
            by=by,
            start=from_,
            end=to,
            churn_days=churn_days,
            currency=currency,
        )

    return await analyse(request, op)


@router.get(
    "/insights/cohorts",
    response_model=CohortsReport,
    dependencies=[Depends(require(Permission.ANALYTICS_READ))],
    responses=problem_responses(DateRangeInvalidError),
)
async def get_cohorts(
    request: Request, from_: _From = None, to: _To = None, currency: _Currency = None
) -> CohortsReport:
    """Retention by month of first order: per cohort, for each month since its first
    order, the members who ordered that month and their share of the cohort."""
    program = app_of(request).program

    def op(uow: UnitOfWork) -> CohortsReport:
        return service.cohorts_report(uow, program, start=from_, end=to, currency=currency)

    return await analyse(request, op)


@router.get(
    "/insights/time-to-second-order",
    response_model=SecondOrderReport,
    dependencies=[Depends(require(Permission.ANALYTICS_READ))],
)
async def get_time_to_second_order(
    request: Request, currency: _Currency = None
) -> SecondOrderReport:
    """Days from each repeat customer's first to second order: mean, quartiles and a
    histogram."""
    program = app_of(request).program

    def op(uow: UnitOfWork) -> SecondOrderReport:
        return service.second_order_report(uow, program, currency=currency)

    return await analyse(request, op)


@router.get(
    "/insights/journey",
    response_model=JourneyReport,
    dependencies=[Depends(require(Permission.ANALYTICS_READ))],
    responses=problem_responses(DateRangeInvalidError),
)
async def get_journey(
    request: Request, from_: _From = None, to: _To = None, currency: _Currency = None
) -> JourneyReport:
    """The funnel enrolled → first → second → third order by month of enrolment: members
    at each step, their share of the cohort and the median days between steps."""
    program = app_of(request).program

    def op(uow: UnitOfWork) -> JourneyReport:
        return service.journey_report(uow, program, start=from_, end=to, currency=currency)

    return await analyse(request, op)
