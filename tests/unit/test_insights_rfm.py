"""RFM scores and segments on hand-built orders, and their invariants."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from loyalist.insights.rfm import GRID, RFM_SCHEMA, SEGMENTS, rfm_scores
from loyalist.insights.scoring import (
    CHURN_RISK_HIGH,
    LIFETIME_COLUMNS,
    score_members,
    segment_changes,
)
from loyalist.insights.snapshot import MEMBERS_SCHEMA, ORDERS_SCHEMA, Snapshot

AS_OF = datetime(2026, 1, 31, 12, 0, tzinfo=UTC)


def orders(*rows: tuple[int, float, int]) -> pl.DataFrame:
    """``(member_id, days before AS_OF, amount)`` rows as a snapshot orders frame."""
    return pl.DataFrame(
        {
            "order_key": list(range(len(rows))),
            "member_id": [m for m, _, _ in rows],
            "paid_at": [AS_OF - timedelta(days=d) for _, d, _ in rows],
            "currency": ["EUR"] * len(rows),
            "channel": ["web"] * len(rows),
            "amount": [a for _, _, a in rows],
        },
        schema=ORDERS_SCHEMA,
    )


def by_member(frame: pl.DataFrame, *columns: str) -> dict[int, tuple[object, ...]]:
    return {row[0]: tuple(row[1:]) for row in frame.select("member_id", *columns).iter_rows()}


class TestRfmScores:
    def test_five_distinct_customers_get_one_quintile_each_and_their_grid_segment(self) -> None:
        frame = orders(
            (1, 100, 1000),
            (2, 80, 2000),
            (2, 50, 2000),
            *[(3, d, 3000) for d in (60, 40, 20)],
            *[(4, d, 5000) for d in (70, 50, 30, 10)],
            *[(5, d, 10000) for d in (9, 7, 5, 3, 1)],
        )

        scored = rfm_scores(frame, as_of=AS_OF)

        assert scored.schema == RFM_SCHEMA
        assert by_member(scored, "recency_days", "frequency", "monetary") == {
            1: (100, 1, 1000),
            2: (50, 2, 4000),
            3: (20, 3, 9000),
            4: (10, 4, 20000),
            5: (1, 5, 50000),
        }
        assert by_member(scored, "r_score", "f_score", "m_score", "segment") == {
            1: (1, 1, 1, "lost"),
            2: (2, 2, 2, "hibernating"),
            3: (3, 3, 3, "potential_loyalists"),
            4: (4, 4, 4, "loyal"),
            5: (5, 5, 5, "champions"),
        }

    def test_tied_customers_share_the_score_of_their_groups_middle(self) -> None:
        one_timers = [(m, 10 * m, 100 * m) for m in range(1, 8)]
        frame = orders(*one_timers, (8, 5, 500), (8, 3, 500), (9, 4, 500), (9, 2, 500), (10, 1, 1))
        frame = pl.concat([frame, orders(*[(10, d, 1) for d in (2, 3, 4, 5)])])

        scored = rfm_scores(frame, as_of=AS_OF)

        f_scores = by_member(scored, "frequency", "f_score")
        assert {m: f_scores[m] for m in (1, 7, 8, 9, 10)} == {
            1: (1, 2),
            7: (1, 2),
            8: (2, 5),
            9: (2, 5),
            10: (5, 5),
        }

    def test_a_lone_customer_is_scored_in_the_middle_not_lost(self) -> None:
        scored = rfm_scores(orders((1, 0.1, 500)), as_of=AS_OF)

        assert by_member(scored, "r_score", "f_score", "m_score", "segment") == {
            1: (3, 3, 3, "potential_loyalists")
        }

    def test_many_customers_tied_at_the_best_recency_get_the_top_recency_score(self) -> None:
        today = [(m, 0.5, 1000) for m in range(1, 41)]
        older = [(m, float(m), 1000) for m in range(41, 101)]

        scored = rfm_scores(orders(*today, *older), as_of=AS_OF)

        r_scores = by_member(scored, "r_score")
        assert {r_scores[m] for m in range(1, 41)} == {(5,)}
        assert {r_scores[m] for m in range(41, 101)} == {(1,), (2,), (3,)}

    def test_recency_counts_whole_days_and_ignores_returned_and_later_orders(self) -> None:
        frame = orders(
            (1, 1.99, 700),
            (1, -1, 5000),
            (2, 3, 0),
            (2, 30, 400),
            (3, 2, 0),
        )

        scored = rfm_scores(frame, as_of=AS_OF)

        assert by_member(scored, "recency_days", "frequency", "monetary") == {
            1: (1, 1, 700),
            2: (30, 1, 400),
        }

    def test_no_orders_scores_nobody(self) -> None:
        assert rfm_scores(orders(), as_of=AS_OF).schema == RFM_SCHEMA
        assert rfm_scores(orders(), as_of=AS_OF).is_empty()

    def test_grid_maps_every_cell_to_one_of_the_eight_segments_and_uses_each(self) -> None:
        assert len(GRID) == 5
        assert all(len(row) == 5 for row in GRID)
        assert {cell for row in GRID for cell in row} == set(SEGMENTS)


order_rows = st.lists(
    st.tuples(
        st.integers(1, 25),
        st.integers(-2 * 1440, 400 * 1440),
        st.integers(0, 20_000),
    ),
    max_size=80,
)


@settings(max_examples=60, deadline=None)
@given(order_rows)
def test_every_buyer_gets_one_segment_and_better_figures_never_lower_scores(
    rows: list[tuple[int, int, int]],
) -> None:
    scored = rfm_scores(orders(*[(m, minutes / 1440, a) for m, minutes, a in rows]), as_of=AS_OF)

    buyers = {m for m, minutes, amount in rows if amount > 0 and minutes >= 0}
    assert scored["member_id"].to_list() == sorted(buyers)
    assert scored["segment"].is_in(list(SEGMENTS)).all()
    for column in ("r_score", "f_score", "m_score"):
        assert scored[column].is_between(1, 5).all()
    figures = list(scored.iter_rows(named=True))
    for a in figures:
        for b in figures:
            if a["recency_days"] <= b["recency_days"]:
                assert a["r_score"] >= b["r_score"]
            if a["frequency"] >= b["frequency"]:
                assert a["f_score"] >= b["f_score"]
            if a["monetary"] >= b["monetary"]:
                assert a["m_score"] >= b["m_score"]


class TestSegmentChanges:
    def test_replaces_owned_keys_keeps_others_and_skips_unchanged_members(self) -> None:
        current = pl.DataFrame(
            {
                "member_id": [1, 2, 3, 4, 5],
                "segments": [["vip", "lost"], ["champions"], None, ["at_risk"], ["staff"]],
            },
            schema={"member_id": pl.Int64, "segments": pl.List(pl.String)},
        )
        scores = pl.DataFrame(
            {
                "member_id": [1, 2, 3],
                "segment": ["champions", "champions", "new"],
                "churn_risk": [0.1, None, 0.7],
            },
            schema={"member_id": pl.Int64, "segment": pl.String, "churn_risk": pl.Float64},
        )

        changes = segment_changes(current, scores)

        assert dict(changes.iter_rows()) == {
            1: ["champions", "vip"],
            3: [CHURN_RISK_HIGH, "new"],
            4: [],
        }


class TestScoreMembers:
    def test_lifetime_columns_are_null_until_someone_buys_again(self) -> None:
        snapshot = Snapshot.of(
            members=pl.DataFrame(schema=MEMBERS_SCHEMA),
            orders=orders((1, 10, 500), (2, 20, 700)),
        )

        scored = score_members(snapshot, now=AS_OF, zone=ZoneInfo("UTC"), currency="EUR")

        assert scored["member_id"].to_list() == [1, 2]
        assert scored.select(LIFETIME_COLUMNS).null_count().row(0) == (2,) * len(LIFETIME_COLUMNS)

    def test_churn_risk_is_one_minus_p_alive_once_the_models_fit(self) -> None:
        rows = [(m, d, 1000 + 10 * m) for m in range(1, 21) for d in range(m % 5, 200, 15 + m)]
        snapshot = Snapshot.of(members=pl.DataFrame(schema=MEMBERS_SCHEMA), orders=orders(*rows))

        scored = score_members(snapshot, now=AS_OF, zone=ZoneInfo("UTC"), currency="EUR")

        assert scored.height == 20
        assert scored["p_alive"].is_between(0, 1).all()
        assert ((scored["churn_risk"] + scored["p_alive"] - 1).abs() < 1e-12).all()
        assert (scored["clv"] > 0).all()
