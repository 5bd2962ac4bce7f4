"""The portal's achievements page on a phone: badges with their dates, quests with each
step's progress, streaks and the level, in the member's language."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.conftest import START, event, order_body
from tests.web.conftest import Live, assert_accessible
from tests.web.portal_data import V1, member, ok, shop, signed_in

BADGE = {
    "name": {"en": "First order", "ru": "Первый заказ"},
    "description": {"en": "You ordered", "ru": "Вы заказали"},
    "criteria": "member.orders >= 1",
}
QUEST = {
    "name": {"en": "Three orders", "ru": "Три заказа"},
    "steps": [{"event": "order.paid", "count": 3, "name": {"en": "Order", "ru": "Закажите"}}],
    "period": {"type": "month"},
    "reward": {"points": 100},
}
STREAK = {"name": {"en": "Weekly", "ru": "Каждую неделю"}, "period": "week", "on": ["order.paid"]}
LEVELS = {
    "rookie": {"name": {"en": "Rookie", "ru": "Новичок"}, "points": 0},
    "pro": {"name": {"en": "Pro", "ru": "Профи"}, "points": 10_000},
}


def _arrange(live: Live, *members: str) -> None:
    with shop(live) as client:
        ok(client.put(f"{V1}/badges/first-order", json=BADGE))
        ok(client.put(f"{V1}/quests/three-orders", json=QUEST))
        ok(client.put(f"{V1}/streaks/weekly", json=STREAK))
        for key, level in LEVELS.items():
            ok(client.put(f"{V1}/levels/{key}", json=level))
        for who in members:
            member(client, who, locale="ru" if who == "RU" else "en")
        for n in (1, 2):
            body = order_body(f"o{n}", ("SKU", 1, 1000))
            ok(
                client.post(
                    f"{V1}/events", json=event(f"e{n}", "order.paid", members[0], START, **body)
                )
            )


def test_badges_quests_streaks_and_level(page: Page, live: Live, axe: Axe) -> None:
    _arrange(live, "M1", "M2")

    signed_in(page, live, "M1", "/portal/achievements")

    expect(page.locator('[data-badge="first-order"]')).to_contain_text("First order")
    quest = page.locator('[data-quest="three-orders"]')
    expect(quest).to_contain_text("2 of 3")
    expect(quest.locator("progress")).to_have_attribute("value", "2")
    expect(page.locator('[data-streak="weekly"]')).to_contain_text("1 week in a row")
    expect(page.locator("[data-level]")).to_contain_text("Rookie")
    assert_accessible(axe, page)

    # Another member's progress is their own: nothing of M1's shows on M2's page.
    page.goto(live.at("/portal/"))
    signed_in(page, live, "M2", "/portal/achievements")
    expect(page.locator('[data-badge="first-order"]')).to_have_count(0)
    expect(page.locator('[data-quest="three-orders"]')).to_contain_text("0 of 3")


def test_in_russian(page: Page, live: Live, axe: Axe) -> None:
    _arrange(live, "RU")

    signed_in(page, live, "RU", "/portal/achievements", locale="ru")

    expect(page.locator('[data-quest="three-orders"]')).to_contain_text("Три заказа")
    expect(page.locator('[data-badge="first-order"]')).to_contain_text("Первый заказ")
    assert_accessible(axe, page)
