"""Journeys: which facts start which messages, once per natural key, and only for fresh
facts (history being loaded starts nothing): the order confirmation here, the others in
``journeys_*`` modules sharing ``journeys_kit``.

A journey queues a message's *context* (the ``contexts`` type of its template key), in the
member's language (``rendering.message_locale``) and time zone; the queue records the
template version live then, and the delivery job renders it when it sends it (outside any
transaction), with the brand kit and the message's own unsubscribe link in the footer.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from zoneinfo import ZoneInfo

from loyalist.activities.events import OrderPaid
from loyalist.coupons import service as coupons
from loyalist.db.uow import UnitOfWork
from loyalist.ledger import policy as ledger_policy
from loyalist.ledger import service as ledger
from loyalist.ledger.events import PointsAwarded
from loyalist.members import service as members
from loyalist.messages import journeyconf, policy, service
from loyalist.messages import journeys_kit as kit
from loyalist.messages.contexts import (
    Coupon,
    Money,
    OrderConfirmationContext,
    OrderPoints,
    Product,
    TemplateKey,
)
from loyalist.messages.journeys_kit import tier_progress
from loyalist.messages.models import MessageKind
from loyalist.settings import ProgramPolicy

ORDER_CONFIRMATION = "order_confirmation"
#: The unit's points awarded per (member, order), noted as ``PointsAwarded`` arrives.
_AWARDS = "messages.awards"


def note_awards(uow: UnitOfWork, facts: Sequence[PointsAwarded]) -> None:
    """Remember the points this unit awarded per order (rules award a paid order's points
    before the confirmation is queued in the same unit; the ledger writes its rows only
    when the unit finishes, so they are taken from its events)."""
    awards: dict[tuple[int, str], tuple[int, int]] = uow.state.setdefault(_AWARDS, {})
    for fact in facts:
        if fact.order_ref is None:
            continue
        key = (fact.member_id, fact.order_ref)
        points, pending = awards.get(key, (0, 0))
        awards[key] = (points + fact.points, pending + fact.pending_points)


def _points(
    uow: UnitOfWork, fact: OrderPaid, program: ProgramPolicy, zone: ZoneInfo
) -> OrderPoints:
    awards: dict[tuple[int, str], tuple[int, int]] = uow.state.get(_AWARDS, {})
    points, pending = awards.get((fact.member_id, fact.order_id), (0, 0))
    matures = ledger_policy.maturity(fact.paid_at, fact.delivered_at, program) if pending else None
    return {
        "earned": points - pending,
        "pending": pending,
        "matures_on": matures.astimezone(zone).date() if matures else None,
    }


def _coupon(granted: list[coupons.GrantedCode], locale: str, zone: ZoneInfo) -> Coupon | None:
    if not granted:
        return None
    first = granted[0]
    name = first.name.get(locale) or first.name.get("en") or next(iter(first.name.values()), "")
    return {
        "code": first.code,
        "description": name,
        "expires_on": first.valid_until.astimezone(zone).date() if first.valid_until else None,
    }


def order_context(
    uow: UnitOfWork,
    fact: OrderPaid,
    contact: members.Contact,
    program: ProgramPolicy,
    locale: str,
    recommendations: list[Product],
    granted: list[coupons.GrantedCode],
) -> OrderConfirmationContext:
    """What the order confirmation shows, from what this unit knows: the order's lines
    (the shop's names, else the SKU), the points it earned and when the pending ones
    mature, the balance, the tier progress after it, products bought with the order's
    and the codes rules granted for it (both read for the whole batch by the caller): the
    first one is shown."""
    zone = policy.member_zone(contact.timezone, program.zone)
    progress = tier_progress(uow, fact.member_id, program, locale)

    def money(amount: int) -> Money:
        return {"amount_minor": amount, "currency": fact.currency}

    return {
        "member": {
            "first_name": contact.first_name or "",
            "points_balance": ledger.available_now(uow, fact.member_id),
            "tier": progress["tier"] if progress else None,
        },
        "order": {
            "number": fact.order_id,
            "url": None,
            "placed_at": fact.paid_at,
            "lines": [
                {
                    "name": line.name or line.sku,
                    "quantity": line.quantity,
                    "total": money(line.quantity * line.unit_price - line.discount),
                }
                for line in fact.lines
            ],
            "total": money(fact.net_amount),
        },
        "points": _points(uow, fact, program, zone),
        "tier_progress": progress,
        "recommendations": recommendations,
        "coupon": _coupon(granted, locale, zone),
    }


def confirm_orders(
    uow: UnitOfWork, facts: Sequence[OrderPaid], program: ProgramPolicy, setup: kit.Setup
) -> int:
    """Queue an order confirmation (transactional) per fresh paid order, once per order,
    ``delay_minutes`` after payment is reported, when the journey is on; facts older than
    the freshness window are counted as skipped. Returns how many were queued now."""
    conf = journeyconf.journeys(uow).order_confirmation
    if not conf.enabled:
        return 0
    fresh = kit.fresh(uow, ORDER_CONFIRMATION, facts, lambda f: f.paid_at, program)
    if not fresh:
        return 0
    people = kit.recipients(uow, {f.member_id for f in fresh}, program)
    picks = kit.products(
        uow,
        setup,
        {f.order_id: [line.sku for line in f.lines] for f in fresh},
        conf.recommendations,
    )
    granted = coupons.granted_for_many(uow, {(f.member_id, f"order:{f.order_id}") for f in fresh})
    due_at = uow.now + timedelta(minutes=conf.delay_minutes) if conf.delay_minutes else None
    drafts: list[service.MessageDraft] = []
    for fact in fresh:
        person = people[fact.member_id]
        context = order_context(
            uow,
            fact,
            person.contact,
            program,
            person.locale,
            picks[fact.order_id],
            granted.get((fact.member_id, f"order:{fact.order_id}"), []),
        )
        drafts += kit.drafts(
            person,
            conf.channels,
            journey=ORDER_CONFIRMATION,
            kind=MessageKind.TRANSACTIONAL,
            key=TemplateKey.ORDER_CONFIRMATION,
            natural_key=fact.order_id,
            context=context,
            due_at=due_at,
        )
    return kit.queue(uow, drafts)
