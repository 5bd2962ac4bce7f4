"""The scheduled refresh: at most once per ``refresh_hours`` (a day by default), computed on
a reader connection and stored as a new generation in short units of work (staged a chunk
per unit, published in one, the replaced refresh deleted a chunk per unit; see
:mod:`loyalist.db.generations`)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING

from loyalist.db.chunked import CHUNK_ROWS
from loyalist.db.database import Database
from loyalist.db.generations import drop_superseded, publish_staged
from loyalist.recommendations import repository
from loyalist.settings import ProgramPolicy

if TYPE_CHECKING:
    from loyalist.recommendations.policy import RecommendationSettings
    from loyalist.recommendations.schemas import RefreshReport
    from loyalist.recommendations.service import Refresh


def run_due(db: Database, program: ProgramPolicy, limit: int, *, chunk: int = CHUNK_ROWS) -> int:
    """Refresh when the last refresh is ``refresh_hours`` old or there is none; returns
    the items it learnt about (0 when not due or without purchases), so due-work loops end.
    When not due, finishes deleting what the last refresh replaced (returns the rows).
    ``program`` and ``limit`` are unused: one refresh is one pass."""
    del program, limit
    # Imported here: numpy, scipy and polars stay out of every command's start-up.
    from loyalist.recommendations.policy import RecommendationSettings

    settings = RecommendationSettings()
    now = db.clock.now()
    head = db.read(lambda uow: repository.latest_token(uow.session))
    if head is not None and now - head[1] < timedelta(hours=settings.refresh_hours):
        return drop_superseded(db, repository.GENERATIONS, rows=chunk)
    return refresh(db, settings, chunk=chunk).items


def refresh(
    db: Database,
    settings: RecommendationSettings,
    *,
    progress: Callable[[str], None] | None = None,
    chunk: int = CHUNK_ROWS,
) -> RefreshReport:
    """Recompute neighbours, popularity and the ALS model on a reader connection, store
    them as a new generation and delete the one it replaces.

    Raises:
        Exception: what computing or storing raised; the refresh served stays the last one.
    """
    from loyalist.recommendations import service

    step = progress or (lambda _stage: None)
    computed: Refresh = db.analyse(
        lambda uow: service.compute_refresh(uow, settings, progress=step)
    )
    step("storing")
    publish_staged(
        db,
        repository.GENERATIONS,
        [
            (computed.neighbours, service.stage_neighbours),
            (computed.popular, service.stage_popular),
        ],
        begin=lambda uow: service.begin_refresh(uow, computed),
        publish=service.publish_refresh,
        rows=chunk,
    )
    drop_superseded(db, repository.GENERATIONS, rows=chunk)
    return computed.report
