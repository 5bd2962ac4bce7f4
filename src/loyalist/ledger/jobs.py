"""Scheduled ledger work: mature due lots, expire lots, time out holds. Idempotent; several
workers may run at once on PostgreSQL (members are shared out with ``SKIP LOCKED``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from loyalist.db.uow import UnitOfWork
from loyalist.ledger import repository, service
from loyalist.ledger.books import Books
from loyalist.settings import ProgramPolicy


@dataclass(frozen=True, slots=True)
class JobReport:
    members: int
    matured_points: int = 0
    expired_points: int = 0
    holds_timed_out: int = 0
    #: Work of higher domains in the same pass (birthday awards, tier reviews), by name.
    other: dict[str, int] = field(default_factory=dict)

    @property
    def did_work(self) -> bool:
        return bool(
            self.matured_points
            or self.expired_points
            or self.holds_timed_out
            or any(self.other.values())
        )


def run_due_work(uow: UnitOfWork, program: ProgramPolicy, *, limit: int = 200) -> JobReport:
    """One pass over up to ``limit`` members per kind of due work; call until no work is done.

    ``expired_points`` counts every point expired by the pass, also those expired on
    arrival in an expired lot (a timed-out hold or a late maturity returns them there).
    """
    books = Books.of(uow)
    members: set[int] = set()
    matured = expired = timed_out = 0
    for what in ("hold", "mature", "expire"):
        candidates = repository.due_members(uow.session, what, uow.now, limit)
        locked = books.lock(candidates, skip_locked=True)
        for member_id in sorted(locked):
            members.add(member_id)
            balance = books.balance(member_id)
            expired_before = balance.expired
            if what == "hold":
                timed_out += service.time_out_member_holds(uow, member_id)
            elif what == "mature":
                matured += service.mature_member(uow, member_id, program)
            else:
                service.expire_member(uow, member_id)
            expired += balance.expired - expired_before
    return JobReport(len(members), matured, expired, timed_out)
