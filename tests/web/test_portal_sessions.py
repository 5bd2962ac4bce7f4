"""Member sessions over HTTP: the idle and absolute timeouts end a session (the due job
forgets it then), an unsafe
request needs the session's CSRF token, and a page of a signed-out visitor sends them to
the sign-in form (an HTMX request by ``HX-Redirect``)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import httpx
from sqlalchemy import select

from loyalist.members.models import MemberSession
from loyalist.web.portal.kit import session_cookie
from tests.integration.helpers import run_jobs
from tests.web.conftest import Live
from tests.web.portal import signed_link

CSRF = re.compile(r'"X-CSRF-Token": "([^"]+)"')


@contextmanager
def signed_in(live: Live) -> Iterator[httpx.Client]:
    """A client signed in by the shop's link (the cookie is given to it by hand: it is
    Secure, which httpx's jar would keep from a plain-HTTP server)."""
    answer = httpx.get(signed_link(live, "cust-1"))
    assert answer.status_code == 303
    assert answer.headers["location"] == "/portal/"
    name = session_cookie(live.app.settings)
    session_id = answer.cookies.get(name) or _cookie_value(answer, name)
    with httpx.Client(base_url=live.url, cookies={name: session_id}) as client:
        yield client


def _cookie_value(answer: httpx.Response, name: str) -> str:
    header = next(v for v in answer.headers.get_list("set-cookie") if v.startswith(f"{name}="))
    return header.split(";", 1)[0].split("=", 1)[1]


def sessions(live: Live) -> int:
    return live.app.db.read(lambda uow: len(uow.session.scalars(select(MemberSession)).all()))


def test_a_session_ends_after_the_idle_timeout(live: Live) -> None:
    with signed_in(live) as client:
        assert client.get("/portal/").status_code == 200
        live.clock.advance(timedelta(minutes=59))
        assert client.get("/portal/").status_code == 200  # a request counts as activity
        live.clock.advance(timedelta(minutes=59))
        assert client.get("/portal/history").status_code == 200
        live.clock.advance(timedelta(minutes=61))
        answer = client.get("/portal/")
        assert answer.status_code == 303
        assert answer.headers["location"] == "/portal/sign-in"


def test_a_session_ends_at_its_absolute_timeout(live: Live) -> None:
    with signed_in(live) as client:
        start = live.clock.now()
        for _ in range(450):  # busy every 48 minutes (under the idle hour), past two weeks
            live.clock.advance(timedelta(minutes=48))
            if client.get("/portal/").status_code != 200:
                break
        assert live.clock.now() - start == timedelta(hours=14 * 24)
    assert sessions(live) == 1
    run_jobs(live.app)  # the due job forgets sessions past their absolute expiry
    assert sessions(live) == 0


def test_sign_out_needs_the_csrf_token(live: Live) -> None:
    with signed_in(live) as client:
        page = client.get("/portal/")
        token = CSRF.search(page.text)
        assert token is not None
        refused = client.post("/portal/sign-out", headers={"HX-Request": "true"})
        assert refused.status_code == 403
        assert 'data-problem="csrf_failed"' in refused.text
        assert sessions(live) == 1
        done = client.post(
            "/portal/sign-out", headers={"HX-Request": "true", "X-CSRF-Token": token.group(1)}
        )
        assert done.status_code == 204
        assert done.headers["HX-Redirect"] == "/portal/sign-in"
        assert sessions(live) == 0


def test_an_htmx_request_without_a_session_is_redirected(live: Live) -> None:
    answer = httpx.get(live.at("/portal/history"), headers={"HX-Request": "true"})
    assert answer.status_code == 204
    assert answer.headers["HX-Redirect"] == "/portal/sign-in"
