"""Saleor webhooks: subscription payloads (Saleor ≥ 3.2) of the order, fulfillment and
customer events, in the shape of the subscription query in docs/connectors-platforms.md.

Topic: the ``Saleor-Event`` header (``order_created``; ``X-Saleor-Event`` before Saleor 4),
upper-cased to Saleor's enum name. Signature: ``Saleor-Signature``, either a JWS (RS256,
detached payload) checked against the public keys of the shop's
``/.well-known/jwks.json`` — the connector's secret is then that JWKS document (or one JWK,
or a PEM public key) — or, for a webhook with a ``secretKey`` (Saleor's deprecated scheme),
the hex HMAC-SHA256 of the raw body with that key.

Each order event carries the order, so it sends the customer's profile and ``order.placed``
(replays after the first) and then what the event says: fully paid → paid; fulfilled or a
fulfillment → shipped (per fulfillment, with its tracking number); cancelled → cancelled;
refunded → a return per refunded fulfillment or granted refund with lines (all lines on a
full refund that names none).
"""

from __future__ import annotations

import base64
import binascii
import hmac
from collections.abc import Mapping
from typing import Any, ClassVar

import orjson
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from loyalist.connectors.adapters.base import (
    Adjustment,
    ConnectorConfig,
    Mapped,
    PlatformLine,
    PlatformOrder,
    hmac_sha256,
    instant,
    member_ref,
    profile,
    reconcile,
    to_minor,
)

PLATFORM = "saleor"
_ORDER_EVENTS = frozenset(
    {
        "ORDER_CREATED",
        "ORDER_FULLY_PAID",
        "ORDER_FULFILLED",
        "ORDER_CANCELLED",
        "ORDER_REFUNDED",
        "ORDER_FULLY_REFUNDED",
        "FULFILLMENT_CREATED",
    }
)
_RETURNED = frozenset({"REFUNDED", "RETURNED", "REFUNDED_AND_RETURNED"})


def _b64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _keys(secret: bytes) -> list[tuple[str | None, rsa.RSAPublicKey]]:
    """The RSA public keys in a JWKS document, one JWK, or a PEM public key."""
    if secret.lstrip().startswith(b"-----BEGIN"):
        key = serialization.load_pem_public_key(secret)
        return [(None, key)] if isinstance(key, rsa.RSAPublicKey) else []
    document = orjson.loads(secret)
    found = []
    for jwk in document.get("keys", [document]):
        if jwk.get("kty") != "RSA":
            continue
        numbers = rsa.RSAPublicNumbers(
            int.from_bytes(_b64url(jwk["e"]), "big"), int.from_bytes(_b64url(jwk["n"]), "big")
        )
        found.append((jwk.get("kid"), numbers.public_key()))
    return found


def _jws_ok(keys: bytes, signature: str, body: bytes) -> bool:
    """A compact JWS with a detached payload (``header..signature``), RS256; Saleor signs
    the raw body unencoded (``"b64": false``), other signers may base64url it first."""
    protected, _, sig = signature.partition("..")
    try:
        header = orjson.loads(_b64url(protected))
        raw = _b64url(sig)
        candidates = _keys(keys)
    except (ValueError, TypeError, KeyError, AttributeError, binascii.Error):
        return False
    if not isinstance(header, dict) or header.get("alg") != "RS256":
        return False
    payload = body if header.get("b64") is False else base64.urlsafe_b64encode(body).rstrip(b"=")
    message = protected.encode() + b"." + payload
    for kid, key in candidates:
        if kid is not None and header.get("kid") not in (None, kid):
            continue
        try:
            key.verify(raw, message, padding.PKCS1v15(), hashes.SHA256())
        except InvalidSignature:
            continue
        return True
    return False


def _money(value: Any, kind: str = "gross") -> object:
    """``{"gross": {"amount": 5}}`` / ``{"amount": 5}`` → 5 (None if absent)."""
    if not isinstance(value, Mapping):
        return None
    inner = value.get(kind)
    if isinstance(inner, Mapping):
        return inner.get("amount")
    return value.get("amount")


def _currency(order: Mapping[str, Any], config: ConnectorConfig) -> str:
    for place in (order.get("total"), (order.get("total") or {}).get("gross")):
        if isinstance(place, Mapping) and place.get("currency"):
            return str(place["currency"]).upper()
    channel = order.get("channel") or {}
    return str(channel.get("currencyCode") or config.currency).upper()


def sku(line: Mapping[str, Any]) -> str:
    """An order line's sku: ``productSku``, the variant's sku, else ``variant:<id>``."""
    variant = line.get("variant") or {}
    own = str(line.get("productSku") or variant.get("sku") or "").strip()
    if own:
        return own[:128]
    return f"variant:{variant.get('id') or line.get('variantId') or line.get('id')}"[:128]


class SaleorAdapter:
    """Saleor's webhooks (see the module's docstring)."""

    platform: ClassVar[str] = PLATFORM
    topics: ClassVar[frozenset[str]] = _ORDER_EVENTS | {"CUSTOMER_CREATED", "CUSTOMER_UPDATED"}

    def topic(self, headers: Mapping[str, str]) -> str | None:
        event = headers.get("saleor-event") or headers.get("x-saleor-event")
        return event.strip().upper() if event else None

    def delivery_id(self, headers: Mapping[str, str]) -> str | None:
        # Saleor names no delivery; its signature is unique per payload
        return None

    def is_ping(self, headers: Mapping[str, str], body: bytes) -> bool:
        return False  # every call the platform makes is signed

    def verify(self, secret: bytes, headers: Mapping[str, str], body: bytes) -> bool:
        given = (headers.get("saleor-signature") or headers.get("x-saleor-signature") or "").strip()
        if not given:
            return False
        if "." in given:
            return _jws_ok(secret, given, body)
        expected = hmac_sha256(secret, body).hex()
        return hmac.compare_digest(given.lower(), expected)

    def map(self, topic: str, payload: Mapping[str, Any], config: ConnectorConfig) -> Mapped:
        event = _unwrap(payload)
        if topic in _ORDER_EVENTS:
            order = event.get("order")
            if not isinstance(order, Mapping) or not order.get("id"):
                return Mapped([], ignored="the payload has no order (see the subscription query)")
            return _order(topic, event, order, config)
        if topic in ("CUSTOMER_CREATED", "CUSTOMER_UPDATED"):
            return _customer(topic, event)
        return Mapped([], ignored=f"event {topic!r} is not mapped")


def _unwrap(payload: Mapping[str, Any]) -> Mapping[str, Any]:
    """A filterable subscription (``orderCreated(channels: …)``) answers
    ``{"data": {"orderCreated": {...}}}``; an ``event { … }`` one answers the event itself."""
    data = payload.get("data")
    if isinstance(data, Mapping) and len(data) == 1:
        [inner] = data.values()
        if isinstance(inner, Mapping):
            return inner
    return payload


def _lines(order: Mapping[str, Any], currency: str, kind: str) -> list[PlatformLine]:
    """The order's lines: ``undiscountedUnitPrice`` (or ``unitPrice`` + ``unitDiscount``) is
    the price before discounts, ``totalPrice`` (or ``unitPrice`` × quantity) what is paid."""
    lines = []
    for i, line in enumerate(order.get("lines") or []):
        quantity = int(line.get("quantity") or 0)
        unit = to_minor(_money(line.get("unitPrice"), kind), currency)
        undiscounted = line.get("undiscountedUnitPrice")
        before = (
            to_minor(_money(undiscounted, kind), currency)
            if undiscounted
            else unit + to_minor(_money(line.get("unitDiscount"), kind), currency)
        )
        total = line.get("totalPrice")
        net = to_minor(_money(total, kind), currency) if total else unit * quantity
        lines.append(
            PlatformLine(
                sku=sku(line),
                quantity=quantity,
                unit_price=before,
                discount=before * quantity - net,
                name=str(line.get("productName") or "") or None,
                pointer=f"/order/lines/{i}",
            )
        )
    return lines


def _platform_order(order: Mapping[str, Any], config: ConnectorConfig) -> PlatformOrder:
    """The order in net prices plus tax, or in gross prices (tax included) when the order
    shows gross prices or its lines have no net ones."""
    currency = _currency(order, config)
    gross = bool(order.get("displayGrossPrices", False)) or not any(
        isinstance(line.get("unitPrice"), Mapping) and "net" in line["unitPrice"]
        for line in order.get("lines") or []
    )
    kind = "gross" if gross else "net"
    total = order.get("total") or {}
    return PlatformOrder(
        order_id=f"{PLATFORM}:{order.get('id')}",
        currency=currency,
        lines=_lines(order, currency, kind),
        shipping=to_minor(_money(order.get("shippingPrice"), kind), currency),
        tax=to_minor(_money(total.get("tax")), currency),
        taxes_included=gross,
        # the total with tax is what the customer paid, whichever prices the lines show
        stated_total=to_minor(_money(total, "gross"), currency) if total else None,
        channel=config.channel,
        store=config.store or (order.get("channel") or {}).get("slug"),
    )


def _order(
    topic: str, event: Mapping[str, Any], order: Mapping[str, Any], config: ConnectorConfig
) -> Mapped:
    user = order.get("user") or {}
    email = order.get("userEmail") or user.get("email")
    member = member_ref(PLATFORM, user.get("id"), email)
    if member is None:
        return Mapped([], ignored="a guest order without an email: nobody to credit")
    reconciled = reconcile(_platform_order(order, config))
    notes = list(reconciled.adjustments)
    if reconciled.data is None:
        return Mapped([], notes, ignored="the order has no line to book")
    created = instant(order.get("created"))
    now = instant(event.get("issuedAt")) or instant(order.get("updatedAt")) or created
    if now is None:
        return Mapped([], notes, ignored="the order states no date")
    if created is None:
        notes.append(
            Adjustment("/order/created", "absent: the order is placed at the event's time")
        )
        created = now
    billing = order.get("billingAddress") or {}
    person, odd = profile(
        {
            "email": email,
            "first_name": user.get("firstName") or billing.get("firstName"),
            "last_name": user.get("lastName") or billing.get("lastName"),
            "phone": billing.get("phone"),
            "locale": str(user.get("languageCode") or "")[:2].lower() or None,
        },
        "/order/user",
    )
    notes.extend(odd)
    base = f"{PLATFORM}:order:{order.get('id')}"
    facts: list[tuple[str, str, str, dict[str, Any]]] = []
    if person:
        facts.append((f"{base}:enrolled", "member.enrolled", created, person))
    facts.append((f"{base}:placed", "order.placed", created, reconciled.data))
    facts.extend(_follow_ups(topic, event, order, reconciled.data, now, notes))
    events = [
        {"id": event_id, "type": kind, "member_id": member, "occurred_at": at, "data": data}
        for event_id, kind, at, data in facts
    ]
    return Mapped(events, notes)


def _follow_ups(
    topic: str,
    event: Mapping[str, Any],
    order: Mapping[str, Any],
    placed: Mapping[str, Any],
    now: str,
    notes: list[Adjustment],
) -> list[tuple[str, str, str, dict[str, Any]]]:
    """What the event says happened to the placed order: ``(id, type, at, data)``."""
    base = f"{PLATFORM}:order:{order.get('id')}"
    ref = {"order_id": placed["order_id"]}
    out: list[tuple[str, str, str, dict[str, Any]]] = []
    # each fact comes from one event only, at that event's time: a paid flag seen again in a
    # later event would carry another time, and one id with two bodies is refused
    if topic == "ORDER_CANCELLED":
        out.append(
            (f"{base}:cancelled", "order.cancelled", now, {**ref, "reason": "Saleor: cancelled"})
        )
    elif topic == "ORDER_FULLY_PAID":
        out.append((f"{base}:paid", "order.paid", now, ref))
    if topic in ("ORDER_FULFILLED", "FULFILLMENT_CREATED"):
        shipped = [event["fulfillment"]] if isinstance(event.get("fulfillment"), Mapping) else []
        for fulfillment in shipped or order.get("fulfillments") or []:
            if str(fulfillment.get("status") or "FULFILLED") != "FULFILLED":
                continue
            data: dict[str, Any] = dict(ref)
            tracking = str(fulfillment.get("trackingNumber") or "").strip()
            if tracking.startswith(("http://", "https://")) and " " not in tracking:
                data["tracking_url"] = tracking[:1024]
            elif tracking:
                data["tracking_number"] = tracking[:128]
            at = instant(fulfillment.get("created")) or now
            out.append((f"{base}:shipped:{fulfillment.get('id')}", "order.shipped", at, data))
    if topic in ("ORDER_REFUNDED", "ORDER_FULLY_REFUNDED"):
        returns = _returns(order, now)
        if not returns and topic == "ORDER_FULLY_REFUNDED":
            every = [{"sku": x["sku"], "quantity": x["quantity"]} for x in placed["lines"]]
            returns = [(f"{base}:refunded", now, every)]
        elif not returns:
            notes.append(Adjustment("/order", "the refund names no lines: not booked as a return"))
        for return_id, at, returned in returns:
            data = {**ref, "return_id": return_id, "lines": returned}
            out.append((return_id, "order.returned", at, data))
    return out


def _returns(order: Mapping[str, Any], now: str) -> list[tuple[str, str, list[dict[str, Any]]]]:
    """The order's returns with lines: refunded/returned fulfillments and granted refunds."""
    found = []
    sources = [
        (f, f.get("created"))
        for f in order.get("fulfillments") or []
        if str(f.get("status") or "") in _RETURNED
    ] + [(g, g.get("createdAt")) for g in order.get("grantedRefunds") or []]
    for source, when in sources:
        quantities: dict[str, int] = {}
        for item in source.get("lines") or []:
            quantity = abs(int(item.get("quantity") or 0))
            if quantity:
                key = sku(item.get("orderLine") or {})
                quantities[key] = quantities.get(key, 0) + quantity
        if quantities:
            lines = [{"sku": key, "quantity": value} for key, value in quantities.items()]
            found.append((f"{PLATFORM}:refund:{source.get('id')}", instant(when) or now, lines))
    return found


def _customer(topic: str, event: Mapping[str, Any]) -> Mapped:
    user = event.get("user")
    if not isinstance(user, Mapping):
        return Mapped([], ignored="the payload has no user (see the subscription query)")
    member = member_ref(PLATFORM, user.get("id"), user.get("email"))
    if member is None:
        return Mapped([], ignored="the customer has no id")
    billing = user.get("defaultBillingAddress") or {}
    person, notes = profile(
        {
            "email": user.get("email"),
            "first_name": user.get("firstName"),
            "last_name": user.get("lastName"),
            "phone": billing.get("phone"),
            "locale": str(user.get("languageCode") or "")[:2].lower() or None,
        },
        "/user",
    )
    joined = instant(user.get("dateJoined"))
    updated = instant(user.get("updatedAt")) or instant(event.get("issuedAt")) or joined
    if joined is None or updated is None:
        return Mapped([], notes, ignored="the customer states no date")
    customer = f"{PLATFORM}:customer:{user.get('id')}"
    # the connectors service enrols, under the same id with ``enrolled``, a customer whose
    # update comes before any of their events (a missed CUSTOMER_CREATED)
    if topic == "CUSTOMER_CREATED":
        event_id, kind, at = f"{customer}:enrolled", "member.enrolled", joined
    else:
        event_id, kind, at = f"{customer}:updated:{updated}", "member.updated", updated
    return Mapped(
        [
            {
                "id": event_id,
                "type": kind,
                "member_id": member,
                "occurred_at": at,
                "data": person,
            }
        ],
        notes,
    )


ADAPTER = SaleorAdapter()
