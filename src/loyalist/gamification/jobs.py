"""The badge sweep: criteria that time alone can make true ("Gold for a year").

Badges whose criteria read no ``event`` are evaluated for every member with statistics,
``limit`` members per call from a stored cursor; a finished pass is not started again the
same day (program time zone), so ``run_due_work`` loops end.
"""

from __future__ import annotations

from loyalist.db.uow import UnitOfWork
from loyalist.gamification import definitions, repository
from loyalist.gamification.progress import Moment, Run, Scope
from loyalist.settings import ProgramPolicy

SWEEP = "badges"


def sweep_badges(uow: UnitOfWork, program: ProgramPolicy, *, limit: int = 200) -> int:
    """Evaluate time-based badges for up to ``limit`` members; returns members swept (0
    when the day's pass is done or no badge needs sweeping)."""
    defs = definitions.active(uow)
    badges = defs.sweep_badges
    if not badges:
        return 0
    today = uow.now.astimezone(program.zone).date().isoformat()
    cursor = repository.sweep(uow.session, SWEEP, uow.now)
    if cursor.finished_on == today:
        return 0
    ids = repository.stats_members_after(uow.session, cursor.after_member_id, limit)
    cursor.updated_at = uow.now
    if not ids:
        cursor.after_member_id = 0
        cursor.finished_on = today
        return 0
    cursor.after_member_id = ids[-1]
    state = Run(uow, defs, program, ids, skip_locked=True)
    for member_id in state.member_ids:
        moment = Moment(member_id, "sweep", uow.now)
        state.evaluate_badges(moment, Scope(state, moment), badges)
    state.finish()
    return len(ids)
