"""The ledger's reactions to what happened to orders and reviews: delivery moves maturity,
returns and cancellations reverse their share of the order's points, a removed review
reverses what it earned. Earning itself is booked by the rules (``rules.handlers``), which
decide the awards and call ``service.award_points``."""

from __future__ import annotations

from collections.abc import Sequence

from loyalist.activities.events import (
    ActivityRecorded,
    OrderCancelled,
    OrderDelivered,
    OrderReturned,
)
from loyalist.activities.models import EventType
from loyalist.db.uow import UnitOfWork
from loyalist.ledger import policy, service
from loyalist.settings import ProgramPolicy


def on_order_delivered(
    uow: UnitOfWork, events: Sequence[OrderDelivered], program: ProgramPolicy
) -> None:
    """The order's pending points mature a return window after delivery (at once when
    that has passed)."""
    ahead = uow.upcoming(OrderDelivered) or events  # this and later waves, loaded at once
    service.lock(uow, [e.member_id for e in ahead])
    service.load_orders(uow, [e.order_id for e in ahead])
    for event in events:
        service.reschedule_order_maturity(
            uow,
            event.member_id,
            event.order_id,
            policy.maturity(event.delivered_at, event.delivered_at, program),
            program,
        )


def on_order_returned(
    uow: UnitOfWork, events: Sequence[OrderReturned], program: ProgramPolicy
) -> None:
    """Reverse the returned share of everything the order earned (cumulative, so a return
    reported twice or several partial returns never reverse more than their share)."""
    _prepare_reversals(uow, uow.upcoming(OrderReturned) or events)
    for event in events:
        service.reverse_order_points(
            uow,
            event.member_id,
            event.order_id,
            event.cumulative_returned_amount,
            event.net_amount,
            "reverse_return",
            {"order_id": event.order_id},
            program,
            at=event.occurred_at,
        )


def on_order_cancelled(
    uow: UnitOfWork, events: Sequence[OrderCancelled], program: ProgramPolicy
) -> None:
    """A paid order was cancelled: everything it earned and still holds is reversed."""
    _prepare_reversals(uow, uow.upcoming(OrderCancelled) or events)
    for event in events:
        service.reverse_order_points(
            uow,
            event.member_id,
            event.order_id,
            1,
            1,
            "reverse_cancel",
            {"order_id": event.order_id},
            program,
            at=event.cancelled_at,
        )


def _prepare_reversals(
    uow: UnitOfWork, ahead: Sequence[OrderReturned] | Sequence[OrderCancelled]
) -> None:
    """Lock the members of this and later waves and load their orders' lots and spendable
    lots at once."""
    members = [e.member_id for e in ahead]
    service.lock(uow, members)
    service.load_orders(uow, [e.order_id for e in ahead], spendable_of=members)


def on_activity_recorded(
    uow: UnitOfWork, events: Sequence[ActivityRecorded], program: ProgramPolicy
) -> None:
    """A removed review gives back exactly what it earned, once (each lot records what it
    had reversed); points already spent follow the negative-balance policy."""
    removed = [e for e in events if e.type == EventType.REVIEW_REMOVED]
    if not removed:
        return
    service.lock(uow, [e.member_id for e in removed])
    for event in removed:
        review_id = str(event.data["review_id"])
        service.reverse_order_points(
            uow,
            event.member_id,
            policy.review_ref(review_id),
            1,
            1,
            "reverse_review",
            {"review_id": review_id, "sku": event.data.get("sku")},
            program,
            at=event.occurred_at,
        )
