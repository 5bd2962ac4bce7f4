"""Connectors over HTTP: created with a write-only secret, listed, changed and disabled; the
webhook route authenticated by the platform's signature."""

from __future__ import annotations

from sqlalchemy import text
from starlette.testclient import TestClient

from loyalist.bootstrap import Loyalist
from loyalist.staff.models import Scope
from tests.api.conftest import Keys, assert_problem, bearer, row_counts
from tests.api.connectors_helpers import (
    SECRET,
    body_of,
    create_connector,
    payload,
    post_webhook,
    signed_headers,
)


class TestConnectors:
    def test_creates_a_connector_without_ever_showing_its_secret(
        self, client: TestClient, admin: dict[str, str], app: Loyalist
    ) -> None:
        made = create_connector(client, admin, "shopify", currency="USD", store="online")

        listed = client.get("/api/v1/connectors", headers=admin).json()
        one = client.get("/api/v1/connectors/main-shop", headers=admin).json()

        assert made["webhook_path"] == "/api/v1/connectors/shopify/main-shop"
        assert listed == [made]
        assert one == made
        assert (made["currency"], made["store"], made["is_enabled"]) == ("USD", "online", True)
        assert SECRET not in str(listed)
        stored = app.db.read(
            lambda uow: uow.session.execute(text("SELECT secret FROM connectors")).scalar_one()
        )
        assert SECRET not in stored  # encrypted at rest

    def test_refuses_a_key_taken_and_a_bad_field(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        create_connector(client, admin, "shopify")
        body = {"platform": "woocommerce", "key": "main-shop", "secret": "another-secret"}

        taken = client.post("/api/v1/connectors", json=body, headers=admin)
        bad = client.post(
            "/api/v1/connectors",
            json={"platform": "magento", "key": "Bad Key", "secret": "x", "currency": "usd"},
            headers=admin,
        )

        assert_problem(taken, 409, "connector_exists", "/key")
        assert bad.status_code == 422
        pointers = {e["pointer"] for e in bad.json()["errors"]}
        assert pointers == {"/platform", "/key", "/secret", "/currency"}

    def test_needs_the_keys_permission(self, client: TestClient, keys: Keys) -> None:
        response = client.get("/api/v1/connectors", headers=bearer(keys.of(Scope.EVENTS_WRITE)))

        assert response.status_code == 403

    def test_a_disabled_connector_refuses_webhooks_until_enabled(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        create_connector(client, admin, "shopify")
        customer = payload("shopify", "customers_create")

        off = client.patch(
            "/api/v1/connectors/main-shop", json={"is_enabled": False}, headers=admin
        )
        refused = post_webhook(client, "shopify", "customers/create", customer)
        client.patch("/api/v1/connectors/main-shop", json={"is_enabled": True}, headers=admin)
        taken = post_webhook(client, "shopify", "customers/create", customer)

        assert off.json()["is_enabled"] is False
        assert_problem(refused, 404, "connector_not_found")
        assert taken.status_code == 200, taken.text

    def test_a_new_secret_replaces_the_old_one_at_once(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        create_connector(client, admin, "shopify")
        customer = payload("shopify", "customers_create")

        client.patch(
            "/api/v1/connectors/main-shop", json={"secret": "the-new-secret"}, headers=admin
        )
        old = post_webhook(client, "shopify", "customers/create", customer)
        new = post_webhook(client, "shopify", "customers/create", customer, secret="the-new-secret")

        assert_problem(old, 401, "connector_signature_invalid")
        assert new.status_code == 200


class TestWebhookRoute:
    def test_refuses_a_missing_bad_or_tampered_signature_and_writes_nothing(
        self, client: TestClient, admin: dict[str, str], app: Loyalist
    ) -> None:
        create_connector(client, admin, "shopify")
        order = payload("shopify", "orders_create")
        body = body_of(order)
        good = signed_headers("shopify", "orders/create", body)
        before = row_counts(app)

        missing = post_webhook(
            client,
            "shopify",
            "orders/create",
            body,
            headers={"X-Shopify-Topic": "orders/create"},
        )
        wrong = post_webhook(client, "shopify", "orders/create", body, secret="not-the-secret")
        tampered = post_webhook(
            client, "shopify", "orders/create", body.replace(b"199.00", b"1.00"), headers=good
        )

        for response in (missing, wrong, tampered):
            assert_problem(response, 401, "connector_signature_invalid")
        assert row_counts(app) == before

    def test_unknown_platform_or_connector_is_404(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        create_connector(client, admin, "shopify")
        customer = payload("shopify", "customers_create")

        shopify_signed = signed_headers("shopify", "customers/create", body_of(customer))
        platform = post_webhook(
            client, "magento", "customers/create", customer, headers=shopify_signed
        )
        other = post_webhook(client, "shopify", "customers/create", customer, key="no-such")

        assert_problem(platform, 404, "connector_not_found")
        assert_problem(other, 404, "connector_not_found")

    def test_acknowledges_a_topic_it_does_not_map(
        self, client: TestClient, admin: dict[str, str], app: Loyalist
    ) -> None:
        create_connector(client, admin, "shopify")
        before = row_counts(app)

        response = post_webhook(client, "shopify", "products/update", {"id": 632910392})

        assert response.status_code == 200
        assert response.json()["ignored"] == "topic 'products/update' is not mapped"
        assert row_counts(app) == before

    def test_refuses_a_signed_body_that_is_not_the_topics_payload(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        create_connector(client, admin, "shopify")
        refund = payload("shopify", "refunds_create")  # its times are null in the example

        not_json = post_webhook(client, "shopify", "orders/create", b"{not json")
        no_time = post_webhook(client, "shopify", "refunds/create", refund)
        no_id = post_webhook(client, "shopify", "customers/create", {"email": "a@b.example"})

        assert_problem(not_json, 422, "json_malformed", "")  # as on every route
        assert_problem(no_time, 422, "connector_payload_invalid", "/processed_at")
        assert_problem(no_id, 422, "connector_payload_invalid", "/id")

    def test_refuses_a_nul_character_after_the_signature(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        create_connector(client, admin, "shopify")
        customer = payload("shopify", "customers_create") | {"first_name": "Bo\x00b"}

        response = post_webhook(client, "shopify", "customers/create", customer)

        assert_problem(response, 422, "request_invalid", "/first_name")
