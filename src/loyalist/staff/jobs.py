"""Staff's due work: forget sessions past their absolute expiry."""

from __future__ import annotations

from loyalist.db.uow import UnitOfWork
from loyalist.settings import ProgramPolicy
from loyalist.staff.sessions import end_expired_sessions


def forget_expired_sessions(uow: UnitOfWork, program: ProgramPolicy, *, limit: int) -> int:
    return end_expired_sessions(uow, limit)
