"""The dashboard's figures over random shops: the series add up to the period's tiles, the
previous period is as long and right before, the RFM grid counts every customer once, the
funnel never widens and retention shares are shares."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loyalist.insights.dashboard import (
    PRESETS,
    DashboardPeriod,
    dashboard_figures,
    preset_period,
    rfm_grid,
)
from loyalist.insights.nps import Period
from loyalist.insights.snapshot import Snapshot
from loyalist.web.console.dashboard import heat

NOW = datetime(2026, 3, 20, 12, tzinfo=UTC)
ZONE = ZoneInfo("Europe/Berlin")
HOURS = 24 * 200  # the shop's history: the 200 days before NOW

instants = st.integers(0, HOURS).map(lambda h: NOW - timedelta(hours=h))


@st.composite
def shops(draw: st.DrawFn) -> Snapshot:
    count = draw(st.integers(1, 12))
    enrolled = draw(st.lists(instants, min_size=count, max_size=count))
    orders = draw(
        st.lists(
            st.tuples(st.integers(0, count - 1), instants, st.integers(0, 20_000)), max_size=40
        )
    )
    points = draw(
        st.lists(
            st.tuples(
                st.integers(0, count - 1),
                instants,
                st.sampled_from(["issued", "redeemed", "expired"]),
                st.integers(1, 500),
            ),
            max_size=30,
        )
    )
    return Snapshot.of(
        members=pl.DataFrame(
            {
                "member_id": list(range(count)),
                "enrolled_at": enrolled,
                "tier": [None] * count,
                "segments": [[]] * count,
            },
            schema_overrides={"tier": pl.String, "segments": pl.List(pl.String)},
        ),
        orders=pl.DataFrame(
            {
                "order_key": list(range(len(orders))),
                "member_id": [o[0] for o in orders],
                "paid_at": [o[1] for o in orders],
                "currency": ["EUR"] * len(orders),
                "channel": ["web"] * len(orders),
                "amount": [o[2] for o in orders],
            },
            schema_overrides={"paid_at": pl.Datetime("us", "UTC")},
        ),
        points=pl.DataFrame(
            {
                "at": [p[1] for p in points],
                "member_id": [p[0] for p in points],
                "flow": [p[2] for p in points],
                "points": [p[3] for p in points],
            },
            schema_overrides={"at": pl.Datetime("us", "UTC"), "flow": pl.String},
        ),
    )


periods = st.one_of(
    st.sampled_from(list(PRESETS)).map(lambda key: preset_period(key, NOW.date())),
    st.tuples(st.integers(0, 400), st.integers(1, 120)).map(
        lambda a: DashboardPeriod(
            "custom",
            NOW.date() - timedelta(days=a[0]),
            NOW.date() - timedelta(days=a[0]) + timedelta(days=a[1] - 1),
        )
    ),
)


@settings(max_examples=15, deadline=None)
@given(shop=shops(), period=periods)
def test_figures_add_up_and_stay_in_bounds(shop: Snapshot, period: DashboardPeriod) -> None:
    found = dashboard_figures(
        shop,
        period,
        now=NOW,
        zone=ZONE,
        currency="EUR",
        point_value=Decimal("0.01"),
        minor_exponent=2,
    )
    assert found.previous_end == found.start - timedelta(days=1)
    assert (found.previous_end - found.previous_start) == (found.end - found.start)
    for name in ("new_members", "orders", "revenue"):
        assert sum(getattr(p, name) for p in found.series) == found.current[name], name
    assert found.series[0].period_start <= found.start
    if found.end <= NOW.date():
        assert found.series[-1].liability_points == found.current["liability_points"]
    funnel = found.funnel
    assert funnel.enrolled >= funnel.first_order >= funnel.second_order >= funnel.third_order
    assert len(found.rfm) == 25
    for cohort in found.cohorts:
        assert cohort.shares[0] == 1.0
        assert all(0 <= s <= 1 for s in cohort.shares)
    for key in ("repeat_purchase_rate", "churn_rate"):
        value = found.current[key]
        assert value is None or 0 <= float(value) <= 1


@settings(max_examples=15, deadline=None)
@given(shop=shops())
def test_the_rfm_grid_counts_every_customer_once(shop: Snapshot) -> None:
    cells = rfm_grid(shop.orders, NOW)
    buyers = shop.orders.filter(pl.col("amount") > 0).get_column("member_id").n_unique()
    assert sum(c.members for c in cells) == buyers
    assert {(c.r_score, c.fm_score) for c in cells} == {
        (r, fm) for r in range(1, 6) for fm in range(1, 6)
    }


@pytest.mark.parametrize(
    ("days", "bucket"),
    [(1, Period.DAY), (31, Period.DAY), (32, Period.WEEK), (366, Period.WEEK), (367, Period.MONTH)],
)
def test_the_series_bucket_follows_the_length(days: int, bucket: Period) -> None:
    start = date(2026, 1, 1)
    assert DashboardPeriod("custom", start, start + timedelta(days=days - 1)).bucket == bucket


def test_a_preset_ends_today_and_is_as_long_as_it_says() -> None:
    period = preset_period("30d", date(2026, 3, 20))
    assert (period.start, period.end, period.days) == (date(2026, 2, 19), date(2026, 3, 20), 30)
    assert (period.previous_start, period.previous_end) == (date(2026, 1, 20), date(2026, 2, 18))


@given(st.floats(0, 1), st.floats(0, 1))
def test_heat_classes_grow_with_the_share(a: float, b: float) -> None:
    low, high = sorted((a, b))
    assert int(heat(low)[1:]) <= int(heat(high)[1:])
    assert heat(0) == "h0"
    assert heat(high) in {f"h{n}" for n in range(11)}
