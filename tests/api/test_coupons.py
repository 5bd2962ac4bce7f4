"""Coupon campaigns over HTTP: validate prices and writes nothing, redeem uses exactly once,
roll back returns the use, limits, stacking, and guessing protection."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

import pytest
from starlette.testclient import TestClient

from loyalist.bootstrap import Loyalist
from loyalist.clock import ManualClock
from loyalist.coupons import service as coupons
from loyalist.coupons.schemas import CampaignIn
from loyalist.members import service as members
from tests.api.conftest import assert_problem, row_counts
from tests.conftest import START, event, keyed
from tests.integration.helpers import send

CART: dict[str, Any] = {
    "currency": "EUR",
    "lines": [
        {"sku": "SHOE", "category": "shoes", "quantity": 1, "unit_price": 8000},
        {"sku": "SOCK", "category": "socks", "quantity": 3, "unit_price": 1000},
        {"sku": "CAP", "category": "hats", "quantity": 1, "unit_price": 1001},
    ],
    "shipping": 500,
}
NAME = {"en": "Spring sale", "ru": "Весенняя распродажа"}


def campaign(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": NAME,
        "discount": {"type": "percent", "percent": "10"},
        "code_mode": "generic",
        "code": "SPRING-2026",
    }
    return body | overrides


def put(client: TestClient, admin: dict[str, str], key: str, **overrides: Any) -> Any:
    response = client.put(
        f"/api/v1/coupon-campaigns/{key}", json=campaign(**overrides), headers=admin
    )
    assert response.status_code in (200, 201), response.text
    return response.json()


def enrol(app: Loyalist, *members: str) -> None:
    send(app, *[event(f"enrol-{m}", "member.enrolled", m, START) for m in members])


class TestCampaigns:
    def test_create_then_replace_and_read_with_figures(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        first = client.put("/api/v1/coupon-campaigns/spring", json=campaign(), headers=admin)
        assert first.status_code == 201
        again = client.put(
            "/api/v1/coupon-campaigns/spring", json=campaign(priority=5), headers=admin
        )
        assert again.status_code == 200
        read = client.get("/api/v1/coupon-campaigns/spring", headers=admin).json()
        assert read["priority"] == 5
        assert read["stats"] == {"codes": 1, "uses": 0, "redeemed": 0, "discount_given": 0}
        listed = client.get("/api/v1/coupon-campaigns", headers=admin).json()["items"]
        assert [c["key"] for c in listed] == ["spring"]

    def test_bad_campaign_is_a_problem_with_pointers(
        self, app: Loyalist, client: TestClient, admin: dict[str, str]
    ) -> None:
        before = row_counts(app)
        response = client.put(
            "/api/v1/coupon-campaigns/bad",
            json=campaign(discount={"type": "percent", "percent": "150"}),
            headers=admin,
        )
        assert_problem(response, 422, "request_invalid", "/discount/percent/percent")
        generic_without_code = campaign()
        del generic_without_code["code"]
        response = client.put(
            "/api/v1/coupon-campaigns/bad", json=generic_without_code, headers=admin
        )
        assert_problem(response, 422, "request_invalid")
        assert row_counts(app) == before

    def test_a_code_belongs_to_one_campaign(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        put(client, admin, "one")
        response = client.put("/api/v1/coupon-campaigns/two", json=campaign(), headers=admin)
        assert_problem(response, 409, "coupon_code_taken")


class TestValidate:
    def test_prices_eligible_lines_exactly_and_writes_nothing(
        self, app: Loyalist, client: TestClient, admin: dict[str, str]
    ) -> None:
        put(
            client,
            admin,
            "socks-and-caps",
            discount={"type": "percent", "percent": "15", "max_amount": 500, "currency": "EUR"},
            conditions={"categories": ["socks", "hats"]},
        )
        before = row_counts(app)
        response = client.post(
            "/api/v1/coupons/validate",
            json={"code": "spring 2026", "cart": CART},
            headers=admin,
        )
        assert response.status_code == 200, response.text
        body = response.json()
        # 15% of 4,001 = 600, capped at 500, spread 3000:1001 by largest remainder.
        assert body["discount"] == 500
        assert body["lines"] == [
            {"index": 1, "sku": "SOCK", "discount": 375},
            {"index": 2, "sku": "CAP", "discount": 125},
        ]
        assert body["code"] == "SPRING2026"
        assert row_counts(app) == before

    @pytest.mark.parametrize(
        ("overrides", "status", "code"),
        [
            ({"conditions": {"min_order": 20_000, "currency": "EUR"}}, 422, "coupon_min_order"),
            ({"conditions": {"skus": ["BOOT"]}}, 422, "coupon_no_eligible_lines"),
            (
                {"discount": {"type": "fixed", "amount": 500, "currency": "USD"}},
                422,
                "coupon_currency_mismatch",
            ),
            ({"valid_until": "2026-01-01T00:00:00Z"}, 422, "coupon_expired"),
            ({"valid_from": "2026-02-01T00:00:00Z"}, 422, "coupon_not_started"),
            ({"status": "paused"}, 422, "coupon_inactive"),
            ({"discount": {"type": "free_product", "sku": "BOOT"}}, 422, "coupon_product_missing"),
        ],
    )
    def test_a_code_that_does_not_apply_says_why(
        self,
        client: TestClient,
        admin: dict[str, str],
        overrides: dict[str, Any],
        status: int,
        code: str,
    ) -> None:
        put(client, admin, "spring", **overrides)
        response = client.post(
            "/api/v1/coupons/validate", json={"code": "SPRING2026", "cart": CART}, headers=admin
        )
        assert_problem(response, status, code, "/code")

    def test_unknown_code_is_404(self, client: TestClient, admin: dict[str, str]) -> None:
        response = client.post(
            "/api/v1/coupons/validate", json={"code": "NOPE-NOPE", "cart": CART}, headers=admin
        )
        assert_problem(response, 404, "coupon_not_found")

    def test_bad_cart_points_at_the_field(self, client: TestClient, admin: dict[str, str]) -> None:
        bad = CART | {"lines": [{"sku": "A", "quantity": 1, "unit_price": 100, "discount": 200}]}
        response = client.post(
            "/api/v1/coupons/validate", json={"code": "X", "cart": bad}, headers=admin
        )
        assert_problem(response, 422, "request_invalid", "/cart/lines/0")


class TestRedeem:
    def test_single_use_code_redeems_once_and_rollback_returns_it(
        self, app: Loyalist, client: TestClient, admin: dict[str, str]
    ) -> None:
        enrol(app, "M1")
        put(
            client,
            admin,
            "once",
            uses_per_code=1,
            discount={"type": "fixed", "amount": 1000, "currency": "EUR"},
        )
        body = {"code": "SPRING2026", "member_id": "M1", "order_id": "O1", "cart": CART}
        first = client.post("/api/v1/coupons/redemptions", json=body, headers=keyed(admin))
        assert first.status_code == 201, first.text
        redemption = first.json()
        assert redemption["discount"] == 1000
        assert sum(line["discount"] for line in redemption["lines"]) == 1000
        second = client.post("/api/v1/coupons/redemptions", json=body, headers=keyed(admin))
        assert_problem(second, 409, "coupon_used_up")

        url = f"/api/v1/coupons/redemptions/{redemption['id']}/rollback"
        back = client.post(url, json={"reason": "order cancelled"}, headers=admin)
        assert back.status_code == 200, back.text
        assert back.json()["status"] == "rolled_back"
        assert back.json()["reason"] == "order cancelled"
        assert client.post(url, json={"reason": "again"}, headers=admin).json()["reason"] == (
            "order cancelled"
        )
        third = client.post("/api/v1/coupons/redemptions", json=body, headers=keyed(admin))
        assert third.status_code == 201
        stats = client.get("/api/v1/coupon-campaigns/once", headers=admin).json()["stats"]
        assert stats == {"codes": 1, "uses": 1, "redeemed": 1, "discount_given": 1000}

    def test_refuses_a_redemption_without_an_idempotency_key_and_writes_nothing(
        self, app: Loyalist, client: TestClient, admin: dict[str, str]
    ) -> None:
        put(client, admin, "any")
        before = row_counts(app)
        body = {"code": "SPRING2026", "order_id": "O1", "cart": CART}
        response = client.post("/api/v1/coupons/redemptions", json=body, headers=admin)
        problem = assert_problem(
            response, 428, "idempotency_key_missing", "#header/Idempotency-Key"
        )
        assert "Idempotency-Key" in problem["detail"]
        assert row_counts(app) == before

    def test_replay_with_the_same_key_is_one_redemption(
        self, app: Loyalist, client: TestClient, admin: dict[str, str]
    ) -> None:
        put(client, admin, "any")
        body = {"code": "SPRING2026", "order_id": "O1", "cart": CART}
        headers = admin | {"Idempotency-Key": "redeem-O1"}
        first = client.post("/api/v1/coupons/redemptions", json=body, headers=headers)
        replay = client.post("/api/v1/coupons/redemptions", json=body, headers=headers)
        assert first.status_code == replay.status_code == 201
        assert replay.headers["Idempotent-Replayed"] == "true"
        assert replay.json()["id"] == first.json()["id"]
        assert row_counts(app)["coupon_redemptions"] == 1
        other = client.post(
            "/api/v1/coupons/redemptions", json=body | {"order_id": "O2"}, headers=headers
        )
        assert_problem(other, 409, "idempotency_key_reused")

    def test_per_member_and_campaign_limits(
        self, app: Loyalist, client: TestClient, admin: dict[str, str]
    ) -> None:
        enrol(app, "M1", "M2", "M3")
        put(client, admin, "limited", per_member_limit=2, max_redemptions=3)

        def redeem(member: str | None) -> Any:
            body = {"code": "SPRING2026", "cart": CART} | ({"member_id": member} if member else {})
            return client.post("/api/v1/coupons/redemptions", json=body, headers=keyed(admin))

        assert_problem(redeem(None), 422, "coupon_member_required")
        assert [redeem("M1").status_code for _ in range(2)] == [201, 201]
        assert_problem(redeem("M1"), 409, "coupon_member_limit")
        assert redeem("M2").status_code == 201
        assert_problem(redeem("M3"), 409, "coupon_campaign_exhausted")

    def test_exclusive_coupons_do_not_stack(
        self, app: Loyalist, client: TestClient, admin: dict[str, str]
    ) -> None:
        enrol(app, "M1")
        put(
            client,
            admin,
            "big",
            code="BIG20",
            stacking="exclusive",
            priority=1,
            discount={"type": "percent", "percent": "20"},
        )
        put(client, admin, "ship", code="SHIPFREE", discount={"type": "free_shipping"})
        put(
            client,
            admin,
            "five",
            code="FIVE5",
            discount={"type": "fixed", "amount": 500, "currency": "EUR"},
        )
        quote = client.post(
            "/api/v1/checkout/quote",
            json={"member_id": "M1", "cart": CART, "coupons": ["SHIPFREE", "FIVE5", "BIG20"]},
            headers=admin,
        ).json()
        applied = {c["code"]: c["applied"] for c in quote["coupons"]}
        assert applied == {"SHIPFREE": False, "FIVE5": False, "BIG20": True}
        reasons = {c["code"]: c.get("reason") for c in quote["coupons"] if not c["applied"]}
        assert set(reasons.values()) == {"coupon_not_combinable"}
        combinable = client.post(
            "/api/v1/checkout/quote",
            json={"member_id": "M1", "cart": CART, "coupons": ["SHIPFREE", "FIVE5"]},
            headers=admin,
        ).json()
        assert combinable["shipping_discount"] == 500
        assert combinable["discount_total"] == 1000
        assert combinable["total"] == 8000 + 3000 + 1001 + 500 - 1000


class TestGuessing:
    def test_failures_are_limited_per_member_and_logged(
        self,
        app: Loyalist,
        client: TestClient,
        admin: dict[str, str],
        caplog: pytest.LogCaptureFixture,
    ) -> None:
        enrol(app, "M1", "M2")
        put(client, admin, "real")
        caplog.set_level(logging.INFO, logger="loyalist.coupons.guard")
        answers = [
            client.post(
                "/api/v1/coupons/validate",
                json={"code": f"GUESS{n:05d}", "member_id": "M1", "cart": CART},
                headers=admin,
            ).status_code
            for n in range(11)
        ]
        assert answers == [404] * 10 + [429]
        blocked = client.post(
            "/api/v1/coupons/validate",
            json={"code": "SPRING2026", "member_id": "M1", "cart": CART},
            headers=admin,
        )
        body = assert_problem(blocked, 429, "coupon_attempts_limited")
        assert int(blocked.headers["Retry-After"]) > 0
        assert "retry in" in body["detail"]
        ok = client.post(
            "/api/v1/coupons/validate",
            json={"code": "SPRING2026", "member_id": "M2", "cart": CART},
            headers=admin,
        )
        assert ok.status_code == 200
        assert any("possible coupon guessing" in r.getMessage() for r in caplog.records)
        assert sum("attempt failed" in r.getMessage() for r in caplog.records) == 10

    def test_a_personal_code_is_unknown_to_others(
        self, app: Loyalist, client: TestClient, admin: dict[str, str], clock: ManualClock
    ) -> None:

        enrol(app, "M1", "M2")
        spec = CampaignIn.model_validate(campaign(code_mode="unique", code=None, code_valid_days=7))

        def issue(uow: Any) -> str:
            found = coupons.put_campaign(uow, "gift", spec)
            member = members.get_member_id(uow, "M1")
            return coupons.issue_personal(uow, found, member, source="test:1").code

        code = app.db.write(issue)
        mine = client.post(
            "/api/v1/coupons/validate",
            json={"code": code, "member_id": "M1", "cart": CART},
            headers=admin,
        )
        assert mine.status_code == 200, mine.text
        theirs = client.post(
            "/api/v1/coupons/validate",
            json={"code": code, "member_id": "M2", "cart": CART},
            headers=admin,
        )
        assert_problem(theirs, 404, "coupon_not_found")
        listed = client.get("/api/v1/members/M1/coupons", headers=admin).json()["items"]
        assert [c["campaign"] for c in listed] == ["gift"]
        clock.advance(timedelta(days=8))
        expired = client.post(
            "/api/v1/coupons/validate",
            json={"code": code, "member_id": "M1", "cart": CART},
            headers=admin,
        )
        assert_problem(expired, 422, "coupon_expired")
        assert client.get("/api/v1/members/M1/coupons", headers=admin).json()["items"] == []


def test_a_rewards_campaign_is_changed_through_the_reward(
    client: TestClient, admin: dict[str, str]
) -> None:
    reward = {
        "name": {"en": "Five off", "ru": "Минус пять"},
        "discount": {"type": "fixed", "amount": 500, "currency": "EUR"},
        "description": {"en": "On your next order", "ru": "На следующий заказ"},
        "cost_points": 100,
    }
    assert client.put("/api/v1/rewards/fiver", json=reward, headers=admin).status_code == 201
    response = client.put(
        "/api/v1/coupon-campaigns/reward-fiver",
        json=campaign(code_mode="unique", code=None),
        headers=admin,
    )
    assert_problem(response, 409, "campaign_origin_mismatch")
