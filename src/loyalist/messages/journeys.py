"""Journeys: which facts start which messages, once per natural key, and only for fresh
facts (history being loaded starts nothing). Wired so far: the order confirmation.

A journey queues a message's *context* (the ``contexts`` type of its template key), in the
member's language (``rendering.message_locale``) and time zone; the queue records the
template version live then, and the delivery job renders it when it sends it (outside any
transaction), with the brand kit and the message's own unsubscribe link in the footer.
"""

from __future__ import annotations

from collections.abc import Sequence
from zoneinfo import ZoneInfo

from loyalist.activities.events import OrderPaid
from loyalist.coupons import service as coupons
from loyalist.db.uow import UnitOfWork
from loyalist.ledger import policy as ledger_policy
from loyalist.ledger import service as ledger
from loyalist.ledger.events import PointsAwarded
from loyalist.members import service as members
from loyalist.messages import policy, service
from loyalist.messages.contexts import (
    Coupon,
    Money,
    OrderConfirmationContext,
    OrderPoints,
    TemplateKey,
    TierProgress,
)
from loyalist.messages.models import MessageChannel, MessageKind
from loyalist.messages.rendering import message_locale
from loyalist.settings import ProgramPolicy
from loyalist.tiers import service as tiers

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


def tier_progress(
    uow: UnitOfWork, member_id: int, program: ProgramPolicy, locale: str
) -> TierProgress | None:
    found = tiers.progress(uow, member_id, program.zone, locale)
    if found is None:
        return None
    needs = found.needs
    spend = needs.get("spend")
    return {
        "tier": found.tier,
        "next_tier": found.next_tier,
        "needs": None
        if found.next_tier is None
        else {
            "points": needs.get("points"),
            "spend": None if spend is None else {"amount_minor": spend, "currency": found.currency},
            "orders": needs.get("orders"),
        },
        "by": found.by,
        "percent": found.percent,
    }


def _coupon(uow: UnitOfWork, fact: OrderPaid, locale: str, zone: ZoneInfo) -> Coupon | None:
    granted = coupons.granted_for(uow, fact.member_id, f"order:{fact.order_id}")
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
) -> OrderConfirmationContext:
    """What the order confirmation shows, from what this unit knows: the order's lines
    (the shop's names, else the SKU), the points it earned and when the pending ones
    mature, the balance, the tier progress after it, and the first coupon a rule granted
    for it. No recommendations yet (an empty list: see docs/decisions.md)."""
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
        "recommendations": [],
        "coupon": _coupon(uow, fact, locale, zone),
    }


def confirm_orders(uow: UnitOfWork, facts: Sequence[OrderPaid], program: ProgramPolicy) -> int:
    """Queue an order confirmation email (transactional) per fresh paid order, once per
    order; facts older than the freshness window are counted as skipped. Returns how many
    were queued now."""
    window = program.messages.freshness_hours
    fresh = [f for f in facts if policy.is_fresh(f.paid_at, uow.now, window)]
    service.count_skipped(uow, ORDER_CONFIRMATION, len(facts) - len(fresh))
    if not fresh:
        return 0
    contacts = members.contacts(uow, {f.member_id for f in fresh})
    key = TemplateKey.ORDER_CONFIRMATION
    drafts: list[service.MessageDraft] = []
    for fact in fresh:
        contact = contacts[fact.member_id]
        locale = message_locale(contact.locale, program.default_locale)
        drafts.append(
            service.MessageDraft(
                member_id=fact.member_id,
                kind=MessageKind.TRANSACTIONAL,
                channel=MessageChannel.EMAIL,
                journey=ORDER_CONFIRMATION,
                natural_key=fact.order_id,
                template_key=key.value,
                locale=locale,
                time_zone=policy.member_zone(contact.timezone, program.zone).key,
                context=order_context(uow, fact, contact, program, locale),
            )
        )
    return len(service.queue_messages(uow, drafts))
