"""The program file's ``campaigns:`` section: any valid campaign survives the file (written
by export's dumper, read back by the loader, it is the same spec), and its problems carry
their lines."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loyalist import programfile
from loyalist.campaigns import seasons
from loyalist.campaigns.schemas import CampaignSpec
from loyalist.rules.errors import ProgramFileError
from loyalist.rules.programfile import dump_program

_TEXT = st.text(
    st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"),
    min_size=1,
    max_size=40,
)
_LOCALE_TEXT = st.fixed_dictionaries({"en": _TEXT, "ru": _TEXT})
_ARM = st.from_regex(r"[a-z0-9][a-z0-9_\-]{0,15}", fullmatch=True).filter(
    lambda key: key != "control"
)
_ZONES = st.integers(-48, 56).map(lambda quarters: timezone(timedelta(minutes=15 * quarters)))
_MOMENTS = st.datetimes(
    min_value=datetime(2000, 1, 1),  # noqa: DTZ001 (hypothesis's bounds are naive)
    max_value=datetime(2100, 1, 1),  # noqa: DTZ001
)


@st.composite
def specs(draw: st.DrawFn) -> CampaignSpec:
    """A campaign: a season's texts, with any name, audience, variants, numbers and times."""
    season = draw(st.sampled_from(seasons.SEASONS))
    send_at = draw(_MOMENTS)
    aware = draw(st.booleans())
    if aware:
        send_at = send_at.replace(tzinfo=draw(_ZONES))
    ends_at = draw(
        st.none()
        | st.integers(1, 100).map(
            lambda days: (send_at if aware else send_at.replace(tzinfo=UTC)) + timedelta(days)
        )
    )
    variants = draw(st.lists(_ARM, max_size=4, unique=True))
    document: dict[str, Any] = {
        "name": draw(_LOCALE_TEXT),
        "audience": {
            "condition": draw(st.none() | st.just("member.tier == 'gold'")),
            "segments": draw(st.lists(_TEXT, max_size=3)),
            "tiers": draw(st.lists(_TEXT, max_size=3)),
        },
        "channel": draw(st.sampled_from(["email", "sms", "push"])),
        "subject": draw(_LOCALE_TEXT),
        "body": season.body.model_dump(),
        "short": season.short.model_dump(),
        "variants": [{"key": key, "weight": draw(st.integers(1, 1_000))} for key in variants],
        "control_percent": draw(
            st.decimals(Decimal(0), Decimal(50), places=2, allow_nan=False, allow_infinity=False)
        ),
        "offer": season.offer.model_dump(mode="json"),
        "goal": {"event": draw(st.sampled_from(["order.paid", "x.visit"])), "days": 7},
        "send_at": send_at,
        "late": draw(st.sampled_from(["next_day", "skip"])),
        "quiet_hours": draw(st.booleans()),
        "ends_at": ends_at,
    }
    return CampaignSpec.model_validate(document)


@settings(max_examples=100, deadline=None)
@given(spec=specs())
def test_any_valid_campaign_round_trips_through_the_file(spec: CampaignSpec) -> None:
    entry = spec.model_dump(mode="json", exclude_defaults=True)
    text = dump_program({"version": 1, "campaigns": {"spring": entry}})

    loaded = programfile.load(text)

    assert loaded.campaigns is not None
    assert loaded.campaigns["spring"] == spec  # equal values (10 == 10.00 as Decimals)
    assert loaded.rules is None


@pytest.mark.parametrize(
    ("text", "line", "pointer"),
    [
        ("version: 1\ncampaigns: [spring]\n", 2, "/campaigns"),
        ("version: 1\ncampaigns:\n  spring:\n    name: {en: x}\n", 4, "/campaigns/spring/name/ru"),
        (
            "version: 1\ncampaigns:\n  spring:\n    name: {en: x, ru: x}\n    template: campaign\n"
            "    goal:\n      days: 0\n",
            7,
            "/campaigns/spring/goal/days",
        ),
        (
            "version: 1\ncampaigns:\n  seasons:\n    name: {en: x, ru: x}\n"
            "    template: campaign\n",
            3,
            "/campaigns/seasons",
        ),
        (
            "version: 1\ncampaigns:\n  spring:\n    name: {en: x, ru: x}\n"
            "    audience:\n      condition: member.shoe_size > 40\n    template: campaign\n",
            6,
            "/campaigns/spring/audience/condition",
        ),
        (
            "version: 1\ncampaigns:\n  spring:\n    name: {en: x, ru: x}\n"
            "    subject: {en: x, ru: x}\n    body: {en: 'Hi {{ member.', ru: x}\n",
            6,
            "/campaigns/spring/body/en",
        ),
    ],
)
def test_a_problem_names_its_line_and_pointer(text: str, line: int, pointer: str) -> None:
    with pytest.raises(ProgramFileError) as raised:
        programfile.load(text)

    assert [(p.line, p.pointer) for p in raised.value.problems][:1] == [(line, pointer)]
