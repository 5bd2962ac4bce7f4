"""Signing in to the console in a real browser: password, then the authenticator's code;
signed-out visitors are sent to the sign-in page, and signing out ends the session."""

from __future__ import annotations

from datetime import timedelta

import pyotp
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.api.staff_helpers import PASSWORD, add_staff
from tests.web.conftest import Live, Watch, assert_accessible
from tests.web.staff import enrolled_staff, sign_in_page


def test_signed_out_visitor_is_sent_to_sign_in(page: Page, live: Live, axe: Axe) -> None:
    page.goto(live.at("/console/members"))
    assert page.url == live.at("/console/sign-in?next=/console/members")
    expect(page.get_by_role("heading", name="Sign in to the console")).to_be_visible()
    assert_accessible(axe, page)


def test_sign_in_with_totp_then_sign_out(page: Page, live: Live, watch: Watch) -> None:
    secret = enrolled_staff(live, "owner@shop.example", "owner", name="Olga")
    sign_in_page(page, live, "owner@shop.example", secret, "/console/members")
    assert page.url.startswith(live.at("/console/members"))
    expect(page.locator(".who")).to_have_text("Olga")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(live.at("/console/sign-in"))
    page.goto(live.at("/console/members"))
    assert "/console/sign-in" in page.url


def test_wrong_code_is_refused_on_the_page(page: Page, live: Live, watch: Watch) -> None:
    secret = enrolled_staff(live, "owner@shop.example", "owner")
    page.goto(live.at("/console/sign-in"))
    page.get_by_label("Email").fill("owner@shop.example")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    wrong = pyotp.TOTP(secret).at(live.clock.now() - timedelta(minutes=10))
    page.get_by_label("Code from your authenticator app").fill(wrong)
    # The refusal is a 4xx the page shows; the browser logs the refused fetch as an error.
    watch.expect_error("status of 401")
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("alert")).to_contain_text("code")
    assert "/console/sign-in" in page.url


def test_enrolment_on_first_sign_in(page: Page, live: Live, watch: Watch) -> None:
    add_staff(live.app, "admin@shop.example", "admin")
    page.goto(live.at("/console/sign-in"))
    page.get_by_label("Email").fill("admin@shop.example")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Your password again").fill(PASSWORD)
    page.get_by_role("button", name="Set up the authenticator").click()
    expect(page.locator("[data-qr] svg")).to_be_visible()
    secret = page.locator("[data-secret]").inner_text()
    page.get_by_label("Code from the app").fill(pyotp.TOTP(secret).at(live.clock.now()))
    page.get_by_role("button", name="Confirm").click()
    expect(page.locator("[data-recovery] li")).to_have_count(10)
    page.get_by_role("link", name="Continue to the console").click()
    page.wait_for_url(lambda url: "/sign-in" not in url)
