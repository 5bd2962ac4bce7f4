"""The Saleor adapter on Saleor's own example payloads (tests/data/connectors/saleor/
SOURCES.md) and on payloads of the documented subscription query built from them: events the
``POST /api/v1/events`` parser accepts, ids per the conventions, and both signature schemes
(JWS RS256 with a detached payload, the deprecated HMAC) over the raw body."""

from __future__ import annotations

import base64
import copy
import hashlib
import hmac
from pathlib import Path
from typing import Any

import orjson
import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from hypothesis import given, settings
from hypothesis import strategies as st

from loyalist.activities.schemas import OrderData, parse_batch
from loyalist.connectors.adapters import adapter
from loyalist.connectors.adapters.base import ConnectorConfig, Mapped, member_ref

DATA = Path(__file__).resolve().parents[1] / "data" / "connectors" / "saleor"
SALEOR = adapter("saleor")
CONFIG = ConnectorConfig(key="shop", platform="saleor", currency="EUR")
USER_ID = "VXNlcjoxOTY="
KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


def payload(name: str) -> dict[str, Any]:
    found: dict[str, Any] = orjson.loads((DATA / f"{name}.json").read_bytes())
    return found


def mapped(topic: str, body: dict[str, Any], config: ConnectorConfig = CONFIG) -> Mapped:
    result = SALEOR.map(topic, body, config)
    if result.events:
        parse_batch(result.events)
    return result


def kinds(result: Mapped) -> list[str]:
    return [event["type"] for event in result.events]


def placed(result: Mapped) -> dict[str, Any]:
    [data] = [e["data"] for e in result.events if e["type"] == "order.placed"]
    return dict(data)


def money(amount: float, currency: str = "PLN") -> dict[str, Any]:
    return {"amount": amount, "currency": currency}


def full_order() -> dict[str, Any]:
    """Saleor's example ORDER_CREATED payload with the fields our subscription query adds:
    ``issuedAt``, ``created``, the user's id and language, skus, net prices and tax, in
    złoty (another currency than the connector's)."""
    body = payload("order_created_emails_app")
    body["issuedAt"] = "2026-03-02T10:00:05+00:00"
    order = body["order"]
    order["created"] = "2026-03-02T09:58:00.120000+00:00"
    order["user"].update({"id": USER_ID, "languageCode": "RU_RU"})
    order["displayGrossPrices"] = False
    for line, (sku, net, before) in zip(
        order["lines"], [("HOODIE-XL", 40.0, 50.0), ("TEE-L", 20.0, 20.0)], strict=True
    ):
        line["productSku"] = sku
        line["quantity"] = 2
        line["undiscountedUnitPrice"] = {"net": money(before), "gross": money(before * 1.23)}
        line["unitPrice"] = {"net": money(net), "gross": money(net * 1.23)}
        line["totalPrice"] = {"net": money(net * 2), "gross": money(net * 2 * 1.23)}
    order["shippingPrice"] = {"net": money(15.0), "gross": money(18.45)}
    order["total"] = {
        "currency": "PLN",
        "net": money(135.0),
        "tax": money(31.05),
        "gross": money(166.05),
    }
    return body


def jws(body: bytes, key: rsa.RSAPrivateKey = KEY, kid: str = "1") -> str:
    """A signature as Saleor's ``jwt_manager.jws_encode`` makes it (PyJWT's
    ``api_jws.encode(..., is_payload_detached=True)``: ``"b64": false``, the raw body signed,
    the payload left out of the compact form)."""
    header = {"alg": "RS256", "b64": False, "kid": kid, "typ": "JWT"}
    protected = base64.urlsafe_b64encode(orjson.dumps(header)).rstrip(b"=")
    signature = key.sign(protected + b"." + body, padding.PKCS1v15(), hashes.SHA256())
    return (protected + b".." + base64.urlsafe_b64encode(signature).rstrip(b"=")).decode()


def jwks(key: rsa.RSAPrivateKey = KEY, kid: str = "1") -> bytes:
    numbers = key.public_key().public_numbers()

    def b64(value: int) -> str:
        raw = value.to_bytes((value.bit_length() + 7) // 8, "big")
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    jwk = {"kty": "RSA", "alg": "RS256", "use": "sig", "kid": kid, "e": b64(numbers.e)}
    return orjson.dumps({"keys": [{**jwk, "n": b64(numbers.n)}]})


# -- Saleor's own examples ---------------------------------------------------------------
def test_example_without_dates_is_ignored_with_a_reason() -> None:
    """Saleor's example asks for neither ``created`` nor ``issuedAt``: nothing says when."""
    result = mapped("ORDER_CREATED", payload("order_created_emails_app"))
    assert result.events == []
    assert result.ignored == "the order states no date"


def test_example_with_the_event_time_is_a_guest_order_that_adds_up() -> None:
    body = payload("order_created_emails_app")
    body["issuedAt"] = "2023-03-10T12:00:00+00:00"  # our query asks for it
    result = mapped("ORDER_CREATED", body)
    assert kinds(result) == ["member.enrolled", "order.placed"]
    member = member_ref("saleor", None, "adrian.king@example.com")
    assert {e["member_id"] for e in result.events} == {member}
    order = placed(result)
    assert order["order_id"] == "saleor:T3JkZXI6NTdiNTBhNDAtYzRmYi00YjQzLWIxODgtM2JhZmRlMTc3MGQ5"
    assert order["currency"] == "USD"
    assert order["store"] == "default-channel"  # the channel when the connector names none
    # lines without a sku are named by their line id; gross prices include the tax
    assert [x["sku"][:8] for x in order["lines"]] == ["variant:", "variant:"]
    assert (order["shipping"], order["tax"], order["total"]) == (6162, 0, 7162)
    # the subtotal and total add up; only the missing creation time is said
    assert [a.pointer for a in result.adjustments] == ["/order/created"]
    assert result.events[1]["occurred_at"] == "2023-03-10T12:00:00+00:00"
    assert result.events[0]["data"] == {
        "email": "adrian.king@example.com",
        "first_name": "Adrian",
        "last_name": "King",
    }


def test_filterable_subscription_wrapper_is_unwrapped() -> None:
    """The docs' ``{"data": {"orderCreated": …}}`` example: ids only, nobody to credit."""
    result = mapped("ORDER_CREATED", payload("order_created_filterable_docs"))
    assert result.events == []
    assert result.ignored is not None
    assert "guest" in result.ignored
    body = payload("order_created_filterable_docs")
    body["data"]["orderCreated"]["order"]["userEmail"] = "a@example.com"
    result = mapped("ORDER_CREATED", body)
    assert result.ignored == "the order has no line to book"  # a line with no quantity
    assert [a.pointer for a in result.adjustments] == ["/order/lines/0"]


# -- the documented subscription query's payloads -----------------------------------------
def test_order_with_discounts_tax_and_another_currency() -> None:
    result = mapped("ORDER_CREATED", full_order())
    assert {e["member_id"] for e in result.events} == {f"saleor:{USER_ID}"}
    assert result.events[0]["data"]["locale"] == "ru"
    order = OrderData.model_validate(placed(result))
    assert order.currency == "PLN"
    hoodie = order.lines[0]
    assert (hoodie.sku, hoodie.unit_price, hoodie.discount) == ("HOODIE-XL", 5000, 2000)
    assert (order.net_amount, order.shipping, order.tax, order.total) == (12000, 1500, 3105, 16605)
    assert result.adjustments == []
    assert result.events[1]["occurred_at"] == "2026-03-02T09:58:00.120000+00:00"
    assert mapped("ORDER_CREATED", full_order()).events == result.events  # a redelivery


def test_fully_paid_order_is_placed_and_paid() -> None:
    result = mapped("ORDER_FULLY_PAID", full_order())
    assert kinds(result) == ["member.enrolled", "order.placed", "order.paid"]
    paid = result.events[-1]
    assert (
        paid["id"] == "saleor:order:T3JkZXI6NTdiNTBhNDAtYzRmYi00YjQzLWIxODgtM2JhZmRlMTc3MGQ5:paid"
    )
    assert paid["occurred_at"] == "2026-03-02T10:00:05+00:00"  # issuedAt


def test_fulfilled_order_ships_each_fulfillment_with_its_tracking() -> None:
    body = full_order()
    body["order"]["isPaid"] = True  # paid is booked from ORDER_FULLY_PAID only
    body["order"]["fulfillments"] = [
        {
            "id": "RnVsZmlsbG1lbnQ6MQ==",
            "status": "FULFILLED",
            "trackingNumber": "RR123456785PL",
            "created": "2026-03-03T08:00:00+00:00",
        },
        {
            "id": "RnVsZmlsbG1lbnQ6Mg==",
            "status": "FULFILLED",
            "trackingNumber": "https://track.example.com/p/99",
        },
        {"id": "RnVsZmlsbG1lbnQ6Mw==", "status": "CANCELED", "trackingNumber": ""},
    ]
    result = mapped("ORDER_FULFILLED", body)
    assert kinds(result) == [
        "member.enrolled",
        "order.placed",
        "order.shipped",
        "order.shipped",
    ]
    first, second = result.events[-2:]
    assert first["id"].endswith(":shipped:RnVsZmlsbG1lbnQ6MQ==")
    assert first["data"]["tracking_number"] == "RR123456785PL"
    assert first["occurred_at"] == "2026-03-03T08:00:00+00:00"
    assert second["data"]["tracking_url"] == "https://track.example.com/p/99"


def test_every_event_of_an_order_repeats_its_facts_unchanged() -> None:
    """One id, one body: later events (another ``issuedAt``) carry the same placed order and
    never pay again, so their shared events are replays."""
    seen: dict[str, dict[str, Any]] = {}
    for hour, topic in enumerate(
        ["ORDER_CREATED", "ORDER_FULLY_PAID", "ORDER_FULFILLED", "ORDER_REFUNDED"], start=10
    ):
        body = full_order()
        body["issuedAt"] = f"2026-03-0{hour - 8}T{hour}:00:00+00:00"
        for event in mapped(topic, body).events:
            assert seen.setdefault(event["id"], event) == event
    assert sum(1 for i in seen if i.endswith(":paid")) == 1


def test_fulfillment_created_ships_that_fulfillment() -> None:
    body = full_order()
    body["fulfillment"] = {
        "id": "RnVsZmlsbG1lbnQ6OQ==",
        "status": "FULFILLED",
        "trackingNumber": "1Z999",
    }
    result = mapped("FULFILLMENT_CREATED", body)
    assert [e["id"].rsplit(":", 1)[-1] for e in result.events if e["type"] == "order.shipped"] == [
        "RnVsZmlsbG1lbnQ6OQ=="
    ]


def test_cancelled_order() -> None:
    result = mapped("ORDER_CANCELLED", full_order())
    assert kinds(result)[-1] == "order.cancelled"
    assert result.events[-1]["data"]["reason"] == "Saleor: cancelled"


def test_partial_refunds_return_their_lines() -> None:
    body = full_order()
    line = body["order"]["lines"][0]
    body["order"]["fulfillments"] = [
        {
            "id": "RnVsZmlsbG1lbnQ6NA==",
            "status": "REFUNDED",
            "created": "2026-03-05T10:00:00Z",
            "lines": [{"quantity": 1, "orderLine": {"productSku": "HOODIE-XL", "id": line["id"]}}],
        },
    ]
    body["order"]["grantedRefunds"] = [
        {
            "id": "R3JhbnRlZFJlZnVuZDox",
            "createdAt": "2026-03-06T10:00:00Z",
            "lines": [{"quantity": 1, "orderLine": {"productSku": "TEE-L"}}],
        },
        {"id": "R3JhbnRlZFJlZnVuZDoy", "createdAt": "2026-03-06T11:00:00Z", "lines": []},
    ]
    result = mapped("ORDER_REFUNDED", body)
    returns = [e for e in result.events if e["type"] == "order.returned"]
    assert [(e["id"], e["data"]["lines"]) for e in returns] == [
        ("saleor:refund:RnVsZmlsbG1lbnQ6NA==", [{"sku": "HOODIE-XL", "quantity": 1}]),
        ("saleor:refund:R3JhbnRlZFJlZnVuZDox", [{"sku": "TEE-L", "quantity": 1}]),
    ]
    assert returns[0]["occurred_at"] == "2026-03-05T10:00:00+00:00"


def test_refund_without_lines() -> None:
    partial = mapped("ORDER_REFUNDED", full_order())
    assert "order.returned" not in kinds(partial)
    assert [a.pointer for a in partial.adjustments] == ["/order"]
    full = mapped("ORDER_FULLY_REFUNDED", full_order())
    returned = full.events[-1]
    assert returned["type"] == "order.returned"
    assert returned["data"]["lines"] == [
        {"sku": "HOODIE-XL", "quantity": 2},
        {"sku": "TEE-L", "quantity": 2},
    ]


def test_guest_without_email_is_nobody_to_credit() -> None:
    body = full_order()
    body["order"]["user"] = None
    body["order"]["userEmail"] = None
    result = mapped("ORDER_CREATED", body)
    assert result.events == []
    assert result.ignored is not None


def test_customer_without_email_is_the_member_by_id() -> None:
    body = full_order()
    body["order"]["userEmail"] = None
    body["order"]["user"]["email"] = None
    result = mapped("ORDER_CREATED", body)
    assert {e["member_id"] for e in result.events} == {f"saleor:{USER_ID}"}
    assert "email" not in result.events[0]["data"]


def customer() -> dict[str, Any]:
    """A CUSTOMER_* payload of our query, the values of Saleor's example user
    (``accountConfirmationPayload`` in the same file of ``saleor/apps``)."""
    return {
        "issuedAt": "2026-03-01T09:00:00+00:00",
        "user": {
            "id": USER_ID,
            "email": "user@example.com",
            "firstName": "John",
            "lastName": "Doe",
            "languageCode": "EN",
            "dateJoined": "2026-03-01T08:59:58+00:00",
            "updatedAt": "2026-03-01T09:00:00+00:00",
            "defaultBillingAddress": None,
        },
    }


def test_customer_events_enrol_and_update_the_member() -> None:
    created = mapped("CUSTOMER_CREATED", customer())
    updated = mapped("CUSTOMER_UPDATED", customer())
    assert [e["id"] for e in created.events] == [f"saleor:customer:{USER_ID}:enrolled"]
    assert [e["type"] for e in created.events + updated.events] == [
        "member.enrolled",
        "member.updated",
    ]
    assert [e["id"] for e in updated.events] == [
        f"saleor:customer:{USER_ID}:updated:2026-03-01T09:00:00+00:00"
    ]
    assert created.events[0]["data"] == {
        "email": "user@example.com",
        "first_name": "John",
        "last_name": "Doe",
        "locale": "en",
    }
    assert created.events[0]["occurred_at"] == "2026-03-01T08:59:58+00:00"
    assert mapped("CUSTOMER_CREATED", {"issuedAt": "x"}).ignored is not None


def test_payload_without_the_order_is_ignored() -> None:
    assert mapped("ORDER_CREATED", {"issuedAt": "2026-03-01T09:00:00Z"}).ignored
    assert mapped("PRODUCT_UPDATED", {"product": {}}).ignored


@settings(max_examples=50)
@given(
    lines=st.lists(
        st.tuples(st.integers(1, 4), st.floats(0, 300), st.floats(0, 300)),
        min_size=1,
        max_size=4,
    ),
    gross=st.booleans(),
)
def test_any_line_money_gives_a_valid_order(
    lines: list[tuple[int, float, float]], gross: bool
) -> None:
    body = full_order()
    body["order"]["displayGrossPrices"] = gross
    body["order"]["lines"] = [
        {
            "id": f"L{i}",
            "productSku": f"S{i}",
            "quantity": quantity,
            "undiscountedUnitPrice": {"net": money(before), "gross": money(before)},
            "unitPrice": {"net": money(now), "gross": money(now)},
        }
        for i, (quantity, before, now) in enumerate(lines)
    ]
    result = mapped("ORDER_CREATED", body)
    OrderData.model_validate(placed(result))


# -- headers and signatures ------------------------------------------------------------
def test_topic_from_the_headers() -> None:
    assert SALEOR.topic({"saleor-event": "order_fully_paid"}) == "ORDER_FULLY_PAID"
    assert SALEOR.topic({"x-saleor-event": "customer_created"}) == "CUSTOMER_CREATED"
    assert SALEOR.topic({}) is None
    assert SALEOR.delivery_id({"saleor-event": "order_created"}) is None
    assert {"ORDER_CREATED", "ORDER_FULLY_PAID", "CUSTOMER_UPDATED"} <= SALEOR.topics


def test_jws_signature_good_bad_tampered_and_missing() -> None:
    body = (DATA / "order_created_emails_app.json").read_bytes()
    keys = jwks()
    good = {"saleor-signature": jws(body)}
    assert SALEOR.verify(keys, good, body)
    assert SALEOR.verify(keys, {"x-saleor-signature": jws(body)}, body)
    assert not SALEOR.verify(keys, good, body.replace(b"71.62", b"7.16"))
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    assert not SALEOR.verify(jwks(other), good, body)  # another shop's key
    assert not SALEOR.verify(keys, {"saleor-signature": jws(body, other)}, body)
    assert not SALEOR.verify(keys, {}, body)
    assert not SALEOR.verify(keys, {"saleor-signature": "bad..sig"}, body)
    assert not SALEOR.verify(b"not a key", good, body)


def test_jws_with_a_pem_key_or_a_single_jwk() -> None:
    body = b'{"order": {}}'
    pem = KEY.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    assert SALEOR.verify(pem, {"saleor-signature": jws(body)}, body)
    [single] = orjson.loads(jwks())["keys"]
    assert SALEOR.verify(orjson.dumps(single), {"saleor-signature": jws(body)}, body)
    # a key id other than the signer's is not tried
    assert not SALEOR.verify(jwks(kid="2"), {"saleor-signature": jws(body, kid="1")}, body)


def test_jws_with_a_base64url_payload() -> None:
    """Signers that keep the default ``b64`` sign the base64url of the body."""
    body = b'{"order": {"id": "1"}}'
    protected = base64.urlsafe_b64encode(b'{"alg":"RS256"}').rstrip(b"=")
    encoded = base64.urlsafe_b64encode(body).rstrip(b"=")
    signature = KEY.sign(protected + b"." + encoded, padding.PKCS1v15(), hashes.SHA256())
    token = protected + b".." + base64.urlsafe_b64encode(signature).rstrip(b"=")
    assert SALEOR.verify(jwks(), {"saleor-signature": token.decode()}, body)
    assert not SALEOR.verify(jwks(), {"saleor-signature": token.decode()}, body + b" ")


def test_legacy_hmac_signature() -> None:
    body = (DATA / "order_created_emails_app.json").read_bytes()
    secret = b"saleor-secret-key"
    good = {"saleor-signature": hmac.new(secret, body, hashlib.sha256).hexdigest()}
    assert SALEOR.verify(secret, good, body)
    assert not SALEOR.verify(b"other", good, body)
    assert not SALEOR.verify(secret, good, body + b"\n")


def test_a_mapping_leaves_the_payload_untouched() -> None:
    body = full_order()
    before = copy.deepcopy(body)
    mapped("ORDER_FULLY_PAID", body)
    assert body == before


@pytest.mark.parametrize("kid", ["1", None])
def test_jws_key_ids(kid: str | None) -> None:
    body = b"{}"
    header: dict[str, Any] = {"alg": "RS256", "b64": False}
    if kid:
        header["kid"] = kid
    protected = base64.urlsafe_b64encode(orjson.dumps(header)).rstrip(b"=")
    signature = KEY.sign(protected + b"." + body, padding.PKCS1v15(), hashes.SHA256())
    token = (protected + b".." + base64.urlsafe_b64encode(signature).rstrip(b"=")).decode()
    assert SALEOR.verify(jwks(), {"saleor-signature": token}, body)
