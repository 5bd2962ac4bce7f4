"""An order read from an export file, and the Loyalist events it comes to: the member
resolved by email (an existing member keeps its id) and enrolled first when new, the order
reconciled by ``adapters.base.reconcile``, event ids per the connectors' conventions so a
re-run or a later webhook of the same fact replays instead of doubling."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from loyalist.activities import service as activities
from loyalist.connectors.adapters.base import (
    Adjustment,
    PlatformOrder,
    member_ref,
    reconcile,
)
from loyalist.db.uow import UnitOfWork
from loyalist.members import service as members
from loyalist.members.schemas import PHONE_PATTERN

_PHONE = re.compile(PHONE_PATTERN)


@dataclass(frozen=True, slots=True)
class Customer:
    """Who placed the order, as the export states it (``customer_id`` None for a guest)."""

    customer_id: str | None = None
    email: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    phone: str | None = None


@dataclass(frozen=True, slots=True)
class Refund:
    """A return the export states: its event id, when, and which lines (sku, quantity)."""

    event_id: str
    occurred_at: datetime
    lines: tuple[tuple[str, int], ...]
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class ExportOrder:
    """One order of an export file, money already in minor units, and where it is."""

    platform: str
    #: the platform's order id (Loyalist's order id is ``<platform>:<id>``)
    order_id: str
    first_line: int
    last_line: int
    customer: Customer
    order: PlatformOrder
    created_at: datetime
    paid_at: datetime | None = None
    delivered_at: datetime | None = None
    cancelled_at: datetime | None = None
    cancel_reason: str | None = None
    refunds: tuple[Refund, ...] = ()
    #: what the reader left out or changed (e.g. a refund without lines)
    notes: tuple[Adjustment, ...] = ()


@dataclass(frozen=True, slots=True)
class Problem:
    """A record of the file that cannot be an order: where it starts and what is wrong;
    ``fatal`` when the file is not the platform's export at all (nothing of it is read)."""

    line: int
    detail: str
    fatal: bool = False


@dataclass(frozen=True, slots=True)
class Planned:
    """The events of one order (empty, with ``skipped`` saying why, when there is nothing
    to book), what was adjusted and the platform's own totals."""

    order: ExportOrder
    events: list[dict[str, Any]]
    adjustments: list[Adjustment] = field(default_factory=list)
    platform_totals: dict[str, int | bool | None] = field(default_factory=dict)
    skipped: str | None = None
    #: events of the order already booked (by an earlier run or a webhook): not sent again
    present: int = 0


def _stamp(moment: datetime) -> str:
    return moment.isoformat()


def _profile(customer: Customer) -> dict[str, Any]:
    """``member.enrolled``'s data: what the export gives (a phone only when it is one)."""
    data: dict[str, Any] = {}
    if customer.email:
        data["email"] = customer.email.strip()
    if customer.first_name:
        data["first_name"] = customer.first_name.strip()[:200]
    if customer.last_name:
        data["last_name"] = customer.last_name.strip()[:200]
    if customer.phone and _PHONE.match(customer.phone.strip()):
        data["phone"] = customer.phone.strip()
    return data


def plan_order(order: ExportOrder, member_id: str | None, *, enrol: bool) -> Planned:
    """The events of ``order`` for ``member_id`` (None: nobody to credit, nothing booked):
    ``member.enrolled`` first when ``enrol``, then placed, paid, delivered, the returns and
    the cancellation the export states, each with its conventional id."""
    reconciled = reconcile(order.order)
    adjustments = [*order.notes, *reconciled.adjustments]
    if member_id is None:
        return Planned(order, [], adjustments, reconciled.platform_totals, "guest without email")
    if reconciled.data is None:
        return Planned(order, [], adjustments, reconciled.platform_totals, "no line to book")
    platform, oid = order.platform, order.order_id
    ref = order.order.order_id
    events: list[dict[str, Any]] = []

    def add(event_id: str, kind: str, at: datetime, data: dict[str, Any]) -> None:
        events.append(
            {
                "id": event_id,
                "type": kind,
                "member_id": member_id,
                "occurred_at": _stamp(at),
                "data": data,
            }
        )

    if enrol:
        tail = order.customer.customer_id or member_id.removeprefix(f"{platform}:")
        add(
            f"{platform}:customer:{tail}:enrolled",
            "member.enrolled",
            order.created_at,
            _profile(order.customer),
        )
    add(f"{platform}:order:{oid}:placed", "order.placed", order.created_at, reconciled.data)
    if order.paid_at is not None:
        add(f"{platform}:order:{oid}:paid", "order.paid", order.paid_at, {"order_id": ref})
    if order.delivered_at is not None:
        add(
            f"{platform}:order:{oid}:delivered",
            "order.delivered",
            order.delivered_at,
            {"order_id": ref},
        )
    skus = {line["sku"] for line in reconciled.data["lines"]}
    for refund in order.refunds:
        lines: dict[str, int] = {}
        for sku, quantity in refund.lines:
            if sku in skus and quantity > 0:
                lines[sku] = lines.get(sku, 0) + quantity
        if not lines:
            adjustments.append(Adjustment("/refunds", f"{refund.event_id}: no line to return"))
            continue
        data: dict[str, Any] = {
            "order_id": ref,
            "return_id": refund.event_id,
            "lines": [{"sku": sku, "quantity": q} for sku, q in lines.items()],
        }
        if refund.reason:
            data["reason"] = refund.reason[:200]
        add(refund.event_id, "order.returned", refund.occurred_at, data)
    if order.cancelled_at is not None:
        data = {"order_id": ref}
        if order.cancel_reason:
            data["reason"] = order.cancel_reason[:200]
        add(f"{platform}:order:{oid}:cancelled", "order.cancelled", order.cancelled_at, data)
    return Planned(order, events, adjustments, reconciled.platform_totals)


def plan_orders(uow: UnitOfWork, orders: Sequence[ExportOrder]) -> list[Planned]:
    """The events of a batch of orders: each customer is the member their email already
    belongs to (the first created, when several share it), else the member of their
    platform id (or guest email); a member that does not exist yet is enrolled once, with
    its first order of the batch. Events whose ids are already booked are left out (and
    counted in ``present``): the fact is in, whatever the export now says around it (a
    later export's modification time, say)."""
    emails = {(order.customer.email or "").strip().lower() for order in orders} - {""}
    by_email = members.member_ids_by_email(uow, emails)
    wanted: dict[int, str | None] = {}
    for index, order in enumerate(orders):
        email = (order.customer.email or "").strip().lower()
        wanted[index] = by_email.get(email) or member_ref(
            order.platform, order.customer.customer_id, order.customer.email
        )
    known = set(members.member_ids(uow, {ref for ref in wanted.values() if ref}))
    planned = []
    for index, order in enumerate(orders):
        ref = wanted[index]
        enrol = ref is not None and ref not in known
        if ref is not None:
            known.add(ref)
        planned.append(plan_order(order, ref, enrol=enrol))
    booked = activities.stored_event_ids(uow, [ev["id"] for p in planned for ev in p.events])
    if not booked:
        return planned
    return [
        replace(
            plan,
            events=[ev for ev in plan.events if ev["id"] not in booked],
            present=sum(ev["id"] in booked for ev in plan.events),
        )
        for plan in planned
    ]
