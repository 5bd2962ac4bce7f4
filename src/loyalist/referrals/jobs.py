"""Due referral work: qualifying orders that matured past the return window convert."""

from __future__ import annotations

from loyalist.db.uow import UnitOfWork
from loyalist.referrals import service
from loyalist.settings import ProgramPolicy


def run_due(uow: UnitOfWork, program: ProgramPolicy, *, limit: int = 200) -> int:
    """Convert due referrals; returns how many (call until 0)."""
    return service.convert_due(uow, program, limit=limit)
