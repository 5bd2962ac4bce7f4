"""Regressions found by review: checkout holds against order facts and one hold per order."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from loyalist.bootstrap import Loyalist
from loyalist.settings import PointsPayment, ProgramPolicy
from tests.conftest import START, event, keyed, order_body
from tests.integration.helpers import assert_ledger_consistent, points, send

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


@pytest.fixture
def member(app: Loyalist, client: TestClient, admin: dict[str, str]) -> str:
    send(app, event("enrol-M1", "member.enrolled", "M1", START))
    response = client.post(
        "/api/v1/members/M1/points/adjustments",
        json={"points": 3000, "reason": "opening balance"},
        headers=keyed(admin),
    )
    assert response.status_code == 201, response.text
    return "M1"


def _get(client: TestClient, admin: dict[str, str], checkout_id: str) -> dict[str, Any]:
    response = client.get(f"/api/v1/checkout/holds/{checkout_id}", headers=admin)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


class TestOrderFacts:
    def test_return_recredits_points_when_the_api_confirmed_first_and_payment_named_the_hold(
        self, app: Loyalist, client: TestClient, admin: dict[str, str], member: str
    ) -> None:
        # The shop confirms the hold over the API (no body: order_id is optional), then
        # reports the payment with `checkout_id` (as docs/checkout.md describes). The
        # payment finds the hold confirmed and does nothing, so the hold never learns its
        # order and a later return of that order re-credits nothing.
        created = client.post(
            "/api/v1/checkout/holds",
            json={"member_id": member, "cart": CART, "points": 2000},
            headers=keyed(admin),
        ).json()
        confirmed = client.post(f"/api/v1/checkout/holds/{created['id']}/confirm", headers=admin)
        assert confirmed.status_code == 200, confirmed.text
        order = order_body("O7", ("A", 2, 3000), ("B", 1, 4000), checkout_id=created["id"])
        send(app, event("paid-O7", "order.paid", member, START, **order))
        assert points(app, member)["spent"] == 2000

        ret = {
            "order_id": "O7",
            "return_id": "R1",
            "lines": [{"sku": "A", "quantity": 2}, {"sku": "B", "quantity": 1}],
        }
        send(app, event("ret-1", "order.returned", member, START, **ret))
        assert _get(client, admin, created["id"])["refunded_points"] == 2000
        assert points(app, member)["spent"] == 0
        assert_ledger_consistent(app)

    def test_cancelling_an_unpaid_order_releases_its_hold(
        self, app: Loyalist, client: TestClient, admin: dict[str, str], member: str
    ) -> None:
        # checkout.service.on_order_facts: "cancellation before payment releases it". But
        # activities only emit OrderCancelled once the payment was reported, so the hold
        # of an order cancelled before payment keeps the points until its time-out.
        created = client.post(
            "/api/v1/checkout/holds",
            json={
                "member_id": member,
                "cart": CART,
                "points": 1000,
                "order_id": "O9",
                "timeout_seconds": 3 * 24 * 3600,
            },
            headers=keyed(admin),
        ).json()
        placed = order_body("O9", ("A", 2, 3000), ("B", 1, 4000), checkout_id=created["id"])
        send(app, event("placed-O9", "order.placed", member, START, **placed))
        send(app, event("cancel-O9", "order.cancelled", member, START, order_id="O9"))
        assert _get(client, admin, created["id"])["status"] == "released"
        assert points(app, member)["available"] == 3000
        assert_ledger_consistent(app)


class TestOneOpenHoldPerOrder:
    def test_confirming_a_hold_for_an_order_that_has_one_is_refused(
        self, app: Loyalist, client: TestClient, admin: dict[str, str], member: str
    ) -> None:
        # docs: "an order has one open hold (checkout_exists)". hold() checks it, confirm()
        # with an order_id does not: two confirmed holds name O1, and for_orders() keeps
        # only one of them per order id, so a return of O1 re-credits only one.
        first = client.post(
            "/api/v1/checkout/holds",
            json={"member_id": member, "cart": CART, "points": 500, "order_id": "O1"},
            headers=keyed(admin),
        ).json()
        second = client.post(
            "/api/v1/checkout/holds",
            json={"member_id": member, "cart": CART, "points": 500},
            headers=keyed(admin),
        ).json()
        assert (
            client.post(f"/api/v1/checkout/holds/{first['id']}/confirm", headers=admin).status_code
            == 200
        )
        response = client.post(
            f"/api/v1/checkout/holds/{second['id']}/confirm",
            json={"order_id": "O1"},
            headers=admin,
        )
        assert response.status_code == 409, response.text


class TestPaymentNamingAnotherOrdersHold:
    def test_payment_of_another_order_does_not_take_over_a_hold(
        self, app: Loyalist, client: TestClient, admin: dict[str, str], member: str
    ) -> None:
        # The API refuses to confirm a hold placed for O1 with order O2
        # (checkout_order_mismatch); order.paid of O2 carrying that checkout_id confirms it
        # and rewrites its order to O2 silently.
        created = client.post(
            "/api/v1/checkout/holds",
            json={"member_id": member, "cart": CART, "points": 500, "order_id": "O1"},
            headers=keyed(admin),
        ).json()
        order = order_body("O2", ("A", 2, 3000), ("B", 1, 4000), checkout_id=created["id"])
        send(app, event("paid-O2", "order.paid", member, START, **order))
        after = _get(client, admin, created["id"])
        assert (after["status"], after["order_id"]) == ("active", "O1"), after
