"""Facts about orders that higher domains (the ledger, later rules) react to."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class OrderLineFact:
    """A line of a paid order as rules and statistics see it (part of ``OrderPaid``)."""

    sku: str
    category: str | None
    quantity: int
    unit_price: int
    discount: int
    name: str | None = None  # the shop's product name, as the order gave it


@dataclass(frozen=True, slots=True)
class OrderPaid:
    """An order is paid and its lines are known; emitted once per order."""

    member_id: int
    order_id: str
    currency: str
    net_amount: int
    paid_at: datetime
    delivered_at: datetime | None
    lines: tuple[OrderLineFact, ...]
    channel: str | None = None
    shipping: int = 0
    checkout_id: str | None = None
    #: ``{"code": ...}`` or ``{"token": ...}`` when the order carries a referral.
    referral: dict[str, str] | None = None
    #: The shop's fraud signals as keyed hashes: ``ip``, ``device_id``,
    #: ``payment_fingerprint``, ``address_fingerprint`` (those sent).
    signals: dict[str, str] | None = None


@dataclass(frozen=True, slots=True)
class OrderShipped:
    """A paid order left the shop (first report wins; emitted once per order, when it is
    both paid and reported shipped, never for a cancelled one), with what the first
    report that found it paid said of the parcel. ``delivered_at`` is set when a delivery
    was reported before the shipment; ``skus`` are the order's products."""

    member_id: int
    order_id: str
    shipped_at: datetime
    delivered_at: datetime | None
    carrier: str | None
    tracking_number: str | None
    tracking_url: str | None
    skus: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class OrderDelivered:
    """A paid order was delivered (first report wins): pending points mature a return
    window after ``delivered_at``."""

    member_id: int
    order_id: str
    delivered_at: datetime


@dataclass(frozen=True, slots=True)
class OrderReturned:
    """Part of a paid order came back; ``cumulative_returned_amount`` covers every return so far."""

    member_id: int
    order_id: str
    return_id: str
    returned_amount: int
    cumulative_returned_amount: int
    net_amount: int
    occurred_at: datetime


@dataclass(frozen=True, slots=True)
class OrderCancelled:
    """A paid order was cancelled: it no longer counts anywhere; ``returned_amount`` is
    what returns had already taken back."""

    member_id: int
    order_id: str
    cancelled_at: datetime
    net_amount: int = 0
    returned_amount: int = 0


@dataclass(frozen=True, slots=True)
class OrderAbandoned:
    """An order was cancelled before its payment was reported: no points, no statistics;
    only what was reserved for it (a checkout hold) is let go."""

    member_id: int
    order_id: str
    cancelled_at: datetime


@dataclass(frozen=True, slots=True)
class ActivityRecorded:
    """A member event other than an order fact was stored (sign-up, profile change, review,
    survey answer, membership change, custom ``x.*``); emitted once per event id.

    ``data`` is the validated payload; for profile events the personal fields are left out
    (only their names are listed under ``fields``).
    """

    member_id: int
    external_member_id: str
    event_id: str
    type: str
    occurred_at: datetime
    data: dict[str, Any]
