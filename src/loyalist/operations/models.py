"""The workers' heartbeats: one row per worker process (host and pid), its last pass."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from loyalist.db.base import Base


class WorkerHeartbeat(Base):
    """When a worker process (``loyalist worker``, or a server's embedded worker) last
    started a pass of due work. Readiness asks for a recent one; rows of processes gone for
    a week are dropped by the passes of the living."""

    __tablename__ = "worker_heartbeats"

    host: Mapped[str] = mapped_column(String(255), primary_key=True)
    pid: Mapped[int] = mapped_column(Integer, primary_key=True)
    beat_at: Mapped[datetime]
