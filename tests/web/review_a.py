"""A staff user's browser over HTTP for the review's tests: signed in (with two factors
when the role needs them) and the page's CSRF token, as HTMX would send it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from starlette.testclient import TestClient

from loyalist.bootstrap import Loyalist
from loyalist.clock import ManualClock
from loyalist.web.app import create_app
from tests.api.staff_helpers import add_staff, enrol, sign_in


@contextmanager
def console_client(
    app: Loyalist, clock: ManualClock, role: str, page: str = "/console/"
) -> Iterator[tuple[TestClient, dict[str, str]]]:
    """A client signed in as a new user with ``role`` and HTMX's headers for unsafe
    requests (the CSRF token of ``page``)."""
    email = f"{role}-review@shop.example"
    add_staff(app, email, role)
    client = TestClient(create_app(app, embedded_worker=False), base_url="https://testserver")
    with client:
        started = sign_in(client, email)
        if started.json()["stage"] == "enrolment":
            enrol(client, clock, started)
        shown = client.get(page).text
        token = re.search(r"\"X-CSRF-Token\": \"([^\"]+)\"", shown)
        assert token is not None, shown[:300]
        yield client, {"X-CSRF-Token": token.group(1), "HX-Request": "true"}
