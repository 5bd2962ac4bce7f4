"""Helpers of the messages and campaigns browser tests: a staff user of one role signed in
at a page, and the due work (delivery, broadcasts) run until nothing is left."""

from __future__ import annotations

from playwright.sync_api import Page

from loyalist.bootstrap import Loyalist
from tests.web.conftest import Live
from tests.web.staff import enrolled_staff, sign_in_page


def sign_in_as(page: Page, live: Live, role: str, path: str) -> None:
    """``page`` signed in as a new staff user with ``role`` (``<role>@shop.example``), at
    ``path``."""
    email = f"{role}@shop.example"
    sign_in_page(page, live, email, enrolled_staff(live, email, role), path)


def settle(app: Loyalist) -> None:
    """Run the due jobs until none has work."""
    for _ in range(50):
        if not app.run_due_work().did_work:
            return
    raise AssertionError("the due work did not settle")
