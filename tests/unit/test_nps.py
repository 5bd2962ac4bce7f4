"""NPS aggregation against a plain reference computation (Hypothesis), and rounding."""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta, tzinfo
from fractions import Fraction
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from loyalist.insights.nps import Answer, Period, aggregate, nps, period_label, period_start

ZONES = [UTC, ZoneInfo("Europe/Moscow"), ZoneInfo("America/New_York")]
EPOCH = datetime(2025, 12, 1, tzinfo=UTC)

answers = st.lists(
    st.builds(
        Answer,
        answered_at=st.integers(0, 120 * 24 * 60).map(lambda m: EPOCH + timedelta(minutes=m)),
        score=st.integers(0, 10),
        groups=st.lists(st.sampled_from(["a", "b", None]), min_size=1, max_size=3).map(tuple),
    ),
    max_size=60,
)


def reference(
    items: list[Answer], period: Period | None, zone: tzinfo
) -> dict[tuple[str | None, str | None], tuple[int, int, int, int, float | None]]:
    cells: dict[tuple[str | None, str | None], list[int]] = defaultdict(list)
    for item in items:
        local = item.answered_at.astimezone(zone).date()
        if period is None:
            label = None
        elif period == Period.DAY:
            label = local.isoformat()
        elif period == Period.WEEK:
            label = "{}-W{:02d}".format(*local.isocalendar()[:2])
        else:
            label = local.strftime("%Y-%m")
        for group in set(item.groups):
            cells[(label, group)].append(item.score)
    out: dict[tuple[str | None, str | None], tuple[int, int, int, int, float | None]] = {}
    for key, scores in cells.items():
        p = sum(1 for s in scores if s >= 9)
        d = sum(1 for s in scores if s <= 6)
        n = len(scores)
        out[key] = (n, p, n - p - d, d, _half_away(Fraction(100 * (p - d), n)))
    return out


def _half_away(value: Fraction) -> float:
    tenths = math.floor(abs(value) * 10 + Fraction(1, 2))
    return math.copysign(tenths / 10, value) if tenths else 0.0


@given(answers, st.sampled_from([None, *Period]), st.sampled_from(ZONES))
def test_aggregate_matches_a_plain_computation(
    items: list[Answer], period: Period | None, zone: tzinfo
) -> None:
    rows, total = aggregate(items, period, zone)
    got = {
        (period_label(r.period_start, period), r.group): (
            r.figures.responses,
            r.figures.promoters,
            r.figures.passives,
            r.figures.detractors,
            r.figures.nps,
        )
        for r in rows
    }
    assert got == reference(items, period, zone)
    assert total.responses == len(items)
    assert total.promoters + total.passives + total.detractors == len(items)
    assert len(rows) == len(got)  # one row per (period, group)


def test_nps_rounds_half_away_from_zero_to_one_decimal() -> None:
    assert nps(1, 0, 3) == 33.3
    assert nps(2, 0, 3) == 66.7
    assert nps(0, 2, 3) == -66.7
    assert nps(1, 0, 8) == 12.5
    assert nps(0, 1, 16) == -6.3  # −6.25 → −6.3
    assert nps(0, 0, 0) is None


def test_weeks_start_on_monday_and_months_on_the_first_in_the_zone() -> None:
    sunday_night_utc = datetime(2026, 1, 11, 22, 0, tzinfo=UTC)  # Monday 01:00 in Moscow
    moscow = ZoneInfo("Europe/Moscow")
    assert period_label(period_start(sunday_night_utc, Period.WEEK, UTC), Period.WEEK) == "2026-W02"
    assert period_label(period_start(sunday_night_utc, Period.WEEK, moscow), Period.WEEK) == (
        "2026-W03"
    )
    assert period_start(sunday_night_utc, Period.MONTH, moscow) == date(2026, 1, 1)
