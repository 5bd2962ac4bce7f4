"""The public "how the program works" page: open to guests, in Russian by ``?lang=ru`` or
by the browser's Accept-Language, generated from the program in force with its rule and
tier names as the program file gives them."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

from tests.web.conftest import PHONE, Live, Watch, assert_accessible
from tests.web.portal import apply_program


@pytest.fixture
def browser_context_args(browser_context_args: dict[str, object]) -> dict[str, object]:
    return {**browser_context_args, "viewport": PHONE}


def test_guests_read_the_program_in_english(page: Page, live: Live, axe: Axe) -> None:
    apply_program(live)
    page.goto(live.at("/portal/how-it-works"))
    expect(page.get_by_role("heading", level=1)).to_have_text("How the programme works")
    expect(page.locator("[data-rule='weekend-double']")).to_contain_text("Double points weekend")
    expect(page.locator("[data-rule='base']")).to_contain_text("For every order: 1 point per €1")
    expect(page.locator("[data-tier-key='silver']")).to_contain_text(
        "Reached with €300 spent or 5 orders"
    )
    assert_accessible(axe, page)


def test_lang_query_gives_russian_and_is_remembered(page: Page, live: Live, axe: Axe) -> None:
    apply_program(live)
    page.goto(live.at("/portal/how-it-works?lang=ru"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Как устроена программа")
    expect(page.locator("[data-rule='weekend-double']")).to_contain_text(
        "Двойные баллы по выходным"
    )
    expect(page.locator("[data-tier-key='gold']")).to_contain_text("Золото")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    assert_accessible(axe, page)
    page.goto(live.at("/portal/how-it-works"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Как устроена программа")


def test_accept_language_gives_russian(browser: Browser, live: Live, watch: Watch) -> None:
    apply_program(live)
    context = browser.new_context(locale="ru-RU", viewport=PHONE)  # type: ignore[arg-type]
    context.route("**/*", watch.route)
    page = context.new_page()
    page.goto(live.at("/portal/how-it-works"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Как устроена программа")
    expect(page.locator("[data-tier-key='silver']")).to_contain_text("Серебро")
    page.goto(live.at("/portal/how-it-works?lang=en"))
    expect(page.get_by_role("heading", level=1)).to_have_text("How the programme works")
    context.close()
    watch.check()
