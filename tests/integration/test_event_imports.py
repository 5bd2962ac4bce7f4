"""Imports of uploaded files of events, run by the worker a chunk at a time: good lines
are applied, bad ones (unreadable, invalid, or refused by the shop's data) are kept with
their line number and field, and the file is dropped once the import is done."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import orjson
import pytest

from loyalist.activities import service as activities
from loyalist.activities.errors import CsvHeaderInvalidError, ImportFileInvalidError
from loyalist.activities.models import ImportStatus
from loyalist.audit.models import SYSTEM
from loyalist.bootstrap import Loyalist
from loyalist.db.uow import UnitOfWork
from loyalist.members import service as members
from tests.conftest import event

AT = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)


def _line(raw: dict[str, Any]) -> bytes:
    return orjson.dumps(raw)


def _start(app: Loyalist, name: str, content: bytes) -> str:
    return app.db.write(lambda uow: activities.start_import(uow, name, content, SYSTEM).id)


def _finish(app: Loyalist, limit: int) -> None:
    for _ in range(50):
        if not app.run_due_work(limit=limit).did_work:
            return
    raise AssertionError("the import did not finish")


def _job(app: Loyalist, job_id: str) -> dict[str, Any]:
    def op(uow: UnitOfWork) -> dict[str, Any]:
        job = activities.get_import(uow, job_id)
        return {
            "status": job.status,
            "done": job.records_done,
            "imported": job.imported_count,
            "replayed": job.replayed_count,
            "errors": [(e["line"], e["pointer"], e["code"]) for e in job.errors],
            "content": job.content,
        }

    return app.db.read(op)


@pytest.mark.parametrize("chunk", [2, 200])
def test_event_refused_by_the_data_is_reported_and_its_chunk_still_applied(
    app: Loyalist, chunk: int
) -> None:
    lines = [
        _line(event("e1", "member.enrolled", "M1", AT, email="m1@example.com")),
        _line(event("e2", "member.updated", "NOBODY", AT, email="n@example.com")),
        _line(event("e3", "member.enrolled", "M2", AT, email="m2@example.com")),
        b"",
        _line(event("e1", "member.enrolled", "M1", AT, email="other@example.com")),
    ]
    job_id = _start(app, "events.jsonl", b"\n".join(lines))
    _finish(app, chunk)

    job = _job(app, job_id)
    assert job["status"] == ImportStatus.DONE
    assert (job["done"], job["imported"], job["replayed"]) == (4, 2, 0)
    assert [e[0] for e in job["errors"]] == [2, 5]
    assert job["errors"][0][1] == "/member_id"
    assert job["errors"][1][2] == "event_id_reused"
    assert job["content"] is None
    known = app.db.read(lambda uow: members.member_ids(uow, ["M1", "M2", "NOBODY"]))
    assert sorted(known) == ["M1", "M2"]
    assert app.db.read(members.count_members) == 2


def test_csv_import_reports_lines_by_where_records_start(app: Loyalist) -> None:
    content = (
        b"id,type,member_id,occurred_at,data\n"
        b'c1,member.enrolled,C1,2026-11-02T10:00:00Z,"{""email"": ""c1@example.com""}"\n'
        b"c2,member.enrolled,C2,2026-11-02T10:00:00Z,{not json\n"
        b"c3,member.enrolled,C3,yesterday,{}\n"
    )
    job_id = _start(app, "events.CSV", content)
    _finish(app, 200)
    job = _job(app, job_id)
    assert (job["imported"], [e[:2] for e in job["errors"]]) == (
        1,
        [(3, ""), (4, "/occurred_at")],
    )


@pytest.mark.parametrize(
    ("name", "content", "error"),
    [
        ("e.jsonl", b"", ImportFileInvalidError),
        ("e.jsonl", b"\xff\xfe", ImportFileInvalidError),
        ("e.jsonl", b"\n\n", ImportFileInvalidError),
        ("e.csv", b"id,type\n", CsvHeaderInvalidError),
    ],
)
def test_unusable_file_is_refused_before_anything_is_queued(
    app: Loyalist, name: str, content: bytes, error: type[Exception]
) -> None:
    with pytest.raises(error):
        _start(app, name, content)
    assert app.db.read(activities.list_imports) == []


def test_line_holding_nul_is_reported_not_stored(app: Loyalist) -> None:
    lines = [
        _line(event("n1", "member.enrolled", "N1", AT, email="n1@example.com")),
        _line(event("n2", "member.enrolled", "N2", AT, first_name="A\x00B")),
    ]
    job_id = _start(app, "events.jsonl", b"\n".join(lines))
    _finish(app, 200)
    job = _job(app, job_id)
    assert (job["imported"], job["errors"]) == (1, [(2, "", "request_invalid")])
