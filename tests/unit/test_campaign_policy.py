"""Arms and send times of a broadcast (``campaigns.policy``): the control group's share at
10,000 members, stable and weighted assignment, and each member's local send time across
time zones, including the days clocks change; the sample an audience estimate reads."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loyalist.campaigns.models import CONTROL, DEFAULT_ARM
from loyalist.campaigns.policy import (
    COUNTED_UP_TO,
    SAMPLE_GRAIN,
    SAMPLE_SIZE,
    arm_of,
    due_at,
    follow_up_due,
    sample_of,
)
from loyalist.campaigns.schemas import Variant

ZONES = ("Europe/Berlin", "America/New_York", "Asia/Kolkata", "Pacific/Kiritimati", "UTC")
_VARIANTS = [Variant(key="a", weight=1), Variant(key="b", weight=3)]


def _wall(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """A wall-clock time (no zone): what a ``send_at`` without an offset is."""
    return datetime(year, month, day, hour, minute)  # noqa: DTZ001


def _utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


class TestControlShare:
    @pytest.mark.parametrize("percent", ["5", "10", "12.5", "20", "50"])
    def test_observed_share_within_one_and_a_half_points_at_10000_members(
        self, percent: str
    ) -> None:
        arms = Counter(arm_of("winter", m, Decimal(percent), _VARIANTS) for m in range(10_000))

        observed = 100 * arms[CONTROL] / 10_000

        assert abs(observed - float(percent)) <= 1.5

    def test_no_control_group_at_zero_and_one_arm_without_variants(self) -> None:
        arms = {arm_of("winter", m, Decimal(0), []) for m in range(2_000)}

        assert arms == {DEFAULT_ARM}

    def test_variants_split_the_rest_by_weight(self) -> None:
        arms = Counter(arm_of("winter", m, Decimal(20), _VARIANTS) for m in range(10_000))

        treated = arms["a"] + arms["b"]
        assert abs(arms["b"] / treated - 0.75) <= 0.015
        assert set(arms) == {CONTROL, "a", "b"}

    def test_campaigns_draw_their_control_groups_independently(self) -> None:
        first = {m for m in range(10_000) if arm_of("one", m, Decimal(10), []) == CONTROL}
        second = {m for m in range(10_000) if arm_of("two", m, Decimal(10), []) == CONTROL}

        # Independent draws overlap in about 10% of either group, not all of it.
        assert len(first & second) < 0.2 * len(first)


@given(
    key=st.from_regex(r"[a-z0-9][a-z0-9_\-]{0,31}", fullmatch=True),
    member=st.integers(min_value=1, max_value=2**62),
    percent=st.decimals(min_value=0, max_value=50, places=2),
    weights=st.lists(st.integers(min_value=1, max_value=1_000), max_size=5),
)
def test_arm_is_stable_valid_and_the_same_on_reentry(
    key: str, member: int, percent: Decimal, weights: list[int]
) -> None:
    variants = [Variant(key=f"v{i}", weight=w) for i, w in enumerate(weights)]

    arm = arm_of(key, member, percent, variants)

    assert arm == arm_of(key, member, percent, list(variants))  # re-entry, another run
    assert arm in {CONTROL, *(v.key for v in variants)} | ({DEFAULT_ARM} if not variants else set())
    if percent == 0:
        assert arm != CONTROL


@given(
    percent=st.decimals(min_value=0, max_value=50, places=2),
    weights=st.lists(st.integers(min_value=1, max_value=20), min_size=2, max_size=4),
)
def test_raising_a_weight_never_moves_members_out_of_control(
    percent: Decimal, weights: list[int]
) -> None:
    variants = [Variant(key=f"v{i}", weight=w) for i, w in enumerate(weights)]
    heavier = [*variants[:-1], Variant(key=variants[-1].key, weight=weights[-1] * 2)]

    for member in range(200):
        before = arm_of("k", member, percent, variants) == CONTROL
        assert (arm_of("k", member, percent, heavier) == CONTROL) == before


class TestSendTime:
    START = _utc(2026, 12, 24, 6, 0)

    def test_absent_send_at_is_the_start_and_an_instant_is_the_same_for_everyone(self) -> None:
        at = _utc(2026, 12, 24, 9, 0)
        for name in ZONES:
            zone = ZoneInfo(name)
            assert due_at(None, self.START, zone, late="skip") == self.START
            assert due_at(at, self.START, zone, late="skip") == at
            assert due_at(at - timedelta(days=1), self.START, zone, late="skip") == self.START

    @pytest.mark.parametrize(
        ("zone", "expected"),
        [
            ("Europe/Berlin", _utc(2026, 12, 24, 9, 0)),
            ("America/New_York", _utc(2026, 12, 24, 15, 0)),
            ("Asia/Kolkata", _utc(2026, 12, 25, 4, 30)),  # 04:30 UTC on the 24th has passed
            ("Pacific/Kiritimati", _utc(2026, 12, 24, 20, 0)),  # its 24th ended: the 25th
            ("UTC", _utc(2026, 12, 24, 10, 0)),
        ],
    )
    def test_wall_time_in_each_zone_with_the_late_held_until_the_next_day(
        self, zone: str, expected: datetime
    ) -> None:
        send_at = _wall(2026, 12, 24, 10, 0)

        assert due_at(send_at, self.START, ZoneInfo(zone), late="next_day") == expected

    def test_late_members_are_skipped_when_asked(self) -> None:
        send_at = _wall(2026, 12, 24, 10, 0)

        assert due_at(send_at, self.START, ZoneInfo("Asia/Kolkata"), late="skip") is None
        assert due_at(send_at, self.START, ZoneInfo("Pacific/Kiritimati"), late="skip") is None
        assert due_at(send_at, self.START, ZoneInfo("Europe/Berlin"), late="skip") == _utc(
            2026, 12, 24, 9, 0
        )

    @pytest.mark.parametrize(
        ("zone", "wall", "expected"),
        [
            # Spring forward: 02:30 does not exist; read with the offset before (03:30 DST).
            ("America/New_York", _wall(2026, 3, 8, 2, 30), _utc(2026, 3, 8, 7, 30)),
            ("Europe/Berlin", _wall(2026, 3, 29, 2, 30), _utc(2026, 3, 29, 1, 30)),
            # Fall back: 01:30 (New York) and 02:30 (Berlin) happen twice; the first one.
            ("America/New_York", _wall(2026, 11, 1, 1, 30), _utc(2026, 11, 1, 5, 30)),
            ("Europe/Berlin", _wall(2026, 10, 25, 2, 30), _utc(2026, 10, 25, 0, 30)),
            # A time outside the change on those days keeps the day's own offset.
            ("America/New_York", _wall(2026, 3, 8, 10, 0), _utc(2026, 3, 8, 14, 0)),
            ("America/New_York", _wall(2026, 11, 1, 10, 0), _utc(2026, 11, 1, 15, 0)),
            ("Europe/Berlin", _wall(2026, 3, 29, 10, 0), _utc(2026, 3, 29, 8, 0)),
            ("Europe/Berlin", _wall(2026, 10, 25, 10, 0), _utc(2026, 10, 25, 9, 0)),
        ],
    )
    def test_days_the_clocks_change(self, zone: str, wall: datetime, expected: datetime) -> None:
        start = wall.replace(tzinfo=UTC) - timedelta(days=2)

        assert due_at(wall, start, ZoneInfo(zone), late="next_day") == expected

    def test_held_until_the_next_day_across_a_spring_change(self) -> None:
        # 10:00 EST on Saturday has passed; Sunday is 23 hours long: 10:00 EDT.
        start = _utc(2026, 3, 7, 16, 0)

        found = due_at(
            _wall(2026, 3, 7, 10, 0), start, ZoneInfo("America/New_York"), late="next_day"
        )

        assert found == _utc(2026, 3, 8, 14, 0)

    def test_a_follow_up_hours_before_the_deadline_and_none_after_it(self) -> None:
        ends = _utc(2026, 12, 31, 21, 0)
        zone = ZoneInfo("Europe/Berlin")

        assert follow_up_due(None, 24, ends, self.START, zone, late="skip") == ends - timedelta(
            hours=24
        )
        late = _wall(2027, 1, 2, 10, 0)
        assert follow_up_due(late, None, ends, self.START, zone, late="next_day") is None
        assert follow_up_due(None, 24 * 30, ends, self.START, zone, late="skip") == self.START


@given(
    zone=st.sampled_from(ZONES),
    day=st.dates(min_value=date(2026, 1, 1), max_value=date(2027, 12, 31)),
    at=st.times(),
    lag_minutes=st.integers(min_value=-3 * 24 * 60, max_value=3 * 24 * 60),
)
def test_a_wall_time_is_never_before_the_start_and_keeps_its_local_time(
    zone: str, day: datetime, at: time, lag_minutes: int
) -> None:
    wall = datetime.combine(day, at.replace(microsecond=0))
    tz = ZoneInfo(zone)
    start = wall.replace(tzinfo=UTC) + timedelta(minutes=lag_minutes)

    found = due_at(wall, start, tz, late="next_day")

    assert found is not None
    assert start <= found
    local = found.astimezone(tz)
    # Held to another day only when late, and then to the first day it has not passed.
    assert local.date() == wall.date() or found < start + timedelta(days=2, hours=1)
    # The wall time itself, or (in a spring gap) that time read with the offset before it.
    assert local.time() == wall.time() or (
        local.replace(tzinfo=None) - wall.replace(year=local.year, month=local.month, day=local.day)
    ) == timedelta(hours=1)


class TestSampleOf:
    @given(first=st.integers(1, 10**9), span=st.integers(1, SAMPLE_SIZE))
    def test_a_small_shop_is_read_whole(self, first: int, span: int) -> None:
        assert sample_of(first, first + span - 1, counted=False) is None

    @given(first=st.integers(1, 10**9), span=st.integers(1, COUNTED_UP_TO))
    def test_an_audience_the_database_counts_is_counted_up_to_its_limit(
        self, first: int, span: int
    ) -> None:
        assert sample_of(first, first + span - 1, counted=True) is None

    @given(
        first=st.integers(1, 10**9),
        span=st.integers(SAMPLE_SIZE + 1, 10**7),
        size=st.sampled_from([1, 100, SAMPLE_SIZE]),
    )
    def test_a_large_shop_is_sampled_by_distinct_ids_within_its_rounded_span(
        self, first: int, span: int, size: int
    ) -> None:
        draw = sample_of(first, first + span - 1, counted=False, size=size)

        assert draw is not None
        assert len(draw.ids) == len(set(draw.ids)) == size
        assert draw.ids == sorted(draw.ids)
        assert draw.population % SAMPLE_GRAIN == 0
        assert span <= draw.population < span + SAMPLE_GRAIN
        assert first <= draw.ids[0]
        assert draw.ids[-1] < first + draw.population

    def test_the_same_members_are_drawn_until_the_shop_outgrows_its_grain(self) -> None:
        # 1,000,001..1,000,999 members round up to the same span: one draw for all of them.
        first = sample_of(1, 1_000_001, counted=False)
        again = sample_of(1, 1_000_999, counted=False)
        grown = sample_of(1, 1_001_001, counted=False)

        assert first is not None
        assert again is not None
        assert grown is not None
        assert first == again
        assert grown.ids != first.ids
