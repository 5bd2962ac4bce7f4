"""Pure tier decisions: windows in the program time zone, thresholds, reviews, progress text."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from loyalist.tiers import policy, progress
from loyalist.tiers.policy import Totals, Window
from loyalist.tiers.schemas import Threshold, TierLevel, TierProgram

MOSCOW = ZoneInfo("Europe/Moscow")
NEW_YORK = ZoneInfo("America/New_York")
_NAIVE_MIN = datetime(2000, 1, 1, tzinfo=UTC).replace(tzinfo=None)
_NAIVE_MAX = datetime(2090, 1, 1, tzinfo=UTC).replace(tzinfo=None)


def _utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def _level(key: str, **threshold: int) -> TierLevel:
    return TierLevel(
        key=key,
        name={"en": key.title(), "ru": key.upper()},
        threshold=Threshold(**threshold) if threshold else None,
    )


LEVELS = [
    _level("member"),
    _level("silver", spend=20000, orders=3),
    _level("gold", spend=50000, orders=6, points=1000),
    _level("platinum", spend=100000),
]


class TestCalendarWindow:
    def test_counts_late_evening_of_31_december_in_moscow_for_the_old_year(self) -> None:
        at = _utc(2026, 12, 31, 20, 30)  # 23:30 in Moscow
        window = policy.window_containing("calendar_year", at, MOSCOW)
        assert window == Window(_utc(2025, 12, 31, 21), _utc(2026, 12, 31, 21))
        assert window.holds(at)

    def test_counts_half_past_midnight_in_moscow_for_the_new_year_though_utc_is_still_old(
        self,
    ) -> None:
        at = _utc(2026, 12, 31, 21, 30)  # 00:30 on 1 January in Moscow
        window = policy.window_containing("calendar_year", at, MOSCOW)
        assert window.start == _utc(2026, 12, 31, 21)
        assert at.year == 2026
        assert window.end == _utc(2027, 12, 31, 21)

    def test_counts_new_year_utc_for_the_old_year_west_of_greenwich(self) -> None:
        at = _utc(2027, 1, 1, 4, 30)  # 23:30 on 31 December in New York
        window = policy.window_containing("calendar_year", at, NEW_YORK)
        assert window == Window(_utc(2026, 1, 1, 5), _utc(2027, 1, 1, 5))

    def test_first_review_window_ends_with_the_year_the_tier_was_reached(self) -> None:
        end = policy.first_window_end("calendar_year", _utc(2026, 3, 1), MOSCOW)
        assert end == _utc(2026, 12, 31, 21)
        assert policy.window_ending("calendar_year", end, MOSCOW).start == _utc(2025, 12, 31, 21)
        assert policy.next_window_end("calendar_year", end, MOSCOW) == _utc(2027, 12, 31, 21)
        assert policy.review_time(end, 30) == _utc(2027, 1, 30, 21)


class TestRollingWindow:
    def test_covers_the_twelve_months_up_to_and_including_the_moment_but_not_a_year_before(
        self,
    ) -> None:
        at = _utc(2026, 6, 15, 10)
        window = policy.window_containing("rolling_12_months", at, UTC)
        assert window.holds(at)
        assert window.holds(_utc(2025, 6, 15, 10, 1))
        assert not window.holds(_utc(2025, 6, 15, 10))
        assert not window.holds(at + timedelta(microseconds=1))

    def test_anniversary_of_29_february_is_28_february(self) -> None:
        assert policy.add_months(_utc(2028, 2, 29, 12), 12, UTC) == _utc(2029, 2, 28, 12)

    def test_reviews_on_the_anniversary_in_local_time(self) -> None:
        reached = _utc(2026, 3, 10, 22)  # 11 March, 01:00 in Moscow
        end = policy.first_window_end("rolling_12_months", reached, MOSCOW)
        assert end == _utc(2027, 3, 10, 22)
        window = policy.window_ending("rolling_12_months", end, MOSCOW)
        assert not window.holds(reached)  # what reached the tier does not count again
        assert window.holds(reached + timedelta(seconds=1))
        assert window.holds(end)

    @given(
        st.datetimes(min_value=_NAIVE_MIN, max_value=_NAIVE_MAX),
        st.integers(min_value=-60, max_value=60),
    )
    def test_adding_months_keeps_the_local_day_or_clamps_it(
        self, naive: datetime, months: int
    ) -> None:
        at = naive.replace(tzinfo=UTC)
        moved = policy.add_months(at, months, UTC)
        assert (moved.year * 12 + moved.month) - (at.year * 12 + at.month) == months
        assert moved.day == at.day or moved.day < at.day
        assert moved.time() == at.time()


class TestLifetimeWindow:
    def test_holds_everything_and_never_ends(self) -> None:
        window = policy.window_containing("lifetime", _utc(2026, 1, 1), MOSCOW)
        assert window == Window(None, None)
        assert window.holds(_utc(1999, 1, 1))
        assert policy.first_window_end("lifetime", _utc(2026, 1, 1), MOSCOW) is None


class TestThresholds:
    @pytest.mark.parametrize(
        ("totals", "expected"),
        [
            (Totals(), "member"),
            (Totals(spend=19999, orders=2), "member"),
            (Totals(spend=20000), "silver"),
            (Totals(orders=3), "silver"),
            (Totals(points=1000), "gold"),  # silver has no points threshold
            (Totals(spend=49999, orders=6), "gold"),
            (Totals(spend=100000), "platinum"),
        ],
    )
    def test_any_one_metric_qualifies_for_the_highest_tier_reached(
        self, totals: Totals, expected: str
    ) -> None:
        assert LEVELS[policy.supported_index(LEVELS, totals)].key == expected

    def test_without_a_base_tier_nobody_below_the_first_threshold_has_a_tier(self) -> None:
        assert policy.supported_index(LEVELS[1:], Totals(spend=100)) == -1

    def test_paid_only_tier_is_never_qualified_for(self) -> None:
        levels = [*LEVELS[:2], _level("plus"), LEVELS[2]]
        assert policy.supported_index(levels, Totals(spend=30000)) == 1
        assert policy.next_qualifiable(levels, 1) == 3
        assert policy.lower_qualifiable(levels, 3) == 1

    @given(st.integers(0, 200000), st.integers(0, 3000), st.integers(0, 20), st.integers(0, 20000))
    def test_more_activity_never_qualifies_for_less(
        self, spend: int, points: int, orders: int, extra: int
    ) -> None:
        base = Totals(spend, points, orders)
        more = base + Totals(extra, extra, extra)
        assert policy.supported_index(LEVELS, more) >= policy.supported_index(LEVELS, base)

    @given(st.integers(0, 200000), st.integers(0, 3000), st.integers(0, 20))
    def test_meeting_what_the_next_tier_needs_reaches_it(
        self, spend: int, points: int, orders: int
    ) -> None:
        totals = Totals(spend, points, orders)
        current = policy.supported_index(LEVELS, totals)
        following = policy.next_qualifiable(LEVELS, current)
        if following is None:
            return
        threshold = LEVELS[following].threshold
        assert threshold is not None
        for metric, missing in policy.needs(threshold, totals).items():
            assert missing > 0
            topped = totals + Totals(**{metric: missing})
            assert policy.supported_index(LEVELS, topped) >= following


class TestReviewOutcome:
    @pytest.mark.parametrize(
        ("current", "supported", "mode", "expected"),
        [
            (3, 3, "one_step", 3),
            (2, 3, "one_step", 3),  # a review never lowers what the window supports
            (3, 0, "one_step", 2),
            (3, 0, "to_qualified", 0),
            (3, 1, "to_qualified", 1),
            (2, 1, "one_step", 1),
            (1, 0, "one_step", 0),
        ],
    )
    def test_keeps_or_steps_down(
        self, current: int, supported: int, mode: str, expected: int
    ) -> None:
        assert policy.review_outcome(LEVELS, current, supported, mode) == expected  # type: ignore[arg-type]

    @given(st.integers(-1, 3), st.integers(-1, 3), st.sampled_from(["one_step", "to_qualified"]))
    def test_lands_between_what_the_window_supports_and_the_current_tier(
        self, current: int, supported: int, mode: str
    ) -> None:
        outcome = policy.review_outcome(LEVELS, current, supported, mode)  # type: ignore[arg-type]
        assert outcome >= supported
        assert outcome <= max(current, supported)


class TestProgramValidation:
    def test_rejects_duplicate_keys(self) -> None:
        with pytest.raises(ValidationError, match="duplicate tier keys: gold"):
            TierProgram(levels=[_level("gold", spend=1), _level("gold", spend=2)])

    def test_rejects_thresholds_that_do_not_increase(self) -> None:
        with pytest.raises(ValidationError, match="spend thresholds must increase"):
            TierProgram(levels=[_level("silver", spend=500), _level("gold", spend=500)])

    def test_rejects_a_plan_granting_an_unknown_tier(self) -> None:
        with pytest.raises(ValidationError, match="plan 'vip' grants unknown tier 'diamond'"):
            TierProgram(levels=LEVELS, plans={"vip": "diamond"})

    def test_rejects_a_threshold_without_metrics_and_a_missing_russian_name(self) -> None:
        with pytest.raises(ValidationError, match="at least one of points, spend or orders"):
            Threshold()
        with pytest.raises(ValidationError, match="needs a name in ru"):
            TierLevel(key="gold", name={"en": "Gold"})

    def test_rejects_unknown_fields(self) -> None:
        with pytest.raises(ValidationError, match="extra"):
            TierProgram.model_validate({"window": "lifetime", "grace": 3})


class TestProgressText:
    def test_says_what_the_next_tier_needs_by_the_end_of_the_year_in_english(self) -> None:
        text = progress.next_tier_text(
            "en", "Gold", {"spend": 8000, "orders": 2}, "EUR", date(2026, 12, 31)
        )
        assert text == "€80 or 2 orders to Gold by 31 Dec"

    def test_says_it_in_russian_with_plural_forms(self) -> None:
        text = progress.next_tier_text(
            "ru-RU", "Золото", {"spend": 8050, "points": 21, "orders": 5}, "EUR", date(2026, 12, 31)
        )
        assert (
            text
            == "80,50\u00a0€ или 21 балл или 5 заказов до уровня «Золото» — успейте до 31 декабря"
        )

    def test_omits_the_date_without_a_window_end(self) -> None:
        assert (
            progress.next_tier_text("en", "Gold", {"orders": 1}, "EUR", None) == "1 order to Gold"
        )

    @pytest.mark.parametrize(
        ("amount", "currency", "locale", "expected"),
        [
            (123456, "USD", "en", "$1,234.56"),
            (150000, "RUB", "ru", "1\u00a0500\u00a0₽"),
            (1500, "JPY", "en", "1,500 JPY"),
        ],
    )
    def test_formats_money_per_locale(
        self, amount: int, currency: str, locale: str, expected: str
    ) -> None:
        assert progress.money(amount, currency, locale) == expected

    def test_names_the_top_tier(self) -> None:
        assert progress.top_tier_text("ru", "Платина") == "«Платина» — высший уровень"


def test_totals_add_up() -> None:
    assert Totals(1, 2, 3) + Totals(10, 20, 30) == Totals(11, 22, 33)
