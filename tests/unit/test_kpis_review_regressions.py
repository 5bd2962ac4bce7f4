"""Review regressions of the pure KPI functions."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import polars as pl
import pytest

from loyalist.insights.kpis import kpi_report, period_count, period_windows
from loyalist.insights.nps import Period
from loyalist.insights.snapshot import ORDERS_SCHEMA, Snapshot

NOW = datetime(2026, 3, 15, 12, tzinfo=UTC)


@pytest.mark.parametrize("zone", ["Europe/Berlin", "America/New_York", "UTC"])
@pytest.mark.parametrize("period", list(Period))
def test_period_windows_reach_the_first_and_last_days_of_the_calendar(
    zone: str, period: Period
) -> None:
    first = period_windows(period, date(1, 1, 1), date(1, 1, 3), ZoneInfo(zone), NOW)
    last = period_windows(period, date(9999, 12, 29), date(9999, 12, 31), ZoneInfo(zone), NOW)
    assert first.count == (3 if period == Period.DAY else 1)
    assert last.count == (3 if period == Period.DAY else 1)
    assert last.edges.is_sorted()
    assert first.edges.is_sorted()


@pytest.mark.parametrize(
    ("period", "start", "end"),
    [
        (Period.DAY, date(2026, 3, 1), date(2026, 3, 31)),
        (Period.WEEK, date(2026, 3, 1), date(2026, 3, 31)),
        (Period.WEEK, date(2026, 3, 2), date(2026, 3, 8)),
        (Period.MONTH, date(2025, 11, 30), date(2026, 3, 1)),
        (Period.MONTH, date(2026, 3, 5), date(2026, 3, 6)),
    ],
)
def test_period_count_is_the_number_of_windows(period: Period, start: date, end: date) -> None:
    assert (
        period_count(period, start, end)
        == period_windows(period, start, end, ZoneInfo("Europe/Berlin"), NOW).count
    )


@pytest.mark.parametrize(
    ("point_value", "points", "money"),
    [
        (Decimal("0.0033333333333333333333"), 100, 33),
        (Decimal("0.001234567891"), 4_000_000_000, 493_827_156),
        (Decimal("0.005"), -3, -2),  # half away from zero
        (Decimal("0.01"), 10**15, 10**15),
    ],
)
def test_liability_money_is_exact_whatever_the_point_value(
    point_value: Decimal, points: int, money: int
) -> None:
    at = datetime(2026, 1, 2, tzinfo=UTC)
    snapshot = Snapshot.of(
        members=pl.DataFrame(
            {"member_id": [1], "enrolled_at": [at], "tier": [None], "segments": [None]}
        ),
        orders=pl.DataFrame(schema=ORDERS_SCHEMA),
        points=pl.DataFrame(
            {"at": [at], "member_id": [1], "flow": ["adjusted"], "points": [points]}
        ),
    )
    rows = kpi_report(snapshot, now=NOW, zone=ZoneInfo("UTC"), point_value=point_value).rows
    assert rows.select("liability_points", "liability_money").rows()[-1] == (points, money)
