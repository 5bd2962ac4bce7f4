"""Members' history summed up as the order and activity facts would have counted it, for a
domain that starts counting late (gamification's statistics, when it becomes active)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from loyalist.activities import repository
from loyalist.activities.books import OrderBook
from loyalist.db.uow import UnitOfWork


@dataclass(slots=True)
class MemberHistory:
    """What a member's stored facts add up to.

    ``orders`` and ``spend`` are the ``OrderPaid`` facts less the ``OrderCancelled`` ones
    (a cancelled order counts for neither) and the net amounts less the ``OrderReturned``
    amounts; ``categories`` were bought in an order reported paid (a later cancellation
    does not take a category back); ``reviews`` are the verified reviews not removed;
    ``surveys`` the surveys answered.
    """

    orders: int = 0
    spend: int = 0
    categories: list[str] = field(default_factory=list)
    last_paid_at: datetime | None = None
    reviews: list[str] = field(default_factory=list)
    surveys: list[str] = field(default_factory=list)


def member_histories(uow: UnitOfWork, member_ids: Sequence[int]) -> dict[int, MemberHistory]:
    """The history of each member who has one (members without any fact are left out); a
    few queries for the whole set."""
    OrderBook.of(uow).flush()
    found: dict[int, MemberHistory] = {}
    orders: dict[int, tuple[int, int, datetime, bool]] = {}
    returned: dict[int, int] = {}
    categories: dict[int, set[str]] = {}
    for row in repository.reported_order_lines(uow.session, member_ids):
        order, member, net, paid_at, cancelled, category, quantity, back, price, discount = row
        orders[order] = (member, net, paid_at, cancelled)
        # As the order book rounds a returned share: down, exact once every unit is back.
        returned[order] = returned.get(order, 0) + (quantity * price - discount) * back // quantity
        if category:
            categories.setdefault(member, set()).add(category)
    for order, (member, net, paid_at, cancelled) in orders.items():
        history = found.setdefault(member, MemberHistory())
        if not cancelled:
            history.orders += 1
            history.spend += net - returned[order]
        if history.last_paid_at is None or paid_at > history.last_paid_at:
            history.last_paid_at = paid_at
    for member, bought in categories.items():
        found[member].categories = sorted(bought)
    for member, review_id in repository.verified_live_reviews(uow.session, member_ids):
        found.setdefault(member, MemberHistory()).reviews.append(review_id)
    for member, survey_id in repository.answered_surveys(uow.session, member_ids):
        found.setdefault(member, MemberHistory()).surveys.append(survey_id)
    return found
