"""A backtest of the live program with one edited rule (the console's), on stored orders, and
members counted per tier."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loyalist.bootstrap import Loyalist
from loyalist.errors import InvalidRequestError
from loyalist.rules import backtest as backtests
from loyalist.rules import programs
from loyalist.rules.backtest import BacktestReport
from loyalist.rules.schemas import ProgramFile, RuleSpec
from loyalist.tiers import service as tiers
from tests.conftest import START, event, order_body
from tests.integration.helpers import send

BASE: dict[str, Any] = {
    "key": "base",
    "name": {"en": "Base", "ru": "База"},
    "on": ["order.paid"],
    "effects": [{"type": "per_unit", "rates": {"EUR": "1"}, "base": True}],
}
BONUS: dict[str, Any] = {
    "key": "bonus",
    "name": {"en": "Bonus", "ru": "Бонус"},
    "on": ["order.paid"],
    "effects": [{"type": "fixed", "points": 30}],
}
TIERS: dict[str, Any] = {
    "levels": [
        {"key": "member", "name": {"en": "Member", "ru": "Участник"}},
        {
            "key": "gold",
            "name": {"en": "Gold", "ru": "Золото"},
            "threshold": {"orders": 2},
            "perks": {"earning_multiplier": "1.5"},
        },
    ]
}
FROM, TO = START - timedelta(days=40), START + timedelta(days=1)


@pytest.fixture
def shop(app: Loyalist) -> Loyalist:
    """The base rate, a fixed bonus and two tiers; M1 orders twice (gold), M2 once and
    returns half of it, M3 only enrols."""
    program = ProgramFile.model_validate({"rules": [BASE, BONUS], "tiers": TIERS})
    app.db.write(lambda uow: programs.apply_program(uow, program, actor="t", policy=app.program))
    day = timedelta(days=1)
    send(
        app,
        event("e3", "member.enrolled", "M3", START - 13 * day),
        event("p1", "order.paid", "M1", START - 12 * day, **order_body("o1", ("boot", 1, 8_000))),
        event("p2", "order.paid", "M1", START - 8 * day, **order_body("o2", ("sock", 2, 1_500))),
        event("p3", "order.paid", "M2", START - 5 * day, **order_body("o3", ("hat", 2, 2_000))),
        event(
            "r3",
            "order.returned",
            "M2",
            START - 4 * day,
            order_id="o3",
            lines=[{"sku": "hat", "quantity": 1}],
        ),
    )
    return app


def run(app: Loyalist, rule: dict[str, Any], start: datetime = FROM) -> BacktestReport:
    spec = RuleSpec.model_validate(rule)
    return app.db.read(lambda uow: backtests.backtest_rule(uow, spec, app.program, start, TO))


def test_the_live_rule_unchanged_changes_nothing(shop: Loyalist) -> None:
    report = run(shop, BASE)

    assert report.orders == 3
    assert report.current.issued > 0
    assert report.candidate == report.current
    assert report.as_dict()["difference"] == {
        "points_issued": 0,
        "cost": "0.00",
        "liability_change_points": 0,
        "liability_change": "0.00",
        "members_affected": 0,
    }


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(points=st.integers(1, 500), days=st.integers(0, 40))
def test_a_bonus_that_doubles_doubles_its_cost(shop: Loyalist, points: int, days: int) -> None:
    start = FROM + timedelta(days=days)
    live = run(shop, {**BONUS, "effects": [{"type": "fixed", "points": points}]}, start)
    doubled = run(shop, {**BONUS, "effects": [{"type": "fixed", "points": 2 * points}]}, start)

    assert doubled.candidate.by_rule["bonus"] == 2 * live.candidate.by_rule["bonus"]
    assert doubled.candidate.by_rule["bonus"] == 2 * points * doubled.orders
    assert doubled.candidate.by_rule["base"] == live.candidate.by_rule["base"]
    issued = doubled.candidate.issued - live.candidate.issued
    assert issued == points * doubled.orders
    assert doubled.money(issued) == live.money(points * live.orders)


def test_a_new_rule_adds_its_cost_and_reverses_with_returns(shop: Loyalist) -> None:
    extra = {**BONUS, "key": "extra", "effects": [{"type": "fixed", "points": 100}]}

    report = run(shop, extra)

    summary = report.as_dict()["difference"]
    assert report.candidate.by_rule["extra"] == 300
    assert report.candidate.issued - report.current.issued == 300
    # o3 returned half: half of its 100 comes back.
    assert report.candidate.reversed - report.current.reversed == 50
    assert summary["liability_change_points"] == 250
    assert summary["cost"] == "2.50"
    assert summary["members_affected"] == 2


def test_a_rule_that_does_not_compile_is_refused_at_its_field(shop: Loyalist) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        run(shop, {**BASE, "condition": "order.totl > 1"})

    assert [e.pointer for e in caught.value.errors] == ["/condition"]


def test_members_are_counted_per_tier(shop: Loyalist) -> None:
    counts = shop.db.read(tiers.member_counts)

    assert [(c.key, c.qualified, c.by_plan) for c in counts] == [("member", 2, 0), ("gold", 1, 0)]
