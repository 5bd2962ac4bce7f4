"""Journey settings (``journeyconf``): the defaults of the fixed interface and what is refused."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from loyalist.messages.errors import JourneyNotFoundError
from loyalist.messages.journeyconf import NAMES, JourneysConfig, journey_model


def test_the_defaults_are_the_fixed_interface() -> None:
    config = JourneysConfig()
    assert NAMES == (
        "welcome",
        "order_confirmation",
        "shipping",
        "post_purchase",
        "points",
        "tier",
        "rewards_referrals",
        "birthday",
        "win_back",
    )
    on = {name for name in NAMES if getattr(config, name).enabled}
    assert on == {"order_confirmation", "shipping"}
    assert all(getattr(config, name).channels == ["email"] for name in NAMES)
    assert config.welcome.delay_hours == 0
    assert config.order_confirmation.delay_minutes == 0
    assert config.order_confirmation.recommendations == 3
    assert config.shipping.cross_sell == 3
    assert config.shipping.thank_you_on_delivery is True
    post = config.post_purchase
    assert (post.tips_after_days, post.review_after_days, post.nps_after_days) == (3, 10, 30)
    assert (post.review_points, post.review_url, post.nps_url, post.tips) == (None, None, None, [])
    assert config.points.expiring_days == [30, 7]
    assert config.points.matured
    assert config.points.statement
    assert (config.tier.downgrade_warning_days, config.tier.renewal_reminder_days) == (30, 14)
    assert config.rewards_referrals.friend_welcome is True
    assert config.birthday.gift_rule is None
    assert config.win_back.segments == ["at_risk", "cant_lose"]
    assert config.win_back.churn_risk_at_least == 0.7
    assert config.win_back.cooldown_days == 90


def test_a_tip_is_written_in_both_languages() -> None:
    tip = {"category": "coffee", "title": {"en": "Grind", "ru": "Помол"}, "body": {"en": "Fine"}}
    with pytest.raises(ValidationError) as caught:
        JourneysConfig.model_validate({"post_purchase": {"tips": [tip]}})
    assert [e["loc"] for e in caught.value.errors()] == [("post_purchase", "tips", 0, "body", "ru")]


@pytest.mark.parametrize(
    ("settings", "where"),
    [
        ({"welcome": {"enabled": "maybe"}}, ("welcome", "enabled")),
        ({"welcome": {"channels": ["fax"]}}, ("welcome", "channels", 0)),
        ({"welcome": {"channels": ["sms", "sms"]}}, ("welcome", "channels")),
        ({"welcome": {"channels": []}}, ("welcome", "channels")),
        ({"shipping": {"colour": "red"}}, ("shipping", "colour")),
        ({"tiers": {}}, ("tiers",)),
        ({"post_purchase": {"review_url": "https://s.example/r/{sku}/{user}"}}, None),
        ({"post_purchase": {"review_url": "ftp://s.example/{sku}"}}, None),
        ({"post_purchase": {"nps_url": "https://s.example/{survey_id"}}, None),
        ({"post_purchase": {"nps_url": "https://s.example/{sku}"}}, None),
        ({"points": {"expiring_days": [7, 7]}}, ("points", "expiring_days")),
        ({"points": {"expiring_days": [0]}}, ("points", "expiring_days", 0)),
        ({"win_back": {"segments": ["vip"]}}, ("win_back", "segments")),
        ({"win_back": {"churn_risk_at_least": 1.5}}, ("win_back", "churn_risk_at_least")),
        ({"birthday": {"gift_rule": "Not A Key"}}, ("birthday", "gift_rule")),
    ],
)
def test_bad_settings_are_refused_with_their_place(
    settings: dict[str, Any], where: tuple[Any, ...] | None
) -> None:
    with pytest.raises(ValidationError) as caught:
        JourneysConfig.model_validate(settings)
    places = [e["loc"] for e in caught.value.errors()]
    assert len(places) == 1
    if where is not None:
        assert places[0] == where
    else:
        assert places[0][0] == "post_purchase"


def test_links_may_use_their_placeholders() -> None:
    config = JourneysConfig.model_validate(
        {
            "post_purchase": {
                "review_url": "https://shop.example/p/{sku}/review?order={order_id}",
                "nps_url": "http://survey.example/s/{survey_id}",
            }
        }
    )
    assert config.post_purchase.review_url == "https://shop.example/p/{sku}/review?order={order_id}"


def test_each_journey_name_has_its_model() -> None:
    assert journey_model("win_back")().model_dump()["segments"] == ["at_risk", "cant_lose"]
    assert journey_model("order_confirmation")().enabled is True
    with pytest.raises(JourneyNotFoundError):
        journey_model("newsletter")
