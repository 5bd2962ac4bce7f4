"""Review of the members section: any form posted to a member's actions (wrong types,
huge numbers, missing fields, unknown rewards and campaigns) is answered without a server
error, and a refused one writes nothing."""

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
