"""What a platform must never see a 4xx for: a fact Loyalist already has, sent again with
another body (a backfilled order, a cancelled WooCommerce order edited later), is answered
``replayed``; WooCommerce's unsigned ping when a webhook is saved is answered ``ignored``."""

from __future__ import annotations

from typing import Any

from starlette.testclient import TestClient

from loyalist.activities.schemas import parse_events
from loyalist.activities.service import ingest_events
from loyalist.bootstrap import Loyalist
from loyalist.connectors.adapters.base import ConnectorConfig
from loyalist.connectors.backfill import shopify_csv
from loyalist.connectors.backfill.orders import ExportOrder, plan_orders
from tests.api.conftest import assert_problem
from tests.api.connectors_helpers import (
    DATA,
    balance,
    create_connector,
    members_with_email,
    payload,
    post_webhook,
    signed_headers,
)
from tests.cli.helpers import activity_count
from tests.unit.test_connector_saleor import full_order


def _backfill_shopify_export(app: Loyalist) -> None:
    """What ``loyalist import shopify-orders`` books for the test export."""
    config = ConnectorConfig(key="backfill", platform="shopify")
    with (DATA / "backfill" / "shopify_orders_export.csv").open("rb") as handle:
        orders = [o for o, _ in shopify_csv.read_orders(handle, config)]
    exported = [o for o in orders if isinstance(o, ExportOrder)]
    plans = app.db.read(lambda uow: plan_orders(uow, exported))
    events = parse_events([ev for plan in plans for ev in plan.events])
    app.db.write(lambda uow: ingest_events(uow, events))


def _as_webhook(order_id: int, email: str) -> dict[str, Any]:
    """Shopify's documented ``orders/paid`` payload, made the exported order ``order_id``."""
    order = payload("shopify", "orders_create")
    order["id"] = order_id
    order["email"] = email
    order["financial_status"] = "paid"
    order["cancelled_at"] = None
    order["customer"] = {**order["customer"], "email": email}
    return order


def _woo_cancelled(modified: str) -> dict[str, Any]:
    order = payload("woocommerce", "order_727_processing")
    order["status"] = "cancelled"
    order["date_modified_gmt"] = modified
    return order


class TestFactsAlreadyStored:
    def test_a_backfilled_shopify_order_sent_by_webhook_is_replayed(
        self, app: Loyalist, client: TestClient, admin: dict[str, str]
    ) -> None:
        create_connector(client, admin, "shopify")
        _backfill_shopify_export(app)
        (sophie,) = members_with_email(client, admin, "sophie.martin@example.com")
        before = balance(client, admin, sophie["id"])
        stored = activity_count(app)

        sent = post_webhook(
            client,
            "shopify",
            "orders/paid",
            _as_webhook(7410991464714, "sophie.martin@example.com"),
        )

        assert sent.status_code == 200, sent.text
        assert sent.json()["replayed"] == ["shopify:order:7410991464714:paid"]
        assert balance(client, admin, sophie["id"]) == before
        # the webhook's order events change nothing; at most its customer is new to Loyalist
        assert activity_count(app) - stored == len(sent.json()["accepted"])
        assert not any(":order:" in accepted for accepted in sent.json()["accepted"])

    def test_a_cancelled_woocommerce_order_edited_later_is_replayed(
        self, app: Loyalist, client: TestClient, admin: dict[str, str]
    ) -> None:
        create_connector(client, admin, "woocommerce")
        post_webhook(
            client, "woocommerce", "order.created", payload("woocommerce", "order_727_processing")
        )
        cancelled = post_webhook(
            client, "woocommerce", "order.updated", _woo_cancelled("2026-12-01T10:00:00")
        )
        stored = activity_count(app)

        edited = post_webhook(
            client, "woocommerce", "order.updated", _woo_cancelled("2026-12-05T08:30:00")
        )

        assert cancelled.status_code == 200, cancelled.text
        assert "woocommerce:order:727:cancelled" in cancelled.json()["accepted"]
        assert edited.status_code == 200, edited.text
        assert edited.json()["accepted"] == []
        assert "woocommerce:order:727:cancelled" in edited.json()["replayed"]
        assert edited.headers.get("Idempotent-Replayed") == "true"
        assert activity_count(app) == stored

    def test_a_saleor_order_paid_again_later_is_replayed(
        self, app: Loyalist, client: TestClient, admin: dict[str, str]
    ) -> None:
        create_connector(client, admin, "saleor")
        first = full_order()
        later = {**full_order(), "issuedAt": "2026-03-04T18:00:00+00:00"}

        booked = post_webhook(client, "saleor", "ORDER_FULLY_PAID", first)
        stored = activity_count(app)
        again = post_webhook(client, "saleor", "ORDER_FULLY_PAID", later)

        assert booked.status_code == 200, booked.text
        assert booked.json()["accepted"]
        assert again.status_code == 200, again.text
        assert again.json()["accepted"] == []
        assert any(i.endswith(":paid") for i in again.json()["replayed"])
        assert set(again.json()["replayed"]) <= set(booked.json()["accepted"])
        assert activity_count(app) == stored
        assert signed_headers("saleor", "ORDER_FULLY_PAID", b"{}")["Saleor-Event"]


class TestWooCommercePing:
    def test_the_ping_of_a_new_webhook_is_acknowledged_and_books_nothing(
        self, app: Loyalist, client: TestClient, admin: dict[str, str]
    ) -> None:
        create_connector(client, admin, "woocommerce")
        stored = activity_count(app)

        ping = post_webhook(
            client,
            "woocommerce",
            "",
            b"webhook_id=15",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )

        assert ping.status_code == 200, ping.text
        assert ping.json()["ignored"]
        assert ping.json()["accepted"] == []
        assert activity_count(app) == stored

    def test_anything_else_unsigned_is_refused(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        create_connector(client, admin, "woocommerce")
        form = {"Content-Type": "application/x-www-form-urlencoded"}

        with_topic = post_webhook(
            client,
            "woocommerce",
            "",
            b"webhook_id=15",
            headers={**form, "X-WC-Webhook-Topic": "order.created"},
        )
        more = post_webhook(client, "woocommerce", "", b"webhook_id=15&x=1", headers=form)
        order = post_webhook(
            client,
            "woocommerce",
            "",
            payload("woocommerce", "order_727_processing"),
            headers={"Content-Type": "application/json", "X-WC-Webhook-Topic": "order.created"},
        )

        for refused in (with_topic, more, order):
            assert_problem(refused, 401, "connector_signature_invalid")


class TestSecret:
    def test_a_saleor_jwks_of_several_keys_fits(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        jwks = '{"keys": [' + ", ".join(['{"kty": "RSA", "n": "' + "x" * 800 + '"}'] * 4) + "]}"

        made = create_connector(client, admin, "saleor", secret=jwks)
        too_long = client.post(
            "/api/v1/connectors",
            json={"platform": "saleor", "key": "other", "secret": "x" * 4001},
            headers=admin,
        )

        assert made["platform"] == "saleor"
        assert 3000 < len(jwks) <= 4000
        assert_problem(too_long, 422, "request_invalid", "/secret")
