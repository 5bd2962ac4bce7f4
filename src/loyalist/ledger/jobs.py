"""The ledger's due work, one kind per function (each a job of the registry in bootstrap):
time out holds, mature pending points, expire points, announce expiring points.

Each is idempotent and does at most ``limit`` members per call (call until it returns 0);
several workers may run at once on PostgreSQL (members are shared out with ``SKIP LOCKED``).
"""

from __future__ import annotations

from datetime import timedelta

from loyalist.db.uow import UnitOfWork
from loyalist.ledger import repository, service
from loyalist.settings import ProgramPolicy


def time_out_holds(uow: UnitOfWork, program: ProgramPolicy, *, limit: int = 200) -> int:
    """Release holds past their time-out; returns how many (points coming back into a lot
    that expired meanwhile expire on arrival)."""
    members = _due(uow, "hold", limit)
    return sum(service.time_out_member_holds(uow, member_id) for member_id in members)


def mature_points(uow: UnitOfWork, program: ProgramPolicy, *, limit: int = 200) -> int:
    """Make due pending points available; returns the points matured."""
    members = _due(uow, "mature", limit)
    return sum(service.mature_member(uow, member_id, program) for member_id in members)


def expire_points(uow: UnitOfWork, program: ProgramPolicy, *, limit: int = 200) -> int:
    """Expire available points whose expiry has come; returns the points expired."""
    members = _due(uow, "expire", limit)
    return sum(service.expire_member(uow, member_id) for member_id in members)


def announce_expiring(uow: UnitOfWork, program: ProgramPolicy, *, limit: int = 200) -> int:
    """Emit ``PointsExpiring`` once per lot that expires within ``expiry_notice_days``;
    returns the lots announced."""
    if program.expiry_notice_days <= 0:
        return 0
    until = uow.now + timedelta(days=program.expiry_notice_days)
    candidates = repository.due_members(uow.session, "notice", until, limit, after=uow.now)
    locked = service.lock(uow, candidates, skip_locked=True)
    return sum(service.announce_expiring(uow, member_id, until) for member_id in sorted(locked))


def _due(uow: UnitOfWork, what: str, limit: int) -> list[int]:
    candidates = repository.due_members(uow.session, what, uow.now, limit)
    return sorted(service.lock(uow, candidates, skip_locked=True))
