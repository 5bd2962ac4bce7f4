"""Signing a member in to the portal in the browser, through the shop's signed link."""

from __future__ import annotations

from urllib.parse import urlencode

from playwright.sync_api import Page

from loyalist.members.policy import link_signature
from tests.web.conftest import PORTAL_LINK_SECRET, Live


def signed_link(
    live: Live, member_id: str, *, path: str = "/portal/enter", ttl: int = 600, **extra: str
) -> str:
    """The shop's signed link for ``member_id``, valid ``ttl`` seconds from the live
    server's clock (negative: already expired)."""
    expires = int(live.clock.now().timestamp()) + ttl
    query = {
        "member": member_id,
        "expires": str(expires),
        "signature": link_signature(PORTAL_LINK_SECRET, member_id, expires),
        **extra,
    }
    return live.at(f"{path}?{urlencode(query)}")


def portal_as(page: Page, live: Live, member_id: str, locale: str = "en") -> None:
    """Sign ``member_id`` in (enrolled if new) and open their home page in ``locale``."""
    page.goto(signed_link(live, member_id))
    page.goto(live.at(f"/portal/?lang={locale}"))
    page.wait_for_selector("body.portal")
    assert page.url.startswith(live.at("/portal/")), page.url
