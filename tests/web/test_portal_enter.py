"""The shop's signed link in a real browser at a phone's size: a valid one signs the
customer in (enrolled if new) under a fresh session id; an expired, altered or too
long-lived one is refused with a page that says why."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import BrowserContext, Page, expect
from sqlalchemy import select

from loyalist.members import service as members
from loyalist.members.models import MemberSession
from tests.web.conftest import PHONE, Live, Watch, assert_accessible
from tests.web.portal import portal_as, signed_link


@pytest.fixture
def browser_context_args(browser_context_args: dict[str, object]) -> dict[str, object]:
    return {**browser_context_args, "viewport": PHONE}


def session_cookie(context: BrowserContext) -> str:
    return next(c["value"] for c in context.cookies() if c["name"].endswith("member_session"))


def test_signed_link_opens_the_members_home(page: Page, live: Live, axe: Axe) -> None:
    portal_as(page, live, "cust-1")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your rewards")
    assert live.app.db.read(lambda uow: members.get_member(uow, "cust-1").external_id) == "cust-1"
    page.get_by_role("button", name="Menu").click()
    nav = page.get_by_role("navigation", name="Your account")
    for label in ("Home", "History", "Ways to earn", "Rewards", "My coupons", "Privacy"):
        expect(nav.get_by_role("link", name=label, exact=True)).to_be_visible()
    assert_accessible(axe, page)


def test_each_sign_in_gets_a_new_session_id(page: Page, live: Live) -> None:
    portal_as(page, live, "cust-1")
    first = session_cookie(page.context)
    page.goto(signed_link(live, "cust-1", next="/portal/history"))
    assert page.url == live.at("/portal/history")
    assert session_cookie(page.context) != first
    count = live.app.db.read(lambda uow: len(uow.session.scalars(select(MemberSession)).all()))
    assert count == 1  # the session the browser came with ended


def test_next_may_only_be_a_portal_page(page: Page, live: Live) -> None:
    page.goto(signed_link(live, "cust-1", next="https://evil.example/"))
    assert page.url == live.at("/portal/")


@pytest.mark.parametrize(
    ("change", "reason", "status"),
    [
        ({"ttl": -1}, "expired", 410),
        ({"ttl": 3 * 24 * 3600}, "too_long", 403),
        ({"signature": "0" * 64}, "bad_signature", 403),
        ({"member": "someone-else"}, "bad_signature", 403),
    ],
)
def test_a_bad_link_is_refused_clearly(
    page: Page,
    live: Live,
    watch: Watch,
    axe: Axe,
    change: dict[str, object],
    reason: str,
    status: int,
) -> None:
    url = signed_link(live, "cust-1", ttl=int(str(change.get("ttl", 600))))
    if "signature" in change or "member" in change:
        query = dict(part.split("=", 1) for part in url.split("?", 1)[1].split("&"))
        query.update({k: str(v) for k, v in change.items() if k != "ttl"})
        url = live.at("/portal/enter?" + urlencode(query))
    watch.expect_error(f"status of {status}")
    page.goto(url)
    expect(page.locator("[data-refused]")).to_have_attribute("data-refused", reason)
    expect(page.get_by_role("heading", level=1)).to_have_text("This link does not work")
    assert not [c for c in page.context.cookies() if c["name"].endswith("member_session")]
    assert_accessible(axe, page)
