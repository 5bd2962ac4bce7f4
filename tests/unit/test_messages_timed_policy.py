"""The pure decisions of the time-driven journeys: which expiry reminder is due, the day a
birthday is kept, when a moment is due and fresh, which month a statement covers."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from loyalist.messages import policy


def test_leap_day_birthdays_are_kept_on_28_february_in_other_years() -> None:
    leap = date(2000, 2, 29)
    assert policy.celebration_day(leap, 2027) == date(2027, 2, 28)
    assert policy.celebration_day(leap, 2028) == date(2028, 2, 29)
    assert policy.celebration_day(date(1990, 3, 1), 2027) == date(2027, 3, 1)


@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)),
    st.integers(min_value=-5, max_value=60),
    st.lists(st.integers(min_value=1, max_value=60), min_size=1, max_size=4, unique=True),
)
def test_the_expiry_reminder_is_the_smallest_horizon_reached(
    expires_on: date, days_left: int, horizons: list[int]
) -> None:
    today = expires_on - timedelta(days=days_left)
    found = policy.expiry_horizon(expires_on, today, horizons)
    if days_left <= 0 or days_left > max(horizons):
        assert found is None
    else:
        assert found is not None
        assert days_left <= found
        assert all(h < days_left for h in horizons if h < found)


def test_local_midnight_follows_the_zone() -> None:
    tokyo = ZoneInfo("Asia/Tokyo")
    assert policy.local_midnight(date(2026, 1, 25), tokyo) == datetime(2026, 1, 24, 15, tzinfo=UTC)
    berlin = ZoneInfo("Europe/Berlin")  # 29 March 2026: the clocks go forward at 02:00
    assert policy.local_midnight(date(2026, 3, 30), berlin) == datetime(2026, 3, 29, 22, tzinfo=UTC)


def test_a_moment_is_due_once_it_came_and_while_it_is_fresh() -> None:
    moment = datetime(2026, 1, 25, tzinfo=UTC)
    assert not policy.due_and_fresh(moment, moment - timedelta(seconds=1), 24)
    assert policy.due_and_fresh(moment, moment, 24)
    assert policy.due_and_fresh(moment, moment + timedelta(hours=24), 24)
    assert not policy.due_and_fresh(moment, moment + timedelta(hours=24, seconds=1), 24)


def test_a_month_begins_somewhere_from_utc_plus_14_to_utc_minus_12() -> None:
    # 1 February begins at 10:00 UTC on 31 January (UTC+14) and 12:00 UTC on 1 February
    # (UTC−12); with a 24-hour window the statement of January is due somewhere until
    # 12:00 UTC on 2 February.
    assert policy.month_begun(datetime(2026, 1, 31, 9, 59, tzinfo=UTC), 24) is None
    assert policy.month_begun(datetime(2026, 1, 31, 10, 0, tzinfo=UTC), 24) == date(2026, 2, 1)
    assert policy.month_begun(datetime(2026, 2, 2, 12, 0, tzinfo=UTC), 24) == date(2026, 2, 1)
    assert policy.month_begun(datetime(2026, 2, 2, 12, 1, tzinfo=UTC), 24) is None
