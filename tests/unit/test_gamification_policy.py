"""Which keys of ``event.data`` an expression reads (only those are turned into CEL)."""

from __future__ import annotations

import pytest

from loyalist.gamification import policy


@pytest.mark.parametrize(
    ("source", "fields"),
    [
        ("member.orders >= 3", frozenset()),
        ("event.data.amount >= 10000", frozenset({"amount"})),
        ('event.type == "order.paid" && event.data . amount > 1', frozenset({"amount"})),
        ("has(event.data.sku) && event.data.channel == 'web'", frozenset({"sku", "channel"})),
        ('"event.data.other" == event.data.sku', frozenset({"sku"})),
        ("event.data.categories.size() > 2", frozenset({"categories"})),
        ('event.data["amount"] > 1', None),
        ("size(event.data) > 0", None),
        ('event.data.exists(k, k == "amount")', None),
        ("event == {}", None),
    ],
)
def test_data_fields_are_the_keys_selected_or_none_when_the_map_is_used_otherwise(
    source: str, fields: frozenset[str] | None
) -> None:
    assert policy.data_fields(source) == fields


def test_a_compiled_expression_knows_the_keys_it_reads() -> None:
    assert policy.compile_criteria("event.data.amount >= 1").data_fields == frozenset({"amount"})
    assert policy.compile_criteria("member.orders >= 1").data_fields == frozenset()
