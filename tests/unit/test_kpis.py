"""KPIs, cohorts, time to second order and the journey on a hand-built snapshot.

| member | enrolled | tier | segments | orders (paid, channel, amount) |
| --- | --- | --- | --- | --- |
| 1 | 1 Jan | gold | a, b | 2 Jan web 10.00; 2 Feb app 20.00; 20 Feb web 3.01 |
| 2 | 5 Jan | — | — | 10 Jan web 5.00 |
| 3 | 3 Feb | gold | — | 5 Feb pos 0.00 (fully returned) |
| 4 | 1 Mar | silver | a | — |

Points: 1 issued 100 (2 Jan), redeemed 30 (2 Feb), expired 10 (10 Feb); 2 issued 20 (10
Jan), reversed 5 (11 Jan); 3 adjusted −2 (1 Mar). Answers: 1 → 10 (3 Jan), 2 → 5 (4 Feb),
3 → 8 (6 Feb). Reviews: 1 → 5 (4 Jan), 2 → 2 (12 Jan). Referral: 2 referred 3 (3 Feb).
Everything at noon UTC; now = 15 March noon; churn after 30 days.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loyalist.insights.cohorts import cohort_retention, time_to_second_order
from loyalist.insights.journey import journey_funnel
from loyalist.insights.kpis import kpi_report
from loyalist.insights.nps import Dimension, Period, nps
from loyalist.insights.snapshot import Snapshot

UTC_ZONE = ZoneInfo("UTC")
NOW = datetime(2026, 3, 15, 12, tzinfo=UTC)


def t(month: int, day: int, hour: int = 12) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=UTC)


def orders_frame(rows: list[tuple[int, datetime, str, int]]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "order_key": list(range(1, len(rows) + 1)),
            "member_id": [r[0] for r in rows],
            "paid_at": [r[1] for r in rows],
            "currency": ["EUR"] * len(rows),
            "channel": [r[2] for r in rows],
            "amount": [r[3] for r in rows],
        },
        schema_overrides={"paid_at": pl.Datetime("us", "UTC")},
    )


@pytest.fixture(scope="module")
def snap() -> Snapshot:
    return Snapshot.of(
        members=pl.DataFrame(
            {
                "member_id": [1, 2, 3, 4],
                "enrolled_at": [t(1, 1), t(1, 5), t(2, 3), t(3, 1)],
                "tier": ["gold", None, "gold", "silver"],
                "segments": [["a", "b"], [], None, ["a"]],
            }
        ),
        orders=orders_frame(
            [
                (1, t(1, 2), "web", 1000),
                (1, t(2, 2), "app", 2000),
                (2, t(1, 10), "web", 500),
                (3, t(2, 5), "pos", 0),
                (1, t(2, 20), "web", 301),
            ]
        ),
        points=pl.DataFrame(
            {
                "at": [t(1, 2), t(2, 2), t(2, 10), t(1, 10), t(1, 11), t(3, 1)],
                "member_id": [1, 1, 1, 2, 2, 3],
                "flow": ["issued", "redeemed", "expired", "issued", "reversed", "adjusted"],
                "points": [100, 30, 10, 20, 5, -2],
            }
        ),
        answers=pl.DataFrame(
            {
                "member_id": [1, 2, 3],
                "answered_at": [t(1, 3), t(2, 4), t(2, 6)],
                "score": [10, 5, 8],
                "channel": ["email", "web", None],
            }
        ),
        reviews=pl.DataFrame(
            {
                "member_id": [1, 2],
                "published_at": [t(1, 4), t(1, 12)],
                "rating": [5, 2],
                "sku": ["x", "y"],
            }
        ),
        referrals=pl.DataFrame({"referrer_id": [2], "referred_id": [3], "at": [t(2, 3)]}),
    )


def report(snapshot: Snapshot, **options: Any) -> list[dict[str, Any]]:
    options = {"now": NOW, "zone": UTC_ZONE, "churn_days": 30, **options}
    return kpi_report(snapshot, **options).rows.to_dicts()


def pick(rows: list[dict[str, Any]], *names: str) -> list[tuple[Any, ...]]:
    return [tuple(row[n] for n in names) for row in rows]


class TestMonthlyKpis:
    def test_members_orders_and_revenue(self, snap: Snapshot) -> None:
        rows = report(snap)
        names = ("period_start", "members", "new_members", "active_members", "orders", "revenue")
        assert pick(rows, *names) == [
            (date(2026, 1, 1), 2, 2, 2, 2, 1500),
            (date(2026, 2, 1), 3, 1, 2, 3, 2301),
            (date(2026, 3, 1), 4, 1, 0, 0, 0),
        ]
        assert pick(rows, "average_order_value", "purchase_frequency") == [
            (750, 1.0),
            (767, 1.5),  # 2301 / 3 = 767.0
            (None, None),
        ]

    def test_repeat_purchase_counts_lifetime_orders_by_the_periods_end(
        self, snap: Snapshot
    ) -> None:
        # January: member 1's second order is on 2 February, after January ends.
        assert pick(report(snap), "repeat_buyers", "repeat_purchase_rate") == [
            (0, 0.0),
            (1, 0.5),
            (0, None),
        ]

    def test_churn_is_no_order_in_the_last_churn_days(self, snap: Snapshot) -> None:
        # 1 Mar: member 2 (last order 10 Jan) churned; 15 Mar (now): member 3 (5 Feb) too.
        assert pick(report(snap), "customers", "churned_customers", "churn_rate") == [
            (2, 0, 0.0),
            (3, 1, 0.3333),
            (3, 2, 0.6667),
        ]

    def test_ambassadors_nps_and_reviews(self, snap: Snapshot) -> None:
        rows = report(snap)
        assert pick(rows, "ambassadors", "nps_responses", "promoters", "detractors", "nps") == [
            (1, 1, 1, 0, 100.0),
            (2, 2, 0, 1, -50.0),
            (2, 0, 0, 0, None),
        ]
        assert pick(rows, "reviews", "average_rating") == [(2, 3.5), (0, None), (0, None)]

    def test_points_liability_and_rates(self, snap: Snapshot) -> None:
        rows = report(snap, point_value=Decimal("0.05"))
        assert pick(
            rows,
            "points_issued",
            "points_redeemed",
            "points_expired",
            "points_reversed",
            "points_adjusted",
        ) == [(120, 0, 0, 5, 0), (0, 30, 10, 0, 0), (0, 0, 0, 0, -2)]
        assert pick(rows, "liability_points", "liability_money") == [
            (115, 575),
            (75, 375),
            (73, 365),
        ]
        assert pick(rows, "breakage_rate", "redemption_rate") == [
            (0.0, 0.0),
            (0.0833, 0.25),  # 10 / 120, 30 / 120
            (0.0833, 0.25),
        ]

    def test_a_range_clips_the_windows(self, snap: Snapshot) -> None:
        rows = report(snap, start=date(2026, 1, 10), end=date(2026, 2, 4))
        assert pick(rows, "period_start", "new_members", "orders", "members") == [
            (date(2026, 1, 1), 0, 1, 2),  # 10–31 Jan: nobody enrolled, member 2's order
            (date(2026, 2, 1), 1, 1, 3),  # 1–4 Feb: member 3 enrolled; 2 Feb order
        ]


def test_nps_is_the_exact_decimal_rounded_half_away_from_zero() -> None:
    """Every (promoters, detractors, responses) up to 12 responses, one segment each: the KPI
    NPS is the NPS report's figure and a float whose shortest form has one decimal (never
    ``-33.300000000000004``, which polars' division of many rows by 10 gave)."""
    cases = [(p, d, n) for n in range(1, 13) for p in range(n + 1) for d in range(n - p + 1)]
    members: list[tuple[int, str]] = []
    scores: list[int] = []
    for index, (promoters, detractors, responses) in enumerate(cases):
        for k in range(responses):
            members.append((len(members) + 1, f"g{index:04d}"))
            scores.append(10 if k < promoters else 0 if k < promoters + detractors else 8)
    snapshot = Snapshot.of(
        members=pl.DataFrame(
            {
                "member_id": [m for m, _ in members],
                "enrolled_at": [t(1, 1)] * len(members),
                "tier": [None] * len(members),
                "segments": [[group] for _, group in members],
            },
            schema_overrides={"tier": pl.String},
        ),
        orders=orders_frame([]),
        answers=pl.DataFrame(
            {
                "member_id": [m for m, _ in members],
                "answered_at": [t(1, 3)] * len(members),
                "score": scores,
                "channel": ["email"] * len(members),
            }
        ),
    )
    rows = report(snapshot, by=Dimension.SEGMENT, start=date(2026, 1, 1), end=date(2026, 1, 31))
    found = {row["group"]: row["nps"] for row in rows}
    assert len(found) == len(cases)
    for index, (promoters, detractors, responses) in enumerate(cases):
        value = found[f"g{index:04d}"]
        assert value == nps(promoters, detractors, responses), (promoters, detractors, responses)
        assert Decimal(repr(value)) == Decimal(repr(value)).quantize(Decimal("0.1")), value


class TestGrouping:
    def test_by_tier_with_totals(self, snap: Snapshot) -> None:
        found = kpi_report(snap, now=NOW, zone=UTC_ZONE, by=Dimension.TIER, churn_days=30)
        feb = [r for r in found.rows.to_dicts() if r["period_start"] == date(2026, 2, 1)]
        assert pick(
            feb, "group", "members", "orders", "revenue", "customers", "churned_customers"
        ) == [
            ("gold", 2, 3, 2301, 2, 0),
            ("silver", 0, 0, 0, 0, 0),
            (None, 1, 0, 0, 1, 1),
        ]
        assert found.totals is not None
        assert found.totals["members"].to_list() == [2, 3, 4]

    def test_a_member_in_several_segments_counts_in_each(self, snap: Snapshot) -> None:
        jan = [
            r for r in report(snap, by=Dimension.SEGMENT) if r["period_start"] == date(2026, 1, 1)
        ]
        assert pick(jan, "group", "members", "orders", "revenue", "liability_points") == [
            ("a", 1, 1, 1000, 100),
            ("b", 1, 1, 1000, 100),
            (None, 1, 1, 500, 15),
        ]

    def test_by_order_channel_member_figures_are_null(self, snap: Snapshot) -> None:
        feb = [
            r for r in report(snap, by=Dimension.CHANNEL) if r["period_start"] == date(2026, 2, 1)
        ]
        assert pick(
            feb, "group", "orders", "revenue", "members", "churn_rate", "liability_points"
        ) == [
            ("app", 1, 2000, None, None, None),
            ("pos", 1, 0, None, None, None),
            ("web", 1, 301, None, None, None),
        ]


class TestPeriods:
    def test_weeks_start_on_monday_and_days_follow_the_zone(self) -> None:
        moscow = ZoneInfo("Europe/Moscow")
        members = pl.DataFrame(
            {"member_id": [1], "enrolled_at": [t(1, 1)], "tier": [None], "segments": [None]}
        )
        # 22:30 UTC on Sunday 1 February is 01:30 on Monday 2 February in Moscow.
        orders = orders_frame([(1, t(2, 1, 22) + timedelta(minutes=30), "web", 100)])
        snapshot = Snapshot.of(members=members, orders=orders)
        weeks = kpi_report(
            snapshot,
            now=NOW,
            zone=moscow,
            period=Period.WEEK,
            start=date(2026, 1, 26),
            end=date(2026, 2, 8),
        ).rows
        assert weeks.select("period_start", "orders").rows() == [
            (date(2026, 1, 26), 0),
            (date(2026, 2, 2), 1),
        ]
        days = kpi_report(
            snapshot,
            now=NOW,
            zone=moscow,
            period=Period.DAY,
            start=date(2026, 2, 1),
            end=date(2026, 2, 2),
        ).rows
        assert days.select("period_start", "orders").rows() == [
            (date(2026, 2, 1), 0),
            (date(2026, 2, 2), 1),
        ]

    def test_refuses_a_reversed_range_and_no_churn_window(self, snap: Snapshot) -> None:
        with pytest.raises(ValueError, match="after"):
            report(snap, start=date(2026, 2, 1), end=date(2026, 1, 1))
        with pytest.raises(ValueError, match="churn_days"):
            report(snap, churn_days=0)


class TestCohortsAndJourney:
    def test_retention_grid_by_month_of_first_order(self, snap: Snapshot) -> None:
        grid = cohort_retention(snap.orders, zone=UTC_ZONE, now=NOW)
        assert grid.rows() == [
            (date(2026, 1, 1), 2, 0, 2, 1.0),
            (date(2026, 1, 1), 2, 1, 1, 0.5),
            (date(2026, 1, 1), 2, 2, 0, 0.0),
            (date(2026, 2, 1), 1, 0, 1, 1.0),
            (date(2026, 2, 1), 1, 1, 0, 0.0),
        ]
        later = cohort_retention(snap.orders, zone=UTC_ZONE, now=NOW, start=date(2026, 2, 14))
        assert later["cohort"].unique().to_list() == [date(2026, 2, 1)]

    def test_time_to_second_order_quartiles_and_histogram(self) -> None:
        gaps = [1, 3, 10, 40]
        rows = [(m, t(1, 1), "web", 1) for m in range(4)]
        rows += [(m, t(1, 1) + timedelta(days=g), "web", 1) for m, g in enumerate(gaps)]
        rows += [(9, t(1, 1), "web", 1)]  # one order only
        stats = time_to_second_order(orders_frame(rows))
        assert (stats.customers, stats.repeat_customers) == (5, 4)
        assert (stats.mean_days, stats.p25_days, stats.median_days, stats.p75_days) == (
            13.5,
            2.5,
            6.5,
            17.5,
        )
        assert stats.histogram.filter(pl.col("customers") > 0).rows() == [
            (1, 7, 2, 0.5),
            (7, 14, 1, 0.25),
            (30, 60, 1, 0.25),
        ]
        assert stats.histogram["customers"].sum() == 4

    def test_no_repeat_customer_has_no_statistics(self) -> None:
        stats = time_to_second_order(orders_frame([(1, t(1, 1), "web", 1)]))
        assert (stats.repeat_customers, stats.median_days, stats.mean_days) == (0, None, None)
        assert stats.histogram["share"].null_count() == stats.histogram.height

    def test_journey_funnel_by_enrolment_month(self, snap: Snapshot) -> None:
        funnel = journey_funnel(snap.members, snap.orders, zone=UTC_ZONE)
        assert funnel.rows() == [
            (date(2026, 1, 1), 2, 2, 1.0, 3.0, 1, 0.5, 31.0, 1, 0.5, 18.0),
            (date(2026, 2, 1), 1, 1, 1.0, 2.0, 0, 0.0, None, 0, 0.0, None),
            (date(2026, 3, 1), 1, 0, 0.0, None, 0, 0.0, None, 0, 0.0, None),
        ]


# -- invariants ------------------------------------------------------------------------------
_orders = st.lists(
    st.tuples(
        st.integers(1, 6),
        st.integers(0, 120 * 24),  # hours after 1 January
        st.sampled_from(["web", "app", "pos"]),
        st.integers(0, 50_000),
    ),
    max_size=40,
)


@settings(max_examples=12, deadline=None)
@given(rows=_orders, churn=st.integers(1, 90), period=st.sampled_from(list(Period)))
def test_rates_are_shares_revenue_adds_up_and_cohorts_hold_every_buyer(
    rows: list[tuple[int, int, str, int]], churn: int, period: Period
) -> None:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    orders = orders_frame([(m, start + timedelta(hours=h), c, a) for m, h, c, a in rows])
    members = pl.DataFrame(
        {
            "member_id": list(range(1, 7)),
            "enrolled_at": [start] * 6,
            "tier": ["x", "y", None, "x", "y", None],
            "segments": [["s"], ["s", "t"], [], None, ["t"], ["s"]],
        }
    )
    snapshot = Snapshot.of(members=members, orders=orders)
    now = start + timedelta(days=130)
    for by in (None, Dimension.SEGMENT):
        found = kpi_report(snapshot, now=now, zone=UTC_ZONE, period=period, by=by, churn_days=churn)
        frame = found.rows
        for rate in ("repeat_purchase_rate", "churn_rate"):
            values = frame[rate].drop_nulls()
            assert values.is_empty() or (values.min() >= 0 and values.max() <= 1)  # type: ignore[operator]
        assert (frame["churned_customers"] <= frame["customers"]).all()
        assert (frame["repeat_buyers"] <= frame["active_members"]).all()
        totals = frame if found.totals is None else found.totals
        assert totals["revenue"].sum() == sum(r[3] for r in rows)
        assert totals["orders"].sum() == len(rows)
    grid = cohort_retention(orders, zone=UTC_ZONE, now=now)
    sizes = grid.filter(pl.col("months_since") == 0)["cohort_size"].sum()
    assert sizes == len({r[0] for r in rows})
    assert (grid["members"] <= grid["cohort_size"]).all()
