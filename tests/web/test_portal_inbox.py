"""The portal's inbox on a phone: the member's messages, newest first, marked read by its
button — and another member's message cannot be marked from this session."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from loyalist.messages import service as messages
from loyalist.messages.schemas import InboxRead
from tests.conftest import START
from tests.integration.helpers import run_jobs
from tests.integration.messaging import enrol, pay_order
from tests.web.conftest import Live, assert_accessible
from tests.web.portal_data import csrf_of, signed_in


def _inbox(live: Live, member_id: str) -> InboxRead:
    return live.app.db.read(lambda uow: messages.inbox(uow, member_id))


def _arrange(live: Live) -> None:
    for who, email in (("M1", "anna@example.com"), ("M2", "bob@example.com")):
        enrol(live.app, who, email=email)
        pay_order(live.app, who, f"{who}-1", START)
    run_jobs(live.app)


def test_read_a_message_and_mark_it_read(page: Page, live: Live, axe: Axe) -> None:
    _arrange(live)
    [message] = _inbox(live, "M1").items

    signed_in(page, live, "M1", "/portal/inbox")

    expect(page.locator("#unread-count")).to_have_text("1 unread message")
    line = page.locator(f'[data-message="{message.id}"]')
    expect(line).to_have_attribute("data-read", "false")
    assert_accessible(axe, page)
    line.locator("summary").click()
    expect(line).to_contain_text(message.text.strip().splitlines()[0])

    line.get_by_role("button", name="Mark as read").click()

    expect(page.locator(f'[data-message="{message.id}"]')).to_have_attribute("data-read", "true")
    expect(page.locator("#unread-count")).to_have_text("0 unread messages")
    assert _inbox(live, "M1").items[0].read_at is not None
    assert_accessible(axe, page)


def test_another_members_message_is_not_found(page: Page, live: Live) -> None:
    _arrange(live)
    [theirs] = _inbox(live, "M2").items

    signed_in(page, live, "M1", "/portal/inbox")
    assert theirs.id not in page.content()
    answer = page.request.post(
        live.at(f"/portal/inbox/{theirs.id}/read"),
        headers={"X-CSRF-Token": csrf_of(page), "HX-Request": "true"},
    )

    assert answer.status == 404
    assert 'data-problem="message_not_found"' in answer.text()
    assert _inbox(live, "M2").items[0].read_at is None
