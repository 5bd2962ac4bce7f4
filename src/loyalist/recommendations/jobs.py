"""The scheduled refresh: at most once per ``refresh_hours`` (a day by default), computed on
a reader connection and stored in one short unit of work."""

from __future__ import annotations

from datetime import timedelta

from loyalist.db.database import Database
from loyalist.recommendations import repository
from loyalist.settings import ProgramPolicy


def run_due(db: Database, program: ProgramPolicy, limit: int) -> int:
    """Refresh when the last refresh is ``refresh_hours`` old or there is none; returns
    the items it learnt about (0 when not due or without purchases), so due-work loops end.
    ``program`` and ``limit`` are unused: one refresh is one pass."""
    del program, limit
    # Imported here: numpy, scipy and polars stay out of every command's start-up.
    from loyalist.recommendations import service
    from loyalist.recommendations.policy import RecommendationSettings

    settings = RecommendationSettings()
    now = db.clock.now()
    head = db.read(lambda uow: repository.latest_token(uow.session))
    if head is not None and now - head[1] < timedelta(hours=settings.refresh_hours):
        return 0
    refresh = db.read(lambda uow: service.compute_refresh(uow, settings))
    return db.write(lambda uow: service.store_refresh(uow, refresh)).items
