"""The portal's coupons page on a phone: the member's own codes with what they give and
until when — and never another member's."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.web.conftest import Live, assert_accessible
from tests.web.portal_data import credit, member, redeem, reward, shop, signed_in


def test_shows_my_codes_and_not_another_members(page: Page, live: Live, axe: Axe) -> None:
    with shop(live) as client:
        reward(client)
        for someone in ("M1", "M2"):
            member(client, someone)
            credit(client, someone, 500)
        mine = redeem(client, "M1")["code"]
        theirs = redeem(client, "M2")["code"]

    signed_in(page, live, "M1", "/portal/coupons")

    card = page.locator(f'[data-coupon="{mine}"]')
    expect(card).to_contain_text("€5.00 off")
    expect(card).to_contain_text("Valid until")
    expect(page.locator(f'[data-coupon="{theirs}"]')).to_have_count(0)
    assert theirs not in page.content()
    assert_accessible(axe, page)


def test_in_russian(page: Page, live: Live, axe: Axe) -> None:
    with shop(live) as client:
        reward(client)
        member(client, "M1", locale="ru")
        credit(client, "M1", 500)
        code = redeem(client, "M1")["code"]

    signed_in(page, live, "M1", "/portal/coupons", locale="ru")

    expect(page.locator("#usable-heading")).to_have_text("Можно использовать")
    expect(page.locator(f'[data-coupon="{code}"]')).to_contain_text("Скидка пять евро")
    assert_accessible(axe, page)
