"""``engine.decide``: limits settle the exclusive group and the base that multipliers scale;
found by review (each case failed before the fix)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from loyalist.programfile import load as load_program
from loyalist.rules import engine
from loyalist.rules.engine import (
    CompiledProgram,
    LineView,
    MemberView,
    MemoryUsage,
    Occurrence,
    OrderView,
)
from loyalist.rules.policy import decide
from loyalist.rules.schemas import RuleSpec
from loyalist.settings import ProgramPolicy

AT = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
BASE: dict[str, Any] = {"type": "per_unit", "rates": {"EUR": 1}, "base": True}
DOUBLE: dict[str, Any] = {"type": "multiplier", "factor": 2}


def rule(key: str, **fields: Any) -> RuleSpec:
    spec: dict[str, Any] = {
        "key": key,
        "name": {"en": key, "ru": key},
        "on": ["order.paid"],
        "effects": [{"type": "fixed", "points": 10}],
    }
    spec.update(fields)
    return RuleSpec.model_validate(spec)


def program(*specs: RuleSpec) -> CompiledProgram:
    return engine.compile_program((i + 1, s) for i, s in enumerate(specs))


def paid(*lines: LineView) -> Occurrence:
    chosen = lines or (LineView("A", "books", 1, 10000, 0),)
    order = OrderView("o1", "EUR", sum(line.amount for line in chosen), 0, "web", chosen, 2)
    return Occurrence("order.paid", AT, MemberView("m"), {}, order, "order.paid")


def awarded(
    compiled: CompiledProgram, occurrence: Occurrence, usage: MemoryUsage
) -> dict[str, int]:
    outcome = decide(
        compiled,
        occurrence,
        "1",
        usage,
        ProgramPolicy(),
        tier_key=None,
        tier_multiplier=Decimal(1),
    )
    return {str(a.reason_params.get("rule")): a.points for a in outcome.awards}


class TestMultipliersScaleTheGrantedBase:
    def test_no_multiplier_when_the_base_budget_is_spent(self) -> None:
        usage = MemoryUsage()
        usage.rules["base"] = [50, 1]
        compiled = program(
            rule("base", effects=[BASE], limits={"budget": 50}),
            rule("double", effects=[DOUBLE]),
        )
        assert awarded(compiled, paid(), usage) == {}

    def test_multiplier_follows_a_base_cut_by_its_per_event_cap(self) -> None:
        compiled = program(
            rule("base", effects=[BASE], limits={"per_event": 20}),
            rule("double", effects=[DOUBLE]),
        )
        assert awarded(compiled, paid(), MemoryUsage()) == {"base": 20, "double": 20}

    def test_multiplier_counts_only_the_lines_the_base_counted(self) -> None:
        books = {**BASE, "of": "lines", "lines": {"categories": ["books"]}}
        compiled = program(rule("base", effects=[books]), rule("double", effects=[DOUBLE]))
        lines = (LineView("A", "books", 1, 10000, 0), LineView("B", "toys", 1, 10000, 0))
        assert awarded(compiled, paid(*lines), MemoryUsage()) == {"base": 100, "double": 100}

    def test_no_multiplier_when_the_base_loses_its_group(self) -> None:
        compiled = program(
            rule("base", effects=[BASE], group="g", priority=1),
            rule("promo", effects=[{"type": "fixed", "points": 5}], group="g", priority=10),
            rule("double", effects=[DOUBLE], priority=20),
        )
        assert awarded(compiled, paid(), MemoryUsage()) == {"promo": 5}


class TestGroupsFallBackWhenLimitsAreSpent:
    def test_next_rule_of_the_group_applies_once_the_winners_budget_is_spent(self) -> None:
        usage = MemoryUsage()
        compiled = program(
            rule(
                "early",
                effects=[{"type": "fixed", "points": 500}],
                group="welcome",
                priority=10,
                limits={"budget": 500},
            ),
            rule("late", effects=[{"type": "fixed", "points": 100}], group="welcome", priority=1),
        )
        assert awarded(compiled, paid(), usage) == {"early": 500}
        assert awarded(compiled, paid(), usage) == {"late": 100}

    def test_next_rule_applies_once_the_winners_uses_per_member_are_spent(self) -> None:
        usage = MemoryUsage()
        compiled = program(
            rule(
                "first",
                effects=[{"type": "fixed", "points": 500}],
                group="g",
                priority=10,
                limits={"uses_per_member": 1},
            ),
            rule("other", effects=[{"type": "fixed", "points": 100}], group="g", priority=1),
        )
        assert awarded(compiled, paid(), usage) == {"first": 500}
        assert awarded(compiled, paid(), usage) == {"other": 100}


class TestRunTimeErrors:
    def test_division_by_zero_makes_the_rule_miss_not_raise(self) -> None:
        compiled = program(
            rule("ratio", on=["x.ping"], condition="event.data.a / event.data.b > 1")
        )
        occurrence = Occurrence("x.ping", AT, MemberView("m"), {"a": 4, "b": 0}, None, "x.ping")
        evaluation = engine.evaluate(compiled, occurrence, ZoneInfo("UTC"))
        assert evaluation.hits == ()
        assert evaluation.misses[0].reason.startswith("condition error")

    def test_hours_with_an_offset_are_refused(self) -> None:
        with pytest.raises(ValidationError, match=r"no offset|HH:MM"):
            rule("happy", validity={"hours": [{"from": "18:00Z", "to": "21:00Z"}]})

    def test_unquoted_yaml_hours_are_read_as_a_time_of_day(self) -> None:
        text = (
            "rules:\n  - key: happy\n    name: {en: Happy, ru: Happy}\n    on: order.paid\n"
            "    validity: {hours: [{from: 18:00, to: 22:00}]}\n"
            "    effects: [{type: fixed, points: 5}]\n"
        )
        (rule,) = load_program(text).rules or []
        window = rule.validity.hours[0]
        assert (window.start.hour, window.start.minute, window.end.hour) == (18, 0, 22)
