"""The portal's referral page on a phone: the member's code and link, share links that load
nothing from their hosts, COPY LINK into the clipboard, and the friends' status."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import BrowserContext, Page, expect

from tests.conftest import START, event
from tests.web.conftest import Live, assert_accessible
from tests.web.portal_data import V1, member, ok, shop, signed_in

PROGRAM = {
    "friend_reward": {"points": 100, "on": "enrolled"},
    "referrer_reward": {"points": 500},
    "share_base_url": "https://shop.example/r/",
}


def test_copy_the_link_and_see_the_friends_status(
    page: Page, context: BrowserContext, live: Live, axe: Axe
) -> None:
    with shop(live) as client:
        ok(client.put(f"{V1}/referral-program", json=PROGRAM))
        member(client, "M1", first_name="Anna")
        mine = ok(client.get(f"{V1}/members/M1/referral"))
        enrolled = event(
            "enrol-F1", "member.enrolled", "F1", START, referral={"code": mine["code"]}
        )
        ok(client.post(f"{V1}/events", json=[enrolled]))
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live.url)

    signed_in(page, live, "M1", "/portal/referral")

    expect(page.locator("[data-referral-code]")).to_have_text(mine["code"])
    expect(page.locator("[data-referral-link]")).to_have_text(mine["share_url"])
    shares = {
        name: page.locator(f'[data-share="{name}"]').get_attribute("href") or ""
        for name in ("email", "whatsapp", "telegram")
    }
    assert shares["email"].startswith("mailto:?")
    assert shares["whatsapp"].startswith("https://wa.me/?text=")
    assert shares["telegram"].startswith("https://t.me/share/url?url=")
    assert all(mine["token"] in href for href in shares.values())
    expect(page.locator("[data-friend-status]")).to_have_attribute("data-friend-status", "pending")
    expect(page.locator("[data-friends]")).to_contain_text("Has not ordered yet.")
    assert_accessible(axe, page)

    page.get_by_role("button", name="Copy link").click()

    expect(page.get_by_role("button", name="Link copied")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == mine["share_url"]


def test_another_members_friends_are_not_shown(page: Page, live: Live) -> None:
    with shop(live) as client:
        ok(client.put(f"{V1}/referral-program", json=PROGRAM))
        member(client, "M1")
        member(client, "M2")
        theirs = ok(client.get(f"{V1}/members/M2/referral"))
        enrolled = event(
            "enrol-F1", "member.enrolled", "F1", START, referral={"code": theirs["code"]}
        )
        ok(client.post(f"{V1}/events", json=[enrolled]))

    signed_in(page, live, "M1", "/portal/referral")

    expect(page.locator("[data-friend-status]")).to_have_count(0)
    assert theirs["code"] not in page.content()
