"""The scheduled refresh: at most once per ``refresh_hours`` (a day by default)."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from loyalist.db.uow import UnitOfWork
from loyalist.recommendations import repository
from loyalist.settings import ProgramPolicy

if TYPE_CHECKING:
    from loyalist.recommendations.policy import RecommendationSettings


def run_due(
    uow: UnitOfWork,
    program: ProgramPolicy,
    *,
    limit: int = 200,
    settings: RecommendationSettings | None = None,
) -> int:
    """Refresh when the last refresh is ``refresh_hours`` old or there is none; returns
    the items it learnt about (0 when not due or without purchases), so ``run_due_work``
    loops end. ``program`` and ``limit`` are unused: one refresh is one unit of work."""
    del program, limit
    # Imported here: numpy, scipy and polars stay out of every command's start-up.
    from loyalist.recommendations import service
    from loyalist.recommendations.policy import RecommendationSettings

    settings = settings or RecommendationSettings()
    head = repository.latest_token(uow.session)
    if head is not None and uow.now - head[1] < timedelta(hours=settings.refresh_hours):
        return 0
    return service.refresh_recommendations(uow, settings).items
