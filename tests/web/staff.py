"""Staff users for the browser tests, and signing them in through the console's page."""

from __future__ import annotations

from datetime import timedelta

import pyotp
from playwright.sync_api import Page, expect

from loyalist.api.app import create_app
from tests.api.staff_helpers import PASSWORD, add_staff, enrol, sign_in
from tests.web.conftest import Live


def enrolled_staff(live: Live, email: str, *roles: str, name: str = "Anna") -> str:
    """A staff user with ``roles`` and an enrolled authenticator; answers its TOTP secret.
    The clock moves on a time step, so the enrolment's code is not the next one asked."""
    from starlette.testclient import TestClient

    add_staff(live.app, email, *roles, name=name)
    with TestClient(
        create_app(live.app, embedded_worker=False), base_url="https://testserver"
    ) as client:
        started = sign_in(client, email)
        assert started.status_code == 200, started.text
        secret = enrol(client, live.clock, started).secret
    live.clock.advance(timedelta(seconds=30))
    return secret


def sign_in_page(page: Page, live: Live, email: str, secret: str, path: str = "/console/") -> None:
    """Sign in through the console's sign-in page with the password and a TOTP code."""
    page.goto(live.at(path))
    expect(page.get_by_role("heading", name="Sign in to the console")).to_be_visible()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    code = pyotp.TOTP(secret).at(live.clock.now())
    page.get_by_label("Code from your authenticator app").fill(code)
    page.get_by_role("button", name="Verify").click()
    page.wait_for_url(lambda url: "/sign-in" not in url)
    live.clock.advance(timedelta(seconds=30))


def console_as(page: Page, live: Live, *roles: str, email: str = "anna@shop.example") -> None:
    """``page`` signed in to the console as a new staff user with ``roles``."""
    sign_in_page(page, live, email, enrolled_staff(live, email, *roles))
