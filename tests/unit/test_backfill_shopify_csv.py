"""Shopify's orders CSV export read into orders and planned into events that validate."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from loyalist.activities.schemas import parse_events
from loyalist.connectors.adapters.base import ConnectorConfig
from loyalist.connectors.backfill.orders import ExportOrder, Problem, plan_order
from loyalist.connectors.backfill.shopify_csv import read_orders

DATA = Path(__file__).resolve().parents[1] / "data" / "connectors" / "backfill"
CONFIG = ConnectorConfig(key="backfill", platform="shopify")


def _read(path: Path) -> list[ExportOrder | Problem]:
    with path.open("rb") as handle:
        return [item for item, _ in read_orders(handle, CONFIG)]


def _orders(path: Path) -> dict[str, ExportOrder]:
    found = _read(path)
    assert not [item for item in found if isinstance(item, Problem)]
    return {item.order_id: item for item in found if isinstance(item, ExportOrder)}


def _events(order: ExportOrder, member: str = "shopify:guest:x") -> list[dict[str, Any]]:
    planned = plan_order(order, member, enrol=True)
    parse_events(planned.events)  # raises if any event is invalid
    return planned.events


def test_groups_the_rows_of_an_order_and_reads_its_first_rows_fields() -> None:
    orders = _orders(DATA / "shopify_orders_export.csv")

    first = orders["7410991464714"]
    assert (first.first_line, first.last_line) == (2, 3)
    assert [(line.sku, line.quantity, line.unit_price) for line in first.order.lines] == [
        ("MASK-BIO", 2, 3490),
        ("SERUM-ECL", 1, 3510),
    ]
    assert (first.order.order_discount, first.order.shipping, first.order.tax) == (1049, 490, 1888)
    assert first.order.taxes_included is False
    assert first.created_at == datetime(2025, 10, 7, 7, 50, 26, tzinfo=UTC)
    assert first.customer.email == "sophie.martin@example.com"
    assert (first.customer.first_name, first.customer.last_name) == ("Sophie", "Martin")


def test_an_order_that_adds_up_maps_to_enrolment_placed_and_paid_with_its_total() -> None:
    order = _orders(DATA / "shopify_orders_export.csv")["7410991464714"]

    events = _events(order)

    assert [ev["id"] for ev in events] == [
        "shopify:customer:guest:x:enrolled",
        "shopify:order:7410991464714:placed",
        "shopify:order:7410991464714:paid",
    ]
    placed = events[1]["data"]
    assert placed["order_id"] == "shopify:7410991464714"
    assert placed["total"] == 11819  # the export's Total: nothing adjusted
    assert sum(line["discount"] for line in placed["lines"]) == 1049
    assert events[0]["data"] == {
        "email": "sophie.martin@example.com",
        "first_name": "Sophie",
        "last_name": "Martin",
        "phone": "+33610826417",
    }


def test_prices_with_tax_included_do_not_add_the_tax_again() -> None:
    order = _orders(DATA / "shopify_orders_export.csv")["7410991464715"]

    planned = plan_order(order, "m", enrol=False)

    assert order.order.taxes_included is True
    assert planned.events[0]["data"]["total"] == 4500
    assert planned.events[0]["data"]["tax"] == 0
    assert [a.pointer for a in planned.adjustments] == ["/tax"]


def test_a_full_refund_returns_every_line_and_a_cancellation_is_booked() -> None:
    orders = _orders(DATA / "shopify_orders_export.csv")

    refunded = _events(orders["7410991464717"])
    voided = _events(orders["7410991464718"])

    assert refunded[-1]["type"] == "order.returned"
    assert refunded[-1]["id"] == "shopify:order:7410991464717:refunded"
    assert refunded[-1]["data"]["lines"] == [{"sku": "MASK-BIO", "quantity": 1}]
    assert [ev["type"] for ev in voided] == ["member.enrolled", "order.placed", "order.cancelled"]


def test_a_partial_refund_without_lines_and_a_legacy_total_are_reported_not_refused() -> None:
    orders = _orders(DATA / "shopify_orders_export.csv")

    partial = plan_order(orders["7410991464719"], "m", enrol=False)
    legacy = plan_order(orders["7410991464720"], "m", enrol=False)

    assert [ev["type"] for ev in partial.events] == ["order.placed", "order.paid"]
    assert [a.pointer for a in partial.adjustments] == ["/Refunded Amount"]
    assert legacy.events[0]["data"]["currency"] == "JPY"
    assert legacy.events[0]["data"]["total"] == 5640
    assert legacy.platform_totals["total"] == 5700
    assert [a.pointer for a in legacy.adjustments] == ["/total"]


def test_a_sale_without_customer_or_email_books_nothing() -> None:
    order = _orders(DATA / "shopify_orders_export.csv")["7410991464716"]

    planned = plan_order(order, None, enrol=False)

    assert order.order.channel == "pos"
    assert order.order.store == "Boutique Marais"
    assert (planned.events, planned.skipped) == ([], "guest without email")


def test_bad_rows_are_problems_at_their_line_and_the_other_orders_are_read() -> None:
    found = _read(DATA / "shopify_orders_bad_rows.csv")

    problems = [(p.line, p.detail) for p in found if isinstance(p, Problem)]
    orders = [o.order_id for o in found if isinstance(o, ExportOrder)]
    assert orders == ["7410991464714", "7410991464720"]
    assert problems == [
        (4, "order #1002: Lineitem quantity 'two' is not a whole number"),
        (6, "order #1006: no Id (the order's id: export with the Id column)"),
    ]


def test_a_file_that_is_not_an_orders_export_is_one_fatal_problem() -> None:
    found = list(read_orders(io.BytesIO(b"id,type,member_id\n1,x,y\n"), CONFIG))

    assert len(found) == 1
    problem = found[0][0]
    assert isinstance(problem, Problem)
    assert problem.fatal
    assert problem.line == 1


def test_an_order_whose_rows_are_apart_is_refused_where_it_continues() -> None:
    text = (DATA / "shopify_orders_export.csv").read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    moved = [rows[0], rows[1], rows[3], rows[2]]  # #1001, #1002, then #1001's second row
    buffer = io.StringIO()
    csv.writer(buffer).writerows(moved)

    found = [item for item, _ in read_orders(io.BytesIO(buffer.getvalue().encode()), CONFIG)]

    assert isinstance(found[-1], Problem)
    assert "#1001 continues after other orders" in found[-1].detail


_HEADER = (DATA / "shopify_orders_export.csv").read_text(encoding="utf-8").splitlines()[0]
_money = st.decimals(min_value=0, max_value=5000, places=2, allow_nan=False)


@settings(max_examples=60, deadline=None)
@given(
    lines=st.lists(
        st.tuples(st.sampled_from(["A", "B", "C", ""]), st.integers(0, 5), _money, _money),
        min_size=1,
        max_size=6,
    ),
    shipping=_money,
    taxes=_money,
    discount=_money,
    total=_money,
)
def test_any_export_order_plans_events_that_validate(
    lines: list[tuple[str, int, Any, Any]], shipping: Any, taxes: Any, discount: Any, total: Any
) -> None:
    """Whatever arithmetic the platform did, the order is planned, never refused."""
    header = _HEADER.split(",")
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for index, (sku, quantity, price, line_discount) in enumerate(lines):
        cells = dict.fromkeys(header, "")
        cells |= {
            "Name": "#9",
            "Id": "9",
            "Email": "a@example.com",
            "Created at": "2025-01-02 03:04:05 -0500",
            "Lineitem quantity": str(quantity),
            "Lineitem name": f"item {index}",
            "Lineitem sku": sku,
            "Lineitem price": str(price),
            "Lineitem discount": str(line_discount),
        }
        if index == 0:
            cells |= {
                "Currency": "USD",
                "Financial Status": "paid",
                "Shipping": str(shipping),
                "Taxes": str(taxes),
                "Discount Amount": str(discount),
                "Total": str(total),
            }
        writer.writerow([cells[column] for column in header])

    found = [item for item, _ in read_orders(io.BytesIO(buffer.getvalue().encode()), CONFIG)]

    assert len(found) == 1
    assert isinstance(found[0], ExportOrder)
    planned = plan_order(found[0], "shopify:guest:a", enrol=False)
    if any(quantity > 0 for _, quantity, _, _ in lines):
        parsed = parse_events(planned.events)
        assert [ev.type for ev in parsed] == ["order.placed", "order.paid"]
    else:
        assert planned.skipped == "no line to book"
