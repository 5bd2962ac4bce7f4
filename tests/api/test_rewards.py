"""Reward routes: the catalogue, a member's view of it, redemptions and their problems."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from starlette.testclient import TestClient

from loyalist.bootstrap import Loyalist
from tests.api.conftest import assert_problem, row_counts
from tests.conftest import START, keyed

V1 = "/api/v1"
FIVER: dict[str, Any] = {
    "name": {"en": "Five euros off", "ru": "Скидка пять евро"},
    "description": {"en": "On your next order", "ru": "На следующий заказ"},
    "discount": {"type": "fixed", "amount": 500, "currency": "EUR"},
    "conditions": {"min_order": 2000, "currency": "EUR"},
    "cost_points": 300,
    "stock": 10,
    "coupon_valid_days": 14,
}


def _credit(client: TestClient, admin: dict[str, str], member: str, points: int) -> None:
    client.put(f"{V1}/members/{member}", json={"locale": "ru"}, headers=admin)
    response = client.post(
        f"{V1}/members/{member}/points/adjustments",
        json={"points": points, "reason": "welcome"},
        headers=keyed(admin),
    )
    assert response.status_code == 201, response.text


def _put(
    client: TestClient, admin: dict[str, str], key: str = "fiver", **overrides: Any
) -> dict[str, Any]:
    response = client.put(f"{V1}/rewards/{key}", json={**FIVER, **overrides}, headers=admin)
    assert response.status_code in (200, 201), response.text
    body: dict[str, Any] = response.json()
    return body


def _redeem(
    client: TestClient,
    admin: dict[str, str],
    member: str = "M1",
    key: str = "fiver",
    idempotency_key: str | None = None,
) -> Any:
    """Redeem with ``idempotency_key`` (a fresh one when not given)."""
    headers = admin | {"Idempotency-Key": idempotency_key} if idempotency_key else keyed(admin)
    return client.post(f"{V1}/members/{member}/rewards/{key}/redemptions", headers=headers)


class TestCatalogueRoutes:
    def test_creates_with_201_updates_with_200_and_reads_back(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        created = client.put(f"{V1}/rewards/fiver", json=FIVER, headers=admin)
        updated = client.put(
            f"{V1}/rewards/fiver", json={**FIVER, "cost_points": 250}, headers=admin
        )

        assert (created.status_code, updated.status_code) == (201, 200)
        read = client.get(f"{V1}/rewards/fiver", headers=admin).json()
        assert {k: read[k] for k in ("cost_points", "stock", "issued", "stock_left")} == {
            "cost_points": 250,
            "stock": 10,
            "issued": 0,
            "stock_left": 10,
        }
        assert read["discount"] == FIVER["discount"]
        assert read["conditions"]["min_order"] == 2000
        assert read["campaign"] == "reward-fiver"
        listed = client.get(f"{V1}/rewards", headers=admin).json()["items"]
        assert [r["key"] for r in listed] == ["fiver"]

    def test_delete_pauses_and_the_reward_stays_readable(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        _put(client, admin)
        response = client.delete(f"{V1}/rewards/fiver", headers=admin)
        assert (response.status_code, response.json()["status"]) == (200, "paused")
        assert client.get(f"{V1}/rewards/fiver", headers=admin).json()["status"] == "paused"

    def test_answers_404_for_an_unknown_reward(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        assert_problem(client.get(f"{V1}/rewards/nope", headers=admin), 404, "reward_not_found")
        assert_problem(client.delete(f"{V1}/rewards/nope", headers=admin), 404, "reward_not_found")

    def test_rejects_an_invalid_reward_with_pointers_and_writes_nothing(
        self, client: TestClient, app: Loyalist, admin: dict[str, str]
    ) -> None:
        before = row_counts(app)
        body = {**FIVER, "name": {"en": "Only English"}, "cost_points": -1}
        response = client.put(f"{V1}/rewards/fiver", json=body, headers=admin)
        assert_problem(response, 422, "request_invalid", "/name/ru", "/cost_points")
        discount = {**FIVER, "discount": {"type": "percent", "percent": 10, "max_amount": 5}}
        response = client.put(f"{V1}/rewards/fiver", json=discount, headers=admin)
        assert_problem(response, 422, "request_invalid", "/discount/percent")
        response = client.put(f"{V1}/rewards/Bad%20Key", json=FIVER, headers=admin)
        assert_problem(response, 422, "request_invalid", "#path/key")
        assert row_counts(app) == before

    def test_refuses_a_stock_below_what_was_issued(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        _put(client, admin)
        _credit(client, admin, "M1", 1000)
        assert _redeem(client, admin).status_code == 201
        response = client.put(f"{V1}/rewards/fiver", json={**FIVER, "stock": 0}, headers=admin)
        body = assert_problem(response, 409, "reward_stock_below_issued")
        assert body["issued"] == 1

    def test_refuses_a_key_whose_campaign_belongs_to_a_coupon_campaign(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        campaign = {"name": FIVER["name"], "discount": FIVER["discount"]}
        created = client.put(f"{V1}/coupon-campaigns/reward-fiver", json=campaign, headers=admin)
        assert created.status_code == 201, created.text
        response = client.put(f"{V1}/rewards/fiver", json=FIVER, headers=admin)
        assert_problem(response, 409, "reward_campaign_taken")


class TestMemberCatalogue:
    def test_lists_rewards_in_the_members_language_with_reasons(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        _put(client, admin)
        _put(client, admin, "dear", cost_points=5000)
        _credit(client, admin, "M1", 1000)

        body = client.get(f"{V1}/members/M1/rewards", headers=admin).json()
        english = client.get(f"{V1}/members/M1/rewards?locale=en", headers=admin).json()

        assert [(i["key"], i["name"], i["redeemable"]) for i in body["items"]] == [
            ("fiver", "Скидка пять евро", True),
            ("dear", "Скидка пять евро", False),
        ]
        assert body["items"][1]["reasons"][0]["code"] == "insufficient_points"
        assert body["items"][0]["discount"] == FIVER["discount"]
        assert english["items"][0]["name"] == "Five euros off"

    def test_answers_404_for_an_unknown_member(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        response = client.get(f"{V1}/members/nobody/rewards", headers=admin)
        assert_problem(response, 404, "member_not_found")


class TestRedemptions:
    def test_spends_the_cost_and_answers_the_code_and_its_expiry(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        _put(client, admin)
        _credit(client, admin, "M1", 1000)

        response = _redeem(client, admin)

        assert response.status_code == 201, response.text
        body = response.json()
        assert body["id"].startswith("rwd_")
        assert (body["points"], body["reward"], body["member_id"]) == (300, "fiver", "M1")
        assert len(body["code"]) == 10
        assert body["code"].isalnum()
        assert body["valid_until"] == (START + timedelta(days=14)).isoformat().replace(
            "+00:00", "Z"
        )
        points = client.get(f"{V1}/members/M1/points", headers=admin).json()
        assert (points["available"], points["spent"]) == (700, 300)
        validated = client.post(
            f"{V1}/coupons/validate",
            json={
                "code": body["code"],
                "member_id": "M1",
                "cart": {
                    "currency": "EUR",
                    "lines": [{"sku": "mug", "quantity": 1, "unit_price": 2500}],
                },
            },
            headers=admin,
        )
        assert (validated.status_code, validated.json()["discount"]) == (200, 500)
        listed = client.get(f"{V1}/members/M1/reward-redemptions", headers=admin).json()
        assert [(i["id"], i["status"], i["coupon_used"]) for i in listed["items"]] == [
            (body["id"], "issued", False)
        ]

    def test_refuses_without_enough_points_and_writes_nothing(
        self, client: TestClient, app: Loyalist, admin: dict[str, str]
    ) -> None:
        _put(client, admin)
        _credit(client, admin, "M1", 299)
        before = row_counts(app)

        response = _redeem(client, admin, idempotency_key="k1")

        body = assert_problem(response, 409, "insufficient_points")
        assert body["available"] == 299
        assert row_counts(app) == before

    @pytest.mark.parametrize(
        ("overrides", "status", "code"),
        [
            ({"tiers": ["gold"]}, 422, "reward_not_eligible"),
            ({"segments": ["vip"]}, 422, "reward_not_eligible"),
            ({"status": "paused"}, 422, "reward_not_available"),
            ({"valid_until": "2026-01-01T00:00:00Z"}, 422, "reward_not_available"),
            ({"stock": 0}, 409, "reward_out_of_stock"),
        ],
    )
    def test_refusals_are_problems_and_write_nothing(
        self,
        client: TestClient,
        app: Loyalist,
        admin: dict[str, str],
        overrides: dict[str, Any],
        status: int,
        code: str,
    ) -> None:
        _put(client, admin, **overrides)
        _credit(client, admin, "M1", 1000)
        before = row_counts(app)

        assert_problem(_redeem(client, admin), status, code)
        assert row_counts(app) == before

    def test_answers_404_for_unknown_reward_or_member(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        _put(client, admin)
        _credit(client, admin, "M1", 1000)
        assert_problem(_redeem(client, admin, key="nope"), 404, "reward_not_found")
        assert_problem(_redeem(client, admin, member="nobody"), 404, "member_not_found")

    def test_refuses_a_redemption_without_an_idempotency_key_and_writes_nothing(
        self, client: TestClient, app: Loyalist, admin: dict[str, str]
    ) -> None:
        _put(client, admin)
        _credit(client, admin, "M1", 1000)
        before = row_counts(app)
        response = client.post(f"{V1}/members/M1/rewards/fiver/redemptions", headers=admin)
        assert_problem(response, 428, "idempotency_key_missing", "#header/Idempotency-Key")
        assert row_counts(app) == before

    def test_a_replayed_idempotency_key_has_one_effect(
        self, client: TestClient, app: Loyalist, admin: dict[str, str]
    ) -> None:
        _put(client, admin, per_member_limit=5)
        _credit(client, admin, "M1", 1000)
        first = _redeem(client, admin, idempotency_key="redeem-1")
        after_first = row_counts(app)
        again = _redeem(client, admin, idempotency_key="redeem-1")

        assert (first.status_code, again.status_code) == (201, 201)
        assert again.json() == first.json()
        assert again.headers["idempotent-replayed"] == "true"
        assert row_counts(app) == after_first
        points = client.get(f"{V1}/members/M1/points", headers=admin).json()
        assert points["spent"] == 300
        _put(client, admin, "other")
        assert_problem(
            _redeem(client, admin, key="other", idempotency_key="redeem-1"),
            409,
            "idempotency_key_reused",
        )
