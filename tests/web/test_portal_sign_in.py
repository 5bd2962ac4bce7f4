"""Signing in to the portal in a real browser at a phone's size: by an emailed link (read
from a real SMTP server on loopback), used once; the same answer for an address that is no
member's; unknown, used and expired links refused with a page that says so; sign-out."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect
from sqlalchemy import select

from loyalist.audit.models import AuditRecord
from loyalist.clock import ManualClock
from loyalist.members.models import MemberSession
from loyalist.messages.models import Message
from loyalist.settings import ProgramPolicy, Settings, SmtpSettings
from tests.integration.helpers import run_jobs
from tests.smtp import SmtpSink, running_sink
from tests.web.conftest import PHONE, Live, Watch, assert_accessible, web_settings
from tests.web.portal import enrolled_member

LINK = re.compile(r"/portal/sign-in/[A-Za-z0-9_-]{20,}")


@pytest.fixture
def sink() -> Iterator[SmtpSink]:
    with running_sink() as running:
        yield running


@pytest.fixture
def live_settings(db_url: str, program: ProgramPolicy, sink: SmtpSink) -> Settings:
    return web_settings(
        db_url, program, smtp=SmtpSettings(host="127.0.0.1", port=sink.port, timeout_seconds=5)
    )


@pytest.fixture
def browser_context_args(browser_context_args: dict[str, object]) -> dict[str, object]:
    return {**browser_context_args, "viewport": PHONE}


def ask_for_link(page: Page, live: Live, email: str) -> None:
    page.goto(live.at("/portal/sign-in"))
    page.get_by_label("Email").fill(email)
    page.get_by_role("button", name="Send me a link").click()
    expect(page.locator("[data-sent]")).to_contain_text(email)


def emailed_link(live: Live, sink: SmtpSink, to: str) -> str:
    """Send what is due, then the sign-in link of the last email to ``to``."""
    run_jobs(live.app)
    mails = [m for m in sink.received if m["To"] == to]
    assert mails, f"no email to {to}"
    body = mails[-1].get_body(preferencelist=("plain",))
    assert body is not None
    found = LINK.search(body.get_content())
    assert found, body.get_content()
    return found.group(0)


def sessions_of(live: Live) -> int:
    return live.app.db.read(lambda uow: len(uow.session.scalars(select(MemberSession)).all()))


def test_magic_link_signs_in_once(
    page: Page, live: Live, sink: SmtpSink, watch: Watch, axe: Axe
) -> None:
    enrolled_member(live, "anna", email="anna@example.com")
    ask_for_link(page, live, "anna@example.com")
    assert_accessible(axe, page)
    link = emailed_link(live, sink, "anna@example.com")
    assert sink.received[-1]["Subject"] == "Your link to sign in to Loyalist rewards"
    page.goto(live.at(link))
    assert page.url == live.at("/portal/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your rewards")
    assert sessions_of(live) == 1
    actions = live.app.db.read(
        lambda uow: uow.session.scalars(
            select(AuditRecord.action).where(AuditRecord.action == "member.sign_in")
        ).all()
    )
    assert actions == ["member.sign_in"]
    # A second use of the same link is refused, with a page that says why.
    watch.expect_error("status of 410")
    page.goto(live.at(link))
    expect(page.locator("[data-refused]")).to_have_attribute("data-refused", "sign_in_invalid")
    expect(page.get_by_role("alert")).to_contain_text("used already")
    assert_accessible(axe, page)


def test_the_answer_is_the_same_for_an_unknown_address(
    page: Page, live: Live, sink: SmtpSink
) -> None:
    enrolled_member(live, "anna", email="anna@example.com")
    ask_for_link(page, live, "nobody@example.com")
    shown = page.locator("main").inner_text().replace("nobody@example.com", "X")
    ask_for_link(page, live, "anna@example.com")
    assert page.locator("main").inner_text().replace("anna@example.com", "X") == shown
    run_jobs(live.app)
    assert [m["To"] for m in sink.received] == ["anna@example.com"]
    journeys = live.app.db.read(lambda uow: uow.session.scalars(select(Message.journey)).all())
    assert journeys.count("portal_sign_in") == 1


def test_an_expired_link_is_refused(
    page: Page, live: Live, sink: SmtpSink, clock: ManualClock, watch: Watch
) -> None:
    enrolled_member(live, "anna", email="anna@example.com", locale="ru")
    ask_for_link(page, live, "anna@example.com")
    link = emailed_link(live, sink, "anna@example.com")
    assert "Ссылка для входа" in str(sink.received[-1]["Subject"])
    clock.advance(timedelta(minutes=16))
    watch.expect_error("status of 410")
    page.goto(live.at(link))
    expect(page.locator("[data-refused]")).to_have_attribute("data-refused", "sign_in_invalid")
    assert sessions_of(live) == 0


def test_an_unknown_link_is_refused(page: Page, live: Live, watch: Watch) -> None:
    watch.expect_error("status of 410")
    page.goto(live.at("/portal/sign-in/" + "x" * 43))
    expect(page.get_by_role("heading", level=1)).to_have_text("This link does not work")


def test_signed_out_visitor_goes_to_sign_in_and_sign_out_ends_the_session(
    page: Page, live: Live, sink: SmtpSink
) -> None:
    page.goto(live.at("/portal/history"))
    assert page.url == live.at("/portal/sign-in")
    enrolled_member(live, "anna", email="anna@example.com")
    ask_for_link(page, live, "anna@example.com")
    page.goto(live.at(emailed_link(live, sink, "anna@example.com")))
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(live.at("/portal/sign-in"))
    assert sessions_of(live) == 0
    page.goto(live.at("/portal/"))
    assert page.url == live.at("/portal/sign-in")


def test_too_many_requests_for_one_address_are_refused(
    page: Page, live: Live, sink: SmtpSink, watch: Watch
) -> None:
    for _ in range(3):
        ask_for_link(page, live, "someone@example.com")
    watch.expect_error("status of 429")
    page.goto(live.at("/portal/sign-in"))
    page.get_by_label("Email").fill("someone@example.com")
    page.get_by_role("button", name="Send me a link").click()
    expect(page.get_by_role("alert")).to_contain_text("Too many requests")
