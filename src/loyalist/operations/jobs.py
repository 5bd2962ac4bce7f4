"""Operations' due work: the heartbeat of the worker process running the pass."""

from __future__ import annotations

import os
import socket

from loyalist.db.database import Database
from loyalist.operations import service
from loyalist.settings import ProgramPolicy


def beat(db: Database, _program: ProgramPolicy, _limit: int) -> int:
    """This process's heartbeat (readiness wants a recent one). Returns 0: a heartbeat is
    never work, so a pass that only beat ends the worker's drain."""
    host, pid = socket.gethostname(), os.getpid()
    db.write(lambda uow: service.beat(uow, host, pid))
    return 0
