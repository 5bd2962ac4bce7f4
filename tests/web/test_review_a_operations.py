"""Review of the operations section: a CSV the reader cannot read (a field beyond
its limit) is refused at the file with nothing queued when it is the header, and is a bad
line of the import when it is a record — never a server error."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from loyalist.activities import service as activities
from loyalist.bootstrap import Loyalist
from loyalist.clock import ManualClock
from loyalist.settings import ProgramPolicy
from tests.api.staff_helpers import staff_app
from tests.web.review_a import console_client

HEADER = "id,type,member_id,occurred_at,data\n"


@pytest.fixture
def app(db_url: str, clock: ManualClock, program: ProgramPolicy) -> Iterator[Loyalist]:
    loyalist = staff_app(db_url, clock, program)
    yield loyalist
    loyalist.close()


@pytest.fixture
def owner(app: Loyalist, clock: ManualClock) -> Iterator[tuple[TestClient, dict[str, str]]]:
    with console_client(app, clock, "owner", "/console/operations/imports") as signed_in:
        yield signed_in


def test_a_csv_header_beyond_the_readers_limit_is_refused_and_nothing_is_queued(
    app: Loyalist, owner: tuple[TestClient, dict[str, str]]
) -> None:
    client, headers = owner
    content = ("x" * 200_000 + "\n").encode()
    answer = client.post(
        "/console/operations/imports", files={"file": ("events.csv", content)}, headers=headers
    )
    assert answer.status_code == 422, answer.text[:500]
    assert "expected id,type,member_id,occurred_at,data" in answer.text
    assert app.db.read(lambda uow: activities.list_imports(uow)) == []


def test_a_csv_record_beyond_the_readers_limit_is_a_bad_line_of_the_import(
    app: Loyalist, owner: tuple[TestClient, dict[str, str]]
) -> None:
    client, headers = owner
    huge = 'e1,order.paid,M-1,2026-01-01T00:00:00Z,"' + "x" * 200_000 + '"\n'
    content = (HEADER + huge + "e2,custom.visit,M-1,2026-01-01T00:00:00Z,{}\n").encode()
    answer = client.post(
        "/console/operations/imports", files={"file": ("events.csv", content)}, headers=headers
    )
    assert answer.status_code == 200, answer.text[:500]
    counts = app.db.read(lambda uow: [j.record_count for j in activities.list_imports(uow)])
    assert counts == [2]
