"""The shipping journey (transactional): "your order has shipped" with the carrier, the
tracking link and products bought with the order's; "delivered, thank you" when the
delivery is reported. A delivery reported before the shipment means the parcel has
already arrived: no "shipped" is sent for it afterwards.
"""

from __future__ import annotations

from collections.abc import Sequence

from loyalist.activities.events import OrderDelivered, OrderShipped
from loyalist.db.uow import UnitOfWork
from loyalist.ledger import service as ledger
from loyalist.messages import journeyconf, service
from loyalist.messages import journeys_kit as kit
from loyalist.messages.contexts import DeliveredContext, ShippedContext, TemplateKey
from loyalist.messages.models import MessageKind
from loyalist.settings import ProgramPolicy

SHIPPING = "shipping"


def shipped(
    uow: UnitOfWork, facts: Sequence[OrderShipped], program: ProgramPolicy, setup: kit.Setup
) -> int:
    """Queue "shipped" once per fresh shipment of an order not yet delivered; returns how
    many were queued now."""
    conf = journeyconf.journeys(uow).shipping
    if not conf.enabled:
        return 0
    live = kit.fresh(uow, SHIPPING, facts, lambda f: f.shipped_at, program)
    live = [f for f in live if f.delivered_at is None]
    if not live:
        return 0
    people = kit.recipients(uow, {f.member_id for f in live}, program)
    kit.prepare_members(uow, people.keys(), program)
    picks = kit.products(uow, setup, {f.order_id: f.skus for f in live}, conf.cross_sell)
    drafts: list[service.MessageDraft] = []
    for fact in live:
        person = people[fact.member_id]
        context: ShippedContext = {
            "member": kit.member(uow, person, program),
            "order": {"number": fact.order_id, "url": None},
            "shipment": {
                "carrier": fact.carrier or "",
                "tracking_number": fact.tracking_number or "",
                "tracking_url": fact.tracking_url,
                "estimated_delivery_on": None,
            },
            "recommendations": picks[fact.order_id],
        }
        drafts += kit.drafts(
            person,
            conf.channels,
            journey=SHIPPING,
            kind=MessageKind.TRANSACTIONAL,
            key=TemplateKey.SHIPPED,
            natural_key=f"shipped:{fact.order_id}",
            context=context,
        )
    return kit.queue(uow, drafts)


def delivered(
    uow: UnitOfWork, facts: Sequence[OrderDelivered], program: ProgramPolicy, setup: kit.Setup
) -> int:
    """Queue "delivered, thank you" once per fresh delivery (when the journey thanks on
    delivery), with the order's points still waiting for the return window."""
    conf = journeyconf.journeys(uow).shipping
    if not conf.enabled or not conf.thank_you_on_delivery:
        return 0
    live = kit.fresh(uow, SHIPPING, facts, lambda f: f.delivered_at, program)
    if not live:
        return 0
    people = kit.recipients(uow, {f.member_id for f in live}, program)
    kit.prepare_members(uow, people.keys(), program)
    pending = ledger.pending_of_orders(uow, [f.order_id for f in live])
    drafts: list[service.MessageDraft] = []
    for fact in live:
        person = people[fact.member_id]
        points, matures_at = pending.get(fact.order_id, (0, None))
        context: DeliveredContext = {
            "member": kit.member(uow, person, program),
            "order": {"number": fact.order_id, "url": None},
            "points_pending": points,
            "matures_on": matures_at.astimezone(person.zone).date() if matures_at else None,
        }
        drafts += kit.drafts(
            person,
            conf.channels,
            journey=SHIPPING,
            kind=MessageKind.TRANSACTIONAL,
            key=TemplateKey.DELIVERED,
            natural_key=f"delivered:{fact.order_id}",
            context=context,
        )
    return kit.queue(uow, drafts)
