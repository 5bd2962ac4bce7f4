"""A member's own pages at a phone's size, in a real browser: the balance with pending
points and when they mature, points expiring per lot with their dates, the tier with its
progress and what it still needs, the history explaining each line, ways to earn from the
live program, and the same in Russian after the switch."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from loyalist.web.templating import CATALOGUE, TEMPLATES
from tests.web.conftest import PHONE, Live, assert_accessible
from tests.web.portal import apply_program, enrolled_member, paid_order, portal_as

SATURDAY = datetime(2026, 1, 17, 12, 0, tzinfo=UTC)


@pytest.fixture
def browser_context_args(browser_context_args: dict[str, object]) -> dict[str, object]:
    return {**browser_context_args, "viewport": PHONE}


@pytest.fixture
def member(live: Live) -> str:
    """Anna: welcomed with 50 points (available at once, expiring in a year), then an
    order of €110 on a Saturday (110 base + 110 for the weekend, pending)."""
    apply_program(live)
    enrolled_member(live, "anna", email="anna@example.com")
    live.clock.set(SATURDAY)
    paid_order(live, "anna", "1043", ("boots", 2, 5000), ("socks", 1, 1000))
    return "anna"


def test_home_shows_balance_pending_expiring_and_tier(
    page: Page, live: Live, member: str, axe: Axe
) -> None:
    portal_as(page, live, member)
    expect(page.locator("[data-available]")).to_have_text("50")
    expect(page.locator("[data-pending]")).to_have_text("220")
    pending = page.locator("[data-pending-lots] li")
    expect(pending).to_have_count(1)
    expect(pending.first).to_contain_text("Order 1043")
    expect(pending.first).to_contain_text("available on")
    expiring = page.locator("[data-expiring] li")
    expect(expiring).to_have_count(1)
    expect(expiring.first).to_contain_text("Use by January 31, 2027")
    expect(page.locator("[data-tier] .tier-name")).to_have_text("Member")
    expect(page.locator("[data-tier-needs]")).to_contain_text(
        "To reach Silver: €190 more spent or 4 more orders"
    )
    expect(page.locator("#tier-progress")).to_have_attribute("value", "36")
    assert_accessible(axe, page)


def test_history_explains_each_line(page: Page, live: Live, member: str, axe: Axe) -> None:
    portal_as(page, live, member)
    page.goto(live.at("/portal/history"))
    lines = page.locator("[data-history] [data-text]")
    expect(lines.first).to_have_text(
        "+220 points for order 1043: Base points, 1 point per €1 · Double points weekend, ×2 points"
    )
    expect(lines.nth(1)).to_contain_text("+50 points: Welcome to the club")
    assert_accessible(axe, page)


def test_ways_to_earn_come_from_the_live_program(page: Page, live: Live, member: str) -> None:
    portal_as(page, live, member)
    page.goto(live.at("/portal/earn"))
    expect(page.locator("[data-rule='weekend-double']")).to_contain_text("Double points weekend")
    expect(page.locator("[data-rule='weekend-double']")).to_contain_text("on Saturday, Sunday")
    expect(page.locator("[data-rule='welcome']")).to_contain_text("When you join: 50 points")
    expect(page.locator("[data-tier-key='gold']")).to_contain_text("free shipping")


def test_switching_to_russian_is_remembered(page: Page, live: Live, member: str, axe: Axe) -> None:
    portal_as(page, live, member)
    page.get_by_role("link", name="Русский").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ваши бонусы")
    page.goto(live.at("/portal/history"))
    expect(page.locator("[data-history] [data-text]").first).to_contain_text("за заказ 1043")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    assert_accessible(axe, page)


def test_a_tier_reached_this_year_says_it_is_kept(page: Page, live: Live) -> None:
    apply_program(live)
    enrolled_member(live, "bea", email="bea@example.com")
    for number in range(5):
        paid_order(live, "bea", f"20{number}", ("lamp", 1, 7000))
    portal_as(page, live, "bea")
    expect(page.locator("[data-tier] .tier-name")).to_have_text("Silver")
    expect(page.locator("[data-tier-needs]")).to_contain_text(
        "To reach Gold: €650 more spent or 7 more orders by December 31, 2026"
    )
    expect(page.locator("[data-tier-keep]")).to_have_text(
        "You have done enough to keep Silver at the next review, on January 31, 2027."
    )


def test_a_tier_from_last_year_says_what_keeps_it_and_by_when(page: Page, live: Live) -> None:
    apply_program(live)
    live.clock.set(datetime(2025, 12, 1, 12, 0, tzinfo=UTC))
    enrolled_member(live, "cai", email="cai@example.com")
    for number in range(5):
        paid_order(live, "cai", f"30{number}", ("lamp", 1, 7000))
    live.clock.set(datetime(2026, 3, 1, 12, 0, tzinfo=UTC))
    paid_order(live, "cai", "310", ("lamp", 1, 7000))
    portal_as(page, live, "cai")
    expect(page.locator("[data-tier] .tier-name")).to_have_text("Silver")
    expect(page.locator("[data-tier-keep]")).to_have_text(
        "To keep Silver: €230 more spent or 4 more orders by December 31, 2026."
    )


def test_russian_tier_dates_end_the_sentence_with_one_full_stop(page: Page, live: Live) -> None:
    """Babel's Russian dates already end in "г.", so a sentence ending in a date must not
    add a second full stop ("31 декабря 2026 г..")."""
    apply_program(live)
    enrolled_member(live, "bea", email="bea@example.com")
    for number in range(5):
        paid_order(live, "bea", f"20{number}", ("lamp", 1, 7000))
    portal_as(page, live, "bea", locale="ru")
    expect(page.locator("[data-tier-needs]")).to_contain_text("до 31 декабря 2026 г.")
    expect(page.locator("[data-tier-keep]")).to_have_text(
        "Вы уже сохранили уровень Серебро при следующем пересмотре 31 января 2027 г."
    )
    for text in page.locator("[data-tier]").all_inner_texts():
        assert ".." not in text, text


def test_no_portal_sentence_puts_a_full_stop_after_a_date() -> None:
    """A literal "." after a formatted date (in a template or a message id) doubles the
    stop in locales whose dates end in one; such sentences use the ``sentence`` filter."""
    after_date = re.compile(r"(\|date(\([^)]*\))?\)?\s*\}\}(\{%[^%]*%\})*\.|%\(date\)s\.)")
    sources = [*sorted((TEMPLATES / "portal").glob("*.j2")), CATALOGUE]
    found = [
        f"{path.name}:{number}"
        for path in sources
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if after_date.search(line)
    ]
    assert found == []
