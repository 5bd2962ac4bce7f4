"""WooCommerce webhooks: orders (created, updated with status changes, deleted), refunds and
customers, as the WooCommerce REST API (v3) shapes them — WooCommerce delivers a resource
webhook with "exactly the same" body as ``GET /wp-json/wc/v3/<resource>/<id>``.

Signature: ``X-WC-Webhook-Signature`` is the base64 HMAC-SHA256 of the raw body with the
webhook's secret; the topic is ``X-WC-Webhook-Topic``. Every order webhook carries the whole
order, so each one sends the order's profile and ``order.placed`` (replays after the first)
and then what its status says: ``processing`` → paid; ``completed`` → paid and delivered;
``cancelled`` → cancelled; ``refunded`` → paid and every line returned. ``failed`` (a
payment the customer may retry) stays placed, as Loyalist's cancellation is final.
WooCommerce's order lists its refunds by amount only (``refunds: [{id, total}]``), so a
partial refund is booked from the refund itself (``refund.created``: the REST refund object,
lines with negative quantities) and only reported when seen on an order. The rules are in
docs/connectors-platforms.md.
"""

from __future__ import annotations

import base64
import hmac
import html
import re
from collections.abc import Mapping
from typing import Any, ClassVar

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

PLATFORM = "woocommerce"
#: statuses that mean the money was taken
_PAID = frozenset({"processing", "completed", "refunded"})
#: statuses of an order that is not one yet (block checkout drafts, trashed orders)
_NOT_AN_ORDER = frozenset({"checkout-draft", "auto-draft", "trash"})
_UP = re.compile(r"/orders/(\d+)(?:/|$)")


def sku(item: Mapping[str, Any]) -> str:
    """A line's sku: the product's own, else ``variation:<id>`` or ``product:<id>`` (the
    REST API gives ``""`` for a product without a sku)."""
    own = str(item.get("sku") or "").strip()
    if own:
        return own[:128]
    if item.get("variation_id"):
        return f"variation:{item['variation_id']}"
    return f"product:{item.get('product_id') or item.get('id')}"


def _line(item: Mapping[str, Any], currency: str, pointer: str) -> PlatformLine:
    """A REST line item: ``subtotal`` is before coupons, ``total`` after, both without tax
    (whatever ``prices_include_tax`` says); the unit price is the subtotal per unit rounded
    up and the rest a discount, so the line's net is exactly ``total``."""
    quantity = int(item.get("quantity") or 0)
    subtotal = to_minor(item.get("subtotal"), currency)
    total = to_minor(item.get("total"), currency)
    unit = -(-subtotal // quantity) if quantity > 0 else 0
    return PlatformLine(
        sku=sku(item),
        quantity=quantity,
        unit_price=unit,
        discount=unit * quantity - total,
        # WooCommerce's names carry HTML entities ("Ship Your Idea &ndash; Color: Black")
        name=html.unescape(str(item.get("name") or "")) or None,
        pointer=pointer,
    )


_PING = re.compile(rb"webhook_id=[0-9]{1,20}")


class WooCommerceAdapter:
    """WooCommerce's webhooks (see the module's docstring)."""

    platform: ClassVar[str] = PLATFORM
    topics: ClassVar[frozenset[str]] = frozenset(
        {
            "order.created",
            "order.updated",
            "order.deleted",
            "refund.created",
            "customer.created",
            "customer.updated",
        }
    )

    def topic(self, headers: Mapping[str, str]) -> str | None:
        return headers.get("x-wc-webhook-topic") or None

    def delivery_id(self, headers: Mapping[str, str]) -> str | None:
        return headers.get("x-wc-webhook-delivery-id") or None

    def is_ping(self, headers: Mapping[str, str], body: bytes) -> bool:
        # Saving a webhook in WooCommerce posts ``webhook_id=<id>`` (a form body, no topic,
        # unsigned) and disables the webhook unless it is answered 2xx.
        return self.topic(headers) is None and _PING.fullmatch(body) is not None

    def verify(self, secret: bytes, headers: Mapping[str, str], body: bytes) -> bool:
        given = headers.get("x-wc-webhook-signature", "")
        expected = base64.b64encode(hmac_sha256(secret, body)).decode()
        return bool(given) and hmac.compare_digest(given.strip(), expected)

    def map(self, topic: str, payload: Mapping[str, Any], config: ConnectorConfig) -> Mapped:
        if topic in ("order.created", "order.updated"):
            return _order(payload, config)
        if topic == "order.deleted":
            return _deleted(payload, config)
        if topic == "refund.created":
            return _refund(payload)
        if topic in ("customer.created", "customer.updated"):
            return _customer(topic, payload)
        return Mapped([], ignored=f"topic {topic!r} is not mapped")


def _member(payload: Mapping[str, Any]) -> str | None:
    billing = payload.get("billing") or {}
    return member_ref(PLATFORM, payload.get("customer_id"), billing.get("email"))


def _platform_order(
    payload: Mapping[str, Any], config: ConnectorConfig, notes: list[Adjustment]
) -> PlatformOrder:
    """The order as WooCommerce states it: lines without tax, ``total_tax`` (items and
    shipping) as the tax, a negative fee as an order discount (a positive one is reported)."""
    currency = str(payload.get("currency") or config.currency).upper()
    lines = [
        _line(item, currency, f"/line_items/{i}")
        for i, item in enumerate(payload.get("line_items") or [])
    ]
    fees = [to_minor(fee.get("total"), currency) for fee in payload.get("fee_lines") or []]
    for i, fee in enumerate(fees):
        if fee > 0:
            notes.append(Adjustment(f"/fee_lines/{i}", "a fee is not part of a Loyalist order"))
    return PlatformOrder(
        order_id=f"{PLATFORM}:{payload.get('id')}",
        currency=currency,
        lines=lines,
        order_discount=-sum(fee for fee in fees if fee < 0),
        shipping=to_minor(payload.get("shipping_total"), currency),
        tax=to_minor(payload.get("total_tax"), currency),
        stated_total=to_minor(payload.get("total"), currency),
        channel=config.channel,
        store=config.store,
    )


def _order(payload: Mapping[str, Any], config: ConnectorConfig) -> Mapped:
    status = str(payload.get("status") or "")
    if payload.get("id") in (None, ""):
        return Mapped([], ignored="the payload is not an order (no id)")
    if status in _NOT_AN_ORDER:
        return Mapped([], ignored=f"order status {status!r} is not an order yet")
    member = _member(payload)
    if member is None:
        return Mapped([], ignored="a guest order without an email: nobody to credit")
    notes: list[Adjustment] = []
    reconciled = reconcile(_platform_order(payload, config, notes))
    notes.extend(reconciled.adjustments)
    if reconciled.data is None:
        return Mapped([], notes, ignored="the order has no line to book")
    created = instant(payload.get("date_created_gmt")) or instant(payload.get("date_created"))
    if created is None:
        return Mapped([], notes, ignored="the order states no date")
    billing = payload.get("billing") or {}
    person, odd = profile(
        {
            "email": billing.get("email"),
            "first_name": billing.get("first_name"),
            "last_name": billing.get("last_name"),
            "phone": billing.get("phone"),
        },
        "/billing",
    )
    notes.extend(odd)
    facts: list[tuple[str, str, str, dict[str, Any]]] = []
    if person:
        facts.append(("enrolled", "member.enrolled", created, person))
    facts.append(("placed", "order.placed", created, reconciled.data))
    facts.extend(_by_status(payload, status, reconciled.data, created, notes))
    base = f"{PLATFORM}:order:{payload.get('id')}"
    events = [
        {
            "id": f"{base}:{suffix}",
            "type": kind,
            "member_id": member,
            "occurred_at": at,
            "data": data,
        }
        for suffix, kind, at, data in facts
    ]
    return Mapped(events, notes)


def _by_status(
    payload: Mapping[str, Any],
    status: str,
    placed: Mapping[str, Any],
    created: str,
    notes: list[Adjustment],
) -> list[tuple[str, str, str, dict[str, Any]]]:
    """What the order's status says happened after it was placed: ``(id suffix, type, at,
    data)``, each at the platform's own date for it (the same on every redelivery) where it
    keeps one, else at the order's last change."""
    modified = instant(payload.get("date_modified_gmt")) or created
    ref = {"order_id": placed["order_id"]}
    out: list[tuple[str, str, str, dict[str, Any]]] = []
    if status in _PAID:
        paid = instant(payload.get("date_paid_gmt")) or modified
        out.append(("paid", "order.paid", paid, ref))
    if status == "completed":
        done = instant(payload.get("date_completed_gmt")) or modified
        out.append(("delivered", "order.delivered", done, ref))
    if status == "cancelled":
        out.append(
            ("cancelled", "order.cancelled", modified, {**ref, "reason": "WooCommerce: cancelled"})
        )
    if status == "refunded":
        every = [{"sku": line["sku"], "quantity": line["quantity"]} for line in placed["lines"]]
        return_id = f"{PLATFORM}:order:{payload.get('id')}:refunded"
        out.append(
            (
                "refunded",
                "order.returned",
                modified,
                {**ref, "return_id": return_id, "lines": every},
            )
        )
        return out
    for i, refund in enumerate(payload.get("refunds") or []):
        notes.append(
            Adjustment(
                f"/refunds/{i}",
                f"refund {refund.get('id')} ({refund.get('total')}) names no lines here: "
                "booked from its refund.created webhook",
            )
        )
    return out


def _deleted(payload: Mapping[str, Any], config: ConnectorConfig) -> Mapped:
    """WooCommerce sends a deleted order as ``{"id": …}`` only (nothing says whose it was);
    a trashed order still carries its customer and is cancelled."""
    member = _member(payload)
    if member is None:
        return Mapped([], ignored="the deleted order names no customer: cancel it instead")
    at = instant(payload.get("date_modified_gmt")) or instant(payload.get("date_created_gmt"))
    if at is None:
        return Mapped([], ignored="the order states no date")
    return Mapped(
        [
            {
                "id": f"{PLATFORM}:order:{payload.get('id')}:cancelled",
                "type": "order.cancelled",
                "member_id": member,
                "occurred_at": at,
                "data": {
                    "order_id": f"{PLATFORM}:{payload.get('id')}",
                    "reason": "WooCommerce: deleted",
                },
            }
        ]
    )


def _refund(payload: Mapping[str, Any]) -> Mapped:
    """A REST refund object (``GET /orders/<id>/refunds/<refund id>``): its lines have
    negative quantities; the order is ``order_id`` or the one in ``_links.up``."""
    links = (payload.get("_links") or {}).get("up") or [{}]
    found = _UP.search(str(links[0].get("href") or ""))
    order = payload.get("order_id") or (found.group(1) if found else None)
    if order is None:
        return Mapped([], ignored="the refund names no order (_links.up)")
    # the REST refund names no customer: the connector books it to its order's member
    # (``woocommerce:order:<id>`` until the order exists, as for Shopify's refunds)
    member = _member(payload) or f"{PLATFORM}:order:{order}"
    at = instant(payload.get("date_created_gmt"))
    if at is None:
        return Mapped([], ignored="the refund states no date")
    quantities: dict[str, int] = {}
    notes: list[Adjustment] = []
    for i, item in enumerate(payload.get("line_items") or []):
        quantity = abs(int(item.get("quantity") or 0))
        if quantity == 0:
            notes.append(Adjustment(f"/line_items/{i}", "a refund of money only: no item back"))
            continue
        quantities[sku(item)] = quantities.get(sku(item), 0) + quantity
    if not quantities:
        return Mapped([], notes, ignored="a refund of money only: no line to return")
    refund_id = f"{PLATFORM}:refund:{payload.get('id')}"
    data: dict[str, Any] = {
        "order_id": f"{PLATFORM}:{order}",
        "return_id": refund_id,
        "lines": [{"sku": key, "quantity": value} for key, value in quantities.items()],
    }
    reason = str(payload.get("reason") or "").strip()
    if reason:
        data["reason"] = reason[:200]
    event = {
        "id": refund_id,
        "type": "order.returned",
        "member_id": member,
        "occurred_at": at,
        "data": data,
    }
    return Mapped([event], notes)


def _customer(topic: str, payload: Mapping[str, Any]) -> Mapped:
    member = member_ref(PLATFORM, payload.get("id"), payload.get("email"))
    if member is None:
        return Mapped([], ignored="the customer has no id")
    person, notes = profile(
        {
            "email": payload.get("email"),
            "first_name": payload.get("first_name"),
            "last_name": payload.get("last_name"),
            "phone": (payload.get("billing") or {}).get("phone"),
        },
        "",
    )
    created = instant(payload.get("date_created_gmt")) or instant(payload.get("date_created"))
    modified = instant(payload.get("date_modified_gmt")) or created
    if created is None or modified is None:
        return Mapped([], notes, ignored="the customer states no date")
    customer = f"{PLATFORM}:customer:{payload.get('id')}"
    # the connectors service enrols, under the same id with ``enrolled``, a customer whose
    # update comes before any of their events (a missed customer.created)
    if topic == "customer.created":
        event_id, kind, at = f"{customer}:enrolled", "member.enrolled", created
    else:
        event_id, kind, at = f"{customer}:updated:{modified}", "member.updated", modified
    event = {
        "id": event_id,
        "type": kind,
        "member_id": member,
        "occurred_at": at,
        "data": person,
    }
    return Mapped([event], notes)


ADAPTER = WooCommerceAdapter()
