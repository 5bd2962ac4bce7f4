"""A hypothesis strategy for any valid ``JourneysConfig`` (journey settings), shared by the
program file's round-trip properties."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from loyalist.insights.rfm import SEGMENTS
from loyalist.messages.journeyconf import JourneysConfig

_DAYS = st.integers(1, 3650)
_KEY = st.from_regex(r"[a-z0-9][a-z0-9_\-:]{0,20}", fullmatch=True)
#: Any text but NUL (the program file and the API refuse it: no column stores it).
_WORDS = st.text(st.characters(exclude_characters="\x00", codec="utf-8"), min_size=1, max_size=40)


def _base() -> dict[str, Any]:
    return {
        "enabled": st.booleans(),
        "channels": st.lists(
            st.sampled_from(["email", "sms", "push"]), min_size=1, max_size=3, unique=True
        ),
    }


def _text() -> st.SearchStrategy[dict[str, str]]:
    return st.fixed_dictionaries({"en": _WORDS, "ru": _WORDS})


_URL_BASE = st.sampled_from(["https://shop.example", "http://127.0.0.1:8080/x"])

journeys_configs: st.SearchStrategy[JourneysConfig] = st.builds(
    JourneysConfig.model_validate,
    st.fixed_dictionaries(
        {
            "welcome": st.fixed_dictionaries({**_base(), "delay_hours": st.integers(0, 720)}),
            "order_confirmation": st.fixed_dictionaries(
                {
                    **_base(),
                    "delay_minutes": st.integers(0, 1440),
                    "recommendations": st.integers(0, 20),
                }
            ),
            "shipping": st.fixed_dictionaries(
                {
                    **_base(),
                    "cross_sell": st.integers(0, 20),
                    "thank_you_on_delivery": st.booleans(),
                }
            ),
            "post_purchase": st.fixed_dictionaries(
                {
                    **_base(),
                    "tips_after_days": _DAYS,
                    "review_after_days": _DAYS,
                    "nps_after_days": _DAYS,
                    "review_points": st.none() | st.integers(0, 1_000_000),
                    "review_url": st.none()
                    | _URL_BASE.map(lambda u: u + "/p/{sku}/review?order={order_id}"),
                    "nps_url": st.none() | _URL_BASE.map(lambda u: u + "/nps/{survey_id}"),
                    "tips": st.lists(
                        st.fixed_dictionaries(
                            {"category": _WORDS, "title": _text(), "body": _text()}
                        ),
                        max_size=3,
                    ),
                }
            ),
            "points": st.fixed_dictionaries(
                {
                    **_base(),
                    "matured": st.booleans(),
                    "expiring_days": st.lists(_DAYS, max_size=10, unique=True),
                    "statement": st.booleans(),
                }
            ),
            "tier": st.fixed_dictionaries(
                {
                    **_base(),
                    "upgrade": st.booleans(),
                    "downgrade_warning_days": _DAYS,
                    "renewal_reminder_days": _DAYS,
                }
            ),
            "rewards_referrals": st.fixed_dictionaries(
                {
                    **_base(),
                    "reward_issued": st.booleans(),
                    "referral_converted": st.booleans(),
                    "friend_welcome": st.booleans(),
                }
            ),
            "birthday": st.fixed_dictionaries({**_base(), "gift_rule": st.none() | _KEY}),
            "win_back": st.fixed_dictionaries(
                {
                    **_base(),
                    "segments": st.lists(st.sampled_from(SEGMENTS), max_size=8, unique=True),
                    "churn_risk_at_least": st.floats(0, 1),
                    "coupon_campaign": st.none() | _KEY,
                    "cooldown_days": _DAYS,
                }
            ),
        }
    ),
)
