"""Statistics from history: when gamification becomes active, count what members did before.

Handlers count a member's statistics (orders, spend, categories, reviews, surveys,
referrals) from the facts they see, and they see facts only while a badge, quest or streak
is active. When gamification becomes active (``schedule``, called as the first one is
stored or one is switched on again after none was), ``run_due`` recomputes every member's
statistics from the stored history, ``limit`` members per call from a stored cursor, so a
"10 orders" badge counts the orders before it was defined.

A member's statistics are *replaced* by what the history adds up to, read under the
member's statistics lock (after the ledger's and the tiers' rows, as every unit takes
them): the facts a handler already counted are part of that history, a fact still being
written waits for the lock and is counted on top, so a pass gives what live counting from
the start would have, is idempotent and can be repeated or resumed at any member. Badges
that the sweep evaluates (no ``on``, no ``event`` in their criteria) are evaluated for the
members it changed.
"""

from __future__ import annotations

from loyalist.activities import history
from loyalist.db.uow import UnitOfWork
from loyalist.gamification import definitions, repository
from loyalist.gamification.progress import Moment, Run, Scope
from loyalist.members import service as members
from loyalist.referrals import service as referrals
from loyalist.settings import ProgramPolicy

#: The cursor row in ``game_sweeps``; absent (an install older than the backfill) counts as
#: due, so statistics counted since an earlier activation are completed too.
BACKFILL = "stats_backfill"


def schedule(uow: UnitOfWork) -> None:
    """Make a full pass due (from the first member), e.g. as gamification becomes active."""
    repository.restart_sweep(uow.session, BACKFILL, uow.now)


def run_due(uow: UnitOfWork, program: ProgramPolicy, *, limit: int = 500) -> int:
    """Recompute the statistics of the next ``limit`` members from their history; returns
    the members walked (0 once the pass is done or with nothing active)."""
    defs = definitions.active(uow)
    if not defs.has_reactions:
        return 0
    cursor = repository.sweep(uow.session, BACKFILL, uow.now)
    if cursor.finished_on is not None:
        return 0
    ids = members.member_ids_after(uow, cursor.after_member_id, limit)
    cursor.updated_at = uow.now
    if not ids:
        cursor.finished_on = uow.now.astimezone(program.zone).date().isoformat()
        return 0
    cursor.after_member_id = ids[-1]
    # Who has a history at all (read before the locks, to lock and create rows for those
    # only); what counts is read again under the locks.
    known = set(history.member_histories(uow, ids)) | set(referrals.converted_counts(uow, ids))
    if known:
        state = Run(uow, defs, program, sorted(known))
        _replace(uow, state)
        state.finish()
    return len(ids)


def _replace(uow: UnitOfWork, state: Run) -> None:
    ids = state.member_ids
    histories = history.member_histories(uow, ids)
    converted = referrals.converted_counts(uow, ids)
    badges = state.defs.sweep_badges
    for member_id in ids:
        past = histories.get(member_id, history.MemberHistory())
        stats = state.stats[member_id]
        stats.orders_count = past.orders
        stats.spend = past.spend
        stats.categories = past.categories
        stats.reviews = past.reviews
        stats.surveys = past.surveys
        stats.referrals_count = converted.get(member_id, 0)
        stats.last_order_at = past.last_paid_at
        stats.updated_at = uow.now
        stats.dirty = True
        if badges:
            moment = Moment(member_id, "backfill", uow.now)
            state.evaluate_badges(moment, Scope(state, moment), badges)
