"""Reviews and survey answers: what each counts for, decided once when the event arrives.

A review is a *verified purchase* when the member has a paid order, not cancelled, paid no
later than the review, with a line of the reviewed SKU not entirely returned. It is *first
for product* when no other live review of the member for that SKU holds the product's
slot; a review holds the slot when it is both (only such a review may earn, see
docs/reviews.md). Removing a review frees the slot. A survey answer is the member's *first
answer* to that survey, or a later one kept for the record only.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from loyalist.activities import repository
from loyalist.activities.books import OrderBook, OrderState
from loyalist.activities.errors import ReviewMemberMismatchError
from loyalist.activities.models import Review, ReviewStatus, SurveyAnswer
from loyalist.activities.schemas import ParsedEvent, ReviewData, ReviewRemovedData, SurveyData
from loyalist.db.uow import UnitOfWork
from loyalist.errors import FieldError


def verifying_order(
    orders: Iterable[OrderState], member_id: int, sku: str, at: datetime
) -> OrderState | None:
    """The latest order paid by ``at`` that proves the member bought ``sku``, or None.

    It must be the member's, paid no later than ``at``, not cancelled, with a line of the
    SKU of which at least one unit was not returned.
    """
    found: tuple[datetime, str, OrderState] | None = None
    for order in orders:
        paid_at = order.paid_at
        if (
            order.member_id != member_id
            or paid_at is None
            or paid_at > at
            or order.cancelled_at is not None
        ):
            continue
        if not any(
            line.sku == sku and line.returned_quantity < line.quantity for line in order.lines
        ):
            continue
        if found is None or (paid_at, order.order_id) > found[:2]:
            found = (paid_at, order.order_id, order)
    return found[2] if found is not None else None


def record_activity(
    uow: UnitOfWork, book: OrderBook, member_id: int, ev: ParsedEvent
) -> dict[str, Any] | None:
    """Record a review or survey event; return what to add to its data, or None when the
    event changes nothing (a review id seen before, a removal of an unknown or removed
    review): then no ``ActivityRecorded`` is emitted for it.

    Raises:
        ConflictError: the review belongs to another member (``review_member_mismatch``).
    """
    data = ev.data
    if isinstance(data, ReviewData):
        return _publish(uow, book, member_id, ev, data)
    if isinstance(data, ReviewRemovedData):
        return _remove(uow, member_id, ev, data)
    if isinstance(data, SurveyData):
        return _answer(uow, member_id, ev, data)
    return {}


def _own_review(uow: UnitOfWork, member_id: int, ev: ParsedEvent, review_id: str) -> Review | None:
    review = repository.find_review(uow.session, review_id)
    if review is not None and review.member_id != member_id:
        raise ReviewMemberMismatchError(
            f"review {review_id!r} belongs to another member",
            errors=[FieldError(f"{ev.pointer}/member_id", "not the review's member")],
        )
    return review


def _publish(
    uow: UnitOfWork, book: OrderBook, member_id: int, ev: ParsedEvent, data: ReviewData
) -> dict[str, Any] | None:
    if _own_review(uow, member_id, ev, data.review_id) is not None:
        return None  # the same review again (an edit, a resend): it counted once already
    # Orders of this unit are in the book (maybe not written yet); load the stored ones.
    book.load(repository.order_ids_with_sku(uow.session, member_id, data.sku))
    order = verifying_order(book.orders.values(), member_id, data.sku, ev.occurred_at)
    first = repository.slot_holder(uow.session, member_id, data.sku) is None
    verified = order is not None
    # Out of order: its removal came first. Keep it removed, holding no slot, earning nothing.
    gone = repository.removal_seen(uow.session, member_id, data.review_id)
    repository.add(
        uow.session,
        Review(
            review_id=data.review_id,
            member_id=member_id,
            sku=data.sku,
            rating=data.rating,
            text_length=data.text_length,
            has_photo=data.has_photo,
            order_id=data.order_id,
            event_id=ev.id,
            published_at=ev.occurred_at,
            is_verified_purchase=verified,
            is_first_for_product=first,
            verified_order_id=order.order_id if order is not None else None,
            holds_slot=verified and first and not gone,
            status=ReviewStatus.REMOVED if gone else ReviewStatus.LIVE,
            removed_at=ev.occurred_at if gone else None,
        ),
    )
    if gone:
        return {"verified_purchase": verified, "first_for_product": first, "removed": True}
    return {"verified_purchase": verified, "first_for_product": first}


def _remove(
    uow: UnitOfWork, member_id: int, ev: ParsedEvent, data: ReviewRemovedData
) -> dict[str, Any] | None:
    review = _own_review(uow, member_id, ev, data.review_id)
    if review is None or review.status == ReviewStatus.REMOVED:
        return None  # unknown (documented: stored, nothing else) or removed before
    review.status = ReviewStatus.REMOVED
    review.removed_at = ev.occurred_at
    review.removal_reason = data.reason
    review.holds_slot = False
    uow.session.flush()
    return {
        "sku": review.sku,
        "reason": data.reason,
        "verified_purchase": review.is_verified_purchase,
        "first_for_product": review.is_first_for_product,
    }


def _answer(uow: UnitOfWork, member_id: int, ev: ParsedEvent, data: SurveyData) -> dict[str, Any]:
    first = not repository.has_first_answer(uow.session, member_id, data.survey_id)
    comment_length = len(data.comment or "")
    repository.add(
        uow.session,
        SurveyAnswer(
            event_id=ev.id,
            member_id=member_id,
            survey_id=data.survey_id,
            score=data.score,
            channel=data.channel,
            comment_length=comment_length,
            answered_at=ev.occurred_at,
            received_at=uow.now,
            is_first=first,
        ),
    )
    return {"first_answer": first, "comment_length": comment_length}


def record_review_points(uow: UnitOfWork, review_id: str, points: int) -> None:
    """The rules granted ``points`` for a review (shown with the review)."""
    review = repository.find_review(uow.session, review_id)
    if review is not None:
        review.points += points
        uow.session.flush()
