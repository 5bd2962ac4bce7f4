"""Helpers for integration tests: send events, read balances, verify the ledger."""

from __future__ import annotations

from typing import Any

from loyalist.activities.schemas import parse_batch
from loyalist.activities.service import EventOutcome, ingest_events
from loyalist.bootstrap import Loyalist
from loyalist.ledger.balances import points_summary
from loyalist.ledger.verification import verify_ledger
from loyalist.members import service as members


def send(app: Loyalist, *events: dict[str, Any]) -> list[EventOutcome]:
    parsed, _ = parse_batch(list(events))
    return app.db.write(lambda uow: ingest_events(uow, parsed))


def points(app: Loyalist, member: str) -> dict[str, Any]:
    return app.db.read(lambda uow: points_summary(uow, members.get_member(uow, member).id))


def member_pk(app: Loyalist, member: str) -> int:
    return app.db.read(lambda uow: members.get_member(uow, member).id)


def run_jobs(app: Loyalist) -> None:
    while app.db.write(lambda uow: app.run_due_work(uow)).did_work:
        pass


def assert_ledger_consistent(app: Loyalist) -> None:
    report = app.db.read(verify_ledger)
    assert report.ok, report.problems
