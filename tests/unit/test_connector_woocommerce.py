"""The WooCommerce adapter on the REST API documentation's own payloads
(tests/data/connectors/woocommerce/SOURCES.md): each webhook maps to events that the
``POST /api/v1/events`` parser accepts, with the ids of the conventions, the order's money
kept, and the signature checked over the raw body."""

from __future__ import annotations

import base64
import copy
import hashlib
import hmac
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from loyalist.activities.schemas import OrderData, parse_batch
from loyalist.connectors.adapters import adapter
from loyalist.connectors.adapters.base import (
    ConnectorConfig,
    Mapped,
    instant,
    member_ref,
    profile,
)
from loyalist.members.schemas import MemberProfile

DATA = Path(__file__).resolve().parents[1] / "data" / "connectors" / "woocommerce"
WOO = adapter("woocommerce")
CONFIG = ConnectorConfig(key="shop", platform="woocommerce", currency="EUR")
SECRET = b"wc-webhook-secret"


def payload(name: str) -> dict[str, Any]:
    found: dict[str, Any] = orjson.loads((DATA / f"{name}.json").read_bytes())
    return found


def mapped(topic: str, body: dict[str, Any], config: ConnectorConfig = CONFIG) -> Mapped:
    """The mapping, with every event checked by the events API's own parser."""
    result = WOO.map(topic, body, config)
    if result.events:
        parse_batch(result.events)
    return result


def kinds(result: Mapped) -> list[tuple[str, str]]:
    return [(event["id"], event["type"]) for event in result.events]


def placed(result: Mapped) -> dict[str, Any]:
    [data] = [e["data"] for e in result.events if e["type"] == "order.placed"]
    return dict(data)


def sign(body: bytes, secret: bytes = SECRET) -> str:
    return base64.b64encode(hmac.new(secret, body, hashlib.sha256).digest()).decode()


# -- every documented payload ----------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "topic"),
    [
        ("order_727_processing", "order.updated"),
        ("order_727_completed", "order.updated"),
        ("order_723_completed_refunds", "order.updated"),
        ("order_728_pending_batch", "order.created"),
        ("customer_25", "customer.created"),
        ("customer_25_updated", "customer.updated"),
    ],
)
def test_every_documented_payload_maps_to_valid_events(name: str, topic: str) -> None:
    result = mapped(topic, payload(name))
    assert result.events
    assert result.ignored is None
    # a redelivery maps to the very same events: replayed, never booked twice
    assert mapped(topic, payload(name)).events == result.events


def test_guest_checkout_with_shipping_and_tax_paid() -> None:
    result = mapped("order.updated", payload("order_727_processing"))
    member = member_ref("woocommerce", None, "john.doe@example.com")
    assert member is not None
    assert member.startswith("woocommerce:guest:")
    assert kinds(result) == [
        ("woocommerce:order:727:enrolled", "member.enrolled"),
        ("woocommerce:order:727:placed", "order.placed"),
        ("woocommerce:order:727:paid", "order.paid"),
    ]
    assert {e["member_id"] for e in result.events} == {member}
    enrolled = result.events[0]
    # the documented "(555) 555-5555" is read as its digits; the address is kept
    assert enrolled["data"] == {
        "email": "john.doe@example.com",
        "first_name": "John",
        "last_name": "Doe",
        "phone": "5555555555",
    }
    assert enrolled["occurred_at"] == "2017-03-22T19:28:02+00:00"  # date_created_gmt
    order = placed(result)
    assert order["order_id"] == "woocommerce:727"
    assert order["currency"] == "USD"
    # a product without a sku is named by its product id; one line per sku
    assert [(x["sku"], x["quantity"], x["unit_price"]) for x in order["lines"]] == [
        ("product:93", 2, 300),
        ("Bar3", 1, 1200),
    ]
    assert order["lines"][1]["name"] == "Ship Your Idea – Color: Black, Size: M Test"
    assert (order["shipping"], order["tax"], order["total"]) == (1000, 135, 2935)
    assert result.events[2]["occurred_at"] == "2017-03-22T19:28:08+00:00"  # date_paid_gmt
    assert result.adjustments == []  # the documented total adds up


def test_completed_order_is_paid_and_delivered() -> None:
    result = mapped("order.updated", payload("order_727_completed"))
    assert [kind for _, kind in kinds(result)][-2:] == ["order.paid", "order.delivered"]
    delivered = result.events[-1]
    assert delivered["data"] == {"order_id": "woocommerce:727"}


def test_a_later_status_repeats_the_earlier_facts_unchanged() -> None:
    """One id, one body: the completed order (the docs' "Update an order") repeats the
    processing order's placed and paid events byte for byte, so they are replays."""
    earlier = {e["id"]: e for e in mapped("order.updated", payload("order_727_processing")).events}
    later = mapped("order.updated", payload("order_727_completed")).events
    shared = [e for e in later if e["id"] in earlier]
    assert [e["id"] for e in shared] == list(earlier)
    assert all(earlier[e["id"]] == e for e in shared)


def test_pending_order_is_placed_only() -> None:
    result = mapped("order.created", payload("order_728_pending_batch"))
    assert [kind for _, kind in kinds(result)] == ["member.enrolled", "order.placed"]
    assert placed(result)["total"] == 6225


def test_registered_customer_is_the_member_and_refunds_by_amount_are_reported() -> None:
    result = mapped("order.updated", payload("order_723_completed_refunds"))
    assert {e["member_id"] for e in result.events} == {"woocommerce:26"}
    assert [a.pointer for a in result.adjustments] == ["/refunds/0", "/refunds/1"]
    assert "refund 724" in result.adjustments[1].note
    assert not any(e["type"] == "order.returned" for e in result.events)


# -- status changes ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("status", "last"),
    [
        ("pending", "order.placed"),
        ("on-hold", "order.placed"),
        ("processing", "order.paid"),
        ("completed", "order.delivered"),
        ("cancelled", "order.cancelled"),
        ("failed", "order.placed"),  # a failed payment may be retried
        ("refunded", "order.returned"),
    ],
)
def test_status_maps_to_events(status: str, last: str) -> None:
    body = payload("order_723_completed_refunds")
    body["status"] = status
    result = mapped("order.updated", body)
    assert result.events[-1]["type"] == last
    if status == "cancelled":
        assert result.events[-1]["data"]["reason"] == "WooCommerce: cancelled"
    if status in ("cancelled", "failed", "pending", "on-hold"):
        assert not any(e["type"] == "order.paid" for e in result.events)


def test_fully_refunded_order_returns_every_line() -> None:
    body = payload("order_723_completed_refunds")
    body["status"] = "refunded"
    result = mapped("order.updated", body)
    returned = result.events[-1]
    assert returned["id"] == "woocommerce:order:723:refunded"
    order = placed(result)
    assert returned["data"]["lines"] == [
        {"sku": line["sku"], "quantity": line["quantity"]} for line in order["lines"]
    ]
    assert any(e["type"] == "order.paid" for e in result.events)  # it was paid first


@pytest.mark.parametrize("status", ["checkout-draft", "trash"])
def test_drafts_are_not_orders_yet(status: str) -> None:
    body = payload("order_727_processing")
    body["status"] = status
    result = mapped("order.updated", body)
    assert result.events == []
    assert result.ignored


def test_deleted_order_without_its_customer_is_ignored_with_a_reason() -> None:
    # WooCommerce sends a deleted order as {"id": …}
    result = mapped("order.deleted", {"id": 727})
    assert result.events == []
    assert result.ignored is not None
    assert "customer" in result.ignored


def test_trashed_order_with_its_customer_is_cancelled() -> None:
    result = mapped("order.deleted", payload("order_723_completed_refunds"))
    assert kinds(result) == [("woocommerce:order:723:cancelled", "order.cancelled")]


# -- refunds -------------------------------------------------------------------------------
def test_partial_refund_returns_its_lines() -> None:
    """The documented refund 724 of order 723 (one line, quantity −1), as the REST API
    gives it: no customer, so its order's (the connector resolves the placeholder)."""
    result = mapped("refund.created", payload("refund_724_line"))
    assert kinds(result) == [("woocommerce:refund:724", "order.returned")]
    event = result.events[0]
    assert event["member_id"] == "woocommerce:order:723"
    with_customer = mapped("refund.created", {**payload("refund_724_line"), "customer_id": 26})
    assert with_customer.events[0]["member_id"] == "woocommerce:26"
    assert event["data"] == {
        "order_id": "woocommerce:723",  # from _links.up
        "return_id": "woocommerce:refund:724",
        "lines": [{"sku": "product:87", "quantity": 1}],
    }
    assert event["occurred_at"] == "2017-03-21T19:55:37+00:00"


def test_refund_of_money_only_returns_nothing() -> None:
    result = mapped("refund.created", payload("refund_726_amount_only"))
    assert result.events == []
    assert result.ignored is not None


def test_refund_without_its_order_is_ignored() -> None:
    body = payload("refund_724_line")
    del body["_links"]
    result = mapped("refund.created", body)
    assert result.events == []
    assert result.ignored is not None


# -- money: discounts, fees, currencies ------------------------------------------------
def test_coupon_discount_is_kept_on_its_line() -> None:
    """Order 727 with a 10 % coupon on "Bar3": line total 10.80 of a 12.00 subtotal."""
    body = payload("order_727_processing")
    body["line_items"][1]["total"] = "10.80"
    body["discount_total"] = "1.20"
    body["coupon_lines"] = [{"id": 1, "code": "ten", "discount": "1.20", "discount_tax": "0"}]
    body["total"] = "28.15"
    result = mapped("order.updated", body)
    bar = next(x for x in placed(result)["lines"] if x["sku"] == "Bar3")
    assert (bar["unit_price"], bar["discount"]) == (1200, 120)
    assert placed(result)["total"] == 2815
    assert result.adjustments == []


def test_negative_fee_is_an_order_discount_and_a_positive_fee_is_reported() -> None:
    body = payload("order_727_processing")
    body["fee_lines"] = [
        {"id": 1, "name": "Loyalty", "total": "-1.80"},
        {"id": 2, "name": "Gift wrap", "total": "2.00"},
    ]
    body["total"] = "29.55"
    result = mapped("order.updated", body)
    order = OrderData.model_validate(placed(result))
    assert order.net_amount == 1800 - 180
    pointers = [a.pointer for a in result.adjustments]
    assert "/fee_lines/1" in pointers
    assert "/total" in pointers


@pytest.mark.parametrize(("currency", "minor"), [("EUR", 2935), ("JPY", 29), ("KWD", 29350)])
def test_order_currency_sets_the_minor_units(currency: str, minor: int) -> None:
    body = payload("order_727_processing")
    body["currency"] = currency
    result = mapped("order.updated", body)
    assert placed(result)["currency"] == currency
    assert placed(result)["total"] == minor


def test_order_without_currency_takes_the_connectors() -> None:
    body = payload("order_727_processing")
    del body["currency"]
    config = ConnectorConfig(key="shop", platform="woocommerce", currency="RUB", store="msk-1")
    order = placed(mapped("order.updated", body, config))
    assert (order["currency"], order["store"]) == ("RUB", "msk-1")


def test_total_that_does_not_add_up_is_reported_not_refused() -> None:
    body = payload("order_727_processing")
    body["total"] = "30.00"
    result = mapped("order.updated", body)
    assert placed(result)["total"] == 2935
    assert [a.pointer for a in result.adjustments] == ["/total"]


@given(
    amounts=st.lists(
        st.tuples(
            st.integers(1, 5),
            st.decimals(min_value=0, max_value=500, places=2),
            st.decimals(min_value=0, max_value=500, places=2),
        ),
        min_size=1,
        max_size=4,
    ),
    shipping=st.decimals(min_value=0, max_value=50, places=2),
)
def test_any_line_money_gives_a_valid_order(
    amounts: list[tuple[int, Any, Any]], shipping: Any
) -> None:
    body = payload("order_728_pending_batch")
    template = body["line_items"][0]
    body["line_items"] = [
        {**template, "id": i, "sku": f"S{i}", "quantity": q, "subtotal": str(s), "total": str(t)}
        for i, (q, s, t) in enumerate(amounts)
    ]
    body["shipping_total"] = str(shipping)
    result = mapped("order.created", body)  # parse_batch accepts it
    order = OrderData.model_validate(placed(result))
    # a line's net is its WooCommerce total, capped at its subtotal
    expected = sum(min(round(t * 100), -(-round(s * 100) // q) * q) for q, s, t in amounts)
    assert order.net_amount == expected


# -- members ----------------------------------------------------------------------------------
def test_guest_without_email_is_nobody_to_credit() -> None:
    body = payload("order_727_processing")
    body["billing"]["email"] = ""
    result = mapped("order.updated", body)
    assert result.events == []
    assert result.ignored is not None


def test_customer_without_email_is_the_member_by_id() -> None:
    body = payload("order_723_completed_refunds")
    body["billing"]["email"] = ""
    result = mapped("order.updated", body)
    assert {e["member_id"] for e in result.events} == {"woocommerce:26"}
    assert "email" not in result.events[0]["data"]


def test_unusable_profile_fields_are_left_out_and_reported() -> None:
    body = payload("order_727_processing")
    body["billing"]["phone"] = "ask at the door"
    body["billing"]["email"] = "john.doe@example.com"
    result = mapped("order.updated", body)
    assert "phone" not in result.events[0]["data"]
    assert [a.pointer for a in result.adjustments] == ["/billing/phone"]


def test_customer_webhooks_enrol_and_update_the_member() -> None:
    created = mapped("customer.created", payload("customer_25"))
    updated = mapped("customer.updated", payload("customer_25_updated"))
    assert kinds(created) == [("woocommerce:customer:25:enrolled", "member.enrolled")]
    assert kinds(updated) == [
        ("woocommerce:customer:25:updated:2017-03-21T19:12:28+00:00", "member.updated")
    ]
    assert created.events[0]["member_id"] == updated.events[0]["member_id"] == "woocommerce:25"
    assert updated.events[0]["data"]["first_name"] == "James"


def test_a_payload_that_is_no_order_is_ignored() -> None:
    result = mapped("order.created", {"webhook_id": "12"})  # WooCommerce's ping body, parsed
    assert result.events == []
    assert result.ignored is not None


def test_unmapped_topic_is_ignored() -> None:
    result = mapped("product.updated", {"id": 1})
    assert result.events == []
    assert result.ignored


# -- headers and signatures --------------------------------------------------------------
def test_topic_and_delivery_from_the_headers() -> None:
    headers = {"x-wc-webhook-topic": "order.updated", "x-wc-webhook-delivery-id": "88"}
    assert WOO.topic(headers) == "order.updated"
    assert WOO.delivery_id(headers) == "88"
    assert WOO.topic({}) is None
    assert WOO.topics >= {"order.created", "order.updated", "customer.created"}


def test_signature_good_bad_tampered_and_missing() -> None:
    body = (DATA / "order_727_processing.json").read_bytes()
    good = {"x-wc-webhook-signature": sign(body)}
    assert WOO.verify(SECRET, good, body)
    assert not WOO.verify(b"another secret", good, body)
    assert not WOO.verify(SECRET, good, body.replace(b"29.35", b"19.35"))
    assert not WOO.verify(SECRET, {"x-wc-webhook-signature": "bm9wZQ=="}, body)
    assert not WOO.verify(SECRET, {}, body)


@given(body=st.binary(max_size=200), flip=st.integers(0, 199))
def test_any_changed_byte_breaks_the_signature(body: bytes, flip: int) -> None:
    headers = {"x-wc-webhook-signature": sign(body)}
    assert WOO.verify(SECRET, headers, body)
    if body:
        changed = bytearray(body)
        changed[flip % len(body)] ^= 0x01
        assert not WOO.verify(SECRET, headers, bytes(changed))


def test_a_mapping_leaves_the_payload_untouched() -> None:
    body = payload("order_723_completed_refunds")
    before = copy.deepcopy(body)
    mapped("order.updated", body)
    assert body == before


# -- the shared helpers the adapters use (base.profile, base.instant) ---------------------
@given(
    fields=st.fixed_dictionaries(
        {
            "email": st.none() | st.text(max_size=40) | st.emails(),
            "first_name": st.none() | st.text(max_size=300),
            "phone": st.none() | st.text(alphabet="+0123456789 ()-.x", max_size=30),
            "locale": st.none() | st.sampled_from(["en", "ru", "pt", "", "EN"]),
        }
    )
)
def test_any_customer_fields_give_a_profile_loyalist_accepts(fields: dict[str, Any]) -> None:
    person, notes = profile(fields, "/billing")
    MemberProfile.model_validate(person)
    dropped = {
        name
        for name, value in fields.items()
        if value is not None and str(value).strip() and name not in person
    }
    assert {note.pointer for note in notes} == {f"/billing/{name}" for name in dropped}


@given(moment=st.datetimes(timezones=st.just(UTC)) | st.datetimes())
def test_instant_reads_a_timestamp_with_or_without_zone(moment: datetime) -> None:
    read = instant(moment.isoformat())
    assert read is not None
    expected = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    assert datetime.fromisoformat(read) == expected
    assert instant("yesterday") is None
    assert instant(None) is None
