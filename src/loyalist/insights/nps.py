"""Net Promoter Score: pure aggregation of first answers by period and group.

A score of 9–10 is a promoter, 7–8 a passive, 0–6 a detractor; NPS = % promoters −
% detractors, rounded half away from zero to one decimal (None without responses).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum


class Period(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"


class Dimension(StrEnum):
    SEGMENT = "segment"
    TIER = "tier"
    CHANNEL = "channel"


@dataclass(frozen=True, slots=True)
class Answer:
    """One counted answer: when, the score, and the groups it belongs to (a member may be
    in several segments, then the answer counts once in each)."""

    answered_at: datetime
    score: int
    groups: tuple[str | None, ...] = (None,)


@dataclass(frozen=True, slots=True)
class Figures:
    responses: int = 0
    promoters: int = 0
    passives: int = 0
    detractors: int = 0

    @property
    def nps(self) -> float | None:
        return nps(self.promoters, self.detractors, self.responses)

    def add(self, score: int) -> Figures:
        return Figures(
            self.responses + 1,
            self.promoters + (score >= 9),
            self.passives + (7 <= score <= 8),
            self.detractors + (score <= 6),
        )


@dataclass(frozen=True, slots=True)
class Row:
    period_start: date | None
    group: str | None
    figures: Figures


def nps(promoters: int, detractors: int, responses: int) -> float | None:
    """``100 × (promoters − detractors) / responses`` to one decimal, half away from zero."""
    if responses <= 0:
        return None
    exact = Decimal(100 * (promoters - detractors)) / Decimal(responses)
    # + 0.0 turns a negative zero (−0.04 rounded) into 0.0.
    return float(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)) + 0.0


def period_start(at: datetime, period: Period | None, zone: tzinfo) -> date | None:
    """The first day of the period holding ``at`` in the program's time zone (weeks start
    on Monday, ISO 8601); None when not split by period."""
    if period is None:
        return None
    day = at.astimezone(zone).date()
    if period == Period.DAY:
        return day
    if period == Period.WEEK:
        return day - timedelta(days=day.weekday())
    return day.replace(day=1)


def period_label(start: date | None, period: Period | None) -> str | None:
    """``2026-01-15`` (day), ``2026-W03`` (ISO week), ``2026-01`` (month)."""
    if start is None or period is None:
        return None
    if period == Period.DAY:
        return start.isoformat()
    if period == Period.WEEK:
        year, week, _ = start.isocalendar()
        return f"{year}-W{week:02d}"
    return f"{start.year:04d}-{start.month:02d}"


def aggregate(
    answers: Iterable[Answer], period: Period | None, zone: tzinfo
) -> tuple[list[Row], Figures]:
    """Figures per (period, group), sorted by period then group (no group last), and the
    total over every answer (each answer once, whatever its groups)."""
    cells: dict[tuple[date | None, str | None], Figures] = {}
    total = Figures()
    for answer in answers:
        start = period_start(answer.answered_at, period, zone)
        total = total.add(answer.score)
        for group in dict.fromkeys(answer.groups):
            key = (start, group)
            cells[key] = cells.get(key, Figures()).add(answer.score)
    rows = [
        Row(start, group, figures)
        for (start, group), figures in sorted(
            cells.items(),
            key=lambda item: (
                item[0][0] or date.min,
                item[0][1] is None,
                item[0][1] or "",
            ),
        )
    ]
    return rows, total
