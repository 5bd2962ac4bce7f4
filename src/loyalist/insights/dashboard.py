"""The console dashboard's figures: one period against the one before it, pure over a Snapshot.

A dashboard period is a run of whole days of the program's time zone: a preset (the last
7, 30, 90 or 365 days up to today) or any ``from``–``to``. The previous period is as many
days right before it. The KPIs of both come from one :func:`~loyalist.insights.kpis.span_figures`
pass (the KPI report's definitions, so the dashboard and ``GET /insights/kpis`` agree);
the series are the KPI report's rows by day (up to a month), ISO week (up to a year) or
month; cohorts, the RFM grid and the funnel reuse ``cohorts``, ``rfm`` and ``journey``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from decimal import Decimal
from typing import Final

import polars as pl

from loyalist.insights import kpis
from loyalist.insights.cohorts import cohort_retention
from loyalist.insights.journey import journey_funnel
from loyalist.insights.nps import Period
from loyalist.insights.rfm import GRID, rfm_scores
from loyalist.insights.schemas import (
    Dashboard,
    DashboardCohort,
    DashboardFunnel,
    DashboardPoint,
    DashboardRfmCell,
)
from loyalist.insights.snapshot import Snapshot

#: Preset periods: key → days, ending today.
PRESETS: Final = {"7d": 7, "30d": 30, "90d": 90, "365d": 365}
CUSTOM: Final = "custom"
#: Periods up to this many days are charted by day, up to a year by ISO week, then by month.
DAILY_UP_TO: Final = 31
WEEKLY_UP_TO: Final = 366
#: First-order cohorts shown in the retention heat map (the last ones up to the period's end).
COHORT_MONTHS: Final = 12
#: The KPI columns the dashboard keeps for its tiles.
TILE_COLUMNS: Final = (
    "members",
    "new_members",
    "active_members",
    "orders",
    "revenue",
    "average_order_value",
    "repeat_purchase_rate",
    "churn_rate",
    "nps",
    "nps_responses",
    "ambassadors",
    "liability_points",
    "liability_money",
    "breakage_rate",
)
SERIES_COLUMNS: Final = tuple(DashboardPoint.model_fields)


@dataclass(frozen=True, slots=True)
class DashboardPeriod:
    """``start`` to ``end`` (days, both included) and the as long period before it."""

    key: str
    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def previous_start(self) -> date:
        return self.start - timedelta(days=self.days)

    @property
    def previous_end(self) -> date:
        return self.start - timedelta(days=1)

    @property
    def bucket(self) -> Period:
        if self.days <= DAILY_UP_TO:
            return Period.DAY
        return Period.WEEK if self.days <= WEEKLY_UP_TO else Period.MONTH


def preset_period(key: str, today: date) -> DashboardPeriod:
    """The preset ``key`` (of :data:`PRESETS`) ending ``today``.

    Raises:
        KeyError: not a preset.
    """
    return DashboardPeriod(key, today - timedelta(days=PRESETS[key] - 1), today)


def dashboard_figures(
    snapshot: Snapshot,
    period: DashboardPeriod,
    *,
    now: datetime,
    zone: tzinfo,
    currency: str,
    point_value: Decimal,
    minor_exponent: int,
    churn_days: int = 180,
) -> Dashboard:
    """Every figure of the dashboard for ``period`` as of ``now``.

    Invariants: the series' flows over the period sum to the period's tile figures (new
    members, orders, revenue); cohort shares are in [0, 1]; the RFM cells' members sum to
    the customers with a purchase by the period's end; the funnel never widens.
    """
    spans = kpis.span_figures(
        snapshot,
        [period.previous_start, period.start, period.end + timedelta(days=1)],
        now=now,
        zone=zone,
        churn_days=churn_days,
        point_value=point_value,
        minor_exponent=minor_exponent,
    )
    previous, current = (spans.row(i, named=True) for i in range(2))
    series = kpis.kpi_report(
        snapshot,
        now=now,
        zone=zone,
        period=period.bucket,
        start=period.start,
        end=period.end,
        churn_days=churn_days,
        point_value=point_value,
        minor_exponent=minor_exponent,
    ).rows
    end_at = min(now, datetime.combine(period.end + timedelta(days=1), time(0), zone)).astimezone(
        UTC
    )
    return Dashboard(
        period=period.key,
        start=period.start,
        end=period.end,
        previous_start=period.previous_start,
        previous_end=period.previous_end,
        bucket=period.bucket,
        timezone=getattr(zone, "key", "UTC"),
        currency=currency,
        point_value=str(point_value),
        computed_at=now,
        current={k: current[k] for k in TILE_COLUMNS},
        previous={k: previous[k] for k in TILE_COLUMNS},
        series=[
            DashboardPoint(**{k: row[k] for k in SERIES_COLUMNS})
            for row in series.with_columns(pl.col(SERIES_COLUMNS[1:]).fill_null(0)).to_dicts()
        ],
        cohorts=_cohorts(snapshot, period, zone, end_at),
        rfm=rfm_grid(snapshot.orders, end_at),
        funnel=_funnel(snapshot, period, zone),
    )


def _cohorts(
    snapshot: Snapshot, period: DashboardPeriod, zone: tzinfo, end_at: datetime
) -> list[DashboardCohort]:
    last = period.end.replace(day=1)
    months = last.year * 12 + last.month - 1 - (COHORT_MONTHS - 1)
    first = date(months // 12, months % 12 + 1, 1)
    orders = snapshot.orders.filter(pl.col("paid_at") < end_at)
    grid = cohort_retention(orders, zone=zone, now=end_at, start=first, end=period.end)
    return [
        DashboardCohort(
            cohort=cells.item(0, "cohort"),
            size=cells.item(0, "cohort_size"),
            shares=cells.get_column("share").to_list(),
        )
        for cells in grid.partition_by("cohort", maintain_order=True)
    ]


def rfm_grid(orders: pl.DataFrame, as_of: datetime) -> list[DashboardRfmCell]:
    """Customers per RFM cell (recency score 1–5 × ⌊(F + M) / 2⌋ 1–5) as of ``as_of``:
    all 25 cells, empty ones with 0."""
    scored = rfm_scores(orders, as_of=as_of.astimezone(UTC))
    counts = (
        scored.with_columns(fm_score=(pl.col("f_score") + pl.col("m_score")) // 2)
        .group_by("r_score", "fm_score")
        .agg(members=pl.len())
    )
    found = {(int(r), int(fm)): int(n) for r, fm, n in counts.iter_rows()}
    return [
        DashboardRfmCell(
            r_score=r, fm_score=fm, segment=GRID[r - 1][fm - 1], members=found.get((r, fm), 0)
        )
        for r in range(5, 0, -1)
        for fm in range(1, 6)
    ]


def _funnel(snapshot: Snapshot, period: DashboardPeriod, zone: tzinfo) -> DashboardFunnel:
    since = datetime.combine(period.start, time(0), zone).astimezone(UTC)
    until = datetime.combine(period.end + timedelta(days=1), time(0), zone).astimezone(UTC)
    enrolled = snapshot.members.filter(pl.col("enrolled_at").is_between(since, until, "left"))
    steps = journey_funnel(enrolled, snapshot.orders, zone=zone)
    sums = steps.select(pl.col("enrolled", "first_order", "second_order", "third_order").sum()).row(
        0, named=True
    )
    return DashboardFunnel(**{k: int(v or 0) for k, v in sums.items()})
