"""Every console page is guarded like the API: one permission per route (the matrix the
API's roles give), signed-out visitors go to the sign-in page, and each built-in role opens
exactly the pages its permissions allow."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.routing import APIRoute, iter_route_contexts
from starlette.testclient import TestClient

from loyalist.api.deps import Require
from loyalist.bootstrap import Loyalist
from loyalist.clock import ManualClock
from loyalist.settings import ProgramPolicy
from loyalist.staff.models import Permission
from loyalist.staff.policy import BUILTIN_ROLES
from loyalist.web.app import create_app
from loyalist.web.console.kit import SECTIONS
from loyalist.web.console.operations import PAGES
from tests.api.staff_helpers import add_staff, enrol, sign_in, staff_app

#: Console routes open without a permission: the front door (which sends each user to a
#: section they may open) and the sign-in page.
OPEN = {"/console/", "/console/sign-in"}
#: A section's index over pages of several permissions: open to whoever holds any of them
#: (its pages are guarded one by one).
HUBS = {s.href: frozenset(s.needs) for s in SECTIONS if len(s.needs) > 1}


def _console_routes(app: Loyalist) -> list[APIRoute]:
    web = create_app(app, embedded_worker=False)
    return [
        route
        for context in iter_route_contexts(web.routes)
        if isinstance(route := context.original_route, APIRoute)
        and route.path_format.startswith("/console")
    ]


def _guard(route: APIRoute) -> Permission | None:
    guards = [d.call for d in route.dependant.dependencies if isinstance(d.call, Require)]
    assert len(guards) <= 1, route.path
    return guards[0].permission if guards else None


@pytest.fixture
def app(db_url: str, clock: ManualClock, program: ProgramPolicy) -> Iterator[Loyalist]:
    loyalist = staff_app(db_url, clock, program)
    yield loyalist
    loyalist.close()


def test_every_console_route_but_the_door_and_sign_in_has_one_guard(app: Loyalist) -> None:
    routes = _console_routes(app)
    assert {r.path for r in routes} >= OPEN
    unguarded = sorted(
        r.path for r in routes if _guard(r) is None and r.path not in OPEN | set(HUBS)
    )
    assert not unguarded, f"console routes without a permission: {unguarded}"


def _signed_in(app: Loyalist, clock: ManualClock, role: str) -> TestClient:
    email = f"{role}@shop.example"
    add_staff(app, email, role)
    client = TestClient(create_app(app, embedded_worker=False), base_url="https://testserver")
    started = sign_in(client, email)
    assert started.status_code == 200, started.text
    if started.json()["stage"] == "enrolment":  # the role needs two factors
        enrol(client, clock, started)
    return client


@pytest.mark.parametrize("role", ["support", "analyst", "marketer", "cashier", "auditor"])
def test_each_role_opens_exactly_the_pages_its_permissions_allow(
    app: Loyalist, clock: ManualClock, role: str
) -> None:
    held = set(BUILTIN_ROLES[role].permissions)
    pages = [
        r
        for r in _console_routes(app)
        if "GET" in (r.methods or ()) and "{" not in r.path and r.path not in OPEN
    ]
    with _signed_in(app, clock, role) as client:
        for route in pages:
            needed = _guard(route)
            answer = client.get(route.path, follow_redirects=False)
            if needed in held or held & HUBS.get(route.path, frozenset()):
                assert answer.status_code == 200, (role, route.path, answer.status_code)
            else:
                assert answer.status_code == 403, (role, route.path, answer.status_code)
                assert "text/html" in answer.headers["content-type"]


def test_signed_out_is_sent_to_sign_in_from_every_page(app: Loyalist) -> None:
    with TestClient(create_app(app, embedded_worker=False), base_url="https://testserver") as c:
        for route in _console_routes(app):
            if "GET" not in (route.methods or ()) or route.path in OPEN:
                continue
            path = route.path.replace("{", "").replace("}", "")
            answer = c.get(path, follow_redirects=False)
            assert answer.status_code == 303, (path, answer.status_code)
            assert answer.headers["location"].startswith("/console/sign-in"), path


def test_the_operations_hub_is_listed_for_exactly_its_pages_permissions() -> None:
    assert HUBS["/console/operations"] == {permission for *_, permission in PAGES}
