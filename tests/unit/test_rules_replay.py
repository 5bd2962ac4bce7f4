"""The backtest's side-by-side replay (``rules.policy.Replay``): pure, no database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from loyalist.rules import engine
from loyalist.rules.engine import CompiledProgram, LineView, MemberView, Occurrence, OrderView
from loyalist.rules.policy import Replay
from loyalist.rules.schemas import RuleSpec
from loyalist.settings import ProgramPolicy

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
POLICY = ProgramPolicy()


def rule(key: str, *effects: dict[str, Any], **fields: Any) -> RuleSpec:
    return RuleSpec.model_validate(
        {
            "key": key,
            "name": {"en": key, "ru": key},
            "on": ["order.paid"],
            "effects": list(effects),
            **fields,
        }
    )


def compiled(*specs: RuleSpec) -> CompiledProgram:
    return engine.compile_program((None, spec) for spec in specs)


BASE = rule("base", {"type": "per_unit", "rates": {"EUR": "1"}, "base": True})
CAPPED = rule(
    "weekend",
    {"type": "fixed", "points": 25},
    validity={"days_of_week": ["sat", "sun"]},
    limits={"per_member": {"week": 50}, "budget": 400},
)
BOOKS = rule(
    "books", {"type": "per_item", "points": 7, "lines": {"categories": ["books"]}}, priority=5
)

#: (member, hours after START, [(category, quantity, unit price)], returned share in %)
orders = st.lists(
    st.tuples(
        st.integers(1, 6),
        st.integers(0, 24 * 28),
        st.lists(
            st.tuples(
                st.sampled_from(["books", "toys"]), st.integers(1, 4), st.integers(1, 20_000)
            ),
            min_size=1,
            max_size=3,
        ),
        st.sampled_from([0, 0, 0, 25, 100]),
    ),
    max_size=40,
)


def replay(current: CompiledProgram, candidate: CompiledProgram, history: Any) -> Replay:
    """``history`` fed in time order, as the backtest feeds stored orders."""
    played = Replay(current, candidate, POLICY)
    for n, (member, hours, lines, returned_pct) in enumerate(sorted(history, key=lambda o: o[1])):
        views = tuple(LineView(f"sku-{c}", c, q, p, 0) for c, q, p in lines)
        net = sum(v.amount for v in views)
        at = START + timedelta(hours=hours)
        occurrence = Occurrence(
            trigger="order.paid",
            occurred_at=at,
            member=MemberView(id=f"m{member}"),
            order=OrderView(f"o{n}", "EUR", net, 0, "web", views, exponent=2),
            event_type="order.paid",
        )
        played.play(occurrence, member, returned=net * returned_pct // 100)
    return played


@settings(max_examples=60, deadline=None)
@given(orders)
def test_an_unchanged_program_changes_nothing(history: Any) -> None:
    program = compiled(BASE, CAPPED, BOOKS)
    same = compiled(BASE, CAPPED, BOOKS)

    played = replay(program, same, history)

    assert played.candidate == played.current
    assert played.candidate.net - played.current.net == 0


@settings(max_examples=60, deadline=None)
@given(orders)
def test_a_rule_that_doubles_its_points_doubles_its_cost(history: Any) -> None:
    fixed = rule("per-order", {"type": "fixed", "points": 30})
    doubled = rule("per-order", {"type": "fixed", "points": 60})

    played = replay(compiled(BASE, fixed), compiled(BASE, doubled), history)

    current, candidate = played.current, played.candidate
    assert candidate.by_rule["per-order"] == 2 * current.by_rule["per-order"]
    assert candidate.by_rule["base"] == current.by_rule["base"]
    assert candidate.issued - current.issued == current.by_rule["per-order"]
    assert candidate.events_with_points == current.events_with_points == len(history)


@settings(max_examples=60, deadline=None)
@given(orders)
def test_each_side_keeps_its_own_limits(history: Any) -> None:
    """The candidate's budget is spent by the candidate alone: a rule that only the
    candidate has never issues more than its budget, and the live side is the live
    program replayed alone."""
    played = replay(compiled(BASE), compiled(BASE, CAPPED), history)
    alone = replay(compiled(BASE), compiled(BASE), history)

    assert played.candidate.by_rule["weekend"] <= 400
    assert played.current == alone.current
    assert played.candidate.issued - played.current.issued == played.candidate.by_rule["weekend"]


def test_a_returned_order_reverses_its_points_in_proportion() -> None:
    history = [(1, 0, [("toys", 1, 10_000)], 100), (2, 1, [("toys", 2, 5_000)], 25)]

    played = replay(compiled(BASE), compiled(BASE), history)

    assert played.current.issued == 200
    assert played.current.reversed == 100 + 25
    assert played.current.by_member == {1: 0, 2: 75}
