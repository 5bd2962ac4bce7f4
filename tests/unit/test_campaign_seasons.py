"""The seasonal calendar: each season's next occurrence from any day (pure), the specs it
copies to, and texts that render in English and Russian over the campaign context."""

from __future__ import annotations

import functools
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loyalist.campaigns import seasons
from loyalist.campaigns.errors import CampaignSeasonNotFoundError
from loyalist.campaigns.schemas import CampaignSpec, LocaleText
from loyalist.messages import rendering, sandbox
from loyalist.messages.formatting import Formatting

MOSCOW = ZoneInfo("Europe/Moscow")


@pytest.mark.parametrize(
    ("year", "day"),
    [(2023, 24), (2024, 29), (2025, 28), (2026, 27), (2027, 26), (2028, 24), (2029, 23)],
)
def test_black_friday_is_the_friday_after_the_fourth_thursday_of_november(
    year: int, day: int
) -> None:
    assert seasons.black_friday(year) == date(year, 11, day)


class TestNextOccurrence:
    def test_this_years_when_its_send_day_is_ahead(self) -> None:
        found = seasons.next_occurrence(seasons.season("new_year"), date(2026, 12, 7), MOSCOW)

        assert found.day == date(2026, 12, 31)
        assert found.send_at == datetime(2026, 12, 17, 10, 0)  # noqa: DTZ001 (local to members)
        assert found.send_at.tzinfo is None
        assert found.ends_at == datetime(2027, 1, 1, 0, 0, tzinfo=MOSCOW)

    def test_today_when_today_is_the_send_day(self) -> None:
        found = seasons.next_occurrence(seasons.season("womens_day"), date(2026, 3, 3), UTC_ZONE)
        assert found.send_at.date() == date(2026, 3, 3)
        assert found.ends_at == datetime(2026, 3, 9, tzinfo=UTC_ZONE)

    def test_next_years_once_the_send_day_has_passed(self) -> None:
        found = seasons.next_occurrence(seasons.season("new_year"), date(2026, 12, 18), MOSCOW)
        assert found.send_at.date() == date(2027, 12, 17)
        friday = seasons.next_occurrence(seasons.season("black_friday"), date(2026, 11, 28), MOSCOW)
        assert friday.send_at.date() == date(2027, 11, 26)
        assert friday.ends_at == datetime(2027, 11, 30, tzinfo=MOSCOW)  # through Cyber Monday

    @given(
        today=st.dates(min_value=date(2000, 1, 1), max_value=date(2200, 12, 31)),
        season=st.sampled_from(seasons.SEASONS),
    )
    def test_is_the_first_occurrence_from_today_and_its_dates_hold_together(
        self, today: date, season: seasons.Season
    ) -> None:
        found = seasons.next_occurrence(season, today, MOSCOW)

        send_day = found.send_at.date()
        assert today <= send_day < today + timedelta(days=373)
        assert send_day == found.day - timedelta(days=season.lead_days)
        assert found.ends_at.date() == send_day + timedelta(days=season.days)
        assert found.ends_at.tzinfo is MOSCOW
        # No occurrence between today and the one found.
        earlier = seasons.next_occurrence(season, today - timedelta(days=1), MOSCOW)
        assert earlier.send_at.date() in (today - timedelta(days=1), send_day)
        # The spec it copies to is valid as the API takes it.
        spec = seasons.spec_of(season, found)
        assert CampaignSpec.model_validate(spec.model_dump(mode="json")) == spec


def test_the_seasons_a_shop_runs_are_there_each_with_a_valid_spec() -> None:
    keys = [season.key for season in seasons.SEASONS]
    assert {"new_year", "womens_day", "black_friday", "back_to_school"} <= set(keys)
    assert len(set(keys)) == len(keys)
    for season in seasons.SEASONS:
        spec = seasons.spec_for(season.key, date(2026, 1, 15), MOSCOW)
        assert spec.name == season.name
        assert spec.offer is not None
        assert spec.offer.points is not None
        assert spec.offer.description is not None
        assert spec.channel == "email"
        steps = [f.key for f in spec.follow_ups]
        assert steps == (["last_day"] if season.days > 2 else [])


def test_an_unknown_season_is_refused_naming_the_seasons() -> None:
    with pytest.raises(CampaignSeasonNotFoundError, match="new_year"):
        seasons.spec_for("easter", date(2026, 1, 15), MOSCOW)


def test_the_calendar_is_soonest_first_from_the_day_given() -> None:
    entries = seasons.calendar(date(2026, 9, 2), MOSCOW)

    assert [e["key"] for e in entries][:3] == ["singles_day", "black_friday", "new_year"]
    assert entries[-1]["key"] == "back_to_school"
    assert entries[-1]["send_at"] == datetime(2027, 8, 18, 10, 0)  # noqa: DTZ001
    for entry in entries:
        assert CampaignSpec.model_validate(entry["spec"]).send_at == entry["send_at"]


UTC_ZONE = ZoneInfo("UTC")


def _context(*, full: bool, locale: str) -> dict[str, Any]:
    """The campaign context's shape (``messages.contexts.CampaignContext``)."""
    return {
        "member": {
            "first_name": "Anna" if full else "",
            "points_balance": 1200 if full else 0,
            "tier": "Gold" if full else None,
        },
        "campaign": {
            "name": "8 March" if locale == "en" else "8 Марта",
            "ends_at": datetime(2026, 3, 9, tzinfo=UTC) if full else None,
            "step": "main",
        },
        "offer": {
            "description": "double points" if locale == "en" else "двойные баллы",
            "coupon": None,
            "points": None,
            "multiplier": "2",
            "gift": None,
        }
        if full
        else None,
        "favourites": {"categories": ["Tea", "Coffee"] if full else [], "products": []},
        "recommendations": [],
        "points": {
            "balance": 1200 if full else 0,
            "expiring": 300 if full else 0,
            "expiring_on": date(2026, 3, 31) if full else None,
        },
        "tier_progress": None,
        "clv": None,
        "shop_url": "https://shop.example/",
    }


def _texts() -> list[tuple[str, str, LocaleText]]:
    found = []
    for season in seasons.SEASONS:
        for part in ("subject", "body", "short"):
            found.append((season.key, part, getattr(season, part)))
    content = seasons.LAST_DAY.content
    for part in ("subject", "body", "short"):
        found.append(("last_day", part, getattr(content, part)))
    return found


@pytest.mark.parametrize("full", [True, False], ids=["everything", "nothing"])
@pytest.mark.parametrize("locale", ["en", "ru"])
def test_every_text_renders_in_the_messages_sandbox_over_the_campaign_context(
    locale: str, full: bool
) -> None:
    context = _context(full=full, locale=locale)
    for season, part, text in _texts():
        source = getattr(text, locale)
        template = rendering._compiled(False, source)
        output: str = sandbox.run_with(
            sandbox.Limits(), Formatting(locale, UTC), functools.partial(template.render, context)
        )
        assert output.strip(), (season, part, locale)
        assert "{{" not in output
        if part == "body":
            assert "https://shop.example/" in output
            assert ("Anna" in output) is full, (season, locale)
            if full:
                assert ("double points" in output) or ("двойные баллы" in output)
                assert (season == "last_day") or ("Tea" in output)
                assert "..\n" not in output
                assert "г..\n" not in output
