"""The console dashboard in a real browser: an analyst sees the shop's real figures on the
tiles and in the charts' tables, drawn charts, other figures for another period, and a
Support user is refused."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from loyalist.ledger.balances import liability
from loyalist.settings import ProgramPolicy
from tests.integration.test_insights_export import load_shop, shop_program
from tests.web.conftest import Live, Watch, assert_accessible
from tests.web.staff import console_as, enrolled_staff, sign_in_page


@pytest.fixture
def program() -> ProgramPolicy:
    return shop_program()


def tile(page: Page, label: str) -> str:
    return page.locator(f'[data-tile="{label}"] .value').inner_text()


def series_row(page: Page, chart: str, period: str) -> list[str]:
    """The cells of ``period``'s row in the table of the chart titled ``chart`` (opened)."""
    section = page.locator("section.card", has=page.get_by_role("heading", name=chart))
    if section.locator("details").get_attribute("open") is None:
        section.locator("summary").click()
    row = section.get_by_role("row", name=period)
    expect(row).to_be_visible()
    return [c.strip() for c in row.locator("td").all_inner_texts()]


def test_analyst_sees_the_real_figures_and_another_period_changes_them(
    page: Page, live: Live, axe: Axe
) -> None:
    load_shop(live.app, live.clock)  # ends on 20 March 2026, the presets stored
    console_as(page, live, "analyst")
    page.goto(live.at("/console/dashboard"))
    expect(page.get_by_role("heading", name="Dashboard", exact=True)).to_be_visible()
    assert tile(page, "Members") == "4"
    assert tile(page, "Active members") == "2"
    assert tile(page, "Average order value") == "€32.50"
    outstanding = live.app.db.read(liability)["outstanding_points"]
    assert tile(page, "Points liability") == str(outstanding) == "102"
    assert tile(page, "Points liability (money)") == "€1.02"
    assert tile(page, "Breakage") == "27.3%"
    # Every chart is drawn, and its table holds the series: D on 20 Feb (15.00 after its
    # returned sock), E on 3 Mar; A's last 60 points expired on 16 Mar.
    expect(page.locator("canvas[data-chart][data-drawn='1']")).to_have_count(4)
    assert series_row(page, "Orders and revenue from members", "2026-02-20") == ["1", "€15.00"]
    assert series_row(page, "Orders and revenue from members", "2026-03-03") == ["1", "€50.00"]
    assert series_row(page, "Points issued, redeemed and expired", "2026-03-16") == [
        "0",
        "0",
        "60",
    ]
    assert series_row(page, "Points liability", "2026-03-20") == ["102"]
    expect(page.locator("[data-rfm] td")).to_have_count(25)
    expect(page.locator("[data-funnel] tbody tr")).to_have_count(4)
    assert_accessible(axe, page)

    # A preset is sent as soon as it is chosen.
    page.get_by_label("Period", exact=True).select_option("7d")
    page.wait_for_url("**/console/dashboard?period=7d")
    assert tile(page, "Active members") == "0"
    assert tile(page, "Average order value") == "–"
    assert tile(page, "Points liability") == "102"

    page.get_by_label("Period", exact=True).select_option("custom")
    page.get_by_label("From", exact=True).fill("2026-01-01")
    page.get_by_label("To", exact=True).fill("2026-01-31")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**from=2026-01-01**")
    # January: A (100.00) and B (30.00); C was cancelled.
    assert tile(page, "Members") == "3"
    assert tile(page, "Active members") == "2"
    assert tile(page, "Average order value") == "€65.00"
    assert series_row(page, "New members", "2026-01-02") == ["3"]
    expect(page.locator("[data-cohorts] tbody tr")).to_have_count(1)
    assert_accessible(axe, page)


def test_support_is_refused(page: Page, live: Live, watch: Watch, axe: Axe) -> None:
    # Straight to the dashboard (the console's front door would open Members).
    secret = enrolled_staff(live, "sam@shop.example", "support")
    watch.expect_error("403")
    sign_in_page(page, live, "sam@shop.example", secret, "/console/dashboard")
    answer = page.reload()
    assert answer is not None
    assert answer.status == 403
    expect(page.locator("main")).to_contain_text("analytics.read")
    expect(page.get_by_role("link", name="Dashboard")).to_have_count(0)
    assert_accessible(axe, page)
