"""The SQL of operations: heartbeats, and the bounds and probes of readiness."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select, text, update
from sqlalchemy.orm import Session

from loyalist.operations.models import WorkerHeartbeat


def bound_statements(session: Session, seconds: float) -> None:
    """The statements of this transaction give up after ``seconds`` (PostgreSQL
    ``statement_timeout``; SQLite's readers never wait on the writer)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text(f"SET LOCAL statement_timeout = {int(seconds * 1000)}"))


def ping(session: Session) -> None:
    """One round trip to the database (``SELECT 1``)."""
    session.execute(text("SELECT 1")).scalar_one()


def put_heartbeat(session: Session, host: str, pid: int, at: datetime) -> None:
    """This process's heartbeat at ``at`` (its row updated, or added on its first pass)."""
    changed = session.execute(
        update(WorkerHeartbeat)
        .where(WorkerHeartbeat.host == host, WorkerHeartbeat.pid == pid)
        .values(beat_at=at)
    )
    if not changed.rowcount:  # type: ignore[attr-defined]
        session.add(WorkerHeartbeat(host=host, pid=pid, beat_at=at))


def drop_heartbeats_before(session: Session, before: datetime) -> None:
    session.execute(delete(WorkerHeartbeat).where(WorkerHeartbeat.beat_at < before))


def last_heartbeat_at(session: Session) -> datetime | None:
    """The newest heartbeat of any worker (None: no worker ever beat)."""
    found: datetime | None = session.scalar(select(func.max(WorkerHeartbeat.beat_at)))
    return found
