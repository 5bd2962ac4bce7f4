"""The benchmark's synthetic snapshot: contract schemas, sizes that scale, determinism."""

from __future__ import annotations

from datetime import UTC, datetime

import orjson
import polars as pl
import pytest
from bench.insights_data import generate_snapshot, sizes
from polars.testing import assert_frame_equal

from loyalist.insights.kpis import FLOWS
from loyalist.insights.snapshot import (
    ANSWERS_SCHEMA,
    LINES_SCHEMA,
    MEMBERS_SCHEMA,
    ORDERS_SCHEMA,
    POINTS_SCHEMA,
    REFERRALS_SCHEMA,
    REVIEWS_SCHEMA,
    Snapshot,
)

END = datetime(2026, 11, 1, tzinfo=UTC)
FRAMES = ("members", "orders", "lines", "points", "reviews", "answers", "referrals")


@pytest.fixture(scope="module")
def small() -> Snapshot:
    return generate_snapshot(members=3_000, lines=30_000, seed=7, end=END)


def test_every_frame_has_its_contract_schema(small: Snapshot) -> None:
    schemas = (
        MEMBERS_SCHEMA,
        ORDERS_SCHEMA,
        LINES_SCHEMA,
        POINTS_SCHEMA,
        REVIEWS_SCHEMA,
        ANSWERS_SCHEMA,
        REFERRALS_SCHEMA,
    )
    for name, schema in zip(FRAMES, schemas, strict=True):
        frame = getattr(small, name)
        assert frame.schema == schema, name
        assert frame.height > 0, name
        assert frame.null_count().sum_horizontal().item() == 0, name


def test_orders_and_lines_agree_and_lie_in_the_window(small: Snapshot) -> None:
    by_order = small.lines.group_by("order_key").agg(
        pl.col("amount").sum(), pl.col("member_id").first(), pl.col("paid_at").first()
    )
    joined = small.orders.join(by_order, on="order_key", suffix="_lines")
    assert joined.height == small.orders.height
    assert (joined["amount"] == joined["amount_lines"]).all()
    assert (joined["member_id"] == joined["member_id_lines"]).all()
    assert (joined["paid_at"] == joined["paid_at_lines"]).all()
    assert small.orders["order_key"].is_unique().all()
    assert small.orders["paid_at"].max() < END  # type: ignore[operator]
    enrolled = small.orders.join(small.members, on="member_id")
    assert (enrolled["paid_at"] >= enrolled["enrolled_at"]).all()
    counts = small.lines.group_by("order_key").len()["len"]
    assert counts.min() == 1
    assert counts.max() <= 8  # type: ignore[operator]
    assert (small.lines["returned_quantity"] <= small.lines["quantity"]).all()


def test_point_balances_never_go_negative(small: Snapshot) -> None:
    sign = pl.when(pl.col("flow").is_in(["issued", "adjusted"])).then(1).otherwise(-1) * pl.col(
        "points"
    )
    running = small.points.sort("member_id", "at", maintain_order=True).with_columns(
        balance=sign.cum_sum().over("member_id")
    )
    assert set(small.points["flow"].unique()) <= set(FLOWS)
    assert running["balance"].min() >= 0  # type: ignore[operator]


def test_sizes_scale_with_the_arguments(small: Snapshot) -> None:
    larger = sizes(generate_snapshot(members=12_000, lines=120_000, seed=7, end=END))
    assert larger["members"] == 12_000
    assert small.members.height == 3_000
    assert 0.9 < larger["lines"] / 120_000 < 1.1
    assert 0.9 < small.lines.height / 30_000 < 1.1
    # Orders per member come from the purchase process, so they scale with members.
    assert 3.4 < larger["orders"] / small.orders.height < 4.6


def test_the_same_seed_gives_the_same_snapshot_and_another_seed_another(
    small: Snapshot,
) -> None:
    again = generate_snapshot(members=3_000, lines=30_000, seed=7, end=END)
    for name in FRAMES:
        assert_frame_equal(getattr(again, name), getattr(small, name))
    other = generate_snapshot(members=3_000, lines=30_000, seed=8, end=END)
    assert not other.orders.equals(small.orders)


def test_repeat_buyers_follow_a_long_tailed_distribution(small: Snapshot) -> None:
    per_member = small.orders.group_by("member_id").len()["len"]
    one_timers = (per_member == 1).mean()
    assert 0.2 < one_timers < 0.7  # type: ignore[operator]
    assert per_member.max() >= 10  # type: ignore[operator]


def test_rejects_non_positive_sizes() -> None:
    with pytest.raises(ValueError, match="positive"):
        generate_snapshot(members=0, lines=10)


def test_the_benchmark_times_every_step_on_a_tiny_snapshot(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from bench import insights

    assert insights.main(["--members", "600", "--lines", "6000", "--json"]) == 0
    document = orjson.loads(capsys.readouterr().out)
    assert document["complete"] is True
    steps = document["steps"]
    assert {"kpis monthly", "rfm", "clv: score_customers"} <= set(steps)
    assert all(step["seconds"] > 0 for step in steps.values())
    counted = [step["seconds"] for step in steps.values() if step["in_total"]]
    assert document["total_seconds"] == pytest.approx(sum(counted), abs=1e-5)
    assert document["peak_rss_mib"] > 0
