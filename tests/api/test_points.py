"""Points routes: balances, localized history, holds, redemptions, adjustments, liability."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from starlette.testclient import TestClient

from loyalist.bootstrap import Loyalist
from tests.api.conftest import assert_problem, row_counts
from tests.conftest import START, event, keyed, order_body

V1 = "/api/v1"


def _credit(client: TestClient, admin: dict[str, str], member: str, points: int) -> None:
    """Enrol ``member`` and give them ``points`` available points."""
    client.put(f"{V1}/members/{member}", json={}, headers=admin)
    response = client.post(
        f"{V1}/members/{member}/points/adjustments",
        json={"points": points, "reason": "welcome"},
        headers=keyed(admin),
    )
    assert response.status_code == 201, response.text


def _pay_order(client: TestClient, admin: dict[str, str], member: str = "M1") -> None:
    """A paid order of €110 of goods (plus shipping): 110 pending points."""
    body = order_body("1043", ("shoe", 2, 5000), ("sock", 1, 1000), shipping=495)
    batch = [
        event("1043-placed", "order.placed", member, START, **body),
        event("1043-paid", "order.paid", member, START + timedelta(minutes=3), order_id="1043"),
    ]
    assert client.post(f"{V1}/events", json=batch, headers=admin).status_code == 202


def _points(client: TestClient, admin: dict[str, str], member: str = "M1") -> dict[str, Any]:
    response = client.get(f"{V1}/members/{member}/points", headers=admin)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _hold(client: TestClient, admin: dict[str, str], points: int, member: str = "M1") -> str:
    response = client.post(
        f"{V1}/members/{member}/points/holds",
        json={"points": points, "reference": "cart-7"},
        headers=keyed(admin),
    )
    assert response.status_code == 201, response.text
    hold_id: str = response.json()["id"]
    return hold_id


class TestBalances:
    def test_shows_points_of_a_paid_order_as_pending(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        _pay_order(client, admin)
        points = _points(client, admin)
        assert (points["available"], points["pending"], points["on_hold"]) == (0, 110, 0)
        assert points["lifetime_earned"] == 110

    def test_answers_404_for_unknown_member(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        response = client.get(f"{V1}/members/nobody/points", headers=admin)
        assert_problem(response, 404, "member_not_found")


class TestHistory:
    def test_renders_reasons_in_english_by_default(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        _pay_order(client, admin)
        (entry,) = client.get(f"{V1}/members/M1/points/history", headers=admin).json()["items"]
        assert entry["text"] == "+110 points for order 1043"
        assert entry["reason"] == {"code": "earn_order", "params": {"order_id": "1043"}}

    def test_renders_reasons_in_russian_when_asked(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        _pay_order(client, admin)
        history = client.get(
            f"{V1}/members/M1/points/history", params={"locale": "ru"}, headers=admin
        ).json()
        assert [e["text"] for e in history["items"]] == ["+110 баллов за заказ 1043"]

    def test_renders_reasons_in_the_members_language(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        _pay_order(client, admin)
        client.put(f"{V1}/members/M1", json={"locale": "ru"}, headers=admin)
        client.post(
            f"{V1}/members/M1/points/adjustments",
            json={"points": 1, "reason": "извинения"},
            headers=keyed(admin),
        )
        history = client.get(f"{V1}/members/M1/points/history", headers=admin).json()
        assert [e["text"] for e in history["items"]] == [
            "+1 балл: корректировка (извинения)",
            "+110 баллов за заказ 1043",
        ]

    def test_pages_newest_first(self, client: TestClient, admin: dict[str, str]) -> None:
        _credit(client, admin, "M1", 10)
        _credit(client, admin, "M1", 20)
        _credit(client, admin, "M1", 30)
        url = f"{V1}/members/M1/points/history"
        first = client.get(url, params={"limit": 2}, headers=admin).json()
        rest = client.get(
            url, params={"limit": 2, "before": first["next_before"]}, headers=admin
        ).json()
        assert [e["points"] for e in first["items"]] == [30, 20]
        assert [e["points"] for e in rest["items"]] == [10]
        assert rest["next_before"] is None


class TestHolds:
    def test_confirming_whole_hold_spends_it(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        _credit(client, admin, "M1", 500)
        hold_id = _hold(client, admin, 200)
        held = _points(client, admin)
        response = client.post(f"{V1}/points/holds/{hold_id}/confirm", headers=admin)
        assert response.status_code == 200, response.text
        assert (held["available"], held["on_hold"]) == (300, 200)
        assert response.json()["status"] == "confirmed"
        assert response.json()["confirmed_points"] == 200
        points = _points(client, admin)
        assert (points["available"], points["on_hold"], points["spent"]) == (300, 0, 200)

    def test_confirming_part_of_hold_returns_the_rest(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        _credit(client, admin, "M1", 500)
        hold_id = _hold(client, admin, 200)
        response = client.post(
            f"{V1}/points/holds/{hold_id}/confirm", json={"points": 80}, headers=admin
        )
        assert response.status_code == 200, response.text
        assert response.json()["confirmed_points"] == 80
        points = _points(client, admin)
        assert (points["available"], points["on_hold"], points["spent"]) == (420, 0, 80)

    def test_releasing_hold_gives_points_back(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        _credit(client, admin, "M1", 500)
        hold_id = _hold(client, admin, 200)
        response = client.post(f"{V1}/points/holds/{hold_id}/release", headers=admin)
        assert response.status_code == 200, response.text
        assert response.json()["status"] == "released"
        points = _points(client, admin)
        assert (points["available"], points["on_hold"], points["spent"]) == (500, 0, 0)
        read = client.get(f"{V1}/points/holds/{hold_id}", headers=admin).json()
        assert (read["status"], read["member_id"]) == ("released", "M1")

    def test_rejects_confirm_after_release_with_409_and_writes_nothing(
        self, client: TestClient, app: Loyalist, admin: dict[str, str]
    ) -> None:
        _credit(client, admin, "M1", 500)
        hold_id = _hold(client, admin, 200)
        client.post(f"{V1}/points/holds/{hold_id}/release", headers=admin)
        before = row_counts(app)
        response = client.post(f"{V1}/points/holds/{hold_id}/confirm", headers=admin)
        assert_problem(response, 409, "hold_not_active")
        assert row_counts(app) == before
        assert _points(client, admin)["available"] == 500

    def test_rejects_confirming_more_than_held(
        self, client: TestClient, app: Loyalist, admin: dict[str, str]
    ) -> None:
        _credit(client, admin, "M1", 500)
        hold_id = _hold(client, admin, 200)
        before = row_counts(app)
        response = client.post(
            f"{V1}/points/holds/{hold_id}/confirm", json={"points": 201}, headers=admin
        )
        assert_problem(response, 422, "points_amount_invalid")
        assert row_counts(app) == before

    def test_rejects_hold_beyond_available_points(
        self, client: TestClient, app: Loyalist, admin: dict[str, str]
    ) -> None:
        _pay_order(client, admin)  # pending points cannot be held
        before = row_counts(app)
        response = client.post(
            f"{V1}/members/M1/points/holds", json={"points": 1}, headers=keyed(admin)
        )
        assert_problem(response, 409, "insufficient_points")
        assert row_counts(app) == before

    def test_answers_404_for_unknown_hold(self, client: TestClient, admin: dict[str, str]) -> None:
        for action in ("confirm", "release"):
            response = client.post(f"{V1}/points/holds/hld_nope/{action}", headers=admin)
            assert_problem(response, 404, "hold_not_found")

    def test_history_figures_add_up_to_the_balance(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        _credit(client, admin, "M1", 500)
        _pay_order(client, admin)
        confirmed = _hold(client, admin, 200)
        client.post(f"{V1}/points/holds/{confirmed}/confirm", headers=admin)
        released = _hold(client, admin, 50)
        client.post(f"{V1}/points/holds/{released}/release", headers=admin)
        partly = _hold(client, admin, 100)
        client.post(f"{V1}/points/holds/{partly}/confirm", json={"points": 30}, headers=admin)
        history = client.get(f"{V1}/members/M1/points/history?limit=500", headers=admin).json()
        points = _points(client, admin)
        assert (
            sum(item["points"] for item in history["items"])
            == (points["available"] + points["pending"])
            == 500 + 110 - 200 - 30
        )
        texts = [item["text"] for item in history["items"]]
        assert "200 reserved points used at checkout" in texts
        assert "30 reserved points used at checkout" in texts


class TestRedemptions:
    def test_redeems_available_points(self, client: TestClient, admin: dict[str, str]) -> None:
        _credit(client, admin, "M1", 500)
        response = client.post(
            f"{V1}/members/M1/points/redemptions",
            json={"points": 120, "reference": "coupon-5"},
            headers=keyed(admin),
        )
        assert response.status_code == 201, response.text
        points = _points(client, admin)
        assert (points["available"], points["spent"]) == (380, 120)

    def test_rejects_redemption_beyond_balance_with_409_and_writes_no_posting(
        self, client: TestClient, app: Loyalist, admin: dict[str, str]
    ) -> None:
        _credit(client, admin, "M1", 500)
        _hold(client, admin, 100)
        before = row_counts(app)
        response = client.post(
            f"{V1}/members/M1/points/redemptions", json={"points": 401}, headers=keyed(admin)
        )
        problem = assert_problem(response, 409, "insufficient_points")
        assert problem["available"] == 400
        assert row_counts(app) == before
        assert _points(client, admin)["available"] == 400

    def test_rejects_non_positive_redemption(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        _credit(client, admin, "M1", 500)
        response = client.post(
            f"{V1}/members/M1/points/redemptions", json={"points": 0}, headers=keyed(admin)
        )
        assert_problem(response, 422, "request_invalid", "/points")


class TestAdjustments:
    def test_negative_adjustment_debits_available_points(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        _credit(client, admin, "M1", 500)
        response = client.post(
            f"{V1}/members/M1/points/adjustments",
            json={"points": -150, "reason": "duplicate credit"},
            headers=keyed(admin),
        )
        assert response.status_code == 201, response.text
        assert response.json()["issuer"] == "api-key:shop admin"
        assert _points(client, admin)["available"] == 350
        latest = client.get(f"{V1}/members/M1/points/history", headers=admin).json()["items"][0]
        assert (latest["points"], latest["issuer"]) == (-150, "api-key:shop admin")
        assert latest["text"] == "−150 points: adjustment (duplicate credit)"

    def test_rejects_debit_beyond_balance_and_writes_nothing(
        self, client: TestClient, app: Loyalist, admin: dict[str, str]
    ) -> None:
        _credit(client, admin, "M1", 100)
        before = row_counts(app)
        response = client.post(
            f"{V1}/members/M1/points/adjustments",
            json={"points": -101, "reason": "oops"},
            headers=keyed(admin),
        )
        assert_problem(response, 409, "insufficient_points")
        assert row_counts(app) == before

    def test_rejects_zero_adjustment(self, client: TestClient, admin: dict[str, str]) -> None:
        _credit(client, admin, "M1", 100)
        response = client.post(
            f"{V1}/members/M1/points/adjustments",
            json={"points": 0, "reason": "nothing"},
            headers=keyed(admin),
        )
        assert_problem(response, 422, "adjustment_invalid")


class TestLiability:
    def test_equals_available_pending_and_held_summed_over_members(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        _pay_order(client, admin, "M1")
        _credit(client, admin, "M2", 300)
        _credit(client, admin, "M3", 90)
        _hold(client, admin, 50, member="M2")
        client.post(
            f"{V1}/members/M3/points/redemptions", json={"points": 40}, headers=keyed(admin)
        )
        totals = [_points(client, admin, m) for m in ("M1", "M2", "M3")]
        response = client.get(f"{V1}/points/liability", headers=admin)
        assert response.status_code == 200, response.text
        outstanding = sum(p["available"] + p["pending"] + p["on_hold"] for p in totals)
        assert response.json()["outstanding_points"] == outstanding == 110 + 300 + 50


#: Writes that move points on the client's request: a blind retry would apply them twice.
KEY_REQUIRED = {
    "redemption": ("redemptions", {"points": 10}),
    "hold": ("holds", {"points": 10}),
    "adjustment": ("adjustments", {"points": -10, "reason": "oops"}),
}


class TestIdempotencyKeyRequired:
    @pytest.mark.parametrize("operation", sorted(KEY_REQUIRED))
    def test_refuses_a_points_write_without_a_key_and_writes_nothing(
        self, client: TestClient, app: Loyalist, admin: dict[str, str], operation: str
    ) -> None:
        _credit(client, admin, "M1", 500)
        before = row_counts(app)
        path, body = KEY_REQUIRED[operation]
        response = client.post(f"{V1}/members/M1/points/{path}", json=body, headers=admin)
        problem = assert_problem(
            response, 428, "idempotency_key_missing", "#header/Idempotency-Key"
        )
        assert "Idempotency-Key" in problem["detail"]
        assert row_counts(app) == before

    def test_the_key_is_checked_before_the_body(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        response = client.post(f"{V1}/members/M1/points/redemptions", json={}, headers=admin)
        assert_problem(
            response, 428, "idempotency_key_missing", "#header/Idempotency-Key", "/points"
        )


#: The writes that take an ``Idempotency-Key``.
KEYED = ["adjustment", "hold", "confirm", "release"]


class TestIdempotencyKey:
    def _call(
        self, client: TestClient, admin: dict[str, str], operation: str, key: str, variant: int
    ) -> Any:
        headers = admin | {"Idempotency-Key": key}
        if operation == "adjustment":
            return client.post(
                f"{V1}/members/M1/points/adjustments",
                json={"points": 25 + variant, "reason": "goodwill"},
                headers=headers,
            )
        if operation == "hold":
            return client.post(
                f"{V1}/members/M1/points/holds", json={"points": 40 + variant}, headers=headers
            )
        hold_id = self.holds[variant]
        body = {"points": 10 + variant} if operation == "confirm" else None
        return client.post(f"{V1}/points/holds/{hold_id}/{operation}", json=body, headers=headers)

    @pytest.fixture(autouse=True)
    def _funded(self, client: TestClient, admin: dict[str, str]) -> None:
        _credit(client, admin, "M1", 1000)
        self.holds = [_hold(client, admin, 100), _hold(client, admin, 100)]

    @pytest.mark.parametrize("operation", KEYED)
    def test_replay_returns_first_answer_and_writes_nothing(
        self, client: TestClient, app: Loyalist, admin: dict[str, str], operation: str
    ) -> None:
        first = self._call(client, admin, operation, "key-1", 0)
        after_first = row_counts(app)
        again = self._call(client, admin, operation, "key-1", 0)
        assert first.status_code in (200, 201), first.text
        assert again.status_code == first.status_code
        assert again.json() == first.json()
        assert "idempotent-replayed" not in first.headers
        assert again.headers["idempotent-replayed"] == "true"
        assert row_counts(app) == after_first

    @pytest.mark.parametrize("operation", KEYED)
    def test_rejects_same_key_with_another_request_and_writes_nothing(
        self, client: TestClient, app: Loyalist, admin: dict[str, str], operation: str
    ) -> None:
        self._call(client, admin, operation, "key-1", 0)
        before = row_counts(app)
        response = self._call(client, admin, operation, "key-1", 1)
        assert_problem(response, 409, "idempotency_key_reused")
        assert row_counts(app) == before

    def test_keys_work_for_the_longest_member_id(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        member = "m" * 128
        _credit(client, admin, member, 10)
        url = f"{V1}/members/{member}/points/redemptions"
        headers = admin | {"Idempotency-Key": "k" * 255}
        first = client.post(url, json={"points": 5}, headers=headers)
        again = client.post(url, json={"points": 5}, headers=headers)
        assert (first.status_code, again.status_code) == (201, 201), first.text
        assert again.json() == first.json()
        assert _points(client, admin, member)["available"] == 5
