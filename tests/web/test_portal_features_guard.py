"""Every feature page of the portal is the signed-in member's alone: without a member
session it sends the visitor to sign in, and a change without the session's CSRF token is
refused before anything is written."""

from __future__ import annotations

import httpx
from playwright.sync_api import Page

from tests.web.conftest import Live
from tests.web.portal_data import (
    V1,
    available,
    credit,
    csrf_of,
    member,
    ok,
    reward,
    shop,
    signed_in,
)

PAGES = (
    "/portal/rewards",
    "/portal/coupons",
    "/portal/referral",
    "/portal/achievements",
    "/portal/inbox",
    "/portal/preferences",
    "/portal/privacy",
    "/portal/privacy/export",
)
CHANGES: tuple[tuple[str, dict[str, str | float | bool]], ...] = (
    ("/portal/rewards/fiver/redeem", {"attempt": "a" * 24}),
    ("/portal/inbox/msg_x/read", {"x": "1"}),
    ("/portal/preferences", {"channel": "email"}),
    ("/portal/preferences/consents/processing", {"grant": "1"}),
    ("/portal/privacy/erasure", {"confirm": "DELETE"}),
)


def test_without_a_session_each_page_sends_to_sign_in(live: Live) -> None:
    with httpx.Client(base_url=live.url, follow_redirects=False, timeout=20) as client:
        for path in PAGES:
            answer = client.get(path)
            assert (answer.status_code, answer.headers.get("location")) == (
                303,
                "/portal/sign-in",
            ), path
        for path, form in CHANGES:
            answer = client.post(path, data=form, headers={"HX-Request": "true"})
            assert answer.headers.get("hx-redirect") == "/portal/sign-in", path


def test_a_change_without_the_csrf_token_is_refused(page: Page, live: Live) -> None:
    with shop(live) as client:
        member(client, "M1")
        credit(client, "M1", 500)
        reward(client)
        signed_in(page, live, "M1", "/portal/rewards")

        for path, form in CHANGES:
            answer = page.request.post(live.at(path), form=form, headers={"HX-Request": "true"})

            assert answer.status == 403, path
            assert 'data-problem="csrf_failed"' in answer.text(), path
        assert available(client, "M1") == 500
        assert member_of(client, "M1")["id"] == "M1"


def member_of(client: httpx.Client, member_id: str) -> dict[str, object]:
    found: dict[str, object] = ok(client.get(f"{V1}/members/{member_id}"))
    return found


def test_a_reward_out_of_reach_is_refused_and_spends_nothing(page: Page, live: Live) -> None:
    with shop(live) as client:
        member(client, "M1")
        credit(client, "M1", 100)
        reward(client)
        signed_in(page, live, "M1", "/portal/rewards")

        answer = page.request.post(
            live.at("/portal/rewards/fiver/redeem"),
            form={"attempt": "b" * 24},
            headers={"X-CSRF-Token": csrf_of(page), "HX-Request": "true"},
        )

        assert answer.status == 409
        assert 'data-problem="insufficient_points"' in answer.text()
        assert available(client, "M1") == 100
