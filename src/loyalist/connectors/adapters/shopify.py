"""Shopify's webhooks: ``X-Shopify-Hmac-Sha256`` (base64 HMAC-SHA256 of the raw body under the
app's client secret), topics from ``X-Shopify-Topic``, payloads as shopify.dev documents them
(the REST resource of the topic: an order, a fulfillment, a refund, a customer).

Money is the shop's (``price``, ``total_tax``, ``currency``): the presentment currency a buyer
paid in is for display; a shop's books are in its own. A line's discount is the sum of its
``discount_allocations`` (order-level discounts included: Shopify allocates them to the lines
already), falling back to the deprecated ``total_discount`` when there are none; shipping is
what the shipping lines cost after their own discounts; gift cards are not purchases and are
left out.
"""

from __future__ import annotations

import base64
import hmac
from collections.abc import Mapping
from typing import Any, ClassVar

from loyalist.connectors.adapters.base import (
    Adjustment,
    ConnectorConfig,
    Mapped,
    PlatformLine,
    PlatformOrder,
    hmac_sha256,
    member_ref,
    reconcile,
    to_minor,
)

PLATFORM = "shopify"
#: Shopify's ``source_name`` of an order placed at a point of sale.
_POS_SOURCES = frozenset({"pos", "shopify_pos"})
_PHONE_CHARS = frozenset("+0123456789 ()-.")


class PayloadError(ValueError):
    """A payload lacks what its topic needs; ``pointer`` says where."""

    def __init__(self, pointer: str, detail: str) -> None:
        super().__init__(detail)
        self.pointer = pointer


def _id(payload: Mapping[str, Any], name: str, pointer: str = "") -> str:
    value = payload.get(name)
    if isinstance(value, bool) or not isinstance(value, (int, str)) or value in ("", 0):
        raise PayloadError(f"{pointer}/{name}", f"{name} is missing")
    return str(value)


def _text(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _first(payload: Mapping[str, Any], *names: str) -> str | None:
    """The first time stated among ``names`` (ISO 8601 with offset, as Shopify sends it)."""
    for name in names:
        value = _text(payload.get(name))
        if value:
            return value
    return None


def _at(payload: Mapping[str, Any], *names: str) -> str:
    found = _first(payload, *names)
    if found is None:
        raise PayloadError(f"/{names[0]}", f"{names[0]} is missing")
    return found


def _event(event_id: str, kind: str, member: str, at: str, data: dict[str, Any]) -> dict[str, Any]:
    return {"id": event_id, "type": kind, "member_id": member, "occurred_at": at, "data": data}


def _profile(customer: Mapping[str, Any], fallback_email: str | None) -> dict[str, Any]:
    """A member profile from a Shopify customer: what Loyalist can keep as it is."""
    data: dict[str, Any] = {}
    email = _text(customer.get("email")) or fallback_email
    if email:
        data["email"] = email
    for name in ("first_name", "last_name"):
        value = _text(customer.get(name))
        if value:
            data[name] = value[:200]
    phone = _text(customer.get("phone"))
    if phone and set(phone) <= _PHONE_CHARS and 6 <= len(phone) <= 25:
        data["phone"] = phone
    locale = _text(customer.get("locale")) or ""
    if locale[:2] in ("en", "ru"):
        data["locale"] = locale[:2]
    return data


def _sku(line: Mapping[str, Any]) -> str:
    """A line's sku; a product without one is named by its variant (or the line)."""
    sku = _text(line.get("sku"))
    if sku:
        return sku[:128]
    if line.get("variant_id"):
        return f"variant-{line['variant_id']}"
    return f"line-{line.get('id')}"


def _line_discount(line: Mapping[str, Any], currency: str) -> int:
    allocations = line.get("discount_allocations")
    if isinstance(allocations, list) and allocations:
        return sum(to_minor(a.get("amount"), currency) for a in allocations if isinstance(a, dict))
    return to_minor(line.get("total_discount"), currency)


class ShopifyAdapter:
    """Shopify's webhooks to Loyalist events (ids per ``docs/connectors.md``)."""

    platform: ClassVar[str] = PLATFORM
    topics: ClassVar[frozenset[str]] = frozenset(
        {
            "orders/create",
            "orders/paid",
            "orders/fulfilled",
            "orders/cancelled",
            "fulfillments/create",
            "fulfillments/update",
            "refunds/create",
            "customers/create",
            "customers/update",
        }
    )

    def topic(self, headers: Mapping[str, str]) -> str | None:
        return headers.get("x-shopify-topic")

    def delivery_id(self, headers: Mapping[str, str]) -> str | None:
        return headers.get("x-shopify-webhook-id")

    def is_ping(self, headers: Mapping[str, str], body: bytes) -> bool:
        return False  # every call the platform makes is signed

    def verify(self, secret: bytes, headers: Mapping[str, str], body: bytes) -> bool:
        given = headers.get("x-shopify-hmac-sha256")
        if not given:
            return False
        expected = base64.b64encode(hmac_sha256(secret, body))
        return hmac.compare_digest(expected, given.strip().encode("utf-8", "replace"))

    def map(self, topic: str, payload: Mapping[str, Any], config: ConnectorConfig) -> Mapped:
        """Raises:
        PayloadError: the payload lacks an id or a time its topic needs."""
        if topic in ("customers/create", "customers/update"):
            return self._customer(topic, payload)
        if topic in ("orders/create", "orders/paid"):
            return self._order(topic, payload, config)
        if topic == "orders/cancelled":
            return self._cancelled(payload)
        if topic == "orders/fulfilled":
            return self._fulfilled(payload)
        if topic in ("fulfillments/create", "fulfillments/update"):
            return self._fulfillment(payload, _id(payload, "order_id"), None, "")
        if topic == "refunds/create":
            return self._refund(payload)
        return Mapped([], ignored=f"topic {topic!r} is not mapped")

    # -- customers -------------------------------------------------------------------------

    def _customer(self, topic: str, payload: Mapping[str, Any]) -> Mapped:
        customer_id = _id(payload, "id")
        member = member_ref(PLATFORM, customer_id, None)
        assert member is not None  # an id was found
        kind = "enrolled" if topic == "customers/create" else "updated"
        at = _at(payload, "updated_at", "created_at")
        event_id = f"{PLATFORM}:customer:{customer_id}:{kind}:{at}"
        return Mapped([_event(event_id, f"member.{kind}", member, at, _profile(payload, None))])

    def _customer_of(
        self, order: Mapping[str, Any]
    ) -> tuple[str | None, dict[str, Any] | None, str]:
        """The order's member ref, their enrolment event (None: nothing to enrol) and why
        nothing can be credited (a guest without an e-mail address)."""
        customer = order.get("customer")
        customer = customer if isinstance(customer, dict) else {}
        email = _text(order.get("email")) or _text(order.get("contact_email"))
        email = _text(customer.get("email")) or email
        customer_id = customer.get("id")
        member = member_ref(PLATFORM, customer_id, email)
        if member is None:
            return None, None, "a guest checkout without an e-mail address: no one to credit"
        at = _first(customer, "updated_at", "created_at") if customer_id else None
        at = at or _at(order, "created_at", "processed_at", "updated_at")
        key = str(customer_id) if customer_id else member.rsplit(":", 1)[1]
        enrolment = _event(
            f"{PLATFORM}:customer:{key}:enrolled:{at}",
            "member.enrolled",
            member,
            at,
            _profile(customer, email),
        )
        return member, enrolment, ""

    # -- orders ----------------------------------------------------------------------------

    def _order(self, topic: str, payload: Mapping[str, Any], config: ConnectorConfig) -> Mapped:
        order_id = _id(payload, "id")
        member, enrolment, why = self._customer_of(payload)
        if member is None or enrolment is None:
            return Mapped([], ignored=why)
        notes: list[Adjustment] = []
        reconciled = reconcile(self._platform_order(payload, order_id, config, notes))
        notes.extend(reconciled.adjustments)
        if reconciled.data is None:
            return Mapped([], notes, ignored="no line to book")
        if topic == "orders/create":
            kind, at = "placed", _at(payload, "created_at", "processed_at")
        else:
            kind, at = "paid", _at(payload, "updated_at", "processed_at", "created_at")
        event = _event(
            f"{PLATFORM}:order:{order_id}:{kind}",
            f"order.{kind}",
            member,
            at,
            reconciled.data,
        )
        return Mapped([enrolment, event], notes)

    def _platform_order(
        self,
        payload: Mapping[str, Any],
        order_id: str,
        config: ConnectorConfig,
        notes: list[Adjustment],
    ) -> PlatformOrder:
        currency = _text(payload.get("currency")) or config.currency
        lines = []
        raw_lines = payload.get("line_items")
        for i, line in enumerate(raw_lines if isinstance(raw_lines, list) else []):
            if not isinstance(line, dict):
                continue
            if line.get("gift_card") is True:
                notes.append(Adjustment(f"/line_items/{i}", "a gift card is not a purchase"))
                continue
            quantity = line.get("quantity")
            lines.append(
                PlatformLine(
                    sku=_sku(line),
                    quantity=quantity if isinstance(quantity, int) else 0,
                    unit_price=to_minor(line.get("price"), currency),
                    discount=_line_discount(line, currency),
                    name=_text(line.get("name")) or _text(line.get("title")),
                    category=_text(line.get("product_type")),
                    pointer=f"/line_items/{i}",
                )
            )
        shipping = 0
        raw_shipping = payload.get("shipping_lines")
        for ship in raw_shipping if isinstance(raw_shipping, list) else []:
            if isinstance(ship, dict):
                cost = ship.get("discounted_price", ship.get("price"))
                shipping += to_minor(cost, currency)
        source = (_text(payload.get("source_name")) or "").lower()
        location = payload.get("location_id")
        return PlatformOrder(
            order_id=f"{PLATFORM}:{order_id}",
            currency=currency,
            lines=lines,
            shipping=shipping,
            tax=to_minor(payload.get("total_tax"), currency),
            taxes_included=payload.get("taxes_included") is True,
            stated_total=to_minor(payload["total_price"], currency)
            if payload.get("total_price") is not None
            else None,
            channel="pos" if source in _POS_SOURCES else config.channel,
            store=config.store or (f"location-{location}" if location else None),
        )

    def _cancelled(self, payload: Mapping[str, Any]) -> Mapped:
        order_id = _id(payload, "id")
        member, _enrolment, why = self._customer_of(payload)
        if member is None:
            return Mapped([], ignored=why)
        data: dict[str, Any] = {"order_id": f"{PLATFORM}:{order_id}"}
        reason = _text(payload.get("cancel_reason"))
        if reason:
            data["reason"] = reason[:200]
        at = _at(payload, "cancelled_at", "updated_at")
        event_id = f"{PLATFORM}:order:{order_id}:cancelled"
        return Mapped([_event(event_id, "order.cancelled", member, at, data)])

    # -- fulfillments ----------------------------------------------------------------------

    def _fulfilled(self, payload: Mapping[str, Any]) -> Mapped:
        order_id = _id(payload, "id")
        member, _enrolment, why = self._customer_of(payload)
        if member is None:
            return Mapped([], ignored=why)
        fulfillments = payload.get("fulfillments")
        events: list[dict[str, Any]] = []
        for i, fulfillment in enumerate(fulfillments if isinstance(fulfillments, list) else []):
            if isinstance(fulfillment, dict):
                events.extend(
                    self._fulfillment(fulfillment, order_id, member, f"/fulfillments/{i}").events
                )
        if not events:
            return Mapped([], ignored="the order has no fulfillment with a shipment")
        return Mapped(events)

    def _fulfillment(
        self, payload: Mapping[str, Any], order_id: str, member: str | None, pointer: str
    ) -> Mapped:
        """``order.shipped`` for a fulfillment (its tracking, when known) and
        ``order.delivered`` once Shopify says it was delivered. A fulfillment names no
        customer: its member is the order's (the service finds it), guessed from the
        fulfillment's e-mail address until the order is known."""
        fulfillment_id = _id(payload, "id", pointer)
        status = (_text(payload.get("status")) or "").lower()
        if status in ("cancelled", "error", "failure"):
            return Mapped([], ignored=f"the fulfillment's status is {status}")
        member = member or member_ref(PLATFORM, None, _text(payload.get("email")))
        member = member or f"{PLATFORM}:order:{order_id}"
        at = _at(payload, "updated_at", "created_at")
        data: dict[str, Any] = {"order_id": f"{PLATFORM}:{order_id}"}
        carrier = _text(payload.get("tracking_company"))
        number = _text(payload.get("tracking_number"))
        url = _text(payload.get("tracking_url"))
        if carrier:
            data["carrier"] = carrier[:64]
        if number:
            data["tracking_number"] = number[:128]
        if url and url.startswith(("http://", "https://")) and " " not in url and len(url) <= 1024:
            data["tracking_url"] = url
        # A tracking number added later is a shipment notice of its own (same prefix).
        suffix = f":{number[:64]}" if number else ""
        shipped_id = f"{PLATFORM}:order:{order_id}:shipped:{fulfillment_id}{suffix}"
        shipped_at = _at(payload, "created_at", "updated_at")
        events = [_event(shipped_id, "order.shipped", member, shipped_at, data)]
        if (_text(payload.get("shipment_status")) or "").lower() == "delivered":
            events.append(
                _event(
                    f"{PLATFORM}:order:{order_id}:delivered",
                    "order.delivered",
                    member,
                    at,
                    {"order_id": f"{PLATFORM}:{order_id}"},
                )
            )
        return Mapped(events)

    # -- refunds ---------------------------------------------------------------------------

    def _refund(self, payload: Mapping[str, Any]) -> Mapped:
        """``order.returned`` with the refunded lines (a refund of money alone — shipping,
        an adjustment — returns nothing and is ignored)."""
        refund_id = _id(payload, "id")
        order_id = _id(payload, "order_id")
        quantities: dict[str, int] = {}
        items = payload.get("refund_line_items")
        for item in items if isinstance(items, list) else []:
            if not isinstance(item, dict) or not isinstance(item.get("line_item"), dict):
                continue
            quantity = item.get("quantity")
            if (
                isinstance(quantity, int)
                and quantity > 0
                and not item["line_item"].get("gift_card")
            ):
                sku = _sku(item["line_item"])
                quantities[sku] = quantities.get(sku, 0) + quantity
        if not quantities:
            return Mapped([], ignored="the refund returns no line (money only)")
        data: dict[str, Any] = {
            "order_id": f"{PLATFORM}:{order_id}",
            "return_id": f"{PLATFORM}:refund:{refund_id}",
            "lines": [{"sku": sku, "quantity": q} for sku, q in quantities.items()],
        }
        note = _text(payload.get("note"))
        if note:
            data["reason"] = note[:200]
        at = _at(payload, "processed_at", "created_at")
        member = f"{PLATFORM}:order:{order_id}"
        event_id = f"{PLATFORM}:refund:{refund_id}"
        return Mapped([_event(event_id, "order.returned", member, at, data)])


ADAPTER = ShopifyAdapter()
