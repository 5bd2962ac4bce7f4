"""Next-order coupons: a rule's ``coupon`` effect issues the member a personal code of the
campaign, once per firing, and the code is theirs alone."""

from __future__ import annotations

from datetime import UTC
from typing import Any

import pytest

from loyalist.bootstrap import Loyalist
from loyalist.coupons import service as coupons
from loyalist.coupons import validation
from loyalist.coupons.schemas import CampaignIn, Cart
from loyalist.db.uow import UnitOfWork
from loyalist.errors import NotFoundError
from loyalist.members import service as members
from tests.conftest import START
from tests.integration.helpers import send
from tests.integration.test_rules import apply, paid_order, rule

NEXT_ORDER = {
    "name": {"en": "10% off your next order", "ru": "Скидка 10% на следующий заказ"},
    "discount": {"type": "percent", "percent": "10"},
    "code_valid_days": 30,
}
CART = Cart.model_validate(
    {"currency": "EUR", "lines": [{"sku": "A", "quantity": 1, "unit_price": 5000}]}
)


def codes_of(app: Loyalist, member: str) -> list[dict[str, Any]]:
    def op(uow: UnitOfWork) -> list[dict[str, Any]]:
        pk = members.get_member_id(uow, member)
        return coupons.member_coupons(uow, pk, usable_only=False)

    return app.db.read(op)


def test_a_rule_grants_a_personal_next_order_coupon_once_per_order(app: Loyalist) -> None:
    spec = CampaignIn.model_validate(NEXT_ORDER)
    app.db.write(lambda uow: coupons.put_campaign(uow, "next-order", spec))
    apply(
        app,
        rule(
            "thanks",
            on="order.paid",
            condition="order.total >= 10000",
            effects=[{"type": "coupon", "campaign": "next-order"}],
        ),
    )
    first = paid_order("O1", "M1", START, ("A", 1, 12_000))
    send(app, first)
    send(app, first)  # a replayed event issues nothing new
    send(app, paid_order("O2", "M1", START, ("A", 1, 5_000)))  # below the condition
    granted = codes_of(app, "M1")
    assert [(c["campaign"], c["usable"]) for c in granted] == [("next-order", True)]
    assert granted[0]["valid_until"] is not None

    send(app, paid_order("O3", "M1", START, ("A", 1, 20_000)))
    assert len(codes_of(app, "M1")) == 2

    code = granted[0]["code"]

    def validate(member: str) -> dict[str, Any]:
        def op(uow: UnitOfWork) -> dict[str, Any]:
            pk = members.get_member_id(uow, member)
            return validation.validate(
                uow, uow.now, code, CART, validation.audience_of(uow, pk, UTC)
            )

        return app.db.read(op)

    assert validate("M1")["discount"] == 500
    send(app, paid_order("O4", "M2", START, ("A", 1, 100)))
    with pytest.raises(NotFoundError, match="no such coupon code"):
        validate("M2")


def test_a_grant_for_a_missing_campaign_issues_nothing_and_fails_nothing(app: Loyalist) -> None:
    apply(app, rule("thanks", on="order.paid", effects=[{"type": "coupon", "campaign": "gone"}]))
    outcomes = send(app, paid_order("O1", "M1", START))
    assert len(outcomes) == 1
    assert codes_of(app, "M1") == []
