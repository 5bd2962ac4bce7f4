"""End-to-end helpers for the connectors' routes, for every platform: create a connector,
load a platform's documented payload, sign it as the platform does, post it to the webhook
route, and find the member a customer became."""

from __future__ import annotations

import base64
import hashlib
import hmac
from pathlib import Path
from typing import Any

import httpx
import orjson
from starlette.testclient import TestClient

DATA = Path(__file__).resolve().parents[1] / "data" / "connectors"
SECRET = "shpss_test_0123456789abcdef"

#: The header each platform signs with (HMAC-SHA256 of the raw body: base64, Saleor's with
#: a secret key hex; Saleor's JWS is ``tests.unit.test_connector_saleor.jws``) and the header
#: naming the topic.
SIGNATURE_HEADERS = {
    "shopify": ("X-Shopify-Hmac-Sha256", "X-Shopify-Topic"),
    "woocommerce": ("X-WC-Webhook-Signature", "X-WC-Webhook-Topic"),
    "saleor": ("Saleor-Signature", "Saleor-Event"),
}


def create_connector(
    client: TestClient,
    headers: dict[str, str],
    platform: str,
    key: str = "main-shop",
    secret: str = SECRET,
    **fields: Any,
) -> dict[str, Any]:
    """``POST /api/v1/connectors``; the answer (201 checked)."""
    body = {"platform": platform, "key": key, "secret": secret, **fields}
    response = client.post("/api/v1/connectors", json=body, headers=headers)
    assert response.status_code == 201, response.text
    made: dict[str, Any] = response.json()
    return made


def payload(platform: str, name: str) -> dict[str, Any]:
    """``tests/data/connectors/<platform>/<name>.json`` (see its SOURCES.md)."""
    loaded: dict[str, Any] = orjson.loads((DATA / platform / f"{name}.json").read_bytes())
    return loaded


def body_of(content: dict[str, Any] | bytes) -> bytes:
    """A payload as the raw bytes a platform sends (64-bit ids kept exact)."""
    return content if isinstance(content, bytes) else orjson.dumps(content)


def hmac_base64(secret: str, body: bytes) -> str:
    """Base64 of HMAC-SHA256(secret, body): Shopify's and WooCommerce's signature."""
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def signed_headers(
    platform: str, topic: str, body: bytes, secret: str = SECRET, **more: str
) -> dict[str, str]:
    """The headers a platform sends with ``body``: its signature and its topic."""
    signature, topic_header = SIGNATURE_HEADERS[platform]
    if platform == "saleor":
        signed = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    else:
        signed = hmac_base64(secret, body)
    return {
        "Content-Type": "application/json",
        signature: signed,
        topic_header: topic,
        **more,
    }


def post_webhook(
    client: TestClient,
    platform: str,
    topic: str,
    content: dict[str, Any] | bytes,
    *,
    key: str = "main-shop",
    secret: str = SECRET,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    """Post ``content`` to the connector's webhook route, signed with ``secret`` (or with
    ``headers`` exactly, when given)."""
    body = body_of(content)
    sent = headers if headers is not None else signed_headers(platform, topic, body, secret)
    response: httpx.Response = client.post(
        f"/api/v1/connectors/{platform}/{key}", content=body, headers=sent
    )
    return response


def members_with_email(
    client: TestClient, headers: dict[str, str], email: str
) -> list[dict[str, Any]]:
    """``GET /api/v1/members?email=`` (a list, or a page's items)."""
    response = client.get("/api/v1/members", params={"email": email}, headers=headers)
    assert response.status_code == 200, response.text
    found = response.json()
    if isinstance(found, dict):
        found = found.get("items", found.get("members", found.get("data", [])))
    assert isinstance(found, list)
    return found


def balance(client: TestClient, headers: dict[str, str], member_id: str) -> dict[str, Any]:
    """``GET /api/v1/members/{member_id}/points``."""
    response = client.get(f"/api/v1/members/{member_id}/points", headers=headers)
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found
