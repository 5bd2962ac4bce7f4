"""Regressions found by review: every checkout path counts against the guessing limits."""

from __future__ import annotations

from typing import Any

from starlette.testclient import TestClient

from loyalist.bootstrap import Loyalist
from tests.conftest import START, event, keyed
from tests.integration.helpers import send

CART: dict[str, Any] = {
    "currency": "EUR",
    "lines": [{"sku": "SHOE", "category": "shoes", "quantity": 1, "unit_price": 8000}],
    "shipping": 500,
}


def _enrol(app: Loyalist, *names: str) -> None:
    send(app, *[event(f"enrol-{m}", "member.enrolled", m, START) for m in names])


class TestHoldGuessing:
    def test_unknown_codes_in_holds_point_at_the_coupon(
        self, app: Loyalist, client: TestClient, admin: dict[str, str]
    ) -> None:
        # docs/checkout.md: "Every typed coupon must apply (else the problem points at
        # /coupons/<i>)". A 404/409 refusal carries no pointer, which is also what the API
        # layer needs to count the failure.
        _enrol(app, "M1")
        response = client.post(
            "/api/v1/checkout/holds",
            json={"member_id": "M1", "cart": CART, "coupons": ["GUESS00001"]},
            headers=keyed(admin),
        )
        assert response.status_code == 404, response.text
        assert [e["pointer"] for e in response.json().get("errors", [])] == ["/coupons/0"]

    def test_failed_guesses_through_holds_are_limited_per_member(
        self, app: Loyalist, client: TestClient, admin: dict[str, str]
    ) -> None:
        # failures_per_member is 10 per 10 minutes: validate gives 10 × 404 then 429.
        # Through holds every guess is a 404 and none is counted.
        _enrol(app, "M1")
        answers = [
            client.post(
                "/api/v1/checkout/holds",
                json={"member_id": "M1", "cart": CART, "coupons": [f"GUESS{n:05d}"]},
                headers=keyed(admin),
            ).status_code
            for n in range(15)
        ]
        assert answers.count(404) <= 10, answers
        assert 429 in answers, answers


class TestQuoteGuessing:
    def test_one_quote_cannot_try_more_codes_than_the_member_may_fail(
        self, app: Loyalist, client: TestClient, admin: dict[str, str]
    ) -> None:
        # One quote admits once and then prices up to 20 typed codes: 20 guesses answered
        # per request, while the member may fail only 10 times per 10 minutes.
        _enrol(app, "M1")
        answered = 0
        for round_ in range(5):
            response = client.post(
                "/api/v1/checkout/quote",
                json={
                    "member_id": "M1",
                    "cart": CART,
                    "coupons": [f"GUESS{round_:02d}{n:03d}" for n in range(20)],
                },
                headers=admin,
            )
            if response.status_code == 429:
                break
            assert response.status_code == 200, response.text
            answered += sum(c["reason"] == "coupon_not_found" for c in response.json()["coupons"])
        assert answered <= 10, answered
