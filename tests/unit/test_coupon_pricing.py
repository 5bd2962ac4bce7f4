"""Cart pricing with coupons and points: exact allocation, stacking, caps (properties)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter

from loyalist.checkout.policy import money_for, points_range
from loyalist.coupons.models import Stacking
from loyalist.coupons.policy import Offer, allocate, price_cart
from loyalist.coupons.schemas import Cart, Conditions, Discount
from loyalist.settings import PointsPayment

DISCOUNT: TypeAdapter[Any] = TypeAdapter(Discount)


def offer(
    code: str,
    discount: dict[str, Any],
    *,
    stacking: str = "combinable",
    priority: int = 100,
    **conditions: Any,
) -> Offer:
    return Offer(
        code=code,
        campaign=code.lower(),
        discount=DISCOUNT.validate_python(discount),
        conditions=Conditions(**conditions),
        stacking=Stacking(stacking),
        priority=priority,
    )


def cart(*lines: tuple[str, int, int], shipping: int = 0, category: str = "c") -> Cart:
    return Cart.model_validate(
        {
            "currency": "EUR",
            "lines": [
                {"sku": s, "category": category, "quantity": q, "unit_price": p}
                for s, q, p in lines
            ],
            "shipping": shipping,
        }
    )


class TestAllocate:
    @given(
        st.lists(st.integers(min_value=0, max_value=10**9), min_size=1, max_size=30),
        st.data(),
    )
    def test_parts_add_up_and_never_pass_their_weight(self, weights: list[int], data: Any) -> None:
        total = data.draw(st.integers(min_value=0, max_value=sum(weights)))
        parts = allocate(total, weights)
        assert sum(parts) == (total if sum(weights) else 0)
        assert all(0 <= p <= w for p, w in zip(parts, weights, strict=True))

    def test_largest_remainder_breaks_ties_by_position(self) -> None:
        assert allocate(2, [1, 1, 1]) == [1, 1, 0]
        assert allocate(500, [3000, 1001]) == [375, 125]


lines_strategy = st.lists(
    st.tuples(
        st.sampled_from(["A", "B", "C", "D"]),
        st.integers(min_value=1, max_value=5),
        st.integers(min_value=0, max_value=50_000),
    ),
    min_size=1,
    max_size=4,
    unique_by=lambda line: line[0],
)
discount_strategy = st.one_of(
    st.builds(
        lambda a: {"type": "fixed", "amount": a, "currency": "EUR"},
        st.integers(min_value=1, max_value=200_000),
    ),
    st.builds(
        lambda p, cap: (
            {"type": "percent", "percent": str(p)}
            | ({"max_amount": cap, "currency": "EUR"} if cap else {})
        ),
        st.integers(min_value=1, max_value=100),
        st.one_of(st.none(), st.integers(min_value=1, max_value=50_000)),
    ),
    st.just({"type": "free_shipping"}),
    st.builds(lambda s: {"type": "free_product", "sku": s}, st.sampled_from(["A", "B", "Z"])),
)


class TestPriceCart:
    @settings(max_examples=300)
    @given(
        lines_strategy,
        st.integers(min_value=0, max_value=2_000),
        st.lists(
            st.tuples(discount_strategy, st.booleans(), st.integers(min_value=0, max_value=3)),
            min_size=1,
            max_size=4,
        ),
    )
    def test_never_below_zero_and_exclusive_never_stacks(
        self, lines: list[tuple[str, int, int]], shipping: int, specs: list[Any]
    ) -> None:
        c = cart(*lines, shipping=shipping)
        offers = [
            offer(f"C{i}", d, stacking="exclusive" if ex else "combinable", priority=p)
            for i, (d, ex, p) in enumerate(specs)
        ]
        results = price_cart(c, offers)
        applied = [r for r in results if r.refusal is None]
        per_line = [0] * len(c.lines)
        for r in applied:
            for i, amount in r.lines.items():
                assert amount > 0
                per_line[i] += amount
        assert all(per_line[i] <= line.amount for i, line in enumerate(c.lines))
        assert sum(r.shipping for r in applied) <= shipping
        if any(r.offer.stacking == Stacking.EXCLUSIVE for r in applied):
            assert len(applied) == 1
        for r in results:
            if r.refusal is not None:
                assert r.amount == 0

    def test_fixed_over_lines_adds_up_and_is_capped(self) -> None:
        (result,) = price_cart(
            cart(("A", 1, 300), ("B", 1, 200)),
            [offer("F", {"type": "fixed", "amount": 1000, "currency": "EUR"})],
        )
        assert result.lines == {0: 300, 1: 200}

    def test_percent_rounds_half_up_then_caps(self) -> None:
        (result,) = price_cart(
            cart(("A", 1, 1005)), [offer("P", {"type": "percent", "percent": "10"})]
        )
        assert result.amount == 101  # 100.5 → 101
        capped = offer(
            "Q", {"type": "percent", "percent": "50", "max_amount": 100, "currency": "EUR"}
        )
        assert price_cart(cart(("A", 1, 1005)), [capped])[0].amount == 100

    def test_priority_orders_application_and_later_coupons_see_what_is_left(self) -> None:
        ten = offer("TEN", {"type": "percent", "percent": "10"}, priority=2)
        fixed = offer("FIX", {"type": "fixed", "amount": 1000, "currency": "EUR"}, priority=1)
        results = price_cart(cart(("A", 1, 10_000)), [ten, fixed])
        assert [r.amount for r in results] == [900, 1000]  # 10% of 9,000, after the fixed one

    def test_free_product_takes_only_the_free_units(self) -> None:
        gift = offer("G", {"type": "free_product", "sku": "B", "quantity": 2})
        (result,) = price_cart(cart(("A", 1, 500), ("B", 3, 700)), [gift])
        assert result.lines == {1: 1400}

    @pytest.mark.parametrize(
        ("conditions", "code"),
        [
            ({"min_order": 10_001, "currency": "EUR"}, "coupon_min_order"),
            ({"min_order": 10, "currency": "USD"}, "coupon_currency_mismatch"),
            ({"categories": ["other"]}, "coupon_no_eligible_lines"),
        ],
    )
    def test_conditions_refuse_with_a_reason(self, conditions: dict[str, Any], code: str) -> None:
        coupon = offer("X", {"type": "percent", "percent": "5"}, **conditions)
        (result,) = price_cart(cart(("A", 1, 10_000)), [coupon])
        assert result.refusal is not None
        assert result.refusal.code == code


class TestPointsRange:
    def test_caps_by_share_balance_and_step(self) -> None:
        payment = PointsPayment(min_points=100, step=10, max_share=Decimal("0.5"))
        found = points_range(9_000, 3_005, Decimal(1), payment)
        assert (found.minimum, found.maximum) == (100, 3000)
        assert found.allows(0)
        assert found.allows(2000)
        assert not found.allows(2005)
        assert not found.allows(90)
        poor = points_range(9_000, 50, Decimal(1), payment)
        assert poor.maximum == 0
        assert not poor.allows(50)

    def test_value_per_point_in_kopecks_rounds_money_down(self) -> None:
        payment = PointsPayment(max_share=Decimal("0.3"))
        found = points_range(100_000, 10**6, Decimal(100), payment)  # 1 RUB a point
        assert found.maximum == 300
        assert money_for(3, Decimal("0.4")) == 1

    @given(
        st.integers(min_value=0, max_value=10**8),
        st.integers(min_value=0, max_value=10**7),
        st.decimals(min_value=Decimal("0.01"), max_value=Decimal(1000), places=2),
        st.integers(min_value=1, max_value=50),
        st.integers(min_value=1, max_value=100),
    )
    def test_the_largest_choice_never_pays_more_than_allowed(
        self, payable: int, balance: int, value: Decimal, step: int, share: int
    ) -> None:
        payment = PointsPayment(step=step, max_share=Decimal(share) / 100)
        found = points_range(payable, balance, value, payment)
        assert found.maximum <= balance
        assert found.maximum % step == 0
        assert money_for(found.maximum, value) <= payable * Decimal(share) / 100
