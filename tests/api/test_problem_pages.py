"""A problem's ``type`` is a link that resolves: this server's ``/problems/<code>`` (or the
configured base), where the problem's page from docs/problems/ is rendered."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from starlette.testclient import TestClient

from loyalist.api.app import create_app
from loyalist.api.docs import problem_page
from loyalist.api.edge import PAGE_CSP
from loyalist.bootstrap import Loyalist, bootstrap
from loyalist.clock import ManualClock
from loyalist.db.crypto import Keyring
from loyalist.settings import ApiSettings, Settings
from tests.api.conftest import assert_problem
from tests.conftest import TEST_KEY
from tests.problems import problems_by_code

PAGES = Path(__file__).resolve().parents[2] / "docs" / "problems"


def test_a_problem_type_resolves_to_its_page_on_this_server(
    client: TestClient, admin: dict[str, str]
) -> None:
    answer = client.get("/api/v1/members/nobody-here", headers=admin)
    body = assert_problem(answer, 404, "member_not_found")
    assert body["type"] == "http://testserver/problems/member_not_found"
    page = client.get(body["type"])
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert page.headers["content-security-policy"] == PAGE_CSP
    assert "<h1>member_not_found</h1>" in page.text
    assert "HTTP 404" in page.text


def test_every_problem_code_has_a_rendered_page(client: TestClient) -> None:
    index = client.get("/problems/")
    assert index.status_code == 200
    for code in problems_by_code():
        assert f'href="{code}"' in index.text, code
        assert problem_page(code) is not None, code
    assert client.get("/problems/insufficient_points").status_code == 200


def test_a_page_shows_markdown_text_never_raw_html(client: TestClient) -> None:
    for path in PAGES.glob("*.md"):
        page = problem_page(path.stem)
        assert page is not None
        assert "<script" not in page
        assert "<code>" in page or "`" not in path.read_text(encoding="utf-8"), path.stem


@settings(max_examples=50, deadline=None)
@given(code=st.text(alphabet="abcdefghijklmnopqrstuvwxyz_./%-0123456789", max_size=70))
def test_only_known_codes_have_pages(code: str) -> None:
    page = problem_page(code)
    assert page is None or code in problems_by_code()


def test_an_unknown_problem_page_is_a_404_problem(client: TestClient) -> None:
    assert_problem(client.get("/problems/no_such_problem"), 404, "not_found")
    assert_problem(client.get("/problems/..%2Fdecisions"), 404, "not_found")


def test_the_problem_base_is_a_setting(db_url: str, clock: ManualClock) -> None:
    base = "https://api.shop.example/loyalty/problems/"
    settings = Settings(database_url=db_url, api=ApiSettings(problem_base=base))
    app = bootstrap(settings, clock=clock, keyring=Keyring.from_secrets(TEST_KEY))
    try:
        with TestClient(create_app(app, embedded_worker=False)) as client:
            body = client.get("/api/v1/members/M1").json()
            assert body["type"] == base + "api_key_missing"
    finally:
        app.close()


def test_the_problem_base_is_a_url_its_codes_follow() -> None:
    assert ApiSettings(problem_base="https://docs.example/p").problem_base == (
        "https://docs.example/p/"
    )
    with pytest.raises(ValidationError, match="not an http"):
        ApiSettings(problem_base="docs.example/p/")


def test_the_problem_type_follows_the_root_path(app: Loyalist) -> None:
    api = create_app(app, embedded_worker=False)
    with TestClient(api, root_path="/loyalty") as client:
        body = client.get("/api/v1/members/M1").json()
    assert body["type"] == "http://testserver/loyalty/problems/api_key_missing"
