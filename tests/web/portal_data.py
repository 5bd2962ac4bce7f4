"""Arranging a member's data for the portal's feature pages through the live server's API
(an admin key), and reading back what the pages changed through the domains."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
from playwright.sync_api import Page

from loyalist.db.uow import UnitOfWork
from loyalist.staff.models import Scope
from loyalist.staff.service import create_api_key
from tests.web.conftest import PHONE, Live
from tests.web.portal import portal_as

V1 = "/api/v1"
FIVER: dict[str, Any] = {
    "name": {"en": "Five euros off", "ru": "Скидка пять евро"},
    "description": {"en": "On your next order", "ru": "На следующий заказ"},
    "discount": {"type": "fixed", "amount": 500, "currency": "EUR"},
    "cost_points": 300,
    "stock": 10,
    "coupon_valid_days": 14,
}


@contextmanager
def shop(live: Live) -> Iterator[httpx.Client]:
    """The shop's back end calling the live server with an admin key."""

    def op(uow: UnitOfWork) -> str:
        return create_api_key(uow, "shop", [Scope.ADMIN])[1]

    token = live.app.db.write(op)
    with httpx.Client(
        base_url=live.url, headers={"Authorization": f"Bearer {token}"}, timeout=20
    ) as client:
        yield client


def ok(response: httpx.Response) -> Any:
    assert response.status_code < 300, response.text
    return response.json() if response.content else None


def member(client: httpx.Client, member_id: str, **profile: Any) -> None:
    ok(client.put(f"{V1}/members/{member_id}", json={"locale": "en", **profile}))


def credit(client: httpx.Client, member_id: str, points: int) -> None:
    body = {"points": points, "reason": "welcome"}
    headers = {"Idempotency-Key": uuid.uuid4().hex}
    ok(client.post(f"{V1}/members/{member_id}/points/adjustments", json=body, headers=headers))


def reward(client: httpx.Client, key: str = "fiver", **overrides: Any) -> None:
    ok(client.put(f"{V1}/rewards/{key}", json={**FIVER, **overrides}))


def redeem(client: httpx.Client, member_id: str, key: str = "fiver") -> dict[str, Any]:
    headers = {"Idempotency-Key": uuid.uuid4().hex}
    found: dict[str, Any] = ok(
        client.post(f"{V1}/members/{member_id}/rewards/{key}/redemptions", headers=headers)
    )
    return found


def available(client: httpx.Client, member_id: str) -> int:
    return int(ok(client.get(f"{V1}/members/{member_id}/points"))["available"])


def csrf_of(page: Page) -> str:
    """The page's CSRF token (the body's ``hx-headers``), for a request sent beside it."""
    headers = page.locator("body").get_attribute("hx-headers") or "{}"
    token: str = json.loads(headers)["X-CSRF-Token"]
    return token


def signed_in(page: Page, live: Live, member_id: str, path: str, locale: str = "en") -> None:
    """``member_id`` signed in to the portal on a phone, at ``path``."""
    page.set_viewport_size({"width": PHONE["width"], "height": PHONE["height"]})
    portal_as(page, live, member_id, locale=locale)
    page.goto(live.at(path))
