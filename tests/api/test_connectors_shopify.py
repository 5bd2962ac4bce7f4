"""Shopify's documented webhook payloads through the real route: orders, payments,
fulfillments, refunds and customers become Loyalist events, once, on the right member."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

import pytest
from starlette.testclient import TestClient

from loyalist.clock import ManualClock
from tests.api.conftest import assert_problem
from tests.api.connectors_helpers import (
    balance,
    create_connector,
    members_with_email,
    payload,
    post_webhook,
)

ORDER = "820982911946154508"
CUSTOMER = "shopify:115310627314723954"


@pytest.fixture
def clock() -> ManualClock:
    """The examples' own time (their orders are of 31 December 2021): points still pending."""
    return ManualClock(datetime(2022, 1, 5, 12, 0, tzinfo=UTC))


@pytest.fixture
def shop(client: TestClient, admin: dict[str, str]) -> dict[str, Any]:
    return create_connector(client, admin, "shopify", currency="USD")


def _paid_order() -> dict[str, Any]:
    """The documented orders/create example as an orders/paid delivery: the same order,
    paid (the example is ``voided`` and cancelled; a paid order is neither)."""
    order = payload("shopify", "orders_create")
    order.update(financial_status="paid", cancelled_at=None, cancel_reason=None)
    return order


def _refund() -> dict[str, Any]:
    """The documented refunds/create example with the time it leaves null, one line."""
    refund = payload("shopify", "refunds_create")
    refund["processed_at"] = "2022-01-03T10:00:00-05:00"
    refund["refund_line_items"] = refund["refund_line_items"][:1]
    return refund


@pytest.mark.usefixtures("shop")
class TestOrders:
    def test_books_the_documented_order_to_a_new_member_found_by_email(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        response = post_webhook(
            client, "shopify", "orders/create", payload("shopify", "orders_create")
        )

        assert response.status_code == 200, response.text
        body = response.json()
        assert body["topic"] == "orders/create"
        assert body["accepted"] == [
            "shopify:customer:115310627314723954:enrolled:2021-12-31T19:00:00-05:00",
            f"shopify:order:{ORDER}:placed",
        ]
        notes = {a["pointer"]: a["note"] for a in body["adjustments"]}
        assert "merged" in notes["/line_items/0"]  # two lines of one sku
        # The example's total leaves out its shipping: the lines and shipping are the truth.
        assert "38800" in notes["/total"]
        assert "40800" in notes["/total"]
        found = members_with_email(client, admin, "john@example.com")
        assert [m["id"] for m in found] == [CUSTOMER]
        assert (found[0]["first_name"], found[0]["last_name"]) == ("John", "Smith")

    def test_a_redelivery_is_replayed_and_changes_nothing(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        order = _paid_order()
        first = post_webhook(client, "shopify", "orders/paid", order)
        points = balance(client, admin, CUSTOMER)

        again = post_webhook(client, "shopify", "orders/paid", order)

        assert first.json()["accepted"] == [
            "shopify:customer:115310627314723954:enrolled:2021-12-31T19:00:00-05:00",
            f"shopify:order:{ORDER}:paid",
        ]
        # The member exists now: not enrolled again beside the order; the order replays.
        assert again.json()["accepted"] == []
        assert again.json()["replayed"] == [f"shopify:order:{ORDER}:paid"]
        assert again.headers["Idempotent-Replayed"] == "true"
        assert points["pending"] > 0
        assert balance(client, admin, CUSTOMER) == points

    def test_paid_then_refunded_line_reverses_its_points(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        post_webhook(client, "shopify", "orders/paid", _paid_order())
        before = balance(client, admin, CUSTOMER)

        refunded = post_webhook(client, "shopify", "refunds/create", _refund())

        assert refunded.status_code == 200, refunded.text
        assert refunded.json()["accepted"] == ["shopify:refund:890088186047892319"]
        after = balance(client, admin, CUSTOMER)
        # One of the two units returned: about half the points go (pending, not yet earned).
        assert 0 < after["pending"] < before["pending"]
        assert after["reversed"] > 0

    def test_a_refund_of_money_alone_is_ignored(self, client: TestClient) -> None:
        post_webhook(client, "shopify", "orders/paid", _paid_order())
        refund = _refund()
        refund["refund_line_items"] = []

        response = post_webhook(client, "shopify", "refunds/create", refund)

        assert response.status_code == 200
        assert response.json()["ignored"] == "the refund returns no line (money only)"

    def test_fulfillment_with_tracking_ships_the_order_of_its_member(
        self, client: TestClient
    ) -> None:
        post_webhook(client, "shopify", "orders/paid", _paid_order())
        fulfillment = payload("shopify", "fulfillments_create")  # names jon@, not the customer

        created = post_webhook(client, "shopify", "fulfillments/create", fulfillment)
        fulfillment["shipment_status"] = "delivered"
        fulfillment["updated_at"] = "2022-01-04T09:00:00-05:00"
        delivered = post_webhook(client, "shopify", "fulfillments/update", fulfillment)

        shipped_id = f"shopify:order:{ORDER}:shipped:123456:1z827wk74630"
        assert created.json()["accepted"] == [shipped_id], created.text
        assert "is member 'shopify:115310627314723954'" in str(created.json()["adjustments"])
        assert delivered.json()["replayed"] == [shipped_id]
        assert delivered.json()["accepted"] == [f"shopify:order:{ORDER}:delivered"]

    def test_cancelled_order_is_cancelled(self, client: TestClient, admin: dict[str, str]) -> None:
        post_webhook(client, "shopify", "orders/paid", _paid_order())

        cancelled = post_webhook(
            client, "shopify", "orders/cancelled", payload("shopify", "orders_create")
        )

        assert cancelled.json()["accepted"] == [f"shopify:order:{ORDER}:cancelled"]
        points = balance(client, admin, CUSTOMER)
        assert points["pending"] == 0

    def test_the_rest_reference_order_keeps_its_three_lines_and_its_tax(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        order = payload("shopify", "order_rest_reference")

        response = post_webhook(client, "shopify", "orders/paid", order)

        assert response.status_code == 200, response.text
        # Three lines of 199.00 and tax 11.94 on top; the example states 409.94 (two lines).
        assert response.json()["adjustments"] == [
            {
                "pointer": "/total",
                "note": "the platform's total 40994 ≠ lines − discounts + shipping + tax = "
                "60894: the lines are taken as the truth",
            }
        ]
        assert [m["id"] for m in members_with_email(client, admin, "bob.norman@hostmail.com")] == [
            "shopify:207119551"
        ]


@pytest.mark.usefixtures("shop")
class TestCustomers:
    def test_a_created_customer_is_a_member_found_by_email(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        response = post_webhook(
            client, "shopify", "customers/create", payload("shopify", "customers_create")
        )

        assert response.json()["accepted"] == [
            "shopify:customer:706405506930370084:enrolled:2021-12-31T19:00:00-05:00"
        ]
        found = members_with_email(client, admin, "bob@biller.com")
        assert [(m["id"], m["first_name"]) for m in found] == [
            ("shopify:706405506930370084", "Bob")
        ]

    def test_an_update_of_a_customer_not_known_yet_enrols_them(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        customer = payload("shopify", "customers_create")

        response = post_webhook(client, "shopify", "customers/update", customer)

        assert response.json()["accepted"] == [
            "shopify:customer:706405506930370084:enrolled:2021-12-31T19:00:00-05:00"
        ]
        assert members_with_email(client, admin, "bob@biller.com")

    def test_an_order_by_an_email_a_member_has_goes_to_that_member(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        enrolled = client.post(
            "/api/v1/events",
            json={
                "id": "shop-enrol-1",
                "type": "member.enrolled",
                "member_id": "C-42",
                "occurred_at": "2021-01-01T00:00:00Z",
                "data": {"email": "John@Example.com"},  # the same address, other case
            },
            headers=admin,
        )
        assert enrolled.status_code == 202, enrolled.text

        response = post_webhook(client, "shopify", "orders/paid", _paid_order())

        assert response.json()["accepted"] == [f"shopify:order:{ORDER}:paid"]
        assert balance(client, admin, "C-42")["pending"] > 0
        assert [m["id"] for m in members_with_email(client, admin, "john@example.com")] == ["C-42"]

    def test_a_guest_checkout_is_booked_to_a_member_named_by_its_email(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        order = _paid_order()
        del order["customer"]  # a guest checkout: the order's own e-mail address only

        response = post_webhook(client, "shopify", "orders/paid", order)

        assert response.status_code == 200, response.text
        found = members_with_email(client, admin, "jon@example.com")
        assert len(found) == 1
        assert found[0]["id"].startswith("shopify:guest:")

    def test_a_guest_without_an_email_is_acknowledged_and_ignored(self, client: TestClient) -> None:
        order = _paid_order()
        del order["customer"]
        order["email"] = order["contact_email"] = None

        response = post_webhook(client, "shopify", "orders/paid", order)

        assert response.status_code == 200
        assert response.json()["ignored"].startswith("a guest checkout without an e-mail")


def test_a_refund_before_its_order_is_refused_until_the_order_arrives(
    client: TestClient, admin: dict[str, str]
) -> None:
    create_connector(client, admin, "shopify")

    early = post_webhook(client, "shopify", "refunds/create", _refund())
    post_webhook(client, "shopify", "orders/paid", copy.deepcopy(_paid_order()))
    retried = post_webhook(client, "shopify", "refunds/create", _refund())

    assert_problem(early, 404, "member_not_found")
    assert retried.json()["accepted"] == ["shopify:refund:890088186047892319"]
