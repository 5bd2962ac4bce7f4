"""Every answer's security headers; the pages (member pages, /docs) work under a CSP
without inline code; /docs can be switched off; logs carry no personal data."""

from __future__ import annotations

import hashlib
import io
import logging
import re
from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from loyalist.api.app import create_app
from loyalist.api.docs import redoc_csp
from loyalist.api.edge import DOCS_CSP, PAGE_CSP
from loyalist.bootstrap import Loyalist, bootstrap
from loyalist.clock import ManualClock
from loyalist.db.crypto import Keyring
from loyalist.logs import RedactingJsonFormatter
from loyalist.messages import service as messages
from loyalist.settings import ApiSettings, Settings
from tests.api.staff_helpers import add_staff, browser, sign_in
from tests.conftest import TEST_KEY
from tests.integration.messaging import enrol

SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.DOTALL)


def _directives(policy: str) -> dict[str, list[str]]:
    return {
        part.split()[0]: part.split()[1:] for part in (p.strip() for p in policy.split(";")) if part
    }


def _assert_strict(policy: str) -> None:
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert _directives(policy)["frame-ancestors"] == ["'none'"]


def _assert_page_runs_under(html: str, policy: str) -> None:
    """Nothing in the page needs what the policy refuses: no inline script or style
    element, no style or event-handler attribute, every script and stylesheet from a
    source the policy names, forms posting to this origin."""
    rules = _directives(policy)
    scripts = rules.get("script-src", rules["default-src"])
    styles = rules.get("style-src", rules["default-src"])
    for attributes, body in SCRIPT.findall(html):
        assert body.strip() == "", "inline script"
        source = re.search(r'src="([^"]+)"', attributes)
        assert source is not None
        assert source.group(1).startswith("/") or any(
            source.group(1).startswith(allowed) for allowed in scripts if allowed.startswith("http")
        )
    assert "<style" not in html
    assert not re.search(r"\s(style|on[a-z]+)=", html)
    for sheet in re.findall(r'<link rel="stylesheet" href="([^"]+)"', html):
        assert sheet.startswith("/") or any(
            sheet.startswith(a) for a in styles if a.startswith("http")
        )
    for action in re.findall(r'<form[^>]*action="([^"]+)"', html):
        assert action.startswith("/")


@pytest.fixture
def client(app: Loyalist) -> Iterator[TestClient]:
    with browser(app) as client:
        yield client


def test_member_pages_carry_a_strict_policy_and_are_never_stored(
    app: Loyalist, client: TestClient
) -> None:
    member = enrol(app, "M1", email="anna@shop.example")
    page = client.get(messages.preferences_url("", member))
    assert page.status_code == 200
    policy = page.headers["content-security-policy"]
    assert policy == PAGE_CSP
    _assert_strict(policy)
    _assert_page_runs_under(page.text, policy)
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["referrer-policy"] == "no-referrer"
    assert page.headers["cache-control"] == "no-store"
    assert re.fullmatch(r"[0-9a-f]{32}", page.headers["x-request-id"])


def test_json_answers_load_nothing_and_keep_the_given_request_id(client: TestClient) -> None:
    answer = client.get("/healthz", headers={"X-Request-Id": "abc-123"})
    assert answer.headers["content-security-policy"] == "default-src 'none'; frame-ancestors 'none'"
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["x-request-id"] == "abc-123"
    assert "cache-control" not in answer.headers
    odd = client.get("/healthz", headers={"X-Request-Id": "<script>"})
    assert odd.headers["x-request-id"] != "<script>"


def test_staff_answers_are_never_stored(client: TestClient) -> None:
    answer = client.post("/api/v1/auth/sign-in", json={"email": "x@y.example", "password": "p"})
    assert answer.headers["cache-control"] == "no-store"


def test_docs_page_runs_without_inline_script(client: TestClient) -> None:
    page = client.get("/docs")
    assert page.status_code == 200
    policy = page.headers["content-security-policy"]
    assert policy == DOCS_CSP
    _assert_strict(policy)
    _assert_page_runs_under(page.text, policy)
    start = client.get("/docs/swagger-init.js")
    assert start.headers["content-type"].startswith("text/javascript")
    assert "SwaggerUIBundle(" in start.text
    assert "/openapi.json" in start.text
    # The start-up is a file of this origin, so the policy needs no hash of it.
    digest = hashlib.sha256(start.content).hexdigest()
    assert digest not in policy
    assert client.get("/openapi.json").status_code == 200
    assert "cdn" not in page.text
    for asset in re.findall(r'(?:src|href)="(/docs/static/[^"]+)"', page.text):
        assert client.get(asset).status_code == 200, asset


def test_redoc_page_runs_under_a_policy_with_a_new_nonce_for_its_styles(
    client: TestClient,
) -> None:
    first, second = client.get("/redoc"), client.get("/redoc")
    assert first.status_code == 200
    policy = first.headers["content-security-policy"]
    nonce = re.search(r"'nonce-([^']+)'", policy)
    assert nonce is not None
    assert policy == redoc_csp(nonce.group(1))
    assert f'nonce="{nonce.group(1)}"' in first.text
    assert nonce.group(1) not in second.headers["content-security-policy"]
    assert len(first.headers.get_list("content-security-policy")) == 1
    _assert_strict(policy)
    _assert_page_runs_under(first.text, policy)
    assert "cdn" not in first.text


def test_docs_and_schema_can_be_switched_off(db_url: str, clock: ManualClock) -> None:
    settings = Settings(database_url=db_url, api=ApiSettings(docs=False))
    app = bootstrap(settings, clock=clock, keyring=Keyring.from_secrets(TEST_KEY))
    try:
        with TestClient(create_app(app, embedded_worker=False)) as client:
            for path in ("/docs", "/docs/swagger-init.js", "/redoc", "/openapi.json"):
                assert client.get(path).status_code == 404, path
            assert client.get("/healthz").status_code == 200
            # What a problem's type links to stays.
            assert client.get("/problems/not_found").status_code == 200
    finally:
        app.close()


def test_logs_of_a_sign_in_and_a_member_write_hold_no_personal_data(
    app: Loyalist, client: TestClient, admin: dict[str, str]
) -> None:
    add_staff(app, "olga.staff@shop.example", "analyst")
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(RedactingJsonFormatter())
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        sign_in(client, "olga.staff@shop.example", "wrong horse battery staple")
        sign_in(client, "olga.staff@shop.example")
        written = client.put(
            "/api/v1/members/M7",
            json={"email": "member.secret@mail.example", "phone": "+79123456789"},
            headers=admin,
        )
        assert written.status_code in (200, 201), written.text
        logging.getLogger("loyalist.test").warning(
            "member %s wrote from %s", "member.secret@mail.example", "+7 912 345-67-89"
        )
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
    logged = out.getvalue()
    lines = logged.splitlines()
    assert any('"sign-in failed' in line for line in lines)
    assert any('"request_id": "' in line for line in lines)
    for secret in ("olga.staff", "member.secret", "9123456789", "912 345", "horse battery"):
        assert secret not in logged
