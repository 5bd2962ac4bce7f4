"""WooCommerce and Saleor webhooks through the real route: signed as the platform signs,
booked through the events' batch path, replayed when redelivered, refused when the signature
is wrong, and the customer found by e-mail."""

from __future__ import annotations

import hashlib
import hmac

import orjson
import pytest
from cryptography.hazmat.primitives import serialization
from starlette.testclient import TestClient

from tests.api.conftest import assert_problem
from tests.api.connectors_helpers import (
    body_of,
    create_connector,
    members_with_email,
    payload,
    post_webhook,
    signed_headers,
)
from tests.unit.test_connector_saleor import KEY, full_order, jwks, jws

SALEOR_URL = "/api/v1/connectors/saleor/main-shop"


class TestWooCommerce:
    def test_guest_order_is_booked_once_and_its_customer_found_by_email(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        create_connector(client, admin, "woocommerce")
        order = payload("woocommerce", "order_727_processing")

        first = post_webhook(client, "woocommerce", "order.updated", order)
        again = post_webhook(client, "woocommerce", "order.updated", order)
        found = members_with_email(client, admin, "john.doe@example.com")

        assert first.status_code == 200, first.text
        assert first.json()["accepted"] == [
            "woocommerce:order:727:enrolled",
            "woocommerce:order:727:placed",
            "woocommerce:order:727:paid",
        ]
        assert again.status_code == 200
        assert again.json()["accepted"] == []
        assert again.headers.get("Idempotent-Replayed") == "true"
        assert len(found) == 1
        assert found[0]["id"].startswith("woocommerce:guest:")

    def test_a_later_status_books_only_what_is_new(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        create_connector(client, admin, "woocommerce")

        post_webhook(
            client, "woocommerce", "order.created", payload("woocommerce", "order_727_processing")
        )
        completed = post_webhook(
            client, "woocommerce", "order.updated", payload("woocommerce", "order_727_completed")
        )

        assert completed.status_code == 200, completed.text
        assert completed.json()["accepted"] == ["woocommerce:order:727:delivered"]
        assert completed.json()["replayed"] == [
            "woocommerce:order:727:placed",
            "woocommerce:order:727:paid",
        ]

    def test_status_changes_and_a_partial_refund(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        create_connector(client, admin, "woocommerce")
        order = payload("woocommerce", "order_723_completed_refunds")
        refund = payload("woocommerce", "refund_724_line")  # names no customer

        booked = post_webhook(client, "woocommerce", "order.updated", order)
        returned = post_webhook(client, "woocommerce", "refund.created", refund)

        assert booked.status_code == 200, booked.text
        assert booked.json()["accepted"][-2:] == [
            "woocommerce:order:723:paid",
            "woocommerce:order:723:delivered",
        ]
        pointers = [a["pointer"] for a in booked.json()["adjustments"]]
        assert pointers[:2] == ["/refunds/0", "/refunds/1"]
        assert returned.status_code == 200, returned.text
        assert returned.json()["accepted"] == ["woocommerce:refund:724"]
        notes = [a["note"] for a in returned.json()["adjustments"]]
        assert any("woocommerce:26" in note for note in notes)  # the order's member

    def test_customer_created_then_updated(self, client: TestClient, admin: dict[str, str]) -> None:
        create_connector(client, admin, "woocommerce")

        created = post_webhook(
            client, "woocommerce", "customer.created", payload("woocommerce", "customer_25")
        )
        updated = post_webhook(
            client, "woocommerce", "customer.updated", payload("woocommerce", "customer_25_updated")
        )
        found = members_with_email(client, admin, "john.doe@example.com")

        assert created.json()["accepted"] == ["woocommerce:customer:25:enrolled"]
        assert updated.status_code == 200, updated.text
        assert [m["id"] for m in found] == ["woocommerce:25"]
        assert found[0]["first_name"] == "James"  # the update applied

    def test_bad_and_tampered_signatures_are_refused_and_nothing_is_booked(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        create_connector(client, admin, "woocommerce")
        body = body_of(payload("woocommerce", "order_727_processing"))
        headers = signed_headers("woocommerce", "order.updated", body)

        wrong = post_webhook(client, "woocommerce", "order.updated", body, secret="another-secret")
        tampered = post_webhook(
            client, "woocommerce", "order.updated", body.replace(b"29.35", b"9.35"), headers=headers
        )

        assert_problem(wrong, 401, "connector_signature_invalid")
        assert_problem(tampered, 401, "connector_signature_invalid")
        assert members_with_email(client, admin, "john.doe@example.com") == []

    def test_an_unmapped_topic_is_acknowledged(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        create_connector(client, admin, "woocommerce")

        answer = post_webhook(client, "woocommerce", "product.updated", {"id": 1})

        assert answer.status_code == 200
        assert answer.json()["ignored"]


class TestSaleor:
    @pytest.mark.parametrize("form", ["jwks", "pem"])
    def test_fully_paid_order_signed_with_saleors_key(
        self, client: TestClient, admin: dict[str, str], form: str
    ) -> None:
        pem = KEY.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        keys = jwks() if form == "jwks" else pem  # the shop's /.well-known/jwks.json
        create_connector(client, admin, "saleor", secret=keys.decode())
        body = orjson.dumps(full_order())

        paid = client.post(
            SALEOR_URL,
            content=body,
            headers={"Saleor-Event": "order_fully_paid", "Saleor-Signature": jws(body)},
        )
        forged = client.post(
            SALEOR_URL,
            content=body.replace(b"HOODIE", b"HOODIX"),
            headers={"Saleor-Event": "order_fully_paid", "Saleor-Signature": jws(body)},
        )
        found = members_with_email(client, admin, "adrian.king@example.com")

        assert paid.status_code == 200, paid.text
        assert [i.rsplit(":", 1)[-1] for i in paid.json()["accepted"]] == [
            "enrolled",
            "placed",
            "paid",
        ]
        assert_problem(forged, 401, "connector_signature_invalid")
        assert [m["id"] for m in found] == ["saleor:VXNlcjoxOTY="]

    def test_legacy_secret_key_signature(self, client: TestClient, admin: dict[str, str]) -> None:
        secret = "saleor-secret-key"
        create_connector(client, admin, "saleor", secret=secret)
        body = orjson.dumps(full_order())
        good = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()

        created = client.post(
            SALEOR_URL,
            content=body,
            headers={"Saleor-Event": "order_created", "Saleor-Signature": good},
        )
        wrong = client.post(
            SALEOR_URL,
            content=body,
            headers={"Saleor-Event": "order_created", "Saleor-Signature": "0" * 64},
        )

        assert created.status_code == 200, created.text
        assert_problem(wrong, 401, "connector_signature_invalid")
