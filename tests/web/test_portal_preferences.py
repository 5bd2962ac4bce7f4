"""The portal's preferences on a phone: channels and topics, and consents, each change
recorded as the API records it — source ``portal``, the member's address and the version
of the consent text the page showed."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from loyalist.db.uow import UnitOfWork
from loyalist.members import consents
from loyalist.members import service as members
from loyalist.members.schemas import MemberConsentsRead
from loyalist.messages import preferences
from loyalist.messages.models import Topic
from tests.web.conftest import Live, assert_accessible
from tests.web.portal_data import V1, member, ok, shop, signed_in

EMAIL_TEXT = "I agree to receive offers by e-mail."
PROCESSING_TEXT = "I agree to the processing of my personal data."


def _consents(live: Live, member_id: str) -> MemberConsentsRead:
    def op(uow: UnitOfWork) -> MemberConsentsRead:
        return consents.member_consents(uow, members.get_member_id(uow, member_id), member_id)

    return live.app.db.read(op)


def _arrange(live: Live) -> None:
    with shop(live) as client:
        for purpose, text in (("email", EMAIL_TEXT), ("processing", PROCESSING_TEXT)):
            body = {"purpose": purpose, "locale": "en", "text": text}
            ok(client.post(f"{V1}/consent-texts", json=body))
        member(client, "M1", email="anna@example.com")
        member(client, "M2", email="bob@example.com")


def test_change_a_channel_consent_and_a_topic(page: Page, live: Live, axe: Axe) -> None:
    _arrange(live)
    signed_in(page, live, "M1", "/portal/preferences")
    expect(page.get_by_text(EMAIL_TEXT)).to_be_visible()
    assert_accessible(axe, page)

    page.get_by_label("Email").check()
    page.get_by_label("Birthday greetings").uncheck()
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("status")).to_have_text("Your preferences are saved.")
    [email] = [p for p in _consents(live, "M1").purposes if p.purpose == "email"]
    assert email.is_granted
    assert email.source == "portal"
    assert email.text is not None
    assert email.text.version == 1
    assert email.ip == "127.0.0.1"

    def topics(uow: UnitOfWork) -> dict[Topic, bool]:
        found = preferences.read_preferences(uow, members.get_member_id(uow, "M1"))
        return {t.topic: t.is_subscribed for t in found.topics}

    assert live.app.db.read(topics)[Topic.BIRTHDAY] is False
    # Another member's choices did not move.
    [theirs] = [p for p in _consents(live, "M2").purposes if p.purpose == "email"]
    assert not theirs.is_granted
    assert theirs.changed_at is None
    assert_accessible(axe, page)


def test_give_then_withdraw_a_consent(page: Page, live: Live) -> None:
    _arrange(live)
    signed_in(page, live, "M1", "/portal/preferences")
    line = page.locator('[data-consent="processing"]')
    expect(line).to_contain_text(PROCESSING_TEXT)

    line.get_by_role("button", name="Give consent").click()
    expect(page.locator('[data-consent="processing"]')).to_have_attribute("data-granted", "true")
    [held] = [p for p in _consents(live, "M1").purposes if p.purpose == "processing"]
    assert (held.is_granted, held.source) == (True, "portal")
    assert held.text is not None
    assert held.text.version == 1

    page.locator('[data-consent="processing"]').get_by_role(
        "button", name="Withdraw consent"
    ).click()
    expect(page.locator('[data-consent="processing"]')).to_have_attribute("data-granted", "false")
    trail = [c for c in _consents(live, "M1").history if c.purpose == "processing"]
    assert [(c.is_granted, c.source) for c in trail] == [(False, "portal"), (True, "portal")]
