"""Signing a member in to the portal in the browser, through the shop's signed link; a
small program, members and orders arranged through the services."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

from playwright.sync_api import Page

from loyalist import programfile
from loyalist.audit.models import SYSTEM
from loyalist.members.policy import link_signature
from tests.conftest import event, order_body
from tests.integration.helpers import send
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


#: A small program: base points, a weekend multiplier, a welcome bonus and two tiers.
PROGRAM = """
version: 1
rules:
  - key: base
    name: {en: Base points, ru: Базовые баллы}
    on: order.paid
    effects:
      - {type: per_unit, base: true, rates: {EUR: 1}}
  - key: weekend-double
    name: {en: Double points weekend, ru: Двойные баллы по выходным}
    on: order.paid
    validity: {days_of_week: [sat, sun]}
    effects:
      - {type: multiplier, factor: 2}
  - key: welcome
    name: {en: Welcome to the club, ru: Добро пожаловать в клуб}
    on: member.enrolled
    available: immediately
    effects:
      - {type: fixed, points: 50}
tiers:
  window: calendar_year
  currency: EUR
  levels:
    - key: member
      name: {en: Member, ru: Участник}
    - key: silver
      name: {en: Silver, ru: Серебро}
      threshold: {spend: 30000, orders: 5}
    - key: gold
      name: {en: Gold, ru: Золото}
      threshold: {spend: 100000, orders: 12}
      perks: {earning_multiplier: 1.25, free_shipping: true}
"""


def apply_program(live: Live, text: str = PROGRAM) -> None:
    """Put ``text`` (a program file) in force, as ``loyalist program apply`` does."""
    whole = programfile.load(text)
    live.app.db.write(lambda uow: programfile.apply(uow, whole, actor="test", by=SYSTEM))


def enrolled_member(live: Live, member_id: str, *, email: str, locale: str = "en") -> None:
    """The shop enrols ``member_id`` now (the welcome rule, if any, awards its points)."""
    at = live.clock.now()
    send(
        live.app,
        event(
            f"{member_id}-enrolled",
            "member.enrolled",
            member_id,
            at,
            email=email,
            locale=locale,
            first_name="Anna",
        ),
    )


def paid_order(live: Live, member_id: str, order_id: str, *lines: tuple[str, int, int]) -> None:
    """The shop reports ``order_id`` placed and paid now."""
    at = live.clock.now()
    body = order_body(order_id, *lines)
    send(
        live.app,
        event(f"{order_id}-placed", "order.placed", member_id, at - timedelta(minutes=3), **body),
        event(f"{order_id}-paid", "order.paid", member_id, at, order_id=order_id),
    )
