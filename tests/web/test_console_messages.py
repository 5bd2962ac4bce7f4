"""The console's messages in a real browser: a template edited with both previews following
the draft and saved as a new version (audited), a journey switched on (audited), and a
failed delivery found in the log and sent again."""

from __future__ import annotations

import dataclasses
import re

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from loyalist.db.uow import UnitOfWork
from loyalist.messages import editing, journeyconf
from loyalist.messages import service as messages
from loyalist.messages.models import MessageKind, MessageStatus
from tests.api.staff_helpers import audit_actions
from tests.integration.messaging import enrol, marketing_draft, queue
from tests.web.conftest import Live, Watch, assert_accessible
from tests.web.messaging import settle, sign_in_as


def test_editing_a_template_updates_both_previews_and_saving_stores_versions(
    page: Page, live: Live, axe: Axe, watch: Watch
) -> None:
    sign_in_as(page, live, "marketer", "/console/messages/templates/points_matured")
    en, ru = page.locator('[data-preview="en"]'), page.locator('[data-preview="ru"]')
    expect(en.locator("[data-subject]")).to_contain_text("61")
    expect(page.frame_locator('[data-preview="en"] iframe').locator("body")).to_contain_text("61")
    assert_accessible(axe, page)

    page.get_by_label("Subject (en)").fill("Spring bonus: {{ matured_points|points }} ready")
    page.get_by_label("Subject (ru)").fill("Весенний бонус: {{ matured_points|points }}")
    page.get_by_label("HTML (en)").fill("<p>Marker in the English HTML</p>")
    expect(en.locator("[data-subject]")).to_have_text(re.compile(r"^Spring bonus: 61"))
    expect(ru.locator("[data-subject]")).to_have_text(re.compile(r"^Весенний бонус: 61"))
    expect(page.frame_locator('[data-preview="en"] iframe').locator("body")).to_contain_text(
        "Marker in the English HTML"
    )

    page.get_by_label("Text (ru)").fill("{% if %}")
    expect(ru.get_by_role("alert")).to_contain_text("ru/text")
    expect(en.locator("[data-subject]")).to_be_visible()  # English still renders
    watch.expect_error("422")  # the Russian text does not compile: not saved
    page.get_by_role("button", name="Save a new version").click()
    expect(page.locator("#saved")).to_contain_text("English version 1")
    expect(page.locator("#saved [role=alert]")).to_contain_text("ru.text")

    page.get_by_label("Text (ru)").fill("Баллы: {{ matured_points|points }}")
    page.get_by_role("button", name="Save a new version").click()
    expect(page.locator("#saved")).to_contain_text("Russian version 1")

    def live_versions(uow: UnitOfWork) -> dict[str, tuple[int, str | None]]:
        views = {loc: editing.template_view(uow, "points_matured", loc) for loc in ("en", "ru")}
        return {loc: (v.version, v.subject) for loc, v in views.items()}

    assert live.app.db.read(live_versions) == {
        "en": (1, "Spring bonus: {{ matured_points|points }} ready"),
        "ru": (1, "Весенний бонус: {{ matured_points|points }}"),
    }
    changed = [t for a, t, _ in audit_actions(live.app) if a == "template.changed"]
    assert changed == ["points_matured/en", "points_matured/ru"]


def test_a_preview_link_not_signed_by_the_session_is_refused(
    page: Page, live: Live, watch: Watch
) -> None:
    sign_in_as(page, live, "marketer", "/console/messages")
    framed = page.request.get(live.at("/console/messages/templates/welcome/en/frame"))
    policy = framed.headers["content-security-policy"]
    assert "frame-ancestors 'self'" in policy
    assert "sandbox" in policy
    assert "script" not in policy
    console = page.request.get(live.at("/console/messages"))
    assert "frame-ancestors 'none'" in console.headers["content-security-policy"]
    watch.expect_error("422")
    page.goto(live.at("/console/messages/templates/welcome/en/frame?draft=abc.def"))
    expect(page.locator("body")).to_contain_text("not made by your session")


def test_a_journey_is_switched_on_with_its_figures(page: Page, live: Live, axe: Axe) -> None:
    member = enrol(live.app, "m-1", email="m1@example.com")
    queue(live.app, dataclasses.replace(marketing_draft(member, "k1"), journey="welcome"))
    sign_in_as(page, live, "marketer", "/console/messages")
    row = page.locator('tr[data-journey="welcome"]')
    expect(row.locator("td").nth(0)).to_have_text("off")
    expect(row.locator("td").nth(2)).to_have_text("1")  # queued
    assert_accessible(axe, page)

    row.get_by_role("button", name="Turn on welcome").click()
    expect(page.locator('tr[data-journey="welcome"] td').nth(0)).to_have_text("on")
    assert live.app.db.read(lambda uow: journeyconf.journeys(uow).welcome.enabled)
    assert ("journey.changed", "welcome") in [(a, t) for a, t, _ in audit_actions(live.app)]


def test_a_failed_delivery_is_shown_with_its_reason_and_resent(
    page: Page, live: Live, axe: Axe
) -> None:
    nobody = enrol(live.app, "m-2")  # no email address
    draft = dataclasses.replace(marketing_draft(nobody, "k2"), kind=MessageKind.TRANSACTIONAL)
    (message_id,) = queue(live.app, draft)
    settle(live.app)
    sign_in_as(page, live, "support", "/console/messages/log")
    page.get_by_label("Status").select_option("failed")
    row = page.locator(f'tr[data-message="{message_id}"]')
    expect(row).to_contain_text("the member has no email address")
    expect(row.locator("[data-status]")).to_have_text("failed")
    expect(page).to_have_url(re.compile(r"status=failed"))
    assert_accessible(axe, page)

    row.get_by_role("button", name=f"Resend message {message_id}").click()
    expect(page.locator(f'tr[data-message="{message_id}"] [data-status]')).to_have_text("queued")
    found = live.app.db.read(lambda uow: messages.get_message(uow, "m-2", message_id))
    assert found.status == MessageStatus.QUEUED
    assert found.history[-1].reason == "resent by staff user Anna"


def test_an_analyst_cannot_open_the_messages(page: Page, live: Live, watch: Watch) -> None:
    watch.expect_error("403")
    sign_in_as(page, live, "analyst", "/console/campaigns")
    response = page.goto(live.at("/console/messages"))
    assert response is not None
    assert response.status == 403
    expect(page.get_by_role("navigation", name="Console sections")).not_to_contain_text("Messages")
