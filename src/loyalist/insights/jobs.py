"""The scheduled insights jobs: recompute member scores and segments once per local day, and
the console dashboard's figures every hour (:func:`refresh_dashboards`).

The job runs on the first due-work pass at or after :data:`RUN_AFTER_HOUR` in the program's
time zone each day and records the run in ``insights_runs``; later passes the same local day
do nothing (return 0), so due-work loops end.

The scores are computed on a reader connection (seconds for a large shop), staged as a new
generation in chunks (one short unit of work per :data:`~loyalist.db.chunked.CHUNK_ROWS`
rows) and published in one short unit; then the members' segments follow the new
generation in chunks, and the replaced generation is deleted in chunks. Readers see one
whole generation throughout. A run failing before it publishes leaves the previous
generation current and deletes what it staged (or the next publish does); a run failing
after it publishes leaves its segments pending, and every pass resumes them.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Final

from loyalist.db.chunked import CHUNK_ROWS, write_in_chunks
from loyalist.db.database import Database
from loyalist.db.generations import drop_superseded, publish_staged
from loyalist.db.uow import UnitOfWork
from loyalist.insights import repository
from loyalist.insights.models import InsightsRun
from loyalist.settings import ProgramPolicy

if TYPE_CHECKING:
    from loyalist.insights.schemas import Dashboard
    from loyalist.insights.scoring import Progress, Recompute

log = logging.getLogger("loyalist.insights")

SCORES_JOB: Final = "scores"
#: A member's segments cost the writer about as much as this many score rows (read again,
#: compared, updated): a segments unit takes ``chunk // SEGMENT_COST`` members.
SEGMENT_COST: Final = 4
#: Local hour from which the day's run is due (after the night's order imports).
RUN_AFTER_HOUR: Final = 2


def is_due(last_run_at: datetime | None, *, now: datetime, program: ProgramPolicy) -> bool:
    """Whether the day's run is due: at or after :data:`RUN_AFTER_HOUR` local time and no
    run yet on this local day."""
    local = now.astimezone(program.zone)
    if local.hour < RUN_AFTER_HOUR:
        return False
    return last_run_at is None or last_run_at.astimezone(program.zone).date() != local.date()


def run_due(db: Database, program: ProgramPolicy, limit: int, *, chunk: int = CHUNK_ROWS) -> int:
    """Recompute scores when the day's run is due; returns the members scored. When not
    due, finishes what a published generation left (segments, deleting the replaced rows)
    and returns that work (0 when nothing was left). The run is recorded even when it
    scored nobody. ``limit`` is unused: one recompute is one pass.

    A recompute failing before it publishes is logged and recorded as the day's run (0
    members): the other due work still runs, and the worker does not retry a broken run
    every few seconds.
    """
    del limit
    now = db.clock.now()
    if not is_due(db.read(_last_run_at), now=now, program=program):
        return _follow(db, chunk)
    try:
        computed = db.analyse(lambda uow: _compute(uow, program, now=now))
        scored = _store(db, program, computed, now=now, due_only=True, chunk=chunk)
    except Exception:
        # Whatever went wrong in the analytics must not stall the other due work.
        log.exception("insights scores job failed; scores stay as they were until tomorrow")
        db.write(lambda uow: _record(uow, now=now, scored=0))
        return 0
    _follow(db, chunk)
    return scored


def run_now(
    db: Database,
    program: ProgramPolicy,
    *,
    progress: Progress | None = None,
    chunk: int = CHUNK_ROWS,
) -> int:
    """Recompute scores now, due or not, recorded as the day's run; returns members scored.

    ``progress(done, step)`` follows :data:`~loyalist.insights.scoring.RECOMPUTE_STEPS`
    and is called once at the end with ``done`` = their number.
    """
    from loyalist.insights.scoring import RECOMPUTE_STEPS

    report = progress or (lambda _done, _step: None)
    now = db.clock.now()
    computed = db.analyse(lambda uow: _compute(uow, program, now=now, progress=progress))
    report(2, RECOMPUTE_STEPS[2])
    scored = _store(db, program, computed, now=now, due_only=False, chunk=chunk)
    report(3, RECOMPUTE_STEPS[3])
    _follow(db, chunk)
    report(len(RECOMPUTE_STEPS), "done")
    return scored


def _compute(
    uow: UnitOfWork, program: ProgramPolicy, *, now: datetime, progress: Progress | None = None
) -> Recompute:
    # Imported when a run is due: polars and scipy would otherwise load with every process
    # that bootstraps the application (each CLI command, the API), for one run a day.
    from loyalist.insights.scoring import compute_scores

    return compute_scores(uow, program, now=now, progress=progress)


def _store(
    db: Database,
    program: ProgramPolicy,
    computed: Recompute,
    *,
    now: datetime,
    due_only: bool,
    chunk: int,
) -> int:
    """Stage the rows as a new generation in chunks and publish it; the members scored (0
    when another run published the day's scores meanwhile). Whatever was staged is deleted
    when this fails or loses."""
    from loyalist.insights import scoring

    def publish(uow: UnitOfWork, generation: int) -> bool:
        run = uow.session.get(InsightsRun, SCORES_JOB, with_for_update=True)
        if due_only and not is_due(run.last_run_at if run else None, now=now, program=program):
            return False  # another worker stored the day's run meanwhile
        if not scoring.publish_scores(uow, generation):
            return False  # a newer generation is published
        _record(uow, now=now, scored=computed.scored)
        return True

    published = publish_staged(
        db,
        repository.GENERATIONS,
        [(computed.rows, scoring.stage_scores)],
        begin=lambda uow: scoring.begin_generation(uow, now),
        publish=publish,
        rows=chunk,
    )
    return computed.scored if published else 0


def _follow(db: Database, chunk: int) -> int:
    """Bring the members' segments in line with the current generation if they are not,
    then delete the generations it replaced, in chunks; returns the members whose
    segments changed plus the rows deleted."""
    from loyalist.insights import scoring

    done = 0
    pending = db.read(scoring.pending_segments)
    if pending is not None:
        generation, changes = pending
        done += sum(
            write_in_chunks(
                db,
                changes,
                scoring.apply_segments,
                rows=max(1, chunk // SEGMENT_COST),
            )
        )
        db.write(lambda uow: scoring.segments_followed(uow, generation))
    return done + drop_superseded(db, repository.GENERATIONS, rows=chunk)


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


#: How old the dashboard's stored figures may grow before the job computes them again.
DASHBOARD_REFRESH: Final = timedelta(hours=1)


def refresh_dashboards(db: Database, program: ProgramPolicy, limit: int) -> int:
    """Compute every preset dashboard again when one is missing or older than
    :data:`DASHBOARD_REFRESH`, once someone asked for them (a console view, ``loyalist
    demo``) or some are stored; returns the presets stored (0 when not due: one small
    read, so a shop nobody looks at the dashboard of pays nothing). The figures are
    computed on a reader connection from one snapshot and stored in one short unit, so the
    console shows them without aggregating every member's history on each view. ``limit``
    is unused: one refresh is one pass."""
    del limit
    from loyalist.insights import dashboard, service

    if not db.read(lambda uow: service.dashboards_due(uow, DASHBOARD_REFRESH)):
        return 0

    def compute(uow: UnitOfWork) -> list[Dashboard]:
        today = uow.now.astimezone(program.zone).date()
        periods = [dashboard.preset_period(key, today) for key in dashboard.PRESETS]
        return service.compute_dashboards(uow, program, periods)

    computed = db.analyse(compute)
    db.write(lambda uow: service.store_dashboards(uow, computed))
    return len(computed)
