"""What the insights API answers."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from loyalist.insights.nps import Dimension, Figures, Period


class NpsFigures(BaseModel):
    responses: int
    promoters: int = Field(description="answers scoring 9–10")
    passives: int = Field(description="answers scoring 7–8")
    detractors: int = Field(description="answers scoring 0–6")
    nps: float | None = Field(
        description="% promoters − % detractors, one decimal; null without responses"
    )

    @classmethod
    def of(cls, figures: Figures) -> NpsFigures:
        return cls(
            responses=figures.responses,
            promoters=figures.promoters,
            passives=figures.passives,
            detractors=figures.detractors,
            nps=figures.nps,
        )


class NpsRow(NpsFigures):
    period: str | None = Field(
        description="2026-01-15 (day), 2026-W03 (ISO week), 2026-01 (month); null: whole range"
    )
    period_start: date | None = Field(description="first day of the period, program time zone")
    group: str | None = Field(
        description="the segment, tier or channel; null: none (or not grouped)"
    )


class NpsReport(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "period": "month",
                    "by": "tier",
                    "from": "2026-01-01",
                    "to": "2026-02-28",
                    "timezone": "UTC",
                    "rows": [
                        {
                            "responses": 1,
                            "promoters": 1,
                            "passives": 0,
                            "detractors": 0,
                            "nps": 100.0,
                            "period": "2026-01",
                            "period_start": "2026-01-01",
                            "group": "gold",
                        }
                    ],
                    "total": {
                        "responses": 5,
                        "promoters": 2,
                        "passives": 1,
                        "detractors": 2,
                        "nps": 0.0,
                    },
                }
            ]
        }
    )

    period: Period | None
    by: Dimension | None
    from_: date | None = Field(serialization_alias="from", description="first day counted")
    to: date | None = Field(description="last day counted (inclusive)")
    timezone: str
    rows: list[NpsRow]
    total: NpsFigures = Field(description="every counted answer once, whatever its groups")


# -- KPIs, cohorts, time to second order, journey -------------------------------------------
_RATE = "share in [0, 1], 4 decimals; null without a denominator"


class KpiFigures(BaseModel):
    """One period (and group): flows inside the window, stocks as of its end (capped at now).
    Member-level figures are null when grouped by order channel."""

    members: int | None = Field(description="members enrolled by the end of the period")
    new_members: int | None = Field(description="members enrolled in the period")
    active_members: int = Field(description="members with at least one paid order in the period")
    orders: int = Field(description="paid, not cancelled orders in the period")
    revenue: int = Field(description="their amounts net of returns, minor units of `currency`")
    average_order_value: int | None = Field(description="revenue / orders, minor units, half up")
    purchase_frequency: float | None = Field(description="orders / active members, 4 decimals")
    repeat_buyers: int = Field(
        description="active members with 2+ orders in their lifetime by the period's end"
    )
    repeat_purchase_rate: float | None = Field(
        description="repeat buyers / active members; " + _RATE
    )
    customers: int | None = Field(description="members with an order by the period's end")
    churned_customers: int | None = Field(
        description="customers without an order in the `churn_days` before the period's end"
    )
    churn_rate: float | None = Field(description="churned customers / customers; " + _RATE)
    ambassadors: int | None = Field(
        description="members with a converted referral or a 9–10 answer by the period's end"
    )
    nps_responses: int | None = Field(description="first survey answers with a score in the period")
    promoters: int | None
    detractors: int | None
    nps: float | None = Field(description="% promoters − % detractors, one decimal")
    reviews: int | None = Field(description="live reviews published in the period")
    average_rating: float | None = Field(description="their mean rating, 2 decimals")
    points_issued: int | None
    points_redeemed: int | None = Field(description="net of refunds of spent points")
    points_expired: int | None
    points_reversed: int | None
    points_adjusted: int | None = Field(description="signed: positive when given")
    liability_points: int | None = Field(description="outstanding points at the period's end")
    liability_money: int | None = Field(
        description="liability × point value, minor units of `liability_currency`, half up"
    )
    breakage_rate: float | None = Field(description="expired / issued, to date; " + _RATE)
    redemption_rate: float | None = Field(description="redeemed / issued, to date; " + _RATE)


class KpiRow(KpiFigures):
    period: str = Field(description="2026-01-15 (day), 2026-W03 (ISO week), 2026-01 (month)")
    period_start: date = Field(description="first day of the period, program time zone")
    group: str | None = Field(description="the channel, tier or segment; null: none/not grouped")


class KpiTotal(KpiFigures):
    period: str
    period_start: date


class KpiReport(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "period": "month",
                    "by": None,
                    "from": "2026-01-15",
                    "to": "2026-01-15",
                    "timezone": "UTC",
                    "currency": "EUR",
                    "liability_currency": "EUR",
                    "point_value": "0.01",
                    "churn_days": 180,
                    "rows": [
                        {
                            "members": 0,
                            "new_members": 1,
                            "active_members": 0,
                            "orders": 0,
                            "revenue": 0,
                            "average_order_value": None,
                            "purchase_frequency": None,
                            "repeat_buyers": 0,
                            "repeat_purchase_rate": None,
                            "customers": 0,
                            "churned_customers": 0,
                            "churn_rate": None,
                            "ambassadors": 0,
                            "nps_responses": 0,
                            "promoters": 0,
                            "detractors": 0,
                            "nps": None,
                            "reviews": 0,
                            "average_rating": None,
                            "points_issued": 0,
                            "points_redeemed": 0,
                            "points_expired": 0,
                            "points_reversed": 0,
                            "points_adjusted": 0,
                            "liability_points": 0,
                            "liability_money": 0,
                            "breakage_rate": None,
                            "redemption_rate": None,
                            "period": "2026-01",
                            "period_start": "2026-01-01",
                            "group": None,
                        }
                    ],
                    "totals": None,
                }
            ]
        }
    )

    period: Period
    by: Dimension | None
    from_: date = Field(serialization_alias="from", description="first day counted")
    to: date = Field(description="last day counted (inclusive)")
    timezone: str
    currency: str | None = Field(description="orders counted (null: every currency)")
    liability_currency: str
    point_value: str = Field(description="whole units of `liability_currency` a point is worth")
    churn_days: int
    rows: list[KpiRow]
    totals: list[KpiTotal] | None = Field(
        description="per period over every member once; only when grouped"
    )


class CohortCell(BaseModel):
    months_since: int = Field(description="0: the month of the first order")
    members: int = Field(description="members of the cohort with an order in that month")
    share: float = Field(description="members / cohort size, 4 decimals")


class Cohort(BaseModel):
    cohort: str = Field(description="month of the first order, 2026-01")
    cohort_start: date
    size: int
    months: list[CohortCell]


#: The head of a cohort report's example: every day, in UTC, in euros.
_ALL_TIME_EXAMPLE: dict[str, Any] = {"from": None, "to": None, "timezone": "UTC", "currency": "EUR"}


class CohortsReport(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    **_ALL_TIME_EXAMPLE,
                    "cohorts": [
                        {
                            "cohort": "2026-01",
                            "cohort_start": "2026-01-01",
                            "size": 2,
                            "months": [{"months_since": 0, "members": 2, "share": 1.0}],
                        }
                    ],
                }
            ]
        }
    )

    from_: date | None = Field(serialization_alias="from")
    to: date | None
    timezone: str
    currency: str | None
    cohorts: list[Cohort]


class SecondOrderBucket(BaseModel):
    lower: int = Field(description="days, included")
    upper: int | None = Field(description="days, excluded; null: no bound")
    customers: int
    share: float | None = Field(description="of repeat customers, 4 decimals")


class SecondOrderReport(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "currency": "EUR",
                    "customers": 0,
                    "repeat_customers": 0,
                    "mean_days": None,
                    "p25_days": None,
                    "median_days": None,
                    "p75_days": None,
                    "histogram": [{"lower": 0, "upper": 1, "customers": 0, "share": None}],
                }
            ]
        }
    )

    currency: str | None
    customers: int = Field(description="members with at least one order")
    repeat_customers: int = Field(description="members with at least two orders")
    mean_days: float | None
    p25_days: float | None
    median_days: float | None
    p75_days: float | None
    histogram: list[SecondOrderBucket]


class JourneyCohort(BaseModel):
    cohort: str = Field(description="month of enrolment, 2026-01")
    cohort_start: date
    enrolled: int
    first_order: int
    first_order_share: float
    days_to_first_order: float | None = Field(description="median days from enrolment")
    second_order: int
    second_order_share: float
    days_to_second_order: float | None = Field(description="median days from the first order")
    third_order: int
    third_order_share: float
    days_to_third_order: float | None = Field(description="median days from the second order")


class JourneyReport(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    **_ALL_TIME_EXAMPLE,
                    "cohorts": [
                        {
                            "cohort": "2026-01",
                            "cohort_start": "2026-01-01",
                            "enrolled": 3,
                            "first_order": 3,
                            "first_order_share": 1.0,
                            "days_to_first_order": 18.0,
                            "second_order": 1,
                            "second_order_share": 0.3333,
                            "days_to_second_order": 36.0,
                            "third_order": 0,
                            "third_order_share": 0.0,
                            "days_to_third_order": None,
                        }
                    ],
                }
            ]
        }
    )

    from_: date | None = Field(serialization_alias="from")
    to: date | None
    timezone: str
    currency: str | None
    cohorts: list[JourneyCohort]


# -- the console's dashboard ---------------------------------------------------------------
class DashboardPoint(BaseModel):
    """One bucket (day, ISO week or month) of the dashboard's time series."""

    period_start: date
    new_members: int
    orders: int
    revenue: int = Field(description="minor units of the dashboard's currency")
    points_issued: int
    points_redeemed: int
    points_expired: int
    liability_points: int = Field(description="outstanding points at the bucket's end")


class DashboardCohort(BaseModel):
    """Retention of the customers whose first order fell in ``cohort``'s month."""

    cohort: date
    size: int
    shares: list[float] = Field(description="share of the cohort ordering in month 0, 1, …")


class DashboardRfmCell(BaseModel):
    r_score: int
    fm_score: int = Field(description="⌊(F + M) / 2⌋")
    segment: str
    members: int


class DashboardFunnel(BaseModel):
    """Members enrolled in the period and how many of them made a first, second and third
    order (ever, so far)."""

    enrolled: int
    first_order: int
    second_order: int
    third_order: int


class Dashboard(BaseModel):
    """The console dashboard's figures for one period and the period before it of the same
    length: KPIs (``current``/``previous``, the KPI report's columns), the series bucketed
    by ``bucket``, the last twelve first-order cohorts, the RFM grid and the funnel."""

    period: str = Field(description="7d, 30d, 90d, 365d or custom")
    start: date
    end: date
    previous_start: date
    previous_end: date
    bucket: Period
    timezone: str
    currency: str
    point_value: str
    computed_at: datetime
    current: dict[str, int | float | None]
    previous: dict[str, int | float | None]
    series: list[DashboardPoint]
    cohorts: list[DashboardCohort]
    rfm: list[DashboardRfmCell]
    funnel: DashboardFunnel
