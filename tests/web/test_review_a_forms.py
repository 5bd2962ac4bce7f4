"""Review of the console's forms: U+0000 in a page's path, query or form is refused like
the API refuses it (422 ``request_invalid`` at the value), never a 500 from PostgreSQL,
which cannot store it; any form posted to a member's actions (wrong types, huge numbers,
missing fields, unknown rewards and campaigns) is answered without a server error; and a
refusal writes nothing."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from loyalist.bootstrap import Loyalist
from loyalist.clock import ManualClock
from loyalist.settings import ProgramPolicy
from tests.api.staff_helpers import audit_actions, staff_app
from tests.web.review_a import console_client
from tests.web.test_console_members import _available, _seed

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


ACTIONS = ["reveal", "points", "rewards", "coupons", "messages/msg_nope/resend"]
VALUES = st.one_of(
    st.text(max_size=30),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.sampled_from(["email", "phone", "birthday", "last_name", "1e9", "NaN", "-0", " "]),
)


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


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    action=st.sampled_from(ACTIONS),
    form=st.dictionaries(
        st.sampled_from(["field", "reason", "points", "form_key", "reward", "campaign"]),
        VALUES,
    ),
)
def test_member_actions_never_fail_and_a_refusal_writes_nothing(
    app: Loyalist, owner: tuple[TestClient, dict[str, str]], action: str, form: dict[str, str]
) -> None:
    client, headers = owner
    before, points = audit_actions(app), _available(app, "M-1")
    answer = client.post(f"/console/members/M-1/{action}", data=form, headers=headers)
    assert answer.status_code < 500, (action, form, answer.text[:300])
    if answer.status_code >= 400:
        assert audit_actions(app) == before, (action, form)
        assert _available(app, "M-1") == points
