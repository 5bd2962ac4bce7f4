"""How an order's own facts act on its checkout: payment confirms the open hold, a
cancellation before payment releases it, returns and cancellations after payment give back
the points the order was paid with, in proportion and once."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from loyalist.activities.events import OrderAbandoned, OrderCancelled, OrderPaid, OrderReturned
from loyalist.checkout import repository, service
from loyalist.checkout.models import Checkout, CheckoutStatus
from loyalist.db.uow import UnitOfWork
from loyalist.ledger import service as ledger
from loyalist.ledger.policy import proportional_share
from loyalist.settings import ProgramPolicy

log = logging.getLogger(__name__)


def on_order_paid(uow: UnitOfWork, events: Sequence[OrderPaid], program: ProgramPolicy) -> None:
    """Payment confirms the order's active checkout (named by ``checkout_id``, or opened
    for the order)."""
    if not service.any_open(uow):
        return
    by_order = repository.for_orders(
        uow.session, {e.order_id for e in events}, {e.checkout_id for e in events if e.checkout_id}
    )
    for event in events:
        _on_paid(uow, event, by_order, program)


def on_order_returned(
    uow: UnitOfWork, events: Sequence[OrderReturned], program: ProgramPolicy
) -> None:
    """A return gives back the points the order was paid with, in proportion to what came
    back (cumulative, so each share is given once)."""
    _on_undone_all(uow, events, program)


def on_order_cancelled(
    uow: UnitOfWork, events: Sequence[OrderCancelled], program: ProgramPolicy
) -> None:
    """Cancellation after payment gives back the points the order was paid with; before
    confirmation it releases the checkout."""
    _on_undone_all(uow, events, program)


def on_order_abandoned(
    uow: UnitOfWork, events: Sequence[OrderAbandoned], program: ProgramPolicy
) -> None:
    """An order cancelled before payment releases what its checkout reserved."""
    _on_undone_all(uow, events, program)


def _on_undone_all(
    uow: UnitOfWork,
    events: Sequence[OrderReturned | OrderCancelled | OrderAbandoned],
    program: ProgramPolicy,
) -> None:
    if not service.any_open(uow):
        return
    by_order = repository.for_orders(uow.session, {e.order_id for e in events}, set())
    for event in events:
        _on_undone(uow, event, by_order, program)


def _on_paid(
    uow: UnitOfWork, fact: OrderPaid, by_order: dict[str, Checkout], program: ProgramPolicy
) -> None:
    checkout = by_order.get(fact.checkout_id or "") or by_order.get(fact.order_id)
    if checkout is None:
        if fact.checkout_id:
            log.warning("order %s names unknown checkout %s", fact.order_id, fact.checkout_id)
        return
    if checkout.member_id != fact.member_id:
        log.warning("order %s: checkout %s is another member's", fact.order_id, checkout.id)
        return
    checkout = service.lock_checkout(uow, checkout.id)
    if checkout.order_id not in (None, fact.order_id):
        log.warning(
            "order %s names checkout %s of order %s: not confirmed",
            fact.order_id,
            checkout.id,
            checkout.order_id,
        )
        return
    if checkout.status == CheckoutStatus.CONFIRMED and checkout.order_id is None:
        checkout.order_id = fact.order_id  # confirmed over the API: now its returns find it
        by_order[fact.order_id] = checkout
        uow.session.flush()
        return
    if checkout.status != CheckoutStatus.ACTIVE:
        return  # confirmed already (replay or API confirm), or released
    if checkout.expires_at <= uow.now:
        log.warning(
            "order %s was paid after its checkout %s timed out; the hold is released",
            fact.order_id,
            checkout.id,
        )
        return
    service.confirm_locked(uow, checkout, fact.order_id, program)
    by_order[fact.order_id] = checkout


def _on_undone(
    uow: UnitOfWork,
    fact: OrderReturned | OrderCancelled | OrderAbandoned,
    by_order: dict[str, Checkout],
    program: ProgramPolicy,
) -> None:
    checkout = by_order.get(fact.order_id)
    if checkout is None or checkout.member_id != fact.member_id:
        return
    checkout = service.lock_checkout(uow, checkout.id)
    if checkout.status == CheckoutStatus.ACTIVE and isinstance(
        fact, OrderCancelled | OrderAbandoned
    ):
        service.release_locked(uow, checkout, "order cancelled", CheckoutStatus.RELEASED)
        return
    if isinstance(fact, OrderAbandoned):
        return
    if checkout.status != CheckoutStatus.CONFIRMED or not checkout.points:
        return
    if not program.points_payment.refund_on_return:
        return
    if isinstance(fact, OrderReturned):
        target = proportional_share(
            checkout.points, fact.cumulative_returned_amount, fact.net_amount
        )
        code = "points_refunded"
    else:
        target, code = checkout.points, "points_refunded_cancel"
    due = target - checkout.refunded_points
    if due <= 0:
        return
    ledger.refund_spent_points(
        uow,
        checkout.member_id,
        due,
        program,
        reason_code=code,
        reason_params={"order_id": fact.order_id, "checkout_id": checkout.id},
    )
    checkout.refunded_points = target
    uow.session.flush()
