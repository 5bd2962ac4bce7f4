"""``bench/ingest.py``'s helpers: basket resizing and the floor's batch plan."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

import pytest
from bench.baskets import RETURN_WINDOW, BasketResizer
from bench.floor import TableRows, plan_batches
from hypothesis import given, settings
from hypothesis import strategies as st

from loyalist.activities.schemas import parse_event
from loyalist.demo import ShopSpec, catalogue, generate_events

SPEC = ShopSpec(seed=11, members=80, months=4, end=date(2026, 6, 1), return_rate=0.5)
ORDER_EVENTS = [e for e in generate_events(SPEC) if e["type"].startswith("order.")]


def resized(lines: int, seed: int = SPEC.seed) -> list[dict[str, Any]]:
    resize = BasketResizer(catalogue(SPEC), lines, seed)
    return [resize(event) for event in ORDER_EVENTS]


@settings(max_examples=15, deadline=None)
@given(lines=st.integers(min_value=1, max_value=SPEC.products))
def test_every_order_has_the_lines_asked_for_and_returns_name_its_skus(lines: int) -> None:
    ordered: dict[str, dict[str, int]] = {}
    returns = 0
    for event in resized(lines):
        parse_event(event)  # totals add up, one line per sku, one return line per sku
        data = event["data"]
        if event["type"] == "order.placed":
            assert len(data["lines"]) == lines
            ordered[data["order_id"]] = {line["sku"]: line["quantity"] for line in data["lines"]}
        elif event["type"] == "order.returned":
            returns += 1
            quantities = ordered[data["order_id"]]
            for line in data["lines"]:
                assert 1 <= line["quantity"] <= quantities[line["sku"]]
    assert returns > 0


def test_kept_lines_stay_as_the_demo_made_them() -> None:
    for before, after in zip(ORDER_EVENTS, resized(30), strict=True):
        if before["type"] == "order.placed":
            original = before["data"]["lines"]
            assert after["data"]["lines"][: len(original)] == original
            assert after["data"]["shipping"] == before["data"]["shipping"]
        elif before["type"] == "order.returned":
            assert after == before  # every returned sku is still in its order


def test_resizing_is_deterministic_and_depends_on_the_seed() -> None:
    assert resized(12) == resized(12)
    assert resized(12) != resized(12, seed=SPEC.seed + 1)


def test_a_return_of_an_order_not_seen_within_the_window_is_refused() -> None:
    resize = BasketResizer(catalogue(SPEC), 3, SPEC.seed)
    returned = next(e for e in ORDER_EVENTS if e["type"] == "order.returned")
    with pytest.raises(LookupError, match="not placed within"):
        resize(returned)


def test_placed_orders_are_forgotten_after_the_window() -> None:
    resize = BasketResizer(catalogue(SPEC), 2, SPEC.seed)
    placed = [e for e in ORDER_EVENTS if e["type"] == "order.placed"]
    for event in placed:
        resize(event)
    first, last = placed[0]["occurred_at"], placed[-1]["occurred_at"]
    assert date.fromisoformat(last[:10]) - date.fromisoformat(first[:10]) > RETURN_WINDOW
    assert 0 < resize.remembered < len(placed)


def test_basket_size_outside_the_catalogue_is_refused() -> None:
    with pytest.raises(ValueError, match="lines must be within"):
        BasketResizer(catalogue(SPEC), SPEC.products + 1, SPEC.seed)


@st.composite
def schemas(draw: st.DrawFn) -> tuple[list[TableRows], int]:
    """Parents, children pointing at parents, grandchildren pointing at children and
    parents, with foreign keys in any order of the parents' rows (or NULL)."""
    parents = draw(st.integers(min_value=1, max_value=40))
    parent = TableRows("parent", ("id",), [(n,) for n in draw(st.permutations(range(parents)))])

    def refs(count: int) -> list[int | None]:
        return draw(
            st.lists(
                st.one_of(st.none(), st.integers(min_value=0, max_value=count - 1)),
                min_size=1,
                max_size=60,
            )
        )

    child = TableRows(
        "child",
        ("id", "parent_id"),
        [(n, p) for n, p in enumerate(refs(parents))],
        (("parent_id", "parent", "id"),),
    )
    grandchild = TableRows(
        "grandchild",
        ("id", "parent_id", "child_id"),
        [
            (n, draw(st.integers(min_value=0, max_value=parents - 1)), c)
            for n, c in enumerate(refs(len(child.rows)))
        ],
        (("child_id", "child", "id"), ("parent_id", "parent", "id")),
    )
    return [parent, child, grandchild], draw(st.integers(min_value=1, max_value=12))


@settings(max_examples=200, deadline=None)
@given(schemas())
def test_batches_hold_every_row_once_after_its_parents(schema: tuple[list[TableRows], int]) -> None:
    tables, transactions = schema
    plan = plan_batches(tables, transactions)
    assert len(plan) == transactions
    batch_of: dict[tuple[str, Any], int] = {}
    seen: Counter[str] = Counter()
    for number, batch in enumerate(plan):
        names = [table.name for table, _ in batch]
        assert names == [t.name for t in tables if t.name in names]  # tables in given order
        for table, rows in batch:
            assert rows
            for row in rows:
                batch_of[table.name, row[0]] = number
                seen[table.name] += 1
                for column, ref_table, _ in table.foreign_keys:
                    value = row[table.columns.index(column)]
                    if value is not None:
                        assert batch_of[ref_table, value] <= number
    assert seen == {t.name: len(t.rows) for t in tables}
    for batch in plan:  # within a batch, a table's rows keep their order
        for table, rows in batch:
            positions = [table.rows.index(row) for row in rows]
            assert positions == sorted(positions)


@given(
    rows=st.integers(min_value=1, max_value=300),
    transactions=st.integers(min_value=1, max_value=50),
)
def test_a_table_without_foreign_keys_spreads_evenly(rows: int, transactions: int) -> None:
    table = TableRows("t", ("id",), [(n,) for n in range(rows)])
    sizes = [sum(len(r) for _, r in batch) for batch in plan_batches([table], transactions)]
    assert sum(sizes) == rows
    assert max(sizes) - min(sizes) <= 1
