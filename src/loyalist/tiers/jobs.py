"""Scheduled tier work: reviews whose window ended and grace passed, and paid plans that
ran out. Idempotent (a review moves the next one forward, a lapsed plan is marked ended);
several workers may run at once on PostgreSQL (members are shared out with ``SKIP LOCKED``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo

from loyalist.db.uow import UnitOfWork
from loyalist.tiers import repository
from loyalist.tiers.books import TierBook


@dataclass(frozen=True, slots=True)
class TierReviewReport:
    members: int
    changes: int = 0

    @property
    def did_work(self) -> bool:
        return self.members > 0


def run_tier_reviews(
    uow: UnitOfWork, now: datetime, zone: tzinfo, *, limit: int = 200
) -> TierReviewReport:
    """One pass over up to ``limit`` members with a review or a plan lapse due by ``now``;
    call until ``did_work`` is false. ``zone`` is the program time zone."""
    candidates = repository.due_members(uow.session, now, limit)
    if not candidates:
        return TierReviewReport(0)
    book = TierBook.of(uow, zone)
    if not book.is_active:
        return TierReviewReport(0)
    locked = book.prepare(candidates, skip_locked=True)
    changes = book.review(locked, now)
    return TierReviewReport(len(locked), changes)
