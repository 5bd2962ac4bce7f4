"""The portal's privacy page on a phone: "download my data" gives the member's export as a
file (audited with the member as the actor); "delete my account" warns of the points that
will be lost, wants the typed word, and erases through the erasure service."""

from __future__ import annotations

import json
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from loyalist.audit import service as audit
from loyalist.audit.schemas import AuditFilter
from loyalist.db.uow import UnitOfWork
from loyalist.privacy import service as privacy
from tests.web.conftest import Live, Watch, assert_accessible
from tests.web.portal_data import credit, member, shop, signed_in


def _audited(live: Live, action: str) -> list[tuple[str, str | None]]:
    def op(uow: UnitOfWork) -> list[tuple[str, str | None]]:
        rows = audit.list_records(uow, AuditFilter(action=action), limit=10)
        return [(str(r.actor_kind), r.actor_id) for r in rows]

    return live.app.db.read(op)


def test_download_my_data(page: Page, live: Live, axe: Axe, tmp_path: Path) -> None:
    with shop(live) as client:
        member(client, "M1", email="anna@example.com", first_name="Anna")
        member(client, "M2", email="bob@example.com", first_name="Bob")
        credit(client, "M1", 250)
    signed_in(page, live, "M1", "/portal/privacy")
    assert_accessible(axe, page)

    with page.expect_download() as shown:
        page.locator("[data-export]").click()
    saved = tmp_path / "export.json"
    shown.value.save_as(saved)

    document = json.loads(saved.read_text())
    text = saved.read_text()
    assert document["format"] == "loyalist.member-export"
    assert "anna@example.com" in text
    assert "bob@example.com" not in text
    assert _audited(live, "privacy.export") == [("member", "M1")]


def test_delete_my_account_warns_of_the_points_and_wants_the_word(
    page: Page, live: Live, axe: Axe, watch: Watch
) -> None:
    watch.expect_error("422")
    with shop(live) as client:
        member(client, "M1", email="anna@example.com")
        credit(client, "M1", 250)
    signed_in(page, live, "M1", "/portal/privacy")
    expect(page.locator("[data-forfeited]")).to_have_text("You will lose 250 points.")

    page.get_by_label("To confirm, type DELETE").fill("delet")
    page.get_by_role("button", name="Delete my account").click()
    expect(page.locator('[data-problem="request_invalid"]')).to_contain_text("/confirm")
    assert (
        live.app.db.read(lambda uow: privacy.destruction_records(uow, limit=5, before=None))[0]
        == []
    )
    assert_accessible(axe, page)

    page.get_by_label("To confirm, type DELETE").fill("DELETE")
    page.get_by_role("button", name="Delete my account").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your account is deleted")
    records, _ = live.app.db.read(
        lambda uow: privacy.destruction_records(uow, limit=5, before=None)
    )
    assert len(records) == 1
    assert _audited(live, "privacy.erasure") == [("member", "M1")]
    assert_accessible(axe, page)
    # The session ended with the member: the portal asks to sign in again.
    page.goto(live.at("/portal/privacy"))
    assert "/portal/sign-in" in page.url


def test_delete_in_russian_with_the_russian_word(page: Page, live: Live) -> None:
    with shop(live) as client:
        member(client, "M1", locale="ru")
    signed_in(page, live, "M1", "/portal/privacy", locale="ru")
    expect(page.locator("[data-forfeited]")).to_have_text("Вы не потеряете ни одного балла.")

    page.get_by_label("Для подтверждения введите УДАЛИТЬ").fill("удалить")
    page.get_by_role("button", name="Удалить мой аккаунт").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Ваш аккаунт удалён")
    records, _ = live.app.db.read(
        lambda uow: privacy.destruction_records(uow, limit=5, before=None)
    )
    assert len(records) == 1
