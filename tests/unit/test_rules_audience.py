"""Audience conditions over the member (``rules.engine.compile_member_condition`` and
``member_holds``): what they may read, and the plain-Python path agreeing with CEL."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loyalist.rules.engine import (
    MemberView,
    RuleCompileError,
    compile_member_condition,
    member_holds,
)

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
UTC_ZONE = ZoneInfo("UTC")
MEMBER = MemberView(
    id="ext-1",
    tier="gold",
    segments=("champions", "newsletter"),
    attributes={"vip": True, "city": "Berlin"},
    order_count=3,
    lifetime_spend=25_000,
    last_order_at=NOW - timedelta(days=40),
)


def _holds(source: str, extra: dict[str, Any]) -> bool:
    condition = compile_member_condition(source, "/audience/condition")
    return member_holds(condition, MEMBER, extra, NOW, UTC_ZONE)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('member.tier == "gold"', True),
        ("member.order_count >= 3 && member.lifetime_spend > 30000", False),
        ('"champions" in member.segments', True),
        ("member.days_since_last_order > 30", True),
        ('member.attributes.city == "Berlin"', True),
        ("member.attributes.shoe_size > 40", False),  # a missing attribute: does not hold
        ('member.scores.segment == "at_risk"', True),
        ('"shoes" in member.favourites.categories', True),
        ("now.getFullYear() == 2026", True),
    ],
)
def test_conditions_read_the_rules_fields_scores_and_favourites(
    source: str, expected: bool
) -> None:
    extra = {
        "scores": {"segment": "at_risk", "clv": 120.5},
        "favourites": {"categories": ["shoes"], "products": ["boot"]},
    }

    assert _holds(source, extra) is expected


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("member.shoe_size > 40", "member has no field 'shoe_size'"),
        ("order.total > 100", "undefined variable 'order'"),
        ("member.tier ==", ""),
    ],
)
def test_what_the_member_does_not_have_is_refused(source: str, message: str) -> None:
    with pytest.raises(RuleCompileError) as raised:
        compile_member_condition(source, "/audience/condition")

    assert raised.value.path == "/audience/condition"
    assert message in raised.value.message


def test_only_the_fields_read_are_listed() -> None:
    found = compile_member_condition('member.tier == "gold" || member.order_count > 1', "/c")

    assert found.fields == {"tier", "order_count"}
    assert found.native is not None


@given(
    tier=st.sampled_from([None, "gold", "silver", "ü"]),
    orders=st.integers(min_value=-(2**63) + 1, max_value=2**63 - 1),
    op=st.sampled_from(["==", "!=", "<", "<=", ">", ">="]),
    bound=st.integers(min_value=-5, max_value=5),
)
def test_the_plain_python_path_gives_cels_result(
    tier: str | None, orders: int, op: str, bound: int
) -> None:
    source = f'member.tier != "gold" && member.order_count {op} {bound}'
    compiled = compile_member_condition(source, "/c")
    member = replace(MEMBER, tier=tier, order_count=orders)
    cel_only = replace(compiled, native=None)

    assert member_holds(compiled, member, {}, NOW, UTC_ZONE) == member_holds(
        cel_only, member, {}, NOW, UTC_ZONE
    )
