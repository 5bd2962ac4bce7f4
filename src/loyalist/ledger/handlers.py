"""The ledger's reactions to order facts: base-rate earning, maturity, reversals.

``apply_order_facts`` earns at the base rate; the rules engine drives ``prepare`` and
``apply_fact`` itself with the awards its rules produce.
"""

from __future__ import annotations

from collections.abc import Sequence

from loyalist.activities.events import OrderCancelled, OrderDelivered, OrderPaid, OrderReturned
from loyalist.db.uow import UnitOfWork
from loyalist.ledger import policy, service
from loyalist.ledger.books import Books
from loyalist.ledger.service import Award
from loyalist.settings import ProgramPolicy

OrderFact = OrderPaid | OrderDelivered | OrderReturned | OrderCancelled


def base_award(event: OrderPaid, program: ProgramPolicy) -> list[Award]:
    points = policy.base_points(event.net_amount, event.currency, program)
    return [
        Award(
            points=points,
            reason_code="earn_order",
            reason_params={"order_id": event.order_id},
            available_at=policy.maturity(event.paid_at, event.delivered_at, program),
        )
    ]


def prepare(uow: UnitOfWork, facts: Sequence[OrderFact]) -> None:
    """Lock every member of a run of facts first, in key order, so a batch never deadlocks
    with another writer, and load the lots of every order of the run in one query."""
    books = Books.of(uow)
    books.lock(fact.member_id for fact in facts)
    books.preload_orders(fact.order_id for fact in facts if not isinstance(fact, OrderPaid))


def apply_order_facts(uow: UnitOfWork, facts: Sequence[OrderFact], program: ProgramPolicy) -> None:
    """Apply a run of order facts in the order they happened, earning at the base rate."""
    prepare(uow, facts)
    for fact in facts:
        apply_fact(
            uow, fact, program, base_award(fact, program) if isinstance(fact, OrderPaid) else ()
        )


def apply_fact(
    uow: UnitOfWork, fact: OrderFact, program: ProgramPolicy, awards: Sequence[Award]
) -> None:
    """Apply one order fact (after ``prepare``); ``awards`` are what a paid order earns."""
    if isinstance(fact, OrderPaid):
        service.award_points(
            uow, fact.member_id, awards, program, order_ref=fact.order_id, earned_at=fact.paid_at
        )
    elif isinstance(fact, OrderDelivered):
        service.reschedule_order_maturity(
            uow,
            fact.member_id,
            fact.order_id,
            policy.maturity(fact.delivered_at, fact.delivered_at, program),
            program,
        )
    elif isinstance(fact, OrderReturned):
        service.reverse_order_points(
            uow,
            fact.member_id,
            fact.order_id,
            fact.cumulative_returned_amount,
            fact.net_amount,
            "reverse_return",
            {"order_id": fact.order_id},
            program,
            at=fact.occurred_at,
        )
    else:
        service.reverse_order_points(
            uow,
            fact.member_id,
            fact.order_id,
            1,
            1,
            "reverse_cancel",
            {"order_id": fact.order_id},
            program,
            at=fact.cancelled_at,
        )


def lock_members(uow: UnitOfWork, member_ids: Sequence[int]) -> None:
    """Lock members' balance rows in key order before awarding them points."""
    Books.of(uow).lock(member_ids)
