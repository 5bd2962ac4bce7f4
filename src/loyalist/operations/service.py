"""Operations' use cases: a worker's heartbeat, and what readiness and /metrics read."""

from __future__ import annotations

from datetime import datetime, timedelta

from loyalist.db.uow import UnitOfWork
from loyalist.operations import repository

#: A heartbeat row older than this belongs to a process long gone: dropped.
FORGET_AFTER = timedelta(days=7)


def beat(uow: UnitOfWork, host: str, pid: int) -> None:
    """Record that the worker process ``pid`` on ``host`` is starting a pass now, and drop
    the rows of processes silent for ``FORGET_AFTER``."""
    repository.put_heartbeat(uow.session, host, pid, uow.now)
    repository.drop_heartbeats_before(uow.session, uow.now - FORGET_AFTER)


def probe(uow: UnitOfWork, timeout_seconds: float) -> None:
    """One round trip, its statements bounded by ``timeout_seconds``.

    Raises:
        OperationalError, DBAPIError: the database cannot be reached or did not answer.
    """
    repository.bound_statements(uow.session, timeout_seconds)
    repository.ping(uow.session)


def last_heartbeat(uow: UnitOfWork, timeout_seconds: float) -> datetime | None:
    """When any worker last started a pass (None: never), read within ``timeout_seconds``."""
    repository.bound_statements(uow.session, timeout_seconds)
    return repository.last_heartbeat_at(uow.session)
