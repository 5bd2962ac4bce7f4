"""Ingesting the shop's events: idempotent by event id, tolerant of arrival order.

Orders are rebuilt from facts (placed, paid, delivered, returned, cancelled) whatever order
they arrive in; a fact that higher domains react to is emitted exactly once, when it
becomes true: ``OrderPaid`` when the order is paid *and* its lines are known, returns only
after that, and so on.
"""

from __future__ import annotations

import io
import itertools
import secrets
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
from pydantic import BaseModel

from loyalist.activities import repository, reviews
from loyalist.activities.books import LineState, OrderBook, OrderState, ReturnState
from loyalist.activities.errors import (
    EventIdReusedError,
    EventNotEvaluableError,
    ImportFileInvalidError,
    ImportNotFoundError,
    OrderMemberMismatchError,
    OrderNotFoundError,
    ReturnSkuUnknownError,
)
from loyalist.activities.events import (
    ActivityRecorded,
    OrderAbandoned,
    OrderCancelled,
    OrderDelivered,
    OrderLineFact,
    OrderPaid,
    OrderReturned,
    OrderShipped,
)
from loyalist.activities.models import Activity, EventType, ImportJob, ImportStatus, Order
from loyalist.activities.schemas import (
    EnrolmentData,
    Line,
    OrderCancelledData,
    OrderData,
    OrderReturnedData,
    OrderShippedData,
    ParsedEvent,
    Signals,
    read_csv,
    read_jsonl,
)
from loyalist.activities.sealing import open_personal, personal_part, seal_personal
from loyalist.audit import service as audit
from loyalist.audit.models import Actor
from loyalist.db import carry
from loyalist.db.crypto import MemberCipher, active_keyring
from loyalist.db.uow import UnitOfWork
from loyalist.errors import FieldError
from loyalist.members import service as members
from loyalist.members.errors import MemberNotFoundError
from loyalist.members.schemas import MemberProfile

#: Event types that may introduce a member the shop has not enrolled yet.
_CREATES_MEMBER = {EventType.MEMBER_ENROLLED, EventType.ORDER_PLACED, EventType.ORDER_PAID}


@dataclass(frozen=True, slots=True)
class EventOutcome:
    """The answer for one event; ``replayed`` is true when it was stored before."""

    result: dict[str, Any]
    replayed: bool


def request_digest(raw: dict[str, Any]) -> str:
    # Keyed, so the stored digest of a body with an e-mail in it cannot be brute-forced.
    return active_keyring().blind_index(
        orjson.dumps(raw, option=orjson.OPT_SORT_KEYS).decode(), "event"
    )


def signal_digests(signals: Signals | None) -> dict[str, str] | None:
    """The shop's fraud signals as keyed hashes (what is stored and passed on): equal
    values give equal hashes, and a stored hash does not reveal an address or device."""
    if signals is None:
        return None
    keyring = active_keyring()
    return {
        name: keyring.blind_index(str(value), f"signal.{name}")
        for name, value in signals.model_dump(exclude_none=True).items()
    }


def ingest_events(uow: UnitOfWork, events: list[ParsedEvent]) -> list[EventOutcome]:
    """Apply a batch of validated events in one transaction.

    Invariants: each event id is applied at most once; a replay with the same body returns
    the stored answer and changes nothing; the whole batch applies or nothing does.

    Raises:
        ConflictError: an event id was used before with a different body, or an order
            belongs to another member.
        NotFoundError: an event other than enrolment or an order names an unknown member.
        InvalidRequestError: a return names a sku the order does not have.
    """
    carry.start(uow)  # before the first write: the members' books may take carried state
    digests = [request_digest(ev.raw) for ev in events]
    stored = repository.stored_events(uow.session, (ev.id for ev in events))
    outcomes: list[EventOutcome | None] = [None] * len(events)
    fresh: list[tuple[ParsedEvent, str]] = []
    in_batch: dict[str, str] = {}
    for i, (ev, digest) in enumerate(zip(events, digests, strict=True)):
        previous = stored.get(ev.id)
        first_hash = previous[0] if previous else in_batch.get(ev.id)
        if first_hash is not None and first_hash != digest:
            raise EventIdReusedError(
                f"event {ev.id!r} was already received with a different body",
                errors=[FieldError(f"{ev.pointer}/id", "same id, different body")],
            )
        if previous is not None:
            outcomes[i] = EventOutcome(previous[1], replayed=True)
        elif ev.id not in in_batch:
            in_batch[ev.id] = digest
            fresh.append((ev, digest))
    if fresh:
        results = _apply(uow, fresh)
        by_id = dict(zip((ev.id for ev, _ in fresh), results, strict=True))
        first_index = {ev.id: i for i, ev in reversed(list(enumerate(events)))}
        for i, ev in enumerate(events):
            if outcomes[i] is None:
                # A repeat of an id earlier in the same batch is a replay of that event.
                outcomes[i] = EventOutcome(by_id[ev.id], replayed=first_index[ev.id] != i)
    return [o for o in outcomes if o is not None]


def _apply(uow: UnitOfWork, fresh: list[tuple[ParsedEvent, str]]) -> list[dict[str, Any]]:
    # Each member id with the pointer of the first event naming it.
    named = {ev.member_id: f"{ev.pointer}/member_id" for ev, _ in reversed(fresh)}
    ids = members.member_ids(uow, named)
    unknown = {external: pointer for external, pointer in named.items() if external not in ids}
    if unknown:
        # Never bring back, silently, a person erased at their request.
        members.refuse_erased(uow, unknown, pointers=unknown)
        creating = {ev.member_id for ev, _ in fresh if ev.type in _CREATES_MEMBER}
        ids.update(members.ensure_members(uow, creating & unknown.keys()))
    members.lock_for_events(uow, ids, named)
    for ev, _ in fresh:
        if ev.member_id not in ids:
            raise MemberNotFoundError(
                f"member {ev.member_id!r} does not exist; send member.enrolled or an order first",
                errors=[FieldError(f"{ev.pointer}/member_id", "unknown member")],
            )
    # Every order.* data model has an order id (a failed attribute lookup on a pydantic
    # model is slow, so only order events are asked).
    order_ids: set[str] = {
        getattr(ev.data, "order_id")  # noqa: B009
        for ev, _ in fresh
        if ev.type.startswith("order.") and isinstance(ev.data, BaseModel)
    }
    book = OrderBook.of(uow)
    book.load(order_ids)
    members.upsert_members(
        uow,
        [
            members.ProfileChange(
                ev.member_id,
                ev.data,
                ev.type,
                ev.occurred_at if ev.type == EventType.MEMBER_ENROLLED else None,
            )
            for ev, _ in fresh
            if ev.type in (EventType.MEMBER_ENROLLED, EventType.MEMBER_UPDATED)
            and isinstance(ev.data, MemberProfile)
        ],
    )
    sealing = members.ciphers(
        uow,
        {ids[ev.member_id] for ev, _ in fresh if personal_part(ev.type, ev.raw.get("data", {}))},
        create=True,
    )
    rows: list[dict[str, Any]] = []
    results: list[dict[str, Any]] = []
    for ev, digest in fresh:
        member_id = ids[ev.member_id]
        stored_data = ev.raw.get("data", {})
        personal = personal_part(ev.type, stored_data)
        if personal:
            stored_data = seal_personal(stored_data, personal, sealing[member_id])
        data = ev.data
        signals = signal_digests(
            data.signals if isinstance(data, OrderData | EnrolmentData) else None
        )
        if signals is not None:  # never the raw address or device id at rest
            stored_data = {**stored_data, "signals": signals}
        if ev.type.startswith("order.") and isinstance(ev.data, BaseModel):
            order = _order_for(book, ev, member_id)
            _apply_order_event(uow, book, order, ev)
        else:
            # Reviews and survey answers: what they count for is decided once, here.
            noted = reviews.record_activity(uow, book, member_id, ev)
            if noted:
                stored_data = {**stored_data, **noted}
            if noted is not None:
                uow.emit(
                    ActivityRecorded(
                        member_id=member_id,
                        external_member_id=ev.member_id,
                        event_id=ev.id,
                        type=ev.type,
                        occurred_at=ev.occurred_at,
                        data={**_public_payload(ev, stored_data), **noted},
                    )
                )
        result = {"id": ev.id, "type": ev.type, "member_id": ev.member_id, "status": "accepted"}
        results.append(result)
        rows.append(
            {
                "event_id": ev.id,
                "type": ev.type,
                "member_id": member_id,
                "occurred_at": ev.occurred_at,
                "received_at": uow.now,
                "data": stored_data,
                "request_hash": digest,
                "result": result,
            }
        )
    repository.insert_activities(uow.session, rows)
    return results


def _public_payload(ev: ParsedEvent, stored: dict[str, Any]) -> dict[str, Any]:
    """The event's data as rules see it: validated values, personal fields left out."""
    if ev.type in (EventType.MEMBER_ENROLLED, EventType.MEMBER_UPDATED):
        public = {k: v for k, v in stored.items() if k not in ("sealed", "personal_fields")}
        public["fields"] = sorted({*public, *stored.get("personal_fields", ())} - {"fields"})
        return public
    if isinstance(ev.data, BaseModel):
        return ev.data.model_dump(mode="python", exclude_none=True)
    return ev.data


def _order_for(book: OrderBook, ev: ParsedEvent, member_id: int) -> OrderState:
    order_id: str = getattr(ev.data, "order_id")  # noqa: B009
    order = book.get(order_id)
    if order is None:
        order = book.create(order_id, member_id)
    elif order.member_id != member_id:
        raise OrderMemberMismatchError(
            f"order {order_id!r} belongs to another member",
            errors=[FieldError(f"{ev.pointer}/member_id", "not the order's member")],
        )
    return order


def _apply_order_event(
    uow: UnitOfWork, book: OrderBook, order: OrderState, ev: ParsedEvent
) -> None:
    data = ev.data
    at = ev.occurred_at
    book.changed(order)
    if isinstance(data, OrderData):
        _set_body(book, order, data)
    if ev.type == EventType.ORDER_PLACED:
        order.placed_at = _earliest(order.placed_at, at)
    elif ev.type == EventType.ORDER_PAID:
        order.paid_at = _earliest(order.paid_at, at)
    elif ev.type == EventType.ORDER_SHIPPED:
        assert isinstance(data, OrderShippedData)
        order.is_shipment_due = order.is_shipment_due or order.shipped_at is None
        order.shipped_at = _earliest(order.shipped_at, at)
        order.carrier = data.carrier or order.carrier
        order.tracking_number = data.tracking_number or order.tracking_number
        order.tracking_url = data.tracking_url or order.tracking_url
    elif ev.type == EventType.ORDER_DELIVERED:
        order.delivered_at = _earliest(order.delivered_at, at)
    elif ev.type == EventType.ORDER_CANCELLED:
        assert isinstance(data, OrderCancelledData)
        order.cancelled_at = _earliest(order.cancelled_at, at)
    elif ev.type == EventType.ORDER_RETURNED:
        assert isinstance(data, OrderReturnedData)
        _record_return(book, order, ev, data)
    _reconcile(uow, book, order)


def _earliest(current: datetime | None, at: datetime) -> datetime:
    return at if current is None or at < current else current


def _set_body(book: OrderBook, order: OrderState, data: OrderData) -> None:
    """The latest body before payment is reported wins; once points exist it is kept."""
    if order.is_paid_reported:
        return
    order.currency = data.currency
    order.channel = data.channel
    order.checkout_id = data.checkout_id
    if data.referral is not None or data.signals is not None:
        order.referral = {
            **(data.referral.model_dump(exclude_none=True) if data.referral else {}),
            "signals": signal_digests(data.signals) or {},
        }
    order.store = data.store
    order.shipping = data.shipping
    order.tax = data.tax
    order.total = data.total
    order.net_amount = data.net_amount
    order.has_lines = True
    book.replace_lines(
        order,
        [
            LineState(
                line_no=n,
                sku=line.sku,
                name=line.name,
                category=line.category,
                quantity=line.quantity,
                unit_price=line.unit_price,
                discount=line.discount,
            )
            for n, line in enumerate(data.lines, start=1)
        ],
    )


def _record_return(
    book: OrderBook, order: OrderState, ev: ParsedEvent, data: OrderReturnedData
) -> None:
    return_id = data.return_id or ev.id
    if any(r.return_id == return_id for r in order.returns):
        return  # the same return reported again: already recorded
    if order.has_lines:
        skus = {line.sku for line in order.lines}
        bad = [
            FieldError(
                f"{ev.pointer}/data/lines/{i}/sku", f"order {order.order_id} has no such sku"
            )
            for i, line in enumerate(data.lines)
            if line.sku not in skus
        ]
        if bad:
            raise ReturnSkuUnknownError(
                f"the return names skus that order {order.order_id!r} does not have",
                errors=bad,
            )
    book.add_return(
        order,
        return_id=return_id,
        occurred_at=ev.occurred_at,
        requested=[{"sku": line.sku, "quantity": line.quantity} for line in data.lines],
    )


def _reconcile(uow: UnitOfWork, book: OrderBook, order: OrderState) -> None:
    """Emit each order fact once, as soon as what it depends on is known."""
    if (
        not order.is_paid_reported
        and order.paid_at is not None
        and order.has_lines
        and order.cancelled_at is None
        and order.currency is not None
    ):
        order.is_paid_reported = True
        order.is_shipment_due = order.shipped_at is not None
        uow.emit(_paid(order, order.currency, order.paid_at))
    if not order.is_paid_reported:
        if order.cancelled_at is not None and not order.is_cancel_reported:
            order.is_cancel_reported = True  # a cancelled order is never reported paid
            uow.emit(OrderAbandoned(order.member_id, order.order_id, order.cancelled_at))
        return
    if order.cancelled_at is not None:
        if not order.is_cancel_reported:
            order.is_cancel_reported = True
            uow.emit(
                OrderCancelled(
                    member_id=order.member_id,
                    order_id=order.order_id,
                    cancelled_at=order.cancelled_at,
                    net_amount=order.net_amount,
                    returned_amount=sum(line.returned_net for line in order.lines),
                )
            )
        for ret in order.returns:
            if not ret.is_applied:
                ret.is_applied, ret.applied = True, []
                book.return_changed(ret)
        return
    if order.is_shipment_due and order.shipped_at is not None:
        order.is_shipment_due = False
        uow.emit(
            OrderShipped(
                member_id=order.member_id,
                order_id=order.order_id,
                shipped_at=order.shipped_at,
                delivered_at=order.delivered_at,
                carrier=order.carrier,
                tracking_number=order.tracking_number,
                tracking_url=order.tracking_url,
                skus=tuple(line.sku for line in order.lines),
            )
        )
    if order.delivered_at is not None and not order.is_delivery_reported:
        order.is_delivery_reported = True
        uow.emit(
            OrderDelivered(
                member_id=order.member_id,
                order_id=order.order_id,
                delivered_at=order.delivered_at,
            )
        )
    for ret in order.returns:
        if not ret.is_applied:
            _apply_return(uow, book, order, ret)


def _apply_return(uow: UnitOfWork, book: OrderBook, order: OrderState, ret: ReturnState) -> None:
    """Apply a return to the lines, clamped to what is still unreturned (once per unit)."""
    by_sku = {line.sku: line for line in order.lines}
    applied: list[dict[str, Any]] = []
    amount = 0
    for item in ret.requested:
        line = by_sku.get(item["sku"])
        if line is None:
            continue
        quantity = min(int(item["quantity"]), line.quantity - line.returned_quantity)
        if quantity <= 0:
            continue
        before = line.returned_net
        line.returned_quantity += quantity
        amount += line.returned_net - before
        applied.append({"sku": line.sku, "quantity": quantity})
    ret.is_applied, ret.applied, ret.returned_amount = True, applied, amount
    book.return_changed(ret)
    book.lines_changed(order)
    if amount > 0:
        uow.emit(
            OrderReturned(
                member_id=order.member_id,
                order_id=order.order_id,
                return_id=ret.return_id,
                returned_amount=amount,
                cumulative_returned_amount=sum(line.returned_net for line in order.lines),
                net_amount=order.net_amount,
                occurred_at=ret.occurred_at,
            )
        )


def timeline(
    uow: UnitOfWork,
    external_id: str,
    *,
    limit: int = 50,
    before: tuple[datetime, int] | None = None,
) -> tuple[list[Activity], int]:
    """Activities of a member, newest first. Raises NotFoundError."""
    member = members.get_member(uow, external_id)
    return list(repository.timeline(uow.session, member.id, limit=limit, before=before)), member.id


def public_data(activity: Activity) -> dict[str, Any]:
    """The stored event data safe to show: sealed personal fields stay sealed."""
    data = dict(activity.data)
    data.pop("sealed", None)
    return data


def record_review_points(uow: UnitOfWork, review_id: str, points: int) -> None:
    """What the rules granted for a review, kept with it."""
    reviews.record_review_points(uow, review_id, points)


def get_order(uow: UnitOfWork, order_id: str) -> Order:
    order = repository.find_order(uow.session, order_id)
    if order is None:
        raise OrderNotFoundError(f"order {order_id!r} does not exist")
    return order


def count_orders(uow: UnitOfWork) -> int:
    return repository.count_orders(uow.session)


def paid_fact(order: Order, at: datetime | None = None) -> OrderPaid:
    """The ``OrderPaid`` fact of a stored order (for dry runs and backtests).

    Raises:
        InvalidRequestError: the order has no lines or no currency yet.
    """
    if not order.has_lines or order.currency is None:
        raise EventNotEvaluableError(f"order {order.order_id!r} has no lines yet")
    paid_at = at or order.paid_at or order.placed_at
    assert paid_at is not None
    return _paid(order, order.currency, paid_at)


def _paid(order: OrderState | Order, currency: str, paid_at: datetime) -> OrderPaid:
    """The ``OrderPaid`` fact of an order in the working set or as stored."""
    return OrderPaid(
        member_id=order.member_id,
        order_id=order.order_id,
        currency=currency,
        net_amount=order.net_amount,
        paid_at=paid_at,
        delivered_at=order.delivered_at,
        channel=order.channel,
        checkout_id=order.checkout_id,
        shipping=order.shipping,
        referral=(
            {k: v for k, v in order.referral.items() if k in ("code", "token")} or None
            if order.referral
            else None
        ),
        signals=(order.referral.get("signals") or None) if order.referral else None,
        lines=tuple(
            OrderLineFact(
                sku=line.sku,
                category=line.category,
                quantity=line.quantity,
                unit_price=line.unit_price,
                discount=line.discount,
                name=line.name,
            )
            for line in order.lines
        ),
    )


def paid_orders_between(
    uow: UnitOfWork, start: datetime, end: datetime
) -> Iterator[tuple[OrderPaid, int]]:
    """``(fact, returned amount)`` of the orders paid in ``[start, end)``, oldest first; a
    cancelled order counts as wholly returned (backtests replay history with these)."""
    for order in repository.paid_orders_between(uow.session, start, end):
        returned = (
            order.net_amount
            if order.cancelled_at is not None
            else sum(
                (line.quantity * line.unit_price - line.discount)
                * line.returned_quantity
                // line.quantity
                for line in order.lines
            )
        )
        yield paid_fact(order), returned


def activities_between(
    uow: UnitOfWork, start: datetime, end: datetime, types: Sequence[str]
) -> Iterator[ActivityRecorded]:
    """Stored member events of these types in ``[start, end)``, oldest first, as facts."""
    for activity in repository.activities_between(uow.session, start, end, types):
        yield ActivityRecorded(
            member_id=activity.member_id,
            external_member_id="",
            event_id=activity.event_id,
            type=activity.type,
            occurred_at=activity.occurred_at,
            data={k: v for k, v in activity.data.items() if k not in ("sealed", "personal_fields")},
        )


def order_stats_before(
    uow: UnitOfWork, at: datetime
) -> dict[int, tuple[int, int, datetime | None]]:
    return repository.order_stats_before(uow.session, at)


def paid_orders(uow: UnitOfWork, member_ids: Collection[int]) -> dict[int, list[PaidOrder]]:
    """The members' paid orders (cancelled ones too) by member, e.g. to count those paid
    before a moment; orders of this unit not written yet are written first."""
    OrderBook.of(uow).flush()
    found: dict[int, list[PaidOrder]] = {}
    for member_id, order_id, paid_at in repository.paid_orders(uow.session, member_ids):
        found.setdefault(member_id, []).append(PaidOrder(order_id, paid_at))
    return found


@dataclass(frozen=True, slots=True)
class PaidOrder:
    order_id: str
    paid_at: datetime


def purchase_lines(
    uow: UnitOfWork,
    *,
    member_id: int | None = None,
    member_ids: Collection[int] | None = None,
    since: datetime | None = None,
) -> Iterator[repository.PurchaseRow]:
    """Lines of paid, not cancelled orders, for domains that learn from purchases
    (recommendations): see :func:`repository.purchase_lines` for the tuple's fields."""
    OrderBook.of(uow).flush()
    return repository.purchase_lines(
        uow.session, member_id=member_id, member_ids=member_ids, since=since
    )


def find_orders(uow: UnitOfWork, order_ids: Sequence[str]) -> dict[str, OrderState]:
    """The orders among ``order_ids`` by id, with their lines and returns, as this unit
    sees them (read through its order book: its own changes included, nothing to flush)."""
    book = OrderBook.of(uow)
    book.load(order_ids)
    return {o: book.orders[o] for o in set(order_ids) if o in book.orders}


def reviewed_skus(uow: UnitOfWork, member_ids: Sequence[int]) -> set[tuple[int, str]]:
    """``(member_id, sku)`` of every review the members wrote (removed ones included)."""
    return set(repository.reviewed_skus(uow.session, member_ids))


def last_survey_answers(uow: UnitOfWork, member_ids: Sequence[int]) -> dict[int, datetime]:
    """When each of the members last answered any survey (members who never did: absent)."""
    return repository.last_survey_answers(uow.session, member_ids)


def product_names(uow: UnitOfWork, skus: Sequence[str]) -> dict[str, str]:
    """The shop's product name of each SKU an order line named (others: absent)."""
    return repository.product_names(uow.session, skus)


def stored_event_ids(uow: UnitOfWork, event_ids: Sequence[str]) -> set[str]:
    """The ids among ``event_ids`` of events already received."""
    return set(repository.stored_events(uow.session, event_ids))


def last_paid(uow: UnitOfWork, member_ids: Iterable[int]) -> dict[int, datetime]:
    """When each of these members last paid an order (members without one left out)."""
    return repository.last_paid(uow.session, sorted(set(member_ids)))


# -- erasure and retention ------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class ErasedActivities:
    """What an erasure removed per member: the stored events emptied, the order lines
    deleted and the reviews' free text cleared."""

    activities: dict[int, int]
    order_lines: dict[int, int]
    review_texts: dict[int, int]


def erase_member_activities(uow: UnitOfWork, subjects: dict[int, str]) -> ErasedActivities:
    """Remove what the shop told about these members beyond the books: the data of every
    stored event (survey comments, custom events' payloads, order bodies; the results
    stored for replays name the member by ``subjects[member]``, its opaque id), the lines
    of their orders and what their returns named, store, carrier, tracking and referral of
    their orders, and their reviews' free text. Orders keep their ids and amounts (the
    ledger's references, until the accounting period runs out), survey answers their
    score and reviews their rating (figures, kept for the program's statistics)."""
    OrderBook.of(uow).flush()
    ids = sorted(subjects)
    return ErasedActivities(
        activities=repository.empty_member_activities(uow.session, subjects),
        order_lines=repository.erase_member_orders(uow.session, ids),
        review_texts=repository.clear_review_texts(uow.session, ids),
    )


def retire_orders(uow: UnitOfWork, order_pks: Sequence[int]) -> dict[str, str]:
    """The accounting period of these orders ran out: each keeps its amounts and dates but
    its shop order id becomes ``retired:<row id>``, its lines and what its returns named are
    dropped (with store, carrier, tracking, referral) and so are the data of its stored
    order events and the order ids its reviews name. Orders retired before are left out.
    Returns ``{old order id: opaque id}`` for the domains that keep order references."""
    OrderBook.of(uow).flush()
    found = repository.orders_to_retire(uow.session, order_pks)
    refs = {order_id: f"retired:{pk}" for pk, order_id, _ in found}
    if found:
        repository.retire_orders(uow.session, found, refs, uow.now)
    return refs


def disclosed_data(activity: Activity, cipher: MemberCipher) -> dict[str, Any]:
    """Everything a stored event holds, its sealed personal fields opened with the member's
    ``cipher`` (what the member's own export shows; nothing once the key is destroyed)."""
    data = {k: v for k, v in activity.data.items() if k not in ("sealed", "personal_fields")}
    data.update(open_personal(activity.data, cipher) or {})
    return data


# -- imports of files of events (the console's; the worker imports them) ------------------
#: The largest file an import takes (the CLI's ``import events`` takes any size).
IMPORT_MAX_BYTES = 5 * 1024 * 1024
#: Bad lines an import keeps (each with its line number); it counts them all.
IMPORT_ERRORS_KEPT = 1000
_IMPORT_PURPOSE = "activities.import"


@dataclass(frozen=True, slots=True)
class ImportChunk:
    """The next records of an import: ``start`` is how many of its records came before."""

    job_id: str
    start: int
    lines: list[Line]


def import_format(file_name: str) -> str:
    """``csv`` for a ``.csv`` file, else ``jsonl`` (the CLI's rule)."""
    return "csv" if file_name.lower().endswith(".csv") else "jsonl"


def _records(text: str, file_format: str) -> Iterator[Line]:
    handle = io.BytesIO(text.encode())
    reader = read_csv(handle) if file_format == "csv" else read_jsonl(handle)
    return (line for line, _ in reader)


def start_import(uow: UnitOfWork, file_name: str, content: bytes, actor: Actor) -> ImportJob:
    """Queue an uploaded file of events (JSON Lines, or CSV when its name ends in
    ``.csv``) for the worker. The file is kept sealed until the import is done.

    Raises:
        ImportFileInvalidError: empty, larger than ``IMPORT_MAX_BYTES``, not UTF-8, or no
            event in it (pointer ``/file``).
        CsvHeaderInvalidError: a CSV's header lacks a column.
    """
    if len(content) > IMPORT_MAX_BYTES:
        raise _bad_file(f"the file is larger than {IMPORT_MAX_BYTES // (1024 * 1024)} MiB")
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        raise _bad_file("the file is not UTF-8 text") from None
    file_format = import_format(file_name)
    record_count = sum(1 for _ in _records(text, file_format))
    if not record_count:
        raise _bad_file("the file holds no event")
    job = ImportJob(
        id=f"imp_{secrets.token_urlsafe(12)}",
        file_name=file_name[:255] or "events",
        file_format=file_format,
        status=ImportStatus.QUEUED,
        content=active_keyring().encrypt(text, _IMPORT_PURPOSE),
        record_count=record_count,
        records_done=0,
        imported_count=0,
        replayed_count=0,
        error_count=0,
        errors=[],
        created_by=(actor.label or actor.id or actor.kind)[:200],
        created_at=uow.now,
    )
    uow.session.add(job)
    audit.record(
        uow,
        actor,
        "import.started",
        target_type="import",
        target_id=job.id,
        after={"file_name": job.file_name, "record_count": record_count},
    )
    return job


def _bad_file(detail: str) -> ImportFileInvalidError:
    return ImportFileInvalidError(detail, errors=[FieldError("/file", detail)])


def get_import(uow: UnitOfWork, job_id: str) -> ImportJob:
    """Raises:
    ImportNotFoundError: no import has the id."""
    found = repository.find_import(uow.session, job_id)
    if found is None:
        raise ImportNotFoundError(f"no import has the id {job_id!r}")
    return found


def list_imports(uow: UnitOfWork, limit: int = 20) -> list[ImportJob]:
    """The newest ``limit`` imports, newest first."""
    return repository.recent_imports(uow.session, limit)


def next_import_chunk(uow: UnitOfWork, size: int) -> ImportChunk | None:
    """The next ``size`` records of the oldest import not done, or None."""
    job = repository.next_import(uow.session)
    if job is None or job.content is None:
        return None
    text = active_keyring().decrypt(job.content, _IMPORT_PURPOSE)
    lines = itertools.islice(_records(text, job.file_format), job.records_done, None)
    return ImportChunk(job.id, job.records_done, list(itertools.islice(lines, size)))


def record_import_chunk(
    uow: UnitOfWork,
    chunk: ImportChunk,
    *,
    imported: int,
    replayed: int,
    errors: Sequence[dict[str, Any]],
) -> bool:
    """Count a chunk's outcome into its import; the last chunk ends it (and drops the
    file). A chunk another worker counted already changes nothing (answers False)."""
    job = repository.find_import(uow.session, chunk.job_id, lock=True)
    if job is None or job.records_done != chunk.start:
        return False
    job.records_done = min(chunk.start + len(chunk.lines), job.record_count)
    job.imported_count += imported
    job.replayed_count += replayed
    job.error_count += len(errors)
    room = IMPORT_ERRORS_KEPT - len(job.errors)
    if room > 0 and errors:
        job.errors = [*job.errors, *errors[:room]]
    if not chunk.lines or job.records_done >= job.record_count:
        job.status = ImportStatus.DONE
        job.finished_at = uow.now
        job.content = None
    else:
        job.status = ImportStatus.RUNNING
    return True
