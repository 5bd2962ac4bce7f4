"""Regressions found by review: pricing caps, personal-code leaks, limits below uses."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError
from starlette.testclient import TestClient

from loyalist.bootstrap import Loyalist
from loyalist.coupons import policy
from loyalist.coupons import service as coupons
from loyalist.coupons.models import Stacking
from loyalist.coupons.schemas import CampaignIn, Cart, Conditions, FreeShipping
from loyalist.members import service as members
from tests.api.conftest import assert_problem
from tests.conftest import START, event
from tests.integration.helpers import send

CART: dict[str, Any] = {
    "currency": "EUR",
    "lines": [{"sku": "SHOE", "category": "shoes", "quantity": 1, "unit_price": 8000}],
    "shipping": 900,
}
NAME = {"en": "Spring sale", "ru": "Весенняя распродажа"}


def _offer(discount: Any) -> policy.Offer:
    return policy.Offer(
        code="X",
        campaign="c",
        discount=discount,
        conditions=Conditions(),
        stacking=Stacking.COMBINABLE,
        priority=100,
    )


class TestFreeShippingCap:
    def test_cap_without_currency_is_refused(self) -> None:
        # Fixed: like percent discounts, a cap needs its currency (it was silently dropped).
        with pytest.raises(ValidationError, match="max_amount needs a currency"):
            FreeShipping.model_validate({"type": "free_shipping", "max_amount": 300})

    def test_cap_in_another_currency_is_ignored(self) -> None:
        # A 3.00 EUR cap on a USD cart: percent discounts refuse (currency mismatch); free
        # shipping silently gives the full 9.00 USD.
        discount = FreeShipping.model_validate(
            {"type": "free_shipping", "max_amount": 300, "currency": "EUR"}
        )
        cart = Cart.model_validate(CART | {"currency": "USD"})
        (priced,) = policy.price_cart(cart, [_offer(discount)])
        assert priced.refusal is not None or priced.shipping <= 300, priced


def _campaign(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": NAME,
        "discount": {"type": "percent", "percent": "10"},
        "code_mode": "generic",
        "code": "SPRING-2026",
    }
    return body | overrides


class TestPersonalCodeLeak:
    def test_someone_elses_personal_code_of_a_paused_campaign_is_not_found(
        self, app: Loyalist, client: TestClient, admin: dict[str, str]
    ) -> None:
        send(app, *[event(f"enrol-{m}", "member.enrolled", m, START) for m in ("M1", "M2")])
        spec = CampaignIn.model_validate(
            _campaign(code_mode="unique", code=None, code_valid_days=7)
        )

        def issue(uow: Any) -> str:
            found = coupons.put_campaign(uow, "gift", spec)
            member = members.get_member_id(uow, "M1")
            return coupons.issue_personal(uow, found, member, source="test:1").code

        code = app.db.write(issue)
        paused = client.put(
            "/api/v1/coupon-campaigns/gift",
            json=_campaign(code_mode="unique", code=None, code_valid_days=7, status="paused"),
            headers=admin,
        )
        assert paused.status_code == 200, paused.text
        # M2 must not learn that M1's code exists: the answer is the same as for a random code.
        theirs = client.post(
            "/api/v1/coupons/validate",
            json={"code": code, "member_id": "M2", "cart": CART},
            headers=admin,
        )
        assert_problem(theirs, 404, "coupon_not_found")
        guest = client.post(
            "/api/v1/coupons/validate", json={"code": code, "cart": CART}, headers=admin
        )
        assert_problem(guest, 404, "coupon_not_found")


class TestCampaignEdits:
    def _redeem(self, client: TestClient, admin: dict[str, str], n: int) -> None:
        for i in range(n):
            r = client.post(
                "/api/v1/coupons/redemptions",
                json={"code": "SPRING2026", "order_id": f"O{i}", "cart": CART},
                headers=admin | {"Idempotency-Key": f"redeem-O{i}"},
            )
            assert r.status_code == 201, r.text

    def test_lowering_uses_per_code_below_uses_is_not_a_500(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        first = client.put(
            "/api/v1/coupon-campaigns/spring", json=_campaign(uses_per_code=5), headers=admin
        )
        assert first.status_code == 201, first.text
        self._redeem(client, admin, 3)
        lowered = client.put(
            "/api/v1/coupon-campaigns/spring", json=_campaign(uses_per_code=2), headers=admin
        )
        assert lowered.status_code < 500, lowered.text

    def test_lowering_max_redemptions_below_redemptions_is_not_a_500(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        first = client.put(
            "/api/v1/coupon-campaigns/spring", json=_campaign(max_redemptions=5), headers=admin
        )
        assert first.status_code == 201, first.text
        self._redeem(client, admin, 3)
        lowered = client.put(
            "/api/v1/coupon-campaigns/spring", json=_campaign(max_redemptions=2), headers=admin
        )
        assert lowered.status_code < 500, lowered.text
