"""The builder's fields and a campaign's spec: a spec the builder can show comes back from
its fields unchanged; one it cannot show whole is refused rather than cut."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from loyalist.campaigns.errors import CampaignNotEditableError
from loyalist.campaigns.schemas import CampaignSpec
from loyalist.web.console.campaigns import _body, _editable_form
from tests.campaigning import spec

ZONE = ZoneInfo("Europe/Berlin")


@pytest.mark.parametrize(
    "given",
    [
        spec(),
        spec("a", "b", control=25),
        CampaignSpec.model_validate(
            {
                **spec("a").model_dump(mode="json"),
                "ends_at": datetime(2026, 12, 24, 18, 0, tzinfo=UTC).isoformat(),
                "send_at": "2026-12-20T10:00:00",
                "quiet_hours": False,
            }
        ),
        CampaignSpec.model_validate(
            {
                "name": {"en": "Tiers", "ru": "Уровни"},
                "template": "campaign",
                "channel": "sms",
                "audience": {
                    "tiers": ["gold", "silver"],
                    "rfm": ["champions"],
                    "condition": "member.order_count >= 2",
                },
                "offer": {"points": {"points": 50}},
                "variants": [
                    {"key": "a", "weight": 3},
                    {"key": "b", "offer": {"points": {"points": 100}}},
                ],
            }
        ),
    ],
)
def test_a_spec_comes_back_from_the_builders_fields(given: CampaignSpec) -> None:
    form = _editable_form("spring", given, ZONE)
    assert CampaignSpec.model_validate(_body(form, ZONE)) == given


def test_a_spec_the_builder_cannot_show_whole_is_refused() -> None:
    given = CampaignSpec.model_validate(
        {
            **spec().model_dump(mode="json"),
            "follow_ups": [
                {
                    "key": "again",
                    "send_at": "2026-12-22T10:00:00",
                    "content": {
                        "subject": {"en": "Again", "ru": "Снова"},
                        "body": {"en": "x", "ru": "y"},
                    },
                }
            ],
        }
    )
    with pytest.raises(CampaignNotEditableError):
        _editable_form("spring", given, ZONE)
