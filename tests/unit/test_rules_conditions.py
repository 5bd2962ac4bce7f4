"""Rule conditions checked in plain Python (``rules.conditions``) give CEL's result or defer."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import cel
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from loyalist.rules import engine
from loyalist.rules.conditions import INT_MAX, INT_MIN, Unsure, native_condition
from loyalist.rules.engine import (
    CompiledProgram,
    Evaluation,
    LineView,
    MemberView,
    Occurrence,
    OrderView,
)
from loyalist.rules.schemas import RuleSpec

FIELDS = ("order.total", "order.channel", "member.tier", "line.price")


def _getter(name: str) -> Callable[[Mapping[str, object], None], object]:
    return lambda values, _: values[name]


GETTERS = {name: _getter(name) for name in FIELDS}
OPS = ("==", "!=", "<", "<=", ">", ">=")
EDGES = (0, 1, -1, INT_MAX, INT_MIN + 1, INT_MAX + 1, INT_MIN - 1, INT_MIN, 2**64)
TEXT = st.text(alphabet="ab Zé日", max_size=3)

#: Values fields may hold: what CEL takes as this module assumes, and what it does not.
values_of_fields = st.fixed_dictionaries(
    {
        name: st.one_of(
            st.sampled_from((None, True, False, 0, 1, "", "a", 1.0, 0.0, *EDGES)),
            st.integers(-(2**65), 2**65),
            TEXT,
            st.floats(allow_nan=False, width=32),
            st.lists(st.integers(0, 2), max_size=2),
        )
        for name in FIELDS
    }
)


def _literal(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return f'"{value}"'


literals = st.one_of(
    st.sampled_from([None, True, False, 0, 1, -1, INT_MAX, -INT_MAX, "", "a"]),
    st.integers(-INT_MAX, INT_MAX),
    TEXT,
).map(_literal)
operands = st.one_of(st.sampled_from(FIELDS), literals)
comparisons = st.builds(
    lambda a, op, b, gap: f"{a}{gap}{op}{gap}{b}",
    operands,
    st.sampled_from(OPS),
    operands,
    st.sampled_from(["", " ", "\n "]),
)


def _combined(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        inner.map(lambda a: f"!{a}"),  # `!a == b` is `(!a) == b`, as in CEL
        inner.map(lambda a: f"!({a})"),
        inner.map(lambda a: f"({a})"),
        st.builds(lambda a, b: f"{a} && {b}", inner, inner),
        st.builds(lambda a, b: f"{a} || {b}", inner, inner),
        st.builds(
            lambda a, op, b: f"({a}) {op} {b}", inner, st.sampled_from(("==", "!=")), operands
        ),
    )


expressions = st.recursive(st.one_of(comparisons, operands), _combined, max_leaves=6)


def _by_cel(source: str, values: Mapping[str, object]) -> object:
    """CEL's result, as the engine runs it (fields as flat variables), or the error."""
    rewritten, _ = engine.rewrite(source, allow_line=True)
    context = cel.Context({f"__{name.replace('.', '_')}": v for name, v in values.items()})
    try:
        return cel.compile(rewritten).execute(context)
    except Exception as exc:  # whatever CEL raises: the check must not claim a result
        return exc


def _native(source: str, values: Mapping[str, object]) -> object:
    check = native_condition(source, GETTERS)
    assert check is not None, source
    try:
        return check(values, None)
    except Unsure:
        return Unsure


SETTINGS = settings(max_examples=400, deadline=None)


class TestAgainstCel:
    @SETTINGS
    @given(expressions, values_of_fields)
    def test_a_result_is_always_cels_result(self, source: str, values: dict[str, object]) -> None:
        by_cel = _by_cel(source, values)

        by_python = _native(source, values)

        if by_python is not Unsure:
            assert type(by_cel) is bool, (source, values, by_cel)
            assert by_python is by_cel, (source, values)

    @SETTINGS
    @given(
        st.sampled_from(["order.total", "line.price"]),
        st.sampled_from(OPS),
        st.integers(INT_MIN, INT_MAX),
        st.integers(-INT_MAX, INT_MAX),
        st.sampled_from(["order.channel", "member.tier"]),
        st.sampled_from(OPS),
        st.none() | TEXT,
        TEXT,
        st.sampled_from(["&&", "||"]),
    )
    def test_fields_of_the_literals_type_or_null_are_decided_without_cel(
        self,
        number_field: str,
        number_op: str,
        number: int,
        number_literal: int,
        text_field: str,
        text_op: str,
        text: str | None,
        text_literal: str,
        joint: str,
    ) -> None:
        if text is None and text_op not in ("==", "!="):
            text_op = "=="  # null has no ordering in CEL
        source = (
            f"{number_field} {number_op} {number_literal} {joint}"
            f' !({text_field} {text_op} "{text_literal}")'
        )
        values = dict.fromkeys(FIELDS, 0) | {number_field: number, text_field: text}

        by_python = _native(source, values)

        assert by_python is not Unsure
        assert by_python is _by_cel(source, values)

    @pytest.mark.parametrize(
        ("source", "values"),
        [
            ("order.total >= 100", {"order.total": None}),  # CEL: no such overload
            ("order.total == 1", {"order.total": True}),  # Python: True == 1
            ("order.total == 1", {"order.total": 1.0}),  # CEL: true; left to CEL
            ("order.total > 1", {"order.total": INT_MAX + 1}),  # uint in CEL
            ("order.channel == 1", {"order.channel": "1"}),
            ('order.channel == "a"', {"order.channel": "\ud800"}),  # CEL cannot take it
            ("order.channel", {"order.channel": "app"}),  # not a boolean
            ("!order.total", {"order.total": 1}),
            ("order.total == null", {"order.total": 1.5}),
        ],
    )
    def test_defers_to_cel_when_python_cannot_vouch(
        self, source: str, values: dict[str, object]
    ) -> None:
        assert _native(source, dict.fromkeys(FIELDS, 0) | values) is Unsure

    def test_false_side_of_and_settles_it_like_cel(self) -> None:
        values = dict.fromkeys(FIELDS, 0) | {"order.total": 5, "order.channel": 1.5}
        source = "order.total > 10 && order.channel > 1"

        assert _native(source, values) is False
        assert _by_cel(source, values) is False

    @pytest.mark.parametrize(
        "source",
        [
            "order.total + 1 > 2",
            "order.total > 1.5",
            "order.total > 1u",
            "order.total > 0x10",
            'order.channel in ["app"]',
            "has(order.total)",
            'order.channel == "a\\"b"',
            "order.channel == r'x'",
            'order.channel == """x"""',
            "order.total < 1 < 2",
            "order.total - 1 > 0",
            "order.amount > 1",
            "lines.exists(l, l.price > 1)",
            "order.total > 1 ? true : false",
            "order.total > 1 // comment",
            "order.total > 9223372036854775808",
            "size(order.channel) > 1",
        ],
    )
    def test_leaves_other_expressions_to_cel(self, source: str) -> None:
        assert native_condition(source, GETTERS) is None


# -- in the engine -------------------------------------------------------------------------
ZONE = ZoneInfo("Europe/Berlin")
AT = datetime(2026, 3, 7, 16, 30, tzinfo=UTC)
RULE_FIELDS = ("order.total", "order.channel", "order.currency", "member.tier")
LINE_FIELDS = (*RULE_FIELDS, "line.price", "line.discount", "line.category")


NUMBERS = ("order.total", "line.price", "line.discount")


def _leaf(field: str, op: str, number: int, text: str, is_null: bool) -> str:
    """``field op literal`` that compiles: a literal of the field's type, null only in
    equality (a type mix-up is a compile error; the checks above cover it)."""
    if is_null and op in ("==", "!="):
        return f"{field} {op} null"
    return f"{field} {op} {number if field in NUMBERS else text}"


def _conditions(fields: tuple[str, ...]) -> st.SearchStrategy[str]:
    leaf = st.builds(
        _leaf,
        st.sampled_from(fields),
        st.sampled_from(OPS),
        st.integers(-5, 30_000),
        st.sampled_from(['"app"', '"EUR"', '"gold"', '"книги"', '"shoes"']),
        st.booleans(),
    )
    return st.recursive(
        leaf,
        lambda inner: st.one_of(
            inner.map(lambda a: f"!({a})"),
            st.builds(lambda a, b: f"({a} && {b})", inner, inner),
            st.builds(lambda a, b: f"({a} || {b})", inner, inner),
        ),
        max_leaves=4,
    )


def _rule(key: str, condition: str, line_condition: str) -> RuleSpec:
    return RuleSpec.model_validate(
        {
            "key": key,
            "name": {"en": key, "ru": key},
            "on": "order.paid",
            "condition": condition,
            "effects": [
                {"type": "fixed", "points": 5},
                {"type": "per_item", "points": 3, "lines": {"condition": line_condition}},
            ],
        }
    )


lines_of_orders = st.lists(
    st.builds(
        LineView,
        st.just("SKU"),
        st.sampled_from([None, "книги", "shoes"]),
        st.integers(1, 3),
        st.sampled_from([0, 99, 5000, 2**63, 12_000]),
        st.sampled_from([0, 50]),
    ),
    min_size=1,
    max_size=3,
)
occurrences = st.builds(
    lambda lines, channel, currency, tier, total: Occurrence(
        trigger="order.paid",
        occurred_at=AT,
        member=MemberView(id="m1", tier=tier),
        order=OrderView("o1", currency, total, 0, channel, tuple(lines)),
        event_type="order.paid",
    ),
    lines_of_orders,
    st.sampled_from([None, "app", "web", "магазин"]),
    st.sampled_from(["EUR", "RUB"]),
    st.sampled_from([None, "gold", "silver"]),
    st.sampled_from([0, 9_999, 10_000, 25_000, 2**63, -(2**63) - 1]),
)


def _summary(evaluation: Evaluation) -> tuple[object, ...]:
    return (
        [(h.rule.key, h.points, h.effects) for h in evaluation.hits],
        [(m.rule.key, m.reason) for m in evaluation.misses],
    )


def _program(condition: str, line_condition: str) -> CompiledProgram:
    return engine.compile_program([(None, _rule("r", condition, line_condition))])


class TestEngineAgainstCel:
    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        _conditions(RULE_FIELDS),
        _conditions(LINE_FIELDS),
        st.lists(occurrences, min_size=1, max_size=5),
    )
    def test_decisions_match_the_program_evaluated_by_cel_alone(
        self, condition: str, line_condition: str, events: list[Occurrence]
    ) -> None:
        fast = _program(condition, line_condition)
        # ``has(order.id)`` is ``true`` but outside the subset: CEL evaluates these.
        by_cel = _program(f"({condition}) && has(order.id)", f"({line_condition}) && has(line.sku)")
        assume(fast.rules[0].native is not None)

        for occurrence in events:
            assert _summary(engine.evaluate(fast, occurrence, ZONE)) == _summary(
                engine.evaluate(by_cel, occurrence, ZONE)
            )
