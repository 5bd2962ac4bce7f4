"""The scheduled insights job: recompute member scores and segments once per local day.

The job runs on the first ``run_due_work`` pass at or after :data:`RUN_AFTER_HOUR` in the
program's time zone each day and records the run in ``insights_runs``; later passes the
same local day do nothing (return 0), so ``run_due_work`` loops end.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING, Final

from loyalist.db.uow import UnitOfWork
from loyalist.insights.models import InsightsRun
from loyalist.settings import ProgramPolicy

if TYPE_CHECKING:
    from loyalist.insights.scoring import Progress

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


def run_due(uow: UnitOfWork, program: ProgramPolicy, *, now: datetime) -> int:
    """Recompute scores when the day's run is due; returns the members scored (0 when not
    due). The run is recorded even when it scored nobody.

    A failing recompute is rolled back to a savepoint, logged and recorded as the day's run
    (0 members): the other due work of the same pass (expiry, holds, tiers) still commits,
    and the worker does not retry a broken run every few seconds.
    """
    run = uow.session.get(InsightsRun, SCORES_JOB, with_for_update=True)
    if not is_due(None if run is None else run.last_run_at, now=now, program=program):
        return 0
    try:
        with uow.session.begin_nested():
            return _run(uow, program, run, now=now)
    except Exception:
        # Whatever went wrong in the analytics must not stall the ledger's due work.
        log.exception("insights scores job failed; scores stay as they were until tomorrow")
    _record(uow, uow.session.get(InsightsRun, SCORES_JOB), now=now, scored=0)
    return 0


def run_now(
    uow: UnitOfWork, program: ProgramPolicy, *, now: datetime, progress: Progress | None = None
) -> int:
    """Recompute scores now, due or not, recorded as the day's run; returns members scored."""
    run = uow.session.get(InsightsRun, SCORES_JOB, with_for_update=True)
    return _run(uow, program, run, now=now, progress=progress)


def _run(
    uow: UnitOfWork,
    program: ProgramPolicy,
    run: InsightsRun | None,
    *,
    now: datetime,
    progress: Progress | None = None,
) -> int:
    # Imported when a run is due: polars and scipy would otherwise load with every process
    # that bootstraps the application (each CLI command, the API), for one run a day.
    from loyalist.insights.scoring import recompute_scores

    scored = recompute_scores(uow, program, now=now, progress=progress)
    _record(uow, run, now=now, scored=scored)
    return scored


def _record(uow: UnitOfWork, run: InsightsRun | None, *, now: datetime, scored: int) -> None:
    if run is None:
        run = InsightsRun(job=SCORES_JOB, last_run_at=now, members_scored=scored)
        uow.session.add(run)
    else:
        run.last_run_at, run.members_scored = now, scored
    uow.session.flush()


def last_run(uow: UnitOfWork) -> InsightsRun | None:
    """The scores job's last run, if any."""
    return uow.session.get(InsightsRun, SCORES_JOB)
