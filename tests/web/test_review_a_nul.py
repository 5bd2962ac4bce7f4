"""Review of the console: U+0000 in a page's path, query or form is refused like the API
refuses it (422 ``request_invalid`` at the value), never a 500 from PostgreSQL, which
cannot store it, and nothing is written."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from loyalist.bootstrap import Loyalist
from loyalist.clock import ManualClock
from loyalist.settings import ProgramPolicy
from tests.api.staff_helpers import audit_actions, staff_app
from tests.web.review_a import console_client
from tests.web.test_console_members import _seed

PAGES = [
    "/console/members/%00",
    "/console/members/%00/timeline",
    "/console/program/rules/%00",
    "/console/program/rules/%00/versions",
    "/console/operations/imports/%00",
    "/console/coupons/_redemptions/%00",
    "/console/members?by=email&q=a%00b",
]
FORMS = [
    ("/console/members/M-1/reveal", {"field": "email", "reason": "asked by\x00phone"}),
    ("/console/members/M-1/points", {"points": "5", "reason": "gift\x00", "form_key": "k" * 16}),
    ("/console/members/M-1/messages/msg_x/resend", {"reason": "again\x00"}),
    ("/console/operations/roles/%00", {"name": "x"}),
    ("/console/program/rules/sync", {"yaml": "key: a\x00b\n", "source": "yaml"}),
]


@pytest.fixture
def app(db_url: str, clock: ManualClock, program: ProgramPolicy) -> Iterator[Loyalist]:
    loyalist = staff_app(db_url, clock, program)
    _seed(loyalist, "M-1")
    yield loyalist
    loyalist.close()


@pytest.fixture
def owner(app: Loyalist, clock: ManualClock) -> Iterator[tuple[TestClient, dict[str, str]]]:
    with console_client(app, clock, "owner", "/console/members") as signed_in:
        yield signed_in


@pytest.mark.parametrize("htmx", [False, True])
def test_nul_in_a_pages_path_or_query_is_refused(
    owner: tuple[TestClient, dict[str, str]], htmx: bool
) -> None:
    client, headers = owner
    for path in PAGES:
        answer = client.get(path, headers=headers if htmx else {}, follow_redirects=False)
        assert answer.status_code == 422, (path, answer.status_code)
        assert "U+0000" in answer.text, path


def test_nul_in_a_form_is_refused_and_nothing_is_written(
    app: Loyalist, owner: tuple[TestClient, dict[str, str]]
) -> None:
    client, headers = owner
    before = audit_actions(app)
    for path, form in FORMS:
        answer = client.post(path, data=form, headers=headers)
        assert answer.status_code == 422, (path, answer.status_code, answer.text[:300])
        assert "U+0000" in answer.text, path
    assert audit_actions(app) == before
