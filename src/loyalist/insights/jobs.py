"""The scheduled insights job: recompute member scores and segments once per local day.

The job runs on the first due-work pass at or after :data:`RUN_AFTER_HOUR` in the program's
time zone each day and records the run in ``insights_runs``; later passes the same local day
do nothing (return 0), so due-work loops end. The scores are computed on a reader
connection (seconds for a large shop) and stored in one unit of work.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING, Final

from loyalist.db.database import Database
from loyalist.db.uow import UnitOfWork
from loyalist.insights.models import InsightsRun
from loyalist.settings import ProgramPolicy

if TYPE_CHECKING:
    from loyalist.insights.scoring import Progress, Recompute

log = logging.getLogger("loyalist.insights")

SCORES_JOB: Final = "scores"
#: Local hour from which the day's run is due (after the night's order imports).
RUN_AFTER_HOUR: Final = 2


def is_due(last_run_at: datetime | None, *, now: datetime, program: ProgramPolicy) -> bool:
    """Whether the day's run is due: at or after :data:`RUN_AFTER_HOUR` local time and no
    run yet on this local day."""
    local = now.astimezone(program.zone)
    if local.hour < RUN_AFTER_HOUR:
        return False
    return last_run_at is None or last_run_at.astimezone(program.zone).date() != local.date()


def run_due(db: Database, program: ProgramPolicy, limit: int) -> int:
    """Recompute scores when the day's run is due; returns the members scored (0 when not
    due). The run is recorded even when it scored nobody. ``limit`` is unused: one
    recompute is one pass.

    A failing recompute writes nothing, is logged and recorded as the day's run (0
    members): the other due work still runs, and the worker does not retry a broken run
    every few seconds.
    """
    del limit
    now = db.clock.now()
    if not is_due(db.read(_last_run_at), now=now, program=program):
        return 0
    try:
        computed = db.read(lambda uow: _compute(uow, program, now=now))
        return db.write(lambda uow: _store(uow, program, computed, now=now, due_only=True))
    except Exception:
        # Whatever went wrong in the analytics must not stall the other due work.
        log.exception("insights scores job failed; scores stay as they were until tomorrow")
    db.write(lambda uow: _record(uow, now=now, scored=0))
    return 0


def run_now(db: Database, program: ProgramPolicy, *, progress: Progress | None = None) -> int:
    """Recompute scores now, due or not, recorded as the day's run; returns members scored."""
    now = db.clock.now()
    computed = db.read(lambda uow: _compute(uow, program, now=now, progress=progress))
    return db.write(
        lambda uow: _store(uow, program, computed, now=now, due_only=False, progress=progress)
    )


def _compute(
    uow: UnitOfWork, program: ProgramPolicy, *, now: datetime, progress: Progress | None = None
) -> Recompute:
    # Imported when a run is due: polars and scipy would otherwise load with every process
    # that bootstraps the application (each CLI command, the API), for one run a day.
    from loyalist.insights.scoring import compute_scores

    return compute_scores(uow, program, now=now, progress=progress)


def _store(
    uow: UnitOfWork,
    program: ProgramPolicy,
    computed: Recompute,
    *,
    now: datetime,
    due_only: bool,
    progress: Progress | None = None,
) -> int:
    from loyalist.insights.scoring import store_scores

    run = uow.session.get(InsightsRun, SCORES_JOB, with_for_update=True)
    if due_only and not is_due(run.last_run_at if run else None, now=now, program=program):
        return 0  # another worker stored the day's run meanwhile
    scored = store_scores(uow, computed, progress=progress)
    _record(uow, now=now, scored=scored)
    return scored


def _last_run_at(uow: UnitOfWork) -> datetime | None:
    run = uow.session.get(InsightsRun, SCORES_JOB)
    return None if run is None else run.last_run_at


def _record(uow: UnitOfWork, *, now: datetime, scored: int) -> None:
    run = uow.session.get(InsightsRun, SCORES_JOB, with_for_update=True)
    if run is None:
        uow.session.add(InsightsRun(job=SCORES_JOB, last_run_at=now, members_scored=scored))
    else:
        run.last_run_at, run.members_scored = now, scored
    uow.session.flush()
