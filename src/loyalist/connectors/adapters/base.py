"""What every platform adapter is and shares: the ``Adapter`` interface, what a mapped
webhook gives (``Mapped``), and the reconciliation of a platform's order into a consistent
Loyalist order (``reconcile``).

Platforms do arithmetic of their own: order-level discounts beside line discounts, taxes
included in prices or added on top, totals rounded per line or per order, legacy fixtures
whose totals do not add up. The adapter takes the platform's **lines** as the truth, derives
an order whose ``total`` is exactly lines − discounts + shipping + tax (what
``activities.schemas.OrderData`` requires), keeps the platform's own figures for reference,
and says what it adjusted — it never refuses a real order over the platform's arithmetic.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from typing import Any, ClassVar, Protocol

from babel.numbers import get_currency_precision
from pydantic import ValidationError

from loyalist.members.schemas import MemberProfile


@dataclass(frozen=True, slots=True)
class ConnectorConfig:
    """A connector's mapping, as the shop configured it."""

    key: str
    platform: str
    #: the currency of an order that states none
    currency: str = "EUR"
    #: the Loyalist order channel (``activities.models.OrderChannel`` value)
    channel: str = "web"
    #: the Loyalist store an order is booked to (None: the platform's own, if any)
    store: str | None = None


@dataclass(frozen=True, slots=True)
class Adjustment:
    """One thing the adapter changed or left out, said in the response and kept with the
    order: where (a JSON pointer into the platform's payload) and what."""

    pointer: str
    note: str


@dataclass(frozen=True, slots=True)
class Mapped:
    """What one webhook comes to: Loyalist events in the ``POST /api/v1/events`` envelope form
    (``{id, type, member_id, occurred_at, data}``; ids derived from the platform's own ids so
    a redelivery maps to the same events and is replayed, not doubled), what was adjusted, and
    why nothing was sent when ``events`` is empty (``ignored``)."""

    events: list[dict[str, Any]]
    adjustments: list[Adjustment] = field(default_factory=list)
    ignored: str | None = None


class Adapter(Protocol):
    """One platform's webhooks."""

    platform: ClassVar[str]
    #: the webhook topics the adapter maps (others are acknowledged and ignored)
    topics: ClassVar[frozenset[str]]

    def topic(self, headers: Mapping[str, str]) -> str | None:
        """The webhook's topic from its headers (lower-case header names), None if absent."""
        ...

    def delivery_id(self, headers: Mapping[str, str]) -> str | None:
        """The platform's id of this delivery (for logs; events are idempotent by their ids)."""
        ...

    def is_ping(self, headers: Mapping[str, str], body: bytes) -> bool:
        """Whether this is the platform's unsigned check that the URL answers (nothing to
        book; answered ``ignored``, never 401)."""
        ...

    def verify(self, secret: bytes, headers: Mapping[str, str], body: bytes) -> bool:
        """Whether the platform's signature over the raw ``body`` is right (constant time)."""
        ...

    def map(self, topic: str, payload: Mapping[str, Any], config: ConnectorConfig) -> Mapped:
        """The Loyalist events for one verified webhook of ``topic``."""
        ...


def member_ref(platform: str, customer_id: object | None, email: str | None) -> str | None:
    """The Loyalist ``member_id`` of a platform's customer: ``<platform>:<customer id>``; a
    guest checkout with an email is ``<platform>:guest:<24 hex of SHA-256 of the lower-cased
    email>`` (no personal data in an id); None for a guest without an email (nothing to
    credit)."""
    if customer_id not in (None, "", 0, "0"):
        return f"{platform}:{customer_id}"
    if email and email.strip():
        digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:24]
        return f"{platform}:guest:{digest}"
    return None


def profile(fields: Mapping[str, object], pointer: str) -> tuple[dict[str, Any], list[Adjustment]]:
    """The ``member.enrolled`` profile in a platform's customer fields (``email``,
    ``first_name``, ``last_name``, ``phone``, ``locale``): empty values left out, a value
    Loyalist would refuse (an unreadable address, a phone it cannot read, a language it does
    not speak) left out and reported, so one odd field never refuses the whole webhook."""
    out: dict[str, Any] = {}
    notes: list[Adjustment] = []
    for name, value in fields.items():
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        text = value.strip() if isinstance(value, str) else value
        if name == "phone" and isinstance(text, str):
            # "(555) 555-5555": the digits (and a leading +) are the number
            text = ("+" if text.startswith("+") else "") + re.sub(r"\D", "", text)
        try:
            MemberProfile.model_validate({name: text})
        except ValidationError:
            notes.append(Adjustment(f"{pointer}/{name}", f"{name} not usable: left out"))
            continue
        out[name] = text
    return out, notes


def instant(value: object) -> str | None:
    """A platform's timestamp as ISO 8601 with a zone: ``2017-03-22T19:28:02`` (a ``*_gmt``
    field without a zone) is read as UTC; None when absent or unreadable."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.isoformat()


def to_minor(amount: object, currency: str) -> int:
    """A platform's decimal amount (``"19.99"``, ``19.99``, ``None``) in the currency's minor
    units (Babel's precision: 2 for EUR, 0 for JPY, 3 for KWD), rounded half to even; a
    missing or unreadable amount is 0."""
    if amount is None or amount == "":
        return 0
    try:
        value = Decimal(amount if isinstance(amount, str) else str(amount))
    except InvalidOperation:
        return 0
    if not value.is_finite():
        return 0
    return int((value * _scale(currency)).quantize(_ONE, rounding=ROUND_HALF_EVEN))


_ONE = Decimal(1)


@functools.lru_cache(maxsize=256)  # currencies in payloads are few; bounded all the same
def _scale(currency: str) -> Decimal:
    """10 to the power of the currency's minor digits (a webhook's amounts are read per line:
    Babel's lookup and the power once per currency)."""
    return Decimal(10) ** get_currency_precision(currency)


@dataclass(frozen=True, slots=True)
class PlatformLine:
    """A line as the platform states it, money in minor units: ``unit_price`` before any
    discount, ``discount`` the line's own discounts in total (all units)."""

    sku: str
    quantity: int
    unit_price: int
    discount: int = 0
    name: str | None = None
    category: str | None = None
    #: where the line is in the payload, for adjustments (``/line_items/0``)
    pointer: str = ""


@dataclass(frozen=True, slots=True)
class PlatformOrder:
    """An order as the platform states it, money in minor units."""

    order_id: str
    currency: str
    lines: Sequence[PlatformLine]
    #: order-level discounts not already inside the lines' ``discount``
    order_discount: int = 0
    shipping: int = 0
    tax: int = 0
    #: prices already include ``tax`` (the order's total does not add it again)
    taxes_included: bool = False
    #: the platform's own figures, kept for reference and compared
    stated_total: int | None = None
    channel: str = "web"
    store: str | None = None


@dataclass(frozen=True, slots=True)
class Reconciled:
    """``data`` validates as ``OrderData``; ``platform_totals`` the platform's own figures;
    None ``data`` when no line is left (nothing to book)."""

    data: dict[str, Any] | None
    adjustments: list[Adjustment]
    platform_totals: dict[str, int | bool | None]


def _allocate(amount: int, weights: Sequence[int]) -> list[int]:
    """``amount`` split over ``weights`` in proportion, each share ≤ its weight, shares
    summing to ``min(amount, sum(weights))`` (largest remainder)."""
    total = sum(weights)
    amount = min(amount, total)
    if amount <= 0 or total <= 0:
        return [0] * len(weights)
    shares = [amount * w // total for w in weights]
    order = sorted(range(len(weights)), key=lambda i: (-(amount * weights[i] % total), i))
    for i in order[: amount - sum(shares)]:
        shares[i] += 1
    return shares


def _merge(lines: Sequence[PlatformLine], notes: list[Adjustment]) -> list[PlatformLine]:
    """One line per sku (Loyalist's rule): repeated skus merged, their money kept whole;
    lines without a positive quantity left out."""
    merged: dict[str, list[PlatformLine]] = {}
    for line in lines:
        if line.quantity <= 0:
            notes.append(Adjustment(line.pointer, f"line {line.sku!r} has no quantity: left out"))
            continue
        merged.setdefault(line.sku, []).append(line)
    out: list[PlatformLine] = []
    for sku, group in merged.items():
        first = group[0]
        gross = discount = 0
        for line in group:
            line_gross = max(0, line.quantity * line.unit_price)
            if line.discount > line_gross:
                notes.append(
                    Adjustment(line.pointer, f"discount of {sku!r} capped at the line's price")
                )
            gross += line_gross
            discount += min(max(0, line.discount), line_gross)
        quantity = sum(line.quantity for line in group)
        if len(group) > 1:
            notes.append(Adjustment(first.pointer, f"{len(group)} lines of sku {sku!r} merged"))
        # a unit price that, times the quantity, is at least the gross; the excess is a
        # discount, so the line's net money stays what the platform said
        unit_price = -(-gross // quantity)
        discount += unit_price * quantity - gross
        out.append(
            PlatformLine(
                sku=sku,
                quantity=quantity,
                unit_price=unit_price,
                discount=discount,
                name=first.name,
                category=first.category,
                pointer=first.pointer,
            )
        )
    return out


def reconcile(order: PlatformOrder) -> Reconciled:
    """A consistent Loyalist order from the platform's: lines merged per sku, the order-level
    discount spread over the lines in proportion to their net (largest remainder), tax
    booked as stated unless prices include it (then 0: it is inside the prices), and the
    total computed; every difference from the platform's own figures is an ``Adjustment``."""
    notes: list[Adjustment] = []
    lines = _merge(order.lines, notes)
    totals: dict[str, int | bool | None] = {
        "total": order.stated_total,
        "shipping": order.shipping,
        "tax": order.tax,
        "order_discount": order.order_discount,
        "taxes_included": order.taxes_included,
    }
    if not lines:
        return Reconciled(None, notes, totals)
    nets = [line.quantity * line.unit_price - line.discount for line in lines]
    order_discount = max(0, order.order_discount)
    spread = _allocate(order_discount, nets)
    if sum(spread) < order_discount:
        notes.append(
            Adjustment(
                "/order_discount",
                f"order discount {order_discount} capped at the lines' net {sum(nets)}",
            )
        )
    shipping, tax = max(0, order.shipping), max(0, order.tax)
    if order.taxes_included and tax:
        notes.append(Adjustment("/tax", f"tax {tax} is included in the prices: not added again"))
        tax = 0
    data_lines = []
    for line, share in zip(lines, spread, strict=True):
        entry: dict[str, Any] = {
            "sku": line.sku,
            "quantity": line.quantity,
            "unit_price": line.unit_price,
            "discount": line.discount + share,
        }
        if line.name:
            entry["name"] = line.name[:500]
        if line.category:
            entry["category"] = line.category[:200]
        data_lines.append(entry)
    total = sum(nets) - sum(spread) + shipping + tax
    if order.stated_total is not None and order.stated_total != total:
        notes.append(
            Adjustment(
                "/total",
                f"the platform's total {order.stated_total} ≠ lines − discounts + shipping + "
                f"tax = {total}: the lines are taken as the truth",
            )
        )
    data: dict[str, Any] = {
        "order_id": order.order_id,
        "currency": order.currency,
        "channel": order.channel,
        "lines": data_lines,
        "shipping": shipping,
        "tax": tax,
        "total": total,
    }
    if order.store:
        data["store"] = order.store[:128]
    return Reconciled(data, notes, totals)


#: hashlib lets go of the GIL for an update of 2,048 bytes or more; taking it back behind a
#: busy thread (the SQLite writer) can cost a whole switch interval (5 ms) per webhook.
_HOLD_GIL_BYTES = 2047


def hmac_sha256(secret: bytes, body: bytes) -> bytes:
    """HMAC-SHA256 of ``body`` (a webhook's signature), fed in pieces small enough that the
    thread keeps the GIL: measured 3.6 ms a 10 kB body under load in one piece, ~30 µs so."""
    mac = hmac.new(secret, digestmod=hashlib.sha256)
    view = memoryview(body)
    for start in range(0, len(view), _HOLD_GIL_BYTES):
        mac.update(view[start : start + _HOLD_GIL_BYTES])
    return mac.digest()
