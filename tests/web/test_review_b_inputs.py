"""Review B: hostile input to the coupons, referrals, messages and campaigns pages of the
console is refused (4xx), never a 5xx, and a refused POST writes nothing."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from loyalist.bootstrap import Loyalist
from loyalist.campaigns import service as campaigns
from loyalist.clock import ManualClock
from loyalist.settings import ProgramPolicy
from loyalist.web.app import create_app
from tests.api.staff_helpers import add_staff, enrol, sign_in, staff_app

NUL = "a\x00b"
#: NUL in a URL (percent-encoded: clients refuse a raw one).
NUL_URL = "a%00b"


@pytest.fixture
def app(db_url: str, clock: ManualClock, program: ProgramPolicy) -> Iterator[Loyalist]:
    loyalist = staff_app(db_url, clock, program)
    yield loyalist
    loyalist.close()


@pytest.fixture
def owner(app: Loyalist, clock: ManualClock) -> Iterator[tuple[TestClient, dict[str, str]]]:
    add_staff(app, "owner@shop.example", "owner")
    with TestClient(create_app(app, embedded_worker=False), base_url="https://testserver") as c:
        started = sign_in(c, "owner@shop.example")
        assert started.status_code == 200, started.text
        me = enrol(c, clock, started).confirmed
        yield c, {"X-CSRF-Token": me.json()["csrf_token"]}


GETS = [
    f"/console/coupons/_redemptions?code={NUL_URL}",
    f"/console/coupons/_redemptions?order={NUL_URL}",
    f"/console/coupons/_redemptions/{NUL_URL}",
    f"/console/coupons/_redemptions/{NUL_URL}/rollback",
    "/console/coupons/nope",
    f"/console/coupons/{NUL_URL}",
    "/console/coupons/nope/batches/1",
    f"/console/coupons/nope/batches/{2**70}",
    "/console/coupons/nope/codes.csv",
    "/console/referrals?period=x",
    "/console/referrals/review?after=-1",
    f"/console/referrals/review?after={2**70}",
    "/console/messages/templates/nope",
    "/console/messages/templates/nope/en/frame",
    "/console/messages/templates/welcome/xx/frame",
    "/console/messages/templates/welcome/en/frame?draft=abc",
    f"/console/messages/templates/welcome/en/frame?draft={NUL_URL}",
    f"/console/messages/log?status={NUL_URL}",
    f"/console/messages/log?before={NUL_URL}",
    f"/console/messages/log?before=2020-01-01T00:00:00|{NUL_URL}",
    "/console/messages/log?before=2020-01-01T00:00:00|x",
    "/console/messages/log?before=9999-12-31T23:59:59-14:00|x",
    "/console/messages/log?before=0001-01-01T00:00:00%2B14:00|x",
    "/console/campaigns/nope",
    f"/console/campaigns/{NUL_URL}",
    "/console/campaigns?after=x",
]


@pytest.mark.parametrize("path", GETS)
def test_hostile_get_is_never_a_5xx(owner: tuple[TestClient, dict[str, str]], path: str) -> None:
    client, _ = owner
    answer = client.get(path, follow_redirects=False)
    assert answer.status_code < 500, (path, answer.status_code, answer.text[:300])


POSTS = [
    ("/console/coupons/_redemptions/x/rollback", {"reason": NUL}),
    ("/console/coupons/nope/batches", {"count": "10", "prefix": NUL, "request_key": NUL}),
    ("/console/coupons/nope/batches", {"count": str(10**30)}),
    ("/console/coupons/nope/batches/1/resume", {}),
    ("/console/referrals/review/1/approve", {"reason": "signals_explained", "note": NUL}),
    ("/console/referrals/review/1/reject", {"reason": NUL}),
    ("/console/messages/templates/nope/preview", {}),
    ("/console/messages/templates/nope/save", {}),
    ("/console/messages/templates/welcome/preview", {"en.subject": NUL, "en.html": NUL}),
    ("/console/messages/templates/welcome/save", {"en.subject": NUL, "en.text": NUL}),
    ("/console/messages/journeys/nope", {"enabled": "true"}),
    (f"/console/messages/log/m1/{NUL_URL}/resend", {"reason": NUL}),
    ("/console/messages/log/m1/x/resend", {"reason": NUL}),
    ("/console/campaigns/new", {"key": NUL, "name": NUL}),
    ("/console/campaigns/new", {"key": "c1", "name": "x" * 100_000}),
    ("/console/campaigns/estimate", {"/ends_at": "not a date"}),
    ("/console/campaigns/new", {"/key": "c2", "/ends_at": "not a date"}),
    ("/console/campaigns/estimate", {"/variants": "abc"}),
    ("/console/campaigns/new", {"/key": "c3", "/variants": "abc"}),
    ("/console/campaigns/new", {"/key": "c4", "/variants/0": "abc"}),
    ("/console/campaigns/new", {"/key": "c5", "/audience": "x", "/audience/segment": "y"}),
    ("/console/campaigns/estimate", {"/audience": "x", "/audience/segment": "y"}),
    ("/console/campaigns/new", {"/key": "c6", "/": "x", "//": "y"}),
]


@pytest.mark.parametrize(("path", "form"), POSTS)
def test_hostile_post_is_never_a_5xx(
    owner: tuple[TestClient, dict[str, str]], path: str, form: dict[str, str]
) -> None:
    client, headers = owner
    answer = client.post(path, data=form, headers=headers, follow_redirects=False)
    assert answer.status_code < 500, (path, answer.status_code, answer.text[:300])
    refused = client.post(path, data=form, follow_redirects=False)
    assert refused.status_code == 403, (path, refused.status_code)


def test_the_preview_frame_is_sandboxed_and_loads_nothing_remote(
    owner: tuple[TestClient, dict[str, str]],
) -> None:
    client, _ = owner
    answer = client.get("/console/messages/templates/welcome/en/frame")
    assert answer.status_code == 200, answer.text[:300]
    policy = dict(
        p.strip().split(" ", 1)
        for p in answer.headers["content-security-policy"].split(";")
        if " " in p.strip()
    )
    assert "sandbox" in answer.headers["content-security-policy"]
    assert policy["frame-ancestors"] == "'self'"
    assert policy["default-src"] == "'none'"
    assert policy["img-src"] == "'self' data:"
    assert "script-src" not in policy
    # Any other console page may not be framed at all.
    page = client.get("/console/messages")
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]


_NAMES = st.sampled_from(
    [
        "/name/en",
        "/name/ru",
        "/audience",
        "/audience/segment",
        "/audience/tiers",
        "/audience/rfm",
        "/channel",
        "/control_percent",
        "/ends_at",
        "/variants",
        "/variants/0",
        "/variants/0/key",
        "/variants/0/weight",
        "/variants/x/key",
        "/goal/days",
        "/quiet_hours",
        "/late",
        "/",
        "//",
        "/template",
    ]
)
_VALUES = st.one_of(
    st.sampled_from(["", "0", "-1", "1e999", "true", "2026-13-40T99:99", "email", "a" * 5000]),
    st.text(max_size=40).filter(lambda t: "\x00" not in t),
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(fields=st.lists(st.tuples(_NAMES, _VALUES), max_size=8))
def test_the_campaign_builder_never_fails_and_stores_only_what_it_accepts(
    app: Loyalist, owner: tuple[TestClient, dict[str, str]], fields: list[tuple[str, str]]
) -> None:
    client, headers = owner
    before = app.db.read(campaigns.list_campaigns)
    form = urlencode([("/key", f"fuzzed-{secrets.token_hex(4)}"), *fields])
    headers = {**headers, "Content-Type": "application/x-www-form-urlencoded"}
    estimated = client.post("/console/campaigns/estimate", content=form, headers=headers)
    assert estimated.status_code < 500, estimated.text[:300]
    saved = client.post("/console/campaigns/new", content=form, headers=headers)
    assert saved.status_code in (204, 422), saved.text[:300]
    after = app.db.read(campaigns.list_campaigns)
    if saved.status_code == 422:
        assert after == before
