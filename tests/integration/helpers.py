"""Helpers for integration tests: send events, read balances, verify the ledger."""

from __future__ import annotations

from typing import Any

from loyalist.activities.schemas import parse_batch
from loyalist.activities.service import EventOutcome, ingest_events
from loyalist.bootstrap import Loyalist
from loyalist.db.uow import UnitOfWork
from loyalist.ledger import jobs as ledger_jobs
from loyalist.ledger.balances import points_summary
from loyalist.ledger.verification import verify_ledger
from loyalist.members import service as members
from loyalist.settings import ProgramPolicy


def send(app: Loyalist, *events: dict[str, Any]) -> list[EventOutcome]:
    parsed, _ = parse_batch(list(events))
    return app.db.write(lambda uow: ingest_events(uow, parsed))


def points(app: Loyalist, member: str) -> dict[str, Any]:
    return app.db.read(lambda uow: points_summary(uow, members.get_member(uow, member).id))


def member_pk(app: Loyalist, member: str) -> int:
    return app.db.read(lambda uow: members.get_member(uow, member).id)


def run_jobs(app: Loyalist) -> None:
    while app.run_due_work().did_work:
        pass


def ledger_due_work(uow: UnitOfWork, program: ProgramPolicy, *, limit: int = 200) -> dict[str, int]:
    """One pass of the ledger's due jobs in one unit (the worker runs them as four jobs)."""
    return {
        "holds_timed_out": ledger_jobs.time_out_holds(uow, program, limit=limit),
        "points_matured": ledger_jobs.mature_points(uow, program, limit=limit),
        "points_expired": ledger_jobs.expire_points(uow, program, limit=limit),
    }


def assert_ledger_consistent(app: Loyalist) -> None:
    report = app.db.read(verify_ledger)
    assert report.ok, report.problems
