"""The API reference pages (/docs, /redoc) and the problems' pages render in Chromium from
this origin alone, under their CSP, without a console error."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.web.conftest import Live, assert_accessible


def test_swagger_ui_shows_the_operations_from_vendored_files(page: Page, live: Live) -> None:
    # Swagger UI renders its list as it scrolls: a deep link scrolls to the events' tag.
    page.goto(live.at("/docs#/events"))
    events = page.locator(".opblock-summary-path[data-path='/api/v1/events']")
    expect(events.first).to_be_visible(timeout=30_000)


def test_redoc_shows_the_operations_under_its_nonce_policy(page: Page, live: Live) -> None:
    page.goto(live.at("/redoc"))
    expect(page.get_by_text("/api/v1/events").first).to_be_attached(timeout=30_000)
    expect(page.locator("h1").first).to_contain_text("Loyalist")


def test_a_problem_type_opens_its_page(page: Page, live: Live, axe: Axe) -> None:
    answer = page.request.get(live.at("/api/v1/members/nobody"))
    problem = answer.json()
    page.goto(problem["type"])
    expect(page.locator("h1")).to_have_text(problem["code"])
    assert_accessible(axe, page)
    page.get_by_role("link", name="All problems").click()
    expect(page.get_by_role("link", name="insufficient_points")).to_be_visible()
    assert_accessible(axe, page)
