"""Checkout over HTTP: quote (writes nothing), holds of points and coupons, confirm by call or
by payment, release and time-out, and returns re-crediting points in proportion, once."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from starlette.testclient import TestClient

from loyalist.bootstrap import Loyalist
from loyalist.clock import ManualClock
from loyalist.coupons import service as coupons
from loyalist.coupons.schemas import CampaignIn
from loyalist.members import service as members
from loyalist.settings import PointsPayment, ProgramPolicy
from tests.api.conftest import assert_problem, row_counts
from tests.conftest import START, event, keyed, order_body
from tests.integration.helpers import assert_ledger_consistent, points, run_jobs, send

#: 100.00 EUR of goods in two lines and 5.00 shipping.
CART: dict[str, Any] = {
    "currency": "EUR",
    "lines": [
        {"sku": "A", "category": "cat", "quantity": 2, "unit_price": 3000},
        {"sku": "B", "category": "cat", "quantity": 1, "unit_price": 4000},
    ],
    "shipping": 500,
}


@pytest.fixture
def program() -> ProgramPolicy:
    return ProgramPolicy(points_payment=PointsPayment(min_points=100, step=10, max_share="0.5"))


def give(client: TestClient, admin: dict[str, str], member: str, amount: int) -> None:
    response = client.post(
        f"/api/v1/members/{member}/points/adjustments",
        json={"points": amount, "reason": "opening balance"},
        headers=keyed(admin),
    )
    assert response.status_code == 201, response.text


@pytest.fixture
def member(app: Loyalist, client: TestClient, admin: dict[str, str]) -> str:
    send(app, event("enrol-M1", "member.enrolled", "M1", START))
    give(client, admin, "M1", 3000)
    return "M1"


def put_coupon(client: TestClient, admin: dict[str, str], code: str, **extra: Any) -> None:
    body = {
        "name": {"en": "Ten off", "ru": "Минус десять"},
        "discount": {"type": "fixed", "amount": 1000, "currency": "EUR"},
        "code_mode": "generic",
        "code": code,
    } | extra
    response = client.put(f"/api/v1/coupon-campaigns/{code.lower()}", json=body, headers=admin)
    assert response.status_code == 201, response.text


def hold(client: TestClient, admin: dict[str, str], **body: Any) -> Any:
    return client.post("/api/v1/checkout/holds", json={"cart": CART} | body, headers=keyed(admin))


class TestHoldNeedsAnIdempotencyKey:
    def test_refuses_a_hold_without_a_key_and_writes_nothing(
        self, app: Loyalist, client: TestClient, admin: dict[str, str], member: str
    ) -> None:
        before = row_counts(app)
        response = client.post(
            "/api/v1/checkout/holds",
            json={"member_id": member, "cart": CART, "points": 500},
            headers=admin,
        )
        assert_problem(response, 428, "idempotency_key_missing", "#header/Idempotency-Key")
        assert row_counts(app) == before


class TestQuote:
    def test_points_range_and_line_split_write_nothing(
        self, app: Loyalist, client: TestClient, admin: dict[str, str], member: str
    ) -> None:
        put_coupon(client, admin, "TENOFF")
        before = row_counts(app)
        response = client.post(
            "/api/v1/checkout/quote",
            json={"member_id": member, "cart": CART, "coupons": ["tenoff"], "points": 2000},
            headers=admin,
        )
        assert response.status_code == 200, response.text
        quote = response.json()
        # Goods 10,000 − coupon 1,000 = 9,000; half of it is 4,500 cents = 4,500 points,
        # but the member has 3,000 (0.01 EUR a point, steps of 10).
        assert quote["points"] | {} == quote["points"]
        assert (quote["points"]["min"], quote["points"]["max"]) == (100, 3000)
        assert quote["points"]["value_per_point"] == "1"
        assert quote["points"]["discount"] == 2000
        assert [line["coupon_discount"] for line in quote["lines"]] == [600, 400]
        # 2,000 over what is left (5,400 : 3,600) by largest remainder.
        assert [line["points_discount"] for line in quote["lines"]] == [1200, 800]
        assert quote["total"] == 10_000 + 500 - 1000 - 2000
        assert quote["discount_total"] == 3000
        assert row_counts(app) == before

    @pytest.mark.parametrize(
        ("chosen", "status", "code"),
        [
            (50, 422, "points_out_of_range"),  # under the minimum
            (105, 422, "points_out_of_range"),  # not a step of 10
            (4510, 422, "points_out_of_range"),  # over half of what is left to pay
            (3010, 409, "insufficient_points"),  # allowed, but more than the member has
        ],
    )
    def test_points_outside_the_range_are_refused(
        self,
        client: TestClient,
        admin: dict[str, str],
        member: str,
        chosen: int,
        status: int,
        code: str,
    ) -> None:
        put_coupon(client, admin, "TENOFF")
        response = client.post(
            "/api/v1/checkout/quote",
            json={"member_id": member, "cart": CART, "points": chosen, "coupons": ["TENOFF"]},
            headers=admin,
        )
        assert_problem(response, status, code, *(["/points"] if status == 422 else []))

    def test_shows_the_members_own_coupons(
        self, app: Loyalist, client: TestClient, admin: dict[str, str], member: str
    ) -> None:

        spec = CampaignIn.model_validate(
            {
                "name": {"en": "Free socks", "ru": "Носки в подарок"},
                "discount": {"type": "free_product", "sku": "B"},
                "code_valid_days": 30,
            }
        )

        def issue(uow: Any) -> str:
            campaign = coupons.put_campaign(uow, "socks", spec)
            pk = members.get_member_id(uow, member)
            return coupons.issue_personal(uow, campaign, pk, source="t:1").code

        code = app.db.write(issue)
        quote = client.post(
            "/api/v1/checkout/quote", json={"member_id": member, "cart": CART}, headers=admin
        ).json()
        assert quote["available_coupons"] == [
            {
                "code": code,
                "campaign": "socks",
                "name": {"en": "Free socks", "ru": "Носки в подарок"},
                "valid_until": (START + timedelta(days=30)).isoformat().replace("+00:00", "Z"),
                "applicable": True,
                "discount": 4000,
            }
        ]

    def test_unknown_member_is_404(self, client: TestClient, admin: dict[str, str]) -> None:
        response = client.post(
            "/api/v1/checkout/quote", json={"member_id": "nobody", "cart": CART}, headers=admin
        )
        assert_problem(response, 404, "member_not_found")


class TestHolds:
    def test_hold_confirm_spends_points_and_redeems_the_coupon(
        self, app: Loyalist, client: TestClient, admin: dict[str, str], member: str
    ) -> None:
        put_coupon(client, admin, "ONCE", uses_per_code=1)
        response = hold(client, admin, member_id=member, coupons=["ONCE"], points=1500)
        assert response.status_code == 201, response.text
        checkout = response.json()
        assert checkout["status"] == "active"
        assert (checkout["points"], checkout["points_discount"]) == (1500, 1500)
        assert checkout["total"] == 10_500 - 1000 - 1500
        assert [c["status"] for c in checkout["coupons"]] == ["reserved"]
        assert (points(app, member)["available"], points(app, member)["on_hold"]) == (1500, 1500)
        # The single-use code is taken while the hold lives.
        other = client.post(
            "/api/v1/coupons/validate", json={"code": "ONCE", "cart": CART}, headers=admin
        )
        assert_problem(other, 409, "coupon_used_up")

        url = f"/api/v1/checkout/holds/{checkout['id']}/confirm"
        headers = admin | {"Idempotency-Key": "confirm-1"}
        done = client.post(url, json={"order_id": "O1"}, headers=headers)
        again = client.post(url, json={"order_id": "O1"}, headers=headers)
        assert done.status_code == again.status_code == 200, done.text
        assert again.headers["Idempotent-Replayed"] == "true"
        assert done.json()["status"] == "confirmed"
        assert [c["status"] for c in done.json()["coupons"]] == ["redeemed"]
        summary = points(app, member)
        assert (summary["available"], summary["on_hold"], summary["spent"]) == (1500, 0, 1500)
        release = client.post(f"/api/v1/checkout/holds/{checkout['id']}/release", headers=admin)
        assert_problem(release, 409, "checkout_not_active")
        assert_ledger_consistent(app)

    def test_release_and_time_out_give_everything_back(
        self,
        app: Loyalist,
        client: TestClient,
        admin: dict[str, str],
        member: str,
        clock: ManualClock,
    ) -> None:
        put_coupon(client, admin, "ONCE", uses_per_code=1)
        first = hold(client, admin, member_id=member, coupons=["ONCE"], points=1000).json()
        released = client.post(
            f"/api/v1/checkout/holds/{first['id']}/release",
            json={"reason": "customer left"},
            headers=admin,
        ).json()
        assert released["status"] == "released"
        assert released["coupons"][0]["status"] == "released"
        assert points(app, member)["available"] == 3000

        second = hold(
            client, admin, member_id=member, coupons=["ONCE"], points=1000, timeout_seconds=60
        ).json()
        clock.advance(timedelta(seconds=61))
        late = client.post(f"/api/v1/checkout/holds/{second['id']}/confirm", headers=admin)
        assert_problem(late, 409, "checkout_expired")
        run_jobs(app)
        timed_out = client.get(f"/api/v1/checkout/holds/{second['id']}", headers=admin).json()
        assert timed_out["status"] == "timed_out"
        assert points(app, member)["available"] == 3000
        assert hold(client, admin, member_id=member, coupons=["ONCE"]).status_code == 201
        assert_ledger_consistent(app)

    def test_refused_coupon_points_at_it_and_nothing_is_written(
        self, app: Loyalist, client: TestClient, admin: dict[str, str], member: str
    ) -> None:
        put_coupon(client, admin, "GOOD")
        before = row_counts(app)
        response = hold(client, admin, member_id=member, coupons=["GOOD", "BAD"], points=500)
        assert_problem(response, 404, "coupon_not_found")
        response = hold(client, admin, member_id=member)
        assert_problem(response, 422, "checkout_empty")
        assert row_counts(app) == before

    def test_order_paid_confirms_and_returns_recredit_in_proportion_once(
        self, app: Loyalist, client: TestClient, admin: dict[str, str], member: str
    ) -> None:
        created = hold(client, admin, member_id=member, points=2000).json()
        order = order_body("O7", ("A", 2, 3000), ("B", 1, 4000), checkout_id=created["id"])
        order["lines"][0]["discount"] = 1200  # the shop prints the points as line discounts
        order["lines"][1]["discount"] = 800
        order["total"] -= 2000
        send(app, event("paid-O7", "order.paid", member, START, **order))
        confirmed = client.get(f"/api/v1/checkout/holds/{created['id']}", headers=admin).json()
        assert (confirmed["status"], confirmed["order_id"]) == ("confirmed", "O7")
        spent = points(app, member)["spent"]
        assert spent == 2000

        ret = {"order_id": "O7", "return_id": "R1", "lines": [{"sku": "A", "quantity": 1}]}
        send(app, event("ret-1", "order.returned", member, START, **ret))
        send(app, event("ret-1", "order.returned", member, START, **ret))  # replayed
        after_first = client.get(f"/api/v1/checkout/holds/{created['id']}", headers=admin).json()
        # One of two A lines: net 2,400 of 8,000 → 30% of 2,000 points.
        assert after_first["refunded_points"] == 600
        ret2 = {
            "order_id": "O7",
            "return_id": "R2",
            "lines": [{"sku": "A", "quantity": 1}, {"sku": "B", "quantity": 1}],
        }
        send(app, event("ret-2", "order.returned", member, START, **ret2))
        final = client.get(f"/api/v1/checkout/holds/{created['id']}", headers=admin).json()
        assert final["refunded_points"] == 2000
        assert points(app, member)["spent"] == 0
        history = client.get(f"/api/v1/members/{member}/points/history?locale=ru", headers=admin)
        texts = [item["text"] for item in history.json()["items"]]
        assert any("возврат баллов, которыми был оплачен заказ O7" in t for t in texts), texts
        assert_ledger_consistent(app)

    def test_a_hold_made_for_an_order_is_confirmed_by_its_payment_in_time(
        self,
        app: Loyalist,
        client: TestClient,
        admin: dict[str, str],
        member: str,
        clock: ManualClock,
    ) -> None:
        paid = hold(client, admin, member_id=member, points=500, order_id="O8").json()
        again = hold(client, admin, member_id=member, points=500, order_id="O8")
        assert_problem(again, 409, "checkout_exists")
        send(app, event("paid-O8", "order.paid", member, START, **order_body("O8", ("A", 1, 3000))))
        assert (
            client.get(f"/api/v1/checkout/holds/{paid['id']}", headers=admin).json()["status"]
            == "confirmed"
        )

        late = hold(
            client, admin, member_id=member, points=500, order_id="O9", timeout_seconds=60
        ).json()
        clock.advance(timedelta(minutes=2))
        send(app, event("paid-O9", "order.paid", member, START, **order_body("O9", ("A", 1, 3000))))
        run_jobs(app)  # paid after the time-out: the points were no longer promised
        assert (
            client.get(f"/api/v1/checkout/holds/{late['id']}", headers=admin).json()["status"]
            == "timed_out"
        )
        assert points(app, member)["available"] == 2500
        assert_ledger_consistent(app)
