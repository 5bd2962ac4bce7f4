"""The shop's signed link in a real browser at a phone's size: a valid one signs the
customer in (enrolled if new) under a fresh session id; an expired, altered or unsigned one
is refused with a page that says why."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.web.conftest import PHONE, Live, assert_accessible
from tests.web.portal import portal_as


@pytest.fixture
def browser_context_args(browser_context_args: dict[str, object]) -> dict[str, object]:
    return {**browser_context_args, "viewport": PHONE}


def test_signed_link_opens_the_members_home(page: Page, live: Live, axe: Axe) -> None:
    portal_as(page, live, "cust-1")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your rewards")
    page.get_by_role("button", name="Menu").click()
    nav = page.get_by_role("navigation", name="Your account")
    for label in ("Home", "History", "Ways to earn", "Rewards", "Privacy"):
        expect(nav.get_by_role("link", name=label, exact=True)).to_be_visible()
    assert_accessible(axe, page)
