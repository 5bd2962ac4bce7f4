"""Review of the console's sign-in: whatever ``next`` says, a signed-in user is sent to a
page of this console's own host (no open redirect through ``//``, backslashes, encoded
slashes or dot segments)."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from loyalist.bootstrap import Loyalist
from loyalist.clock import ManualClock
from loyalist.settings import ProgramPolicy
from tests.api.staff_helpers import staff_app
from tests.web.review_a import console_client

PIECES = st.sampled_from(
    [
        "/",
        "//",
        "\\",
        "/\\",
        "..",
        ".",
        "%2f",
        "%5c",
        "%2e",
        "evil.example",
        "console",
        "@",
        ":",
        "?",
        "#",
        "%00",
        "\t",
    ]
)


@pytest.fixture
def app(db_url: str, clock: ManualClock, program: ProgramPolicy) -> Iterator[Loyalist]:
    loyalist = staff_app(db_url, clock, program)
    yield loyalist
    loyalist.close()


@pytest.fixture
def owner(app: Loyalist, clock: ManualClock) -> Iterator[TestClient]:
    with console_client(app, clock, "owner") as (client, _):
        yield client


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(PIECES, max_size=8).map("".join).map(lambda tail: "/console/" + tail))
@example("/console/..//evil.example")
@example("/console/\\/evil.example")
@example("/console/%2f%2fevil.example")
def test_next_never_leaves_the_host(owner: TestClient, wanted: str) -> None:
    answer = owner.get("/console/sign-in", params={"next": wanted}, follow_redirects=False)
    assert answer.status_code == 303
    location = answer.headers["location"]
    # As a browser reads it: backslashes are slashes, then resolved against the page.
    for seen in (location, unquote(location)):
        resolved = urlsplit(urljoin("https://testserver/console/sign-in", seen.replace("\\", "/")))
        assert resolved.netloc == "testserver", (wanted, location)
        assert not seen.replace("\\", "/").startswith("//"), (wanted, location)
