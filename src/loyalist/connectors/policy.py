"""Decisions on a webhook's events before they are ingested: whose they are (an event about a
known order is its member's; a customer whose e-mail address already belongs to a member is
that member) and which profile events to send
(a customer already known is not enrolled again beside an order; an update of a customer not
known yet enrols them)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence

from pydantic import BaseModel

from loyalist.activities.models import EventType
from loyalist.activities.schemas import ParsedEvent, parse_event

#: The events that carry a customer's profile (and with it their e-mail address).
PROFILE_EVENTS = frozenset({EventType.MEMBER_ENROLLED, EventType.MEMBER_UPDATED})


def profile_emails(events: Iterable[ParsedEvent]) -> dict[str, str]:
    """``member ref -> e-mail address`` of the profile events that state one."""
    found: dict[str, str] = {}
    for ev in events:
        if ev.type in PROFILE_EVENTS and isinstance(ev.raw.get("data"), dict):
            email = ev.raw["data"].get("email")
            if isinstance(email, str) and email:
                found.setdefault(ev.member_id, email)
    return found


def order_id(ev: ParsedEvent) -> str | None:
    """The order an event is about (None: not an order event)."""
    data = ev.data
    # Asked of the models that have the field only: a failed attribute lookup on a pydantic
    # model raises inside and costs more than the rest of a webhook's resolution.
    if not isinstance(data, BaseModel) or "order_id" not in type(data).model_fields:
        return None
    found = getattr(data, "order_id", None)
    return found if isinstance(found, str) else None


def resolve(
    events: Sequence[ParsedEvent],
    owners: Mapping[str, str],
    order_owners: Mapping[str, str],
    existing: frozenset[str],
) -> tuple[list[ParsedEvent], list[tuple[str, str]]]:
    """The events to ingest for one webhook and what was changed about them (``(pointer,
    note)``).

    ``order_owners`` maps a known order to its member: an event about it goes there
    whatever the adapter guessed (a refund or a fulfillment names no customer). ``owners``
    maps an adapter's member ref to the member that owns the customer's e-mail
    address; ``existing`` holds the members that exist before this batch. A profile event
    whose member exists is dropped when the webhook brings other events (an order: the
    enrolment was only there in case the customer was new), an update of a member that does
    not exist becomes their enrolment (same id with ``enrolled`` for ``updated``)."""
    notes: list[tuple[str, str]] = []
    out: list[ParsedEvent] = []
    alone = len(events) == 1
    for ev in events:
        about = order_id(ev)
        owner = order_owners.get(about, "") if about is not None else ""
        owner = owner or owners.get(ev.member_id, ev.member_id)
        if owner != ev.member_id:
            notes.append(
                (
                    f"/events/{ev.index}/member_id",
                    f"{ev.member_id!r} is member {owner!r} (its order or e-mail address)",
                )
            )
            ev = dataclasses.replace(ev, member_id=owner, raw={**ev.raw, "member_id": owner})
        if ev.type == EventType.MEMBER_ENROLLED and owner in existing and not alone:
            continue
        if ev.type == EventType.MEMBER_UPDATED and owner not in existing:
            event_id = ev.id.replace(":updated:", ":enrolled:", 1)
            raw = {**ev.raw, "id": event_id, "type": EventType.MEMBER_ENROLLED.value}
            ev = parse_event(raw, pointer=ev.pointer, index=ev.index)
        out.append(ev)
    return out, notes
