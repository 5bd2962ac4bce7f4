"""Exactly once under concurrency, over HTTP, on both databases.

Requests are sent together through the ASGI app (``asyncio.gather``); on PostgreSQL each
runs in its own transaction on its own connection, so they really race. The outcome check
(`violations`) is shared with a control: a naive read-check-write redemption, kept here on
purpose, that the same check must catch on PostgreSQL, so the test provably has teeth.
"""

from __future__ import annotations

import asyncio
import secrets
import time
from collections import Counter
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select, update

from loyalist.api.app import create_app
from loyalist.bootstrap import Loyalist
from loyalist.coupons.errors import CouponUsedUpError
from loyalist.coupons.models import CouponCode, CouponRedemption, RedemptionStatus
from loyalist.db.uow import UnitOfWork
from loyalist.settings import CouponGuard
from loyalist.staff.models import Scope
from loyalist.staff.service import create_api_key
from tests.conftest import START, event, keyed
from tests.integration.helpers import assert_ledger_consistent, points, send

REDEEM = "/api/v1/coupons/redemptions"
CART = {
    "currency": "EUR",
    "lines": [{"sku": "A", "category": "c", "quantity": 1, "unit_price": 10_000}],
}


@pytest.fixture
def app(app: Loyalist) -> Loyalist:
    # Guessing limits are not what these tests are about: let every attempt through.
    app.settings.coupon_guard = CouponGuard(
        failures_per_key="100000/minute",
        failures_per_member="100000/minute",
        attempts_per_member="100000/minute",
    )
    return app


@pytest.fixture
def headers(app: Loyalist) -> dict[str, str]:
    token = app.db.write(lambda uow: create_api_key(uow, "shop", [Scope.ADMIN])[1])
    return {"Authorization": f"Bearer {token}"}


def together(app: Loyalist, requests: list[tuple[str, str, Any, dict[str, str]]]) -> list[Any]:
    """Send all requests at once; returns the responses in order."""

    async def run() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=create_app(app, embedded_worker=False))
        async with httpx.AsyncClient(transport=transport, base_url="http://loyalist") as client:
            return await asyncio.gather(
                *(client.request(m, url, json=body, headers=h) for m, url, body, h in requests)
            )

    return asyncio.run(run())


def campaign(client_headers: dict[str, str], app: Loyalist, key: str, **extra: Any) -> None:
    body = {
        "name": {"en": "Once", "ru": "Один раз"},
        "discount": {"type": "fixed", "amount": 1000, "currency": "EUR"},
        "code_mode": "generic",
        "code": key.upper(),
    } | extra
    (response,) = together(app, [("PUT", f"/api/v1/coupon-campaigns/{key}", body, client_headers)])
    assert response.status_code == 201, response.text


def redemption_facts(app: Loyalist, code: str) -> tuple[int, int]:
    """(uses on the code, redemption rows) as stored."""

    def op(uow: UnitOfWork) -> tuple[int, int]:
        row = uow.session.execute(
            select(CouponCode.id, CouponCode.uses).where(CouponCode.code == code)
        ).one()
        rows = uow.session.scalar(
            select(func.count())
            .select_from(CouponRedemption)
            .where(
                CouponRedemption.code_id == row.id,
                CouponRedemption.status == RedemptionStatus.REDEEMED,
            )
        )
        return int(row.uses), int(rows or 0)

    return app.db.read(op)


def violations(statuses: list[int], uses: int, rows: int, limit: int) -> list[str]:
    """What breaks "exactly ``limit`` uses": empty when the outcome is right."""
    found = []
    counts = Counter(statuses)
    if counts[201] != limit:
        found.append(f"{counts[201]} successes, expected {limit}")
    if counts[409] != len(statuses) - limit:
        found.append(f"{counts[409]} conflicts, expected {len(statuses) - limit}")
    if any(s >= 500 for s in statuses):
        found.append(f"server errors: {sorted(s for s in statuses if s >= 500)}")
    if uses != limit or rows != limit:
        found.append(f"{uses} uses and {rows} redemption rows stored, expected {limit}")
    return found


class TestCoupons:
    @pytest.mark.parametrize("limit", [1, 3])
    def test_64_concurrent_redemptions_of_a_code_with_k_uses(
        self, app: Loyalist, headers: dict[str, str], limit: int
    ) -> None:
        campaign(headers, app, "once", uses_per_code=limit)
        body = {"code": "ONCE", "cart": CART}
        responses = together(app, [("POST", REDEEM, body, keyed(headers)) for _ in range(64)])
        statuses = [r.status_code for r in responses]
        assert violations(statuses, *redemption_facts(app, "ONCE"), limit) == []
        conflicts = {r.json()["code"] for r in responses if r.status_code == 409}
        assert conflicts == {"coupon_used_up"}
        assert all(
            r.headers["content-type"] == "application/problem+json"
            for r in responses
            if r.status_code == 409
        )

    def test_per_member_limit_of_one_with_20_concurrent_attempts(
        self, app: Loyalist, headers: dict[str, str]
    ) -> None:
        send(app, event("enrol", "member.enrolled", "M1", START))
        campaign(headers, app, "welcome", per_member_limit=1)
        body = {"code": "WELCOME", "member_id": "M1", "cart": CART}
        responses = together(app, [("POST", REDEEM, body, keyed(headers)) for _ in range(20)])
        statuses = [r.status_code for r in responses]
        assert Counter(statuses) == {201: 1, 409: 19}, [r.text for r in responses][:3]
        assert {r.json()["code"] for r in responses if r.status_code == 409} == {
            "coupon_member_limit"
        }
        assert redemption_facts(app, "WELCOME") == (1, 1)

    def test_replays_with_one_idempotency_key_are_one_effect(
        self, app: Loyalist, headers: dict[str, str]
    ) -> None:
        campaign(headers, app, "once", uses_per_code=1)
        body = {"code": "ONCE", "cart": CART, "order_id": "O1"}
        with_key = headers | {"Idempotency-Key": "checkout-O1"}
        responses = together(app, [("POST", REDEEM, body, with_key)] * 16)
        assert {r.status_code for r in responses} == {201}, [r.text for r in responses][:3]
        assert len({r.json()["id"] for r in responses}) == 1
        assert redemption_facts(app, "ONCE") == (1, 1)


def naive_redeem(uow: UnitOfWork, code: str) -> None:
    """The read-check-write a hurried implementation would write: never do this."""
    row = uow.session.execute(
        select(CouponCode.id, CouponCode.campaign_id, CouponCode.uses, CouponCode.max_uses).where(
            CouponCode.code == code
        )
    ).one()
    if row.max_uses is not None and row.uses >= row.max_uses:
        raise CouponUsedUpError("the code was already used")
    time.sleep(0.02)  # the work a real request does between its read and its write
    uow.session.execute(update(CouponCode).where(CouponCode.id == row.id).values(uses=row.uses + 1))
    uow.session.add(
        CouponRedemption(
            id=f"cpr_{secrets.token_hex(12)}",
            code_id=row.id,
            campaign_id=row.campaign_id,
            currency="EUR",
            discount=1000,
            shipping_discount=0,
            status=RedemptionStatus.REDEEMED,
            created_at=uow.now,
        )
    )


def test_the_check_catches_a_naive_read_check_write(
    app: Loyalist, headers: dict[str, str], db_url: str
) -> None:
    """The control: on PostgreSQL, 64 naive redemptions racing pass the limit, and the same
    `violations` check that the real redemption passes reports it."""
    if not db_url.startswith("postgresql"):
        pytest.skip("SQLite runs every write on one thread: a naive redemption cannot race")
    campaign(headers, app, "once", uses_per_code=1)
    futures = [app.db.submit(lambda uow: naive_redeem(uow, "ONCE")) for _ in range(64)]
    statuses = []
    for future in futures:
        try:
            future.result()
            statuses.append(201)
        except CouponUsedUpError:
            statuses.append(409)
    found = violations(statuses, *redemption_facts(app, "ONCE"), 1)
    assert found, "the naive redemption passed: the concurrency check has no teeth"
    assert Counter(statuses)[201] > 1


class TestHolds:
    def test_50_concurrent_holds_never_hold_more_than_the_balance(
        self, app: Loyalist, headers: dict[str, str]
    ) -> None:
        send(app, event("enrol", "member.enrolled", "M1", START))
        (given,) = together(
            app,
            [
                (
                    "POST",
                    "/api/v1/members/M1/points/adjustments",
                    {"points": 1000, "reason": "test"},
                    keyed(headers),
                )
            ],
        )
        assert given.status_code == 201
        body = {"member_id": "M1", "cart": CART, "points": 30}
        responses = together(
            app, [("POST", "/api/v1/checkout/holds", body, keyed(headers)) for _ in range(50)]
        )
        statuses = Counter(r.status_code for r in responses)
        assert set(statuses) <= {201, 409}, [r.text for r in responses if r.status_code >= 500]
        assert statuses[201] == 1000 // 30
        assert {r.json()["code"] for r in responses if r.status_code == 409} == {
            "insufficient_points"
        }
        summary = points(app, "M1")
        assert summary["on_hold"] == 30 * statuses[201] <= 1000
        assert summary["available"] == 1000 - summary["on_hold"]
        assert_ledger_consistent(app)

    def test_concurrent_confirms_with_one_key_spend_once(
        self, app: Loyalist, headers: dict[str, str]
    ) -> None:
        send(app, event("enrol", "member.enrolled", "M1", START))
        together(
            app,
            [
                (
                    "POST",
                    "/api/v1/members/M1/points/adjustments",
                    {"points": 500, "reason": "test"},
                    keyed(headers),
                )
            ],
        )
        (created,) = together(
            app,
            [
                (
                    "POST",
                    "/api/v1/checkout/holds",
                    {"member_id": "M1", "cart": CART, "points": 400},
                    keyed(headers),
                )
            ],
        )
        url = f"/api/v1/checkout/holds/{created.json()['id']}/confirm"
        once = headers | {"Idempotency-Key": "confirm-once"}
        responses = together(app, [("POST", url, {"order_id": "O1"}, once)] * 12)
        assert {r.status_code for r in responses} == {200}, [r.text for r in responses][:3]
        assert points(app, "M1")["spent"] == 400
        assert_ledger_consistent(app)
