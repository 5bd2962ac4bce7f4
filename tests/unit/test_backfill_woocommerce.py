"""WooCommerce's orders (the REST API's order objects) read into orders and planned into
events that validate."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from loyalist.activities.schemas import parse_events
from loyalist.connectors.adapters.base import ConnectorConfig
from loyalist.connectors.backfill.orders import ExportOrder, Problem, plan_order
from loyalist.connectors.backfill.woocommerce_export import read_orders

DATA = Path(__file__).resolve().parents[1] / "data" / "connectors" / "backfill"
CONFIG = ConnectorConfig(key="backfill", platform="woocommerce", currency="EUR")


def _read(data: bytes) -> list[ExportOrder | Problem]:
    return [item for item, _ in read_orders(io.BytesIO(data), CONFIG)]


def _orders(name: str) -> dict[str, ExportOrder]:
    found = _read((DATA / name).read_bytes())
    assert not [item for item in found if isinstance(item, Problem)]
    return {item.order_id: item for item in found if isinstance(item, ExportOrder)}


def test_the_documented_list_reads_both_orders_at_their_lines() -> None:
    orders = _orders("woocommerce_orders.json")

    assert list(orders) == ["727", "723"]
    assert orders["727"].first_line == 2
    assert orders["723"].first_line > orders["727"].last_line
    guest, known = orders["727"].customer, orders["723"].customer
    assert (guest.customer_id, guest.email) == (None, "john.doe@example.com")
    assert (known.customer_id, known.first_name) == ("26", "João")


def test_a_processing_guest_order_is_placed_and_paid_with_shipping_and_tax() -> None:
    order = _orders("woocommerce_orders.json")["727"]

    planned = plan_order(order, "woocommerce:guest:abc", enrol=True)
    parsed = parse_events(planned.events)

    assert [ev.id for ev in parsed] == [
        "woocommerce:customer:guest:abc:enrolled",
        "woocommerce:order:727:placed",
        "woocommerce:order:727:paid",
    ]
    placed = planned.events[1]["data"]
    assert [(x["sku"], x["quantity"], x["unit_price"]) for x in placed["lines"]] == [
        ("product:93", 2, 300),
        ("Bar3", 1, 1200),
    ]
    assert (placed["shipping"], placed["tax"], placed["total"]) == (1000, 135, 2935)
    assert planned.adjustments == []
    # "(555) 555-5555" is not a phone number Loyalist takes: the profile goes without it
    assert "phone" not in planned.events[0]["data"]


def test_a_completed_order_is_delivered_and_its_refund_summaries_are_reported() -> None:
    order = _orders("woocommerce_orders.json")["723"]

    planned = plan_order(order, "woocommerce:26", enrol=False)
    parse_events(planned.events)

    assert [ev["type"] for ev in planned.events] == [
        "order.placed",
        "order.paid",  # no date_paid (bank transfer), but completed: paid at its last change
        "order.delivered",
    ]
    assert planned.events[1]["occurred_at"] == "2017-03-21T19:54:51+00:00"
    assert [a.pointer for a in planned.adjustments] == ["/refunds/0", "/refunds/1"]


def test_refund_objects_with_lines_are_returns_with_the_refund_id() -> None:
    order = _orders("woocommerce_orders_with_refunds.jsonl")["723"]

    planned = plan_order(order, "woocommerce:26", enrol=False)
    parse_events(planned.events)

    returned = [ev for ev in planned.events if ev["type"] == "order.returned"]
    assert len(returned) == 1
    assert returned[0]["id"] == "woocommerce:refund:724"
    assert returned[0]["data"]["lines"] == [{"sku": "product:87", "quantity": 1}]
    assert returned[0]["occurred_at"] == "2017-03-21T19:55:37+00:00"
    assert [a.pointer for a in planned.adjustments] == ["/refunds/0"]


def test_cancelled_refunded_and_trashed_orders() -> None:
    lines = (
        b'{"id": 1, "status": "cancelled", "currency": "GBP", '
        b'"date_created_gmt": "2024-01-01T10:00:00", "date_modified_gmt": "2024-01-02T10:00:00", '
        b'"customer_id": 0, "billing": {"email": ""}, '
        b'"line_items": [{"product_id": 5, "quantity": 1, "subtotal": "5.00", "total": "5.00"}]}\n'
        b'{"id": 2, "status": "refunded", "currency": "GBP", '
        b'"date_created_gmt": "2024-01-01T10:00:00", "date_paid_gmt": "2024-01-01T10:01:00", '
        b'"customer_id": 7, "billing": {"email": "x@example.com"}, "total": "4.00", '
        b'"line_items": [{"product_id": 5, "quantity": 2, "subtotal": "5.00", "total": "4.00"}]}\n'
        b'{"id": 3, "status": "trash", "line_items": []}\n'
    )

    found = _read(lines)

    assert [o.order_id for o in found if isinstance(o, ExportOrder)] == ["1", "2"]
    cancelled, refunded = (o for o in found if isinstance(o, ExportOrder))
    assert plan_order(cancelled, None, enrol=False).skipped == "guest without email"
    events = plan_order(refunded, "woocommerce:7", enrol=False).events
    parse_events(events)
    assert [ev["type"] for ev in events] == ["order.placed", "order.paid", "order.returned"]
    placed = events[0]["data"]["lines"][0]
    # 5.00 for two before the coupon: a unit price of 2.50, 1.00 of discount
    assert (placed["unit_price"], placed["discount"]) == (250, 100)
    assert events[2]["data"]["lines"] == [{"sku": "product:5", "quantity": 2}]


def test_bad_orders_are_problems_at_their_line_and_a_foreign_file_is_fatal() -> None:
    found = _read(b'{"id": 1, "status": "processing", "line_items": []}\nnot json\n')
    foreign = _read(b"Name,Email\n#1,a@example.com\n")
    unclosed = _read(b'[\n  {"id": 1,\n')

    assert [(p.line, p.detail) for p in found if isinstance(p, Problem)] == [
        (1, "order 1: date_created_gmt is empty"),
        (2, "malformed JSON: Expecting value"),
    ]
    assert isinstance(foreign[0], Problem)
    assert foreign[0].fatal
    assert isinstance(unclosed[0], Problem)
    assert unclosed[0].detail.startswith("malformed JSON")


_amount = st.decimals(min_value=0, max_value=9999, places=2, allow_nan=False)


@settings(max_examples=60, deadline=None)
@given(
    items=st.lists(
        st.tuples(st.sampled_from(["", "A", "B"]), st.integers(0, 4), st.integers(1, 3)),
        min_size=1,
        max_size=5,
    ).flatmap(
        lambda shape: st.tuples(
            st.just(shape), st.lists(st.tuples(_amount, _amount), min_size=len(shape))
        )
    ),
    status=st.sampled_from(["processing", "completed", "refunded", "cancelled", "on-hold"]),
    shipping=_amount,
    tax=_amount,
    total=_amount,
)
def test_any_order_of_the_api_plans_events_that_validate(
    items: tuple[list[tuple[str, int, int]], list[tuple[Any, Any]]],
    status: str,
    shipping: Any,
    tax: Any,
    total: Any,
) -> None:
    """Whatever WooCommerce's figures, the order is planned, never refused."""
    shape, money = items
    line_items = [
        {
            "sku": sku,
            "product_id": product,
            "quantity": quantity,
            "subtotal": str(max(a, b)),
            "total": str(min(a, b)),
        }
        for (sku, product, quantity), (a, b) in zip(shape, money, strict=False)
    ]
    order = {
        "id": 5,
        "status": status,
        "currency": "USD",
        "date_created_gmt": "2024-05-01T10:00:00",
        "customer_id": 3,
        "billing": {"email": "a@example.com"},
        "shipping_total": str(shipping),
        "total_tax": str(tax),
        "total": str(total),
        "line_items": line_items,
    }

    found = _read(json.dumps([order]).encode())

    if not all(sku or product for sku, product, _ in shape):
        # a line naming no product is a bad order, reported at its line
        assert isinstance(found[0], Problem)
        return
    assert isinstance(found[0], ExportOrder)
    planned = plan_order(found[0], "woocommerce:3", enrol=True)
    parsed = parse_events(planned.events)
    assert parsed[1].type == "order.placed"
