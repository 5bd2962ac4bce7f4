"""The storefront widget on a shop's page (another origin on loopback): the shop's script
tag with the customer's signed link adds a button that opens the panel — balance, tier
progress and referral link — in a frame the server lets only the shop's origin show."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, expect
from pydantic import SecretStr

from loyalist.referrals import service as referrals
from loyalist.referrals.schemas import ReferralProgramIn
from loyalist.settings import PortalSettings, ProgramPolicy, Settings
from tests.smtp import free_port
from tests.web.conftest import PHONE, PORTAL_LINK_SECRET, Live, Watch, web_settings
from tests.web.portal import apply_program, enrolled_member, paid_order, signed_link

SHOP_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Shop</title></head>
<body><h1>The shop</h1>
<script src="{widget}" defer data-member="{member}" data-expires="{expires}"
  data-signature="{signature}" data-lang="en" data-label="My rewards"></script>
</body></html>"""


class Shop:
    """A shop's page on its own loopback origin, carrying the widget's script tag."""

    def __init__(self) -> None:
        self.port = free_port()
        self.page = ""
        shop = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                body = shop.page.encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@pytest.fixture
def shop() -> Iterator[Shop]:
    found = Shop()
    thread = threading.Thread(target=found.server.serve_forever, daemon=True)
    thread.start()
    yield found
    found.server.shutdown()
    found.server.server_close()


@pytest.fixture
def live_settings(db_url: str, program: ProgramPolicy, shop: Shop) -> Settings:
    portal = PortalSettings(link_secret=SecretStr(PORTAL_LINK_SECRET), widget_origins=[shop.origin])
    return web_settings(db_url, program, portal=portal)


@pytest.fixture
def browser_context_args(browser_context_args: dict[str, object]) -> dict[str, object]:
    return {**browser_context_args, "viewport": PHONE}


def test_the_widget_shows_balance_tier_and_referral_link_on_the_shops_page(
    page: Page, live: Live, shop: Shop, watch: Watch
) -> None:
    apply_program(live)
    live.app.db.write(
        lambda uow: referrals.put_program(
            uow,
            ReferralProgramIn(is_active=True, share_base_url="https://shop.example/r/"),
            who="test",
        )
    )
    enrolled_member(live, "anna", email="anna@example.com")
    paid_order(live, "anna", "1043", ("boots", 1, 5000))
    signed = signed_link(live, "anna", path="/portal/widget")
    query = dict(part.split("=", 1) for part in signed.split("?", 1)[1].split("&"))
    shop.page = SHOP_PAGE.format(widget=live.at("/static/js/widget.js"), **query)
    page.goto(shop.origin + "/account")
    page.get_by_role("button", name="My rewards").click()
    panel = page.frame_locator("#loyalist-widget-panel iframe")
    expect(panel.locator("[data-available]")).to_have_text("50")
    expect(panel.locator("[data-pending]")).to_have_text("50")
    expect(panel.locator("[data-tier] .tier-name")).to_have_text("Member")
    expect(panel.locator("#referral-link")).to_have_value(
        re.compile(r"^https://shop\.example/r/.+")
    )
    expect(page.get_by_role("button", name="My rewards")).to_have_attribute("aria-expanded", "true")
    watch.check()


def test_only_the_shops_origins_may_frame_the_widget(live: Live, shop: Shop) -> None:
    answer = httpx.get(signed_link(live, "anna", path="/portal/widget"))
    assert answer.status_code == 200
    policy = answer.headers["content-security-policy"]
    assert f"frame-ancestors {shop.origin}" in policy
    home = httpx.get(live.at("/portal/how-it-works"))
    assert "frame-ancestors 'none'" in home.headers["content-security-policy"]


def test_the_widget_refuses_a_bad_signature(live: Live) -> None:
    answer = httpx.get(
        signed_link(live, "anna", path="/portal/widget").replace("signature=", "signature=00")
    )
    assert answer.status_code == 403
    assert 'data-refused="bad_signature"' in answer.text
