"""A platform's order reconciled into a consistent Loyalist order: whatever the platform's
arithmetic, the result validates as ``OrderData`` and keeps the lines' money."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from loyalist.activities.schemas import OrderData
from loyalist.connectors.adapters.base import (
    PlatformLine,
    PlatformOrder,
    member_ref,
    reconcile,
    to_minor,
)

_lines = st.lists(
    st.builds(
        PlatformLine,
        sku=st.sampled_from(["A", "B", "C", "D"]),
        quantity=st.integers(-1, 5),
        unit_price=st.integers(0, 10_000),
        discount=st.integers(0, 20_000),
        pointer=st.just("/line_items/0"),
    ),
    max_size=6,
)


@given(
    lines=_lines,
    order_discount=st.integers(0, 50_000),
    shipping=st.integers(0, 2_000),
    tax=st.integers(0, 3_000),
    included=st.booleans(),
    stated=st.none() | st.integers(0, 100_000),
)
def test_any_platform_order_becomes_a_valid_order(
    lines: list[PlatformLine],
    order_discount: int,
    shipping: int,
    tax: int,
    included: bool,
    stated: int | None,
) -> None:
    order = PlatformOrder(
        order_id="1001",
        currency="EUR",
        lines=lines,
        order_discount=order_discount,
        shipping=shipping,
        tax=tax,
        taxes_included=included,
        stated_total=stated,
    )
    result = reconcile(order)
    kept = [line for line in lines if line.quantity > 0]
    if not kept:
        assert result.data is None
        return
    assert result.data is not None
    parsed = OrderData.model_validate(result.data)
    # the lines' net money (before the order-level discount) is what the platform said,
    # line discounts capped at each line's price
    by_sku: dict[str, int] = {}
    for line in kept:
        net = max(0, line.quantity * line.unit_price - line.discount)
        by_sku[line.sku] = by_sku.get(line.sku, 0) + net
    net_before = sum(by_sku.values())
    spread = min(order_discount, net_before)
    assert parsed.net_amount == net_before - spread
    assert parsed.total == parsed.net_amount + parsed.shipping + parsed.tax
    assert parsed.tax == (0 if included else tax)
    if stated is not None and stated != parsed.total:
        assert any(a.pointer == "/total" for a in result.adjustments)


def test_order_discount_spreads_in_proportion_to_the_lines() -> None:
    order = PlatformOrder(
        order_id="1",
        currency="EUR",
        lines=[PlatformLine("A", 1, 3000), PlatformLine("B", 1, 1000)],
        order_discount=1000,
    )
    data = reconcile(order).data
    assert data is not None
    assert [line["discount"] for line in data["lines"]] == [750, 250]
    assert data["total"] == 3000


def test_repeated_skus_merge_keeping_their_money() -> None:
    order = PlatformOrder(
        order_id="1",
        currency="EUR",
        lines=[PlatformLine("A", 1, 999), PlatformLine("A", 2, 1000)],
    )
    result = reconcile(order)
    assert result.data is not None
    (line,) = result.data["lines"]
    assert line["quantity"] == 3
    assert line["quantity"] * line["unit_price"] - line["discount"] == 2999
    assert result.adjustments[0].note.startswith("2 lines of sku 'A' merged")


def test_amounts_follow_the_currency_precision() -> None:
    assert to_minor("19.99", "EUR") == 1999
    assert to_minor("1500", "JPY") == 1500
    assert to_minor("1.2345", "KWD") == 1234
    assert to_minor(None, "EUR") == 0
    assert to_minor("abc", "EUR") == 0


def test_member_refs_carry_no_personal_data() -> None:
    assert member_ref("shopify", 207119551, "bob@example.com") == "shopify:207119551"
    guest = member_ref("shopify", None, " Bob@Example.com ")
    assert guest is not None
    assert guest.startswith("shopify:guest:")
    assert "bob" not in guest
    assert guest == member_ref("shopify", None, "bob@example.com")
    assert member_ref("shopify", None, None) is None
