"""Scheduled tier work: reviews whose window ended and grace passed, and paid plans that
ran out. Idempotent (a review moves the next one forward, a lapsed plan is marked ended);
several workers may run at once on PostgreSQL (members are shared out with ``SKIP LOCKED``)."""

from __future__ import annotations

from loyalist.db.uow import UnitOfWork
from loyalist.settings import ProgramPolicy
from loyalist.tiers import repository
from loyalist.tiers.books import TierBook


def run_tier_reviews(uow: UnitOfWork, program: ProgramPolicy, *, limit: int = 200) -> int:
    """One pass over up to ``limit`` members with a review or a plan lapse due now; returns
    the members reviewed (call until 0)."""
    candidates = repository.due_members(uow.session, uow.now, limit)
    if not candidates:
        return 0
    book = TierBook.of(uow, program.zone)
    if not book.is_active:
        return 0
    locked = book.prepare(candidates, skip_locked=True)
    book.review(locked, uow.now)
    return len(locked)
