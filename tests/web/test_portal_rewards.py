"""The portal's rewards page on a phone: what is affordable, the points still needed for the
rest, and redeeming for a code exactly once however often the button is pressed."""

from __future__ import annotations

import re
import secrets
import uuid

import httpx
from axe_playwright_python.sync_playwright import Axe
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from playwright.sync_api import Page, expect

from loyalist.db.uow import UnitOfWork
from loyalist.members import service as members
from loyalist.rewards import service as rewards
from tests.web.conftest import Live, assert_accessible
from tests.web.portal import signed_link
from tests.web.portal_data import available, credit, csrf_of, member, reward, shop, signed_in


def _redemptions(live: Live, member_id: str) -> list[dict[str, object]]:
    def op(uow: UnitOfWork) -> list[dict[str, object]]:
        return rewards.member_redemptions(uow, members.get_member_id(uow, member_id))

    return live.app.db.read(op)


def test_redeem_shows_the_code_once_and_the_rest_says_what_is_still_needed(
    page: Page, live: Live, axe: Axe
) -> None:
    with shop(live) as client:
        member(client, "M1", email="anna@example.com")
        credit(client, "M1", 1000)
        reward(client)
        reward(client, "dear", cost_points=5000, name={"en": "A big one", "ru": "Большая"})

        signed_in(page, live, "M1", "/portal/rewards")
        expect(page.locator("#reward-balance")).to_have_text("1,000 points")
        dear = page.locator('[data-reward="dear"]')
        expect(dear).to_contain_text("4,000 more points needed")
        expect(dear.get_by_role("button")).to_have_count(0)
        assert_accessible(axe, page)

        fiver = page.locator('[data-reward="fiver"]')
        attempt = fiver.locator('input[name="attempt"]').input_value()
        fiver.get_by_role("button", name="Redeem").dblclick()
        code = fiver.locator("[data-code]")
        expect(code).to_be_visible()
        expect(page.locator("#reward-balance")).to_have_text("700 points")
        shown = code.inner_text()

        [made] = _redemptions(live, "M1")
        assert made["code"] == shown
        assert available(client, "M1") == 700

        # The same form sent again (a retry, a second tab) answers the first code.
        again = page.request.post(
            live.at("/portal/rewards/fiver/redeem"),
            form={"attempt": attempt},
            headers={"X-CSRF-Token": csrf_of(page), "HX-Request": "true"},
        )
        assert again.status == 200, again.text()
        assert shown in again.text()
        assert len(_redemptions(live, "M1")) == 1
        assert available(client, "M1") == 700
        assert_accessible(axe, page)


def test_in_russian(page: Page, live: Live, axe: Axe) -> None:
    with shop(live) as client:
        member(client, "M1", locale="ru")
        credit(client, "M1", 100)
        reward(client)

    signed_in(page, live, "M1", "/portal/rewards", locale="ru")

    fiver = page.locator('[data-reward="fiver"]')
    expect(fiver.get_by_role("heading")).to_have_text("Скидка пять евро")
    expect(fiver).to_contain_text("Не хватает 200 баллов")
    assert_accessible(axe, page)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(presses=st.lists(st.integers(min_value=0, max_value=3), min_size=1, max_size=6))
def test_each_attempt_redeems_once_however_often_it_is_sent(live: Live, presses: list[int]) -> None:
    """Forms sent in any order and number (``presses``: which of four drawn forms each
    press sends) spend once per distinct form, never more."""
    member_id = f"H{uuid.uuid4().hex[:12]}"
    attempts = [secrets.token_urlsafe(18) for _ in range(4)]
    with shop(live) as client:
        member(client, member_id)
        credit(client, member_id, 300 * 4)
        reward(client, stock=None)
    with httpx.Client(timeout=20) as browser:
        entered = browser.get(signed_link(live, member_id))
        # The session cookie is Secure (production defaults), which httpx keeps off plain
        # HTTP: hand it on by name, as the browser does for a loopback origin.
        for answer in (*entered.history, entered):
            for name, value in answer.cookies.items():
                browser.cookies.set(name, value)
        home = browser.get(live.at("/portal/rewards")).text
        csrf = re.search(r'"X-CSRF-Token": "([^"]+)"', home)
        assert csrf is not None
        codes: dict[int, str] = {}
        for press in presses:
            answer = browser.post(
                live.at("/portal/rewards/fiver/redeem"),
                data={"attempt": attempts[press]},
                headers={"X-CSRF-Token": csrf.group(1), "HX-Request": "true"},
            )
            assert answer.status_code == 200, answer.text
            code = re.search(r"<code data-code>([^<]+)</code>", answer.text)
            assert code is not None
            assert codes.setdefault(press, code.group(1)) == code.group(1)

    made = _redemptions(live, member_id)
    assert sorted(str(r["code"]) for r in made) == sorted(codes.values())
    with shop(live) as client:
        assert available(client, member_id) == 300 * (4 - len(codes))
