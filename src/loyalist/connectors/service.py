"""Connectors: create, list, change and disable a shop's connection; find the one a webhook
is for; and ingest a webhook's events through the same batch path as ``POST /api/v1/events``
(its customers resolved to members first: see ``policy``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from loyalist.activities import service as activities
from loyalist.activities.models import EventType
from loyalist.activities.schemas import ParsedEvent
from loyalist.activities.service import EventOutcome, ingest_events
from loyalist.audit import service as audit
from loyalist.audit.models import Actor
from loyalist.connectors import policy, repository
from loyalist.connectors.adapters import PLATFORMS
from loyalist.connectors.adapters.base import Adjustment, ConnectorConfig
from loyalist.connectors.errors import ConnectorExistsError, ConnectorNotFoundError
from loyalist.connectors.models import Connector
from loyalist.connectors.schemas import (
    ConnectorCreate,
    ConnectorRead,
    ConnectorUpdate,
    Platform,
)
from loyalist.db.uow import UnitOfWork
from loyalist.errors import FieldError
from loyalist.members import service as members


def webhook_path(platform: str, key: str) -> str:
    return f"/api/v1/connectors/{platform}/{key}"


def _read(row: Connector) -> ConnectorRead:
    return ConnectorRead.model_validate(
        {
            "key": row.key,
            "platform": row.platform,
            "webhook_path": webhook_path(row.platform, row.key),
            "currency": row.currency,
            "channel": row.channel,
            "store": row.store,
            "is_enabled": row.is_enabled,
            "created_at": row.created_at,
            "updated_at": row.updated_at,
        }
    )


def _audit(uow: UnitOfWork, actor: Actor, done: str, key: str, after: dict[str, object]) -> None:
    """Audit a change to a connector (never its secret: only whether it changed)."""
    audit.record(
        uow, actor, f"connector.{done}", target_type="connector", target_id=key, after=after
    )


def create_connector(uow: UnitOfWork, body: ConnectorCreate, *, actor: Actor) -> ConnectorRead:
    """A new, enabled connector with its secret stored encrypted.

    Raises:
        ConnectorExistsError: the key is taken (on any platform).
    """
    if repository.connector(uow.session, body.key) is not None:
        raise ConnectorExistsError(
            f"a connector with key {body.key!r} exists already",
            errors=[FieldError("/key", "taken")],
        )
    row = Connector(
        key=body.key,
        platform=body.platform.value,
        secret=body.secret.get_secret_value(),
        currency=body.currency,
        channel=body.channel.value,
        store=body.store,
        is_enabled=True,
        created_at=uow.now,
        updated_at=uow.now,
    )
    uow.session.add(row)
    uow.session.flush()
    _audit(uow, actor, "created", row.key, body.model_dump(mode="json", exclude={"secret"}))
    return _read(row)


def list_connectors(uow: UnitOfWork) -> list[ConnectorRead]:
    return [_read(row) for row in repository.connectors(uow.session)]


def get_connector(uow: UnitOfWork, key: str) -> ConnectorRead:
    """Raises:
    ConnectorNotFoundError: no connector has this key."""
    row = repository.connector(uow.session, key)
    if row is None:
        raise ConnectorNotFoundError(f"no connector {key!r}")
    return _read(row)


def update_connector(
    uow: UnitOfWork, key: str, body: ConnectorUpdate, *, actor: Actor
) -> ConnectorRead:
    """Change the fields sent (a new secret applies to the next webhook).

    Raises:
        ConnectorNotFoundError: no connector has this key.
    """
    row = repository.connector(uow.session, key, lock=True)
    if row is None:
        raise ConnectorNotFoundError(f"no connector {key!r}")
    changes = body.model_dump(exclude_unset=True, exclude={"secret"})
    if body.secret is not None:
        row.secret = body.secret.get_secret_value()
    for name, value in changes.items():
        if value is not None:
            setattr(row, name, value.value if name == "channel" else value)
    row.updated_at = uow.now
    uow.session.flush()
    after = body.model_dump(mode="json", exclude_unset=True, exclude={"secret"})
    if body.secret is not None:
        after["secret_replaced"] = True
    _audit(uow, actor, "changed", key, after)
    return _read(row)


@dataclass(frozen=True, slots=True)
class Receiver:
    """An enabled connector as its webhooks need it: the mapping and the signing secret."""

    config: ConnectorConfig
    secret: bytes


def find_receiver(uow: UnitOfWork, platform: str, key: str) -> Receiver | None:
    """The enabled connector ``key`` of ``platform`` (None: none, disabled or another
    platform's)."""
    row = repository.connector(uow.session, key)
    if row is None or not row.is_enabled or row.platform != platform:
        return None
    config = ConnectorConfig(
        key=row.key,
        platform=row.platform,
        currency=row.currency,
        channel=row.channel,
        store=row.store,
    )
    return Receiver(config, row.secret.encode())


#: The events that place an order with its customer: the adapter knows whose it is.
_PLACING = frozenset({EventType.ORDER_PLACED, EventType.ORDER_PAID})


@dataclass(frozen=True, slots=True)
class Known:
    """What the database says of a webhook's customers and orders: the member owning each
    new customer's e-mail address, the member of each known order, and which of those
    members exist."""

    owners: dict[str, str]
    order_owners: dict[str, str]
    existing: frozenset[str]


def known_of(uow: UnitOfWork, deliveries: Sequence[Sequence[ParsedEvent]]) -> list[Known]:
    """Whose the events of each webhook of a write batch are, read once for the whole batch
    (in the write's own transaction): the owner of an order the events name but do not place
    (a shipment, a return); for a customer who is not a member yet, the member their e-mail
    address belongs to (one indexed read on the driver's cursor). One ``Known`` per webhook,
    in order: the e-mail address a customer has in that webhook decides."""
    events = [ev for delivered in deliveries for ev in delivered]
    order_ids = sorted(
        {o for ev in events if ev.type not in _PLACING and (o := policy.order_id(ev))}
    )
    orders = activities.find_orders(uow, order_ids) if order_ids else {}
    external = members.external_ids(uow, {o.member_id for o in orders.values()}) if orders else {}
    order_owners = {
        oid: external[o.member_id] for oid, o in orders.items() if o.member_id in external
    }
    refs = {ev.member_id for ev in events}
    existing = set(members.member_ids(uow, refs | set(order_owners.values())))
    emails = [
        {r: e for r, e in policy.profile_emails(delivered).items() if r not in existing}
        for delivered in deliveries
    ]
    wanted = {email for each in emails for email in each.values()}
    found = members.member_ids_by_email(uow, wanted) if wanted else {}
    owners = [{ref: found.get(email, ref) for ref, email in each.items()} for each in emails]
    existing.update(found.values())
    known = frozenset(existing)
    return [Known(each, order_owners, known) for each in owners]


@dataclass(frozen=True, slots=True)
class Delivery:
    """One verified webhook's events, validated — a ``BatchOp`` item."""

    events: Sequence[ParsedEvent]


@dataclass(frozen=True, slots=True)
class Booked:
    """What one webhook's events came to: one outcome per event sent, by event id."""

    outcomes: list[tuple[str, EventOutcome]] = field(default_factory=list)
    adjustments: list[Adjustment] = field(default_factory=list)


def ingest_deliveries(uow: UnitOfWork, deliveries: list[Delivery]) -> list[Booked]:
    """Ingest the events of several webhooks in one transaction (``ingest_events``), each
    customer resolved to its member by ``policy.resolve`` on what ``known_of`` read for the
    whole batch.

    Raises:
        what ``ingest_events`` raises (the whole batch applies or nothing does).
    """
    knowns = known_of(uow, [d.events for d in deliveries])
    resolved = [
        policy.resolve(d.events, k.owners, k.order_owners, k.existing)
        for d, k in zip(deliveries, knowns, strict=True)
    ]
    # A fact Loyalist already has is replayed whatever the body now says (a backfilled order,
    # an order edited after its cancellation): a 4xx would make the platform retry it and
    # disable the webhook. Only the rest is ingested.
    stored = activities.stored_event_ids(uow, [ev.id for events, _ in resolved for ev in events])
    flat = [ev for events, _ in resolved for ev in events if ev.id not in stored]
    ingested = iter(ingest_events(uow, flat) if flat else [])
    return [
        Booked(
            [(ev.id, _ALREADY if ev.id in stored else next(ingested)) for ev in events],
            [Adjustment(pointer, note) for pointer, note in notes],
        )
        for events, notes in resolved
    ]


#: The outcome of an event whose id was stored before (its stored answer is not read again).
_ALREADY = EventOutcome({}, replayed=True)


def platform_of(name: str) -> Platform | None:
    """The platform named in a webhook's path (None: not one Loyalist supports)."""
    return Platform(name) if name in PLATFORMS else None
