"""Members' due work: forget portal sessions and sign-in links past their absolute expiry."""

from __future__ import annotations

from loyalist.db.uow import UnitOfWork
from loyalist.members.sessions import end_expired_sessions
from loyalist.settings import ProgramPolicy


def forget_expired_sessions(uow: UnitOfWork, program: ProgramPolicy, *, limit: int) -> int:
    return end_expired_sessions(uow, limit)
