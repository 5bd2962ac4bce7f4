"""The tiers' reactions: orders and qualifying points raise a member's window totals (and
tier at once), returns and cancellations lower them, paid plans start and end, a removed
review's qualifying points are withdrawn."""

from __future__ import annotations

from collections.abc import Sequence

from loyalist.activities.events import ActivityRecorded, OrderCancelled, OrderPaid, OrderReturned
from loyalist.activities.models import EventType
from loyalist.db.uow import UnitOfWork
from loyalist.ledger import policy as ledger_policy
from loyalist.ledger.events import PointsAwarded
from loyalist.settings import ProgramPolicy
from loyalist.tiers.books import TierBook

_MEMBERSHIP = frozenset(
    {
        EventType.MEMBERSHIP_STARTED,
        EventType.MEMBERSHIP_RENEWED,
        EventType.MEMBERSHIP_CANCELLED,
        EventType.MEMBERSHIP_EXPIRED,
    }
)


def _book(uow: UnitOfWork, member_ids: Sequence[int], policy: ProgramPolicy) -> TierBook | None:
    book = TierBook.of(uow, policy.zone)
    if not book.is_active:
        return None
    book.prepare(member_ids)
    return book


def on_points_awarded(
    uow: UnitOfWork, events: Sequence[PointsAwarded], policy: ProgramPolicy
) -> None:
    """Qualifying points count in the window of the occurrence that earned them: an
    order's with the order (judged when its payment is recorded), others at once."""
    earned = [e for e in events if e.qualifying_points > 0]
    if not earned:
        return
    ahead = [e for e in uow.upcoming(PointsAwarded) or events if e.qualifying_points > 0]
    book = _book(uow, [e.member_id for e in ahead], policy)
    if book is None:
        return
    for e in earned:
        if e.trigger == "order.paid" and e.order_ref is not None:
            book.record_order_points(e.member_id, e.order_ref, e.qualifying_points, e.earned_at)
        else:
            ref = e.order_ref or e.source or ""
            book.record_points(e.member_id, e.qualifying_points, e.earned_at, ref)


def on_order_paid(uow: UnitOfWork, events: Sequence[OrderPaid], policy: ProgramPolicy) -> None:
    """+spend (program currency) and +1 order; an upgrade applies at once."""
    book = _book(uow, [e.member_id for e in uow.upcoming(OrderPaid) or events], policy)
    if book is None:
        return
    for e in events:
        book.record_order_paid(e.member_id, e.order_id, e.currency, e.net_amount, 0, e.paid_at)


def on_order_returned(
    uow: UnitOfWork, events: Sequence[OrderReturned], policy: ProgramPolicy
) -> None:
    """The order counts only for its unreturned share (cumulative, so never twice)."""
    book = _book(uow, [e.member_id for e in uow.upcoming(OrderReturned) or events], policy)
    if book is None:
        return
    for e in events:
        book.record_order_returned(
            e.member_id, e.order_id, e.cumulative_returned_amount, e.net_amount, e.occurred_at
        )


def on_order_cancelled(
    uow: UnitOfWork, events: Sequence[OrderCancelled], policy: ProgramPolicy
) -> None:
    """A cancelled order no longer counts: spend, the order and its points."""
    book = _book(uow, [e.member_id for e in uow.upcoming(OrderCancelled) or events], policy)
    if book is None:
        return
    for e in events:
        book.record_order_cancelled(e.member_id, e.order_id, e.cancelled_at)


def on_activity_recorded(
    uow: UnitOfWork, events: Sequence[ActivityRecorded], policy: ProgramPolicy
) -> None:
    """Paid plans (``membership.*``) and removed reviews."""
    relevant = [e for e in events if e.type in _MEMBERSHIP or e.type == EventType.REVIEW_REMOVED]
    if not relevant:
        return
    book = _book(uow, [e.member_id for e in relevant], policy)
    if book is None:
        return
    for e in relevant:
        if e.type == EventType.REVIEW_REMOVED:
            review = ledger_policy.review_ref(str(e.data["review_id"]))
            book.take_back_points(e.member_id, review, e.occurred_at)
        else:
            book.record_activity(e)
