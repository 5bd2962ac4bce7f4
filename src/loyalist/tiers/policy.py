"""Pure tier decisions: qualification windows in the program time zone, thresholds,
downgrade targets and what is still needed for the next tier. No I/O; times passed in."""

from __future__ import annotations

import calendar
import functools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo

from loyalist.tiers.schemas import DowngradeMode, Threshold, TierLevel, WindowKind

_TICK = timedelta(microseconds=1)


@dataclass(slots=True)
class Totals:
    """Qualifying figures: spend in minor units of the program currency, points, orders.

    Treated as a value (never changed in place); not frozen because frozen dataclasses are
    several times slower to create and batch ingest makes one per fact.
    """

    spend: int = 0
    points: int = 0
    orders: int = 0

    def __add__(self, other: Totals) -> Totals:
        return Totals(
            self.spend + other.spend, self.points + other.points, self.orders + other.orders
        )


@dataclass(frozen=True, slots=True)
class Window:
    """``[start, end)``; ``None`` is unbounded (lifetime)."""

    start: datetime | None
    end: datetime | None

    def holds(self, at: datetime) -> bool:
        return (self.start is None or at >= self.start) and (self.end is None or at < self.end)


def add_months(at: datetime, months: int, zone: tzinfo) -> datetime:
    """The same local wall time ``months`` later in ``zone`` (31 Jan + 1 → 28/29 Feb), UTC."""
    local = at.astimezone(zone)
    index = local.year * 12 + local.month - 1 + months
    year, month = divmod(index, 12)
    day = min(local.day, calendar.monthrange(year, month + 1)[1])
    return local.replace(year=year, month=month + 1, day=day).astimezone(UTC)


@functools.lru_cache(maxsize=512)
def year_start(year: int, zone: tzinfo) -> datetime:
    """Midnight of 1 January of ``year`` in ``zone``, as UTC."""
    return datetime(year, 1, 1, tzinfo=zone).astimezone(UTC)


def window_containing(kind: WindowKind, at: datetime, zone: tzinfo) -> Window:
    """The window an activity at ``at`` counts in, as seen at ``at``.

    Calendar year: the local year of ``at``. Rolling: the 12 months up to and including
    ``at`` (the same instant a year before is out). Lifetime: everything.
    """
    if kind == "calendar_year":
        year = at.astimezone(zone).year
        return Window(year_start(year, zone), year_start(year + 1, zone))
    if kind == "rolling_12_months":
        return Window(add_months(at, -12, zone) + _TICK, at + _TICK)
    return Window(None, None)


def window_ending(kind: WindowKind, end: datetime, zone: tzinfo) -> Window:
    """The window a review at ``end`` (+ grace) judges: the local year before ``end``, or
    the 12 months up to and including ``end`` (rolling; the instant a year before is out,
    so the activity that reached a tier at ``end - 12 months`` is not counted again)."""
    if kind == "lifetime":
        return Window(None, None)
    if kind == "calendar_year":
        return Window(year_start(end.astimezone(zone).year - 1, zone), end)
    return Window(add_months(end, -12, zone) + _TICK, end + _TICK)


def first_window_end(kind: WindowKind, reached_at: datetime, zone: tzinfo) -> datetime | None:
    """When the window that judges a tier reached at ``reached_at`` ends.

    Calendar year: the end of the year it was reached in (that year's totals, which reached
    it, are judged, so the tier lasts at least through the next year). Rolling: 12 months
    after it was reached (the anniversary). Lifetime: never.
    """
    if kind == "calendar_year":
        return year_start(reached_at.astimezone(zone).year + 1, zone)
    if kind == "rolling_12_months":
        return add_months(reached_at, 12, zone)
    return None


def next_window_end(kind: WindowKind, end: datetime, zone: tzinfo) -> datetime | None:
    """The end of the window after the one ending at ``end``."""
    if kind == "calendar_year":
        return year_start(end.astimezone(zone).year + 1, zone)
    if kind == "rolling_12_months":
        return add_months(end, 12, zone)
    return None


def review_time(window_end: datetime, grace_days: int) -> datetime:
    return window_end + timedelta(days=grace_days)


def meets(threshold: Threshold, totals: Totals) -> bool:
    """Any one set metric reached qualifies."""
    spend, points, orders = threshold.spend, threshold.points, threshold.orders
    return (
        (spend is not None and totals.spend >= spend)
        or (points is not None and totals.points >= points)
        or (orders is not None and totals.orders >= orders)
    )


def base_index(levels: Sequence[TierLevel]) -> int:
    """The base tier every member has (a first level without threshold), or -1."""
    return 0 if levels and levels[0].threshold is None else -1


def supported_index(levels: Sequence[TierLevel], totals: Totals) -> int:
    """The highest tier the totals qualify for (paid-only tiers never), else the base or -1."""
    for index in range(len(levels) - 1, -1, -1):
        threshold = levels[index].threshold
        if threshold is not None and meets(threshold, totals):
            return index
    return base_index(levels)


def lower_qualifiable(levels: Sequence[TierLevel], index: int) -> int:
    """The next tier below ``index`` that can be qualified for (or the base, or -1)."""
    for lower in range(index - 1, -1, -1):
        if levels[lower].threshold is not None:
            return lower
    return base_index(levels)


def next_qualifiable(levels: Sequence[TierLevel], index: int) -> int | None:
    """The lowest tier above ``index`` that activity can reach, if any."""
    for higher in range(max(index + 1, 0), len(levels)):
        if levels[higher].threshold is not None:
            return higher
    return None


def review_outcome(
    levels: Sequence[TierLevel], current: int, supported: int, mode: DowngradeMode
) -> int:
    """The tier after a review: kept (or raised) when the window supports it; otherwise one
    qualifiable step down (``one_step``, never below what the window supports) or straight
    to what the window supports (``to_qualified``)."""
    if supported >= current:
        return supported
    if mode == "to_qualified":
        return supported
    return max(lower_qualifiable(levels, current), supported)


def percent_towards(threshold: Threshold, totals: Totals) -> int:
    """How far along (0…100) the most advanced set figure is towards ``threshold``."""
    shares = [
        value * 100 // limit
        for limit, value in (
            (threshold.spend, totals.spend),
            (threshold.points, totals.points),
            (threshold.orders, totals.orders),
        )
        if limit
    ]
    return max(0, min(100, max(shares, default=0)))


def needs(threshold: Threshold, totals: Totals) -> dict[str, int]:
    """What is still missing per set metric (the next tier is reached by any one of them)."""
    missing: dict[str, int] = {}
    for metric, limit, value in (
        ("spend", threshold.spend, totals.spend),
        ("points", threshold.points, totals.points),
        ("orders", threshold.orders, totals.orders),
    ):
        if limit is not None:
            missing[metric] = max(0, limit - value)
    return missing
