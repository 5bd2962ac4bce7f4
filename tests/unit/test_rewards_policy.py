"""Whether a member may take a reward: each refusal, their order, and the schema's checks."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pydantic import ValidationError

from loyalist.errors import ConflictError, InvalidRequestError
from loyalist.rewards import policy
from loyalist.rewards.policy import Offer
from loyalist.rewards.schemas import RewardIn
from loyalist.rewards.service import source_key

NOW = datetime(2026, 1, 15, 12, tzinfo=UTC)
OPEN = Offer(
    status="active",
    valid_from=None,
    valid_until=None,
    tiers=(),
    segments=(),
    per_member_limit=None,
    stock=None,
    issued=0,
    cost_points=300,
)


def codes(offer: Offer, **member: Any) -> list[str]:
    facts: dict[str, Any] = {"tier": None, "segments": (), "taken": 0, "available": 1000}
    return [r.code for r in policy.refusals(offer, NOW, **(facts | member))]


class TestRefusals:
    def test_an_open_affordable_reward_has_none(self) -> None:
        assert codes(OPEN) == []

    @pytest.mark.parametrize(
        ("changes", "expected"),
        [
            ({"status": "paused"}, "reward_not_available"),
            ({"valid_from": NOW + timedelta(seconds=1)}, "reward_not_available"),
            ({"valid_until": NOW}, "reward_not_available"),
            ({"tiers": ("gold",)}, "reward_not_eligible"),
            ({"segments": ("vip",)}, "reward_not_eligible"),
            ({"per_member_limit": 2}, "reward_limit_reached"),
            ({"stock": 5, "issued": 5}, "reward_out_of_stock"),
            ({"cost_points": 1001}, "insufficient_points"),
        ],
    )
    def test_each_condition_refuses_with_its_code(
        self, changes: dict[str, Any], expected: str
    ) -> None:
        assert codes(replace(OPEN, **changes), taken=2) == [expected]

    def test_lists_every_refusal_in_the_order_redemption_checks_them(self) -> None:
        offer = replace(OPEN, status="paused", tiers=("gold",), stock=0, cost_points=5000)
        assert codes(offer, tier="silver") == [
            "reward_not_available",
            "reward_not_eligible",
            "reward_out_of_stock",
            "insufficient_points",
        ]

    def test_the_member_needs_any_one_listed_tier_and_any_one_listed_segment(self) -> None:
        offer = replace(OPEN, tiers=("gold", "platinum"), segments=("vip", "staff"))
        assert codes(offer, tier="platinum", segments=("staff", "new")) == []
        assert codes(offer, tier="platinum", segments=("new",)) == ["reward_not_eligible"]

    def test_valid_from_is_inclusive_and_valid_until_exclusive(self) -> None:
        assert codes(replace(OPEN, valid_from=NOW, valid_until=NOW + timedelta(seconds=1))) == []

    def test_exact_balance_is_enough(self) -> None:
        assert codes(OPEN, available=300) == []

    def test_state_refusals_are_conflicts_and_member_refusals_are_422(self) -> None:
        offer = replace(
            OPEN, status="paused", tiers=("gold",), per_member_limit=1, stock=0, cost_points=5000
        )
        facts: dict[str, Any] = {"tier": None, "segments": (), "taken": 1, "available": 0}
        errors = {r.code: r.error() for r in policy.refusals(offer, NOW, **facts)}
        assert {code: (e.code, e.status) for code, e in errors.items()} == {
            "reward_not_available": ("reward_not_available", 422),
            "reward_not_eligible": ("reward_not_eligible", 422),
            "reward_limit_reached": ("reward_limit_reached", 409),
            "reward_out_of_stock": ("reward_out_of_stock", 409),
            "insufficient_points": ("insufficient_points", 409),
        }
        assert isinstance(errors["reward_out_of_stock"], ConflictError)
        assert isinstance(errors["reward_not_eligible"], InvalidRequestError)


def spec(**overrides: Any) -> dict[str, Any]:
    return {
        "name": {"en": "Gift", "ru": "Подарок"},
        "description": {"en": "A sample", "ru": "Пробник"},
        "discount": {"type": "free_shipping"},
        "cost_points": 0,
        **overrides,
    }


class TestRewardIn:
    def test_defaults_to_an_active_unlimited_reward_with_a_thirty_day_coupon(self) -> None:
        reward = RewardIn.model_validate(spec())
        assert (reward.status, reward.stock, reward.coupon_valid_days) == ("active", None, 30)
        assert reward.conditions.conditions().tiers == []

    @pytest.mark.parametrize(
        ("overrides", "location"),
        [
            ({"name": {"en": "Gift"}}, ("name", "ru")),
            ({"cost_points": -1}, ("cost_points",)),
            ({"stock": -1}, ("stock",)),
            ({"per_member_limit": 0}, ("per_member_limit",)),
            ({"coupon_valid_days": 0}, ("coupon_valid_days",)),
            ({"conditions": {"min_order": 100}}, ("conditions",)),
            ({"conditions": {"tiers": ["gold"]}}, ("conditions", "tiers")),
            ({"discount": {"type": "cash"}}, ("discount",)),
        ],
    )
    def test_rejects_invalid_fields_at_their_location(
        self, overrides: dict[str, Any], location: tuple[str, ...]
    ) -> None:
        with pytest.raises(ValidationError) as caught:
            RewardIn.model_validate(spec(**overrides))
        assert caught.value.errors()[0]["loc"][: len(location)] == location

    def test_rejects_an_end_before_the_start(self) -> None:
        with pytest.raises(ValidationError):
            RewardIn.model_validate(
                spec(valid_from="2026-02-01T00:00:00Z", valid_until="2026-01-01T00:00:00Z")
            )


class TestSourceKey:
    def test_short_sources_are_kept_and_long_ones_fit_and_stay_distinct(self) -> None:
        assert source_key("points:abc") == "points:abc"
        a, b = source_key("x" * 300), source_key("x" * 299 + "y")
        assert len(a) == len(b) == 200
        assert a != b
