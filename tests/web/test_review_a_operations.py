"""Review of the operations section: a CSV the reader cannot read (a field beyond
its limit) is refused at the file with nothing queued when it is the header, and is a bad
line of the import when it is a record — never a server error."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from loyalist.activities import service as activities
from loyalist.bootstrap import Loyalist
from loyalist.clock import ManualClock
from loyalist.settings import ProgramPolicy
from tests.api.staff_helpers import audit_actions, staff_app
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


FIELDS = [
    "email", "name", "roles", "password", "locale", "is_active", "set_roles", "slug",
    "permissions", "delete", "role", "scopes", "url", "description", "event_types",
    "member_id", "confirm", "legal_basis", "reference", "note",
]  # fmt: skip
ROUTES = [
    "/console/operations/staff",
    "/console/operations/staff/1",
    "/console/operations/roles",
    "/console/operations/roles/support",
    "/console/operations/api-keys",
    "/console/operations/api-keys/1/revoke",
    "/console/operations/webhooks",
    "/console/operations/webhooks/wh_nope/disable",
    "/console/operations/privacy/export",
    "/console/operations/privacy/erasure",
]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    route=st.sampled_from(ROUTES),
    form=st.dictionaries(
        st.sampled_from(FIELDS),
        st.text(max_size=30)
        | st.sampled_from(["owner", "admin", "members.read", "https://x.example/h", "true"]),
    ),
)
def test_operations_forms_never_fail_and_a_refusal_writes_nothing(
    app: Loyalist, owner: tuple[TestClient, dict[str, str]], route: str, form: dict[str, str]
) -> None:
    client, headers = owner
    before = audit_actions(app)
    answer = client.post(route, data=form, headers=headers)
    assert answer.status_code < 500, (route, form, answer.text[:300])
    if answer.status_code >= 400:
        assert audit_actions(app) == before, (route, form)
