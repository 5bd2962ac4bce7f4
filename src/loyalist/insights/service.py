"""Insights use cases: NPS by period and by segment, tier or channel."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from loyalist.db.uow import UnitOfWork
from loyalist.errors import FieldError, InvalidRequestError
from loyalist.insights import repository
from loyalist.insights.nps import Answer, Dimension, Period, aggregate, period_label
from loyalist.insights.schemas import NpsFigures, NpsReport, NpsRow
from loyalist.tiers.service import TierBook

_GroupOf = Callable[[int, str | None], tuple[str | None, ...]]


def nps_report(
    uow: UnitOfWork,
    zone: ZoneInfo,
    *,
    period: Period | None = None,
    by: Dimension | None = None,
    start: date | None = None,
    end: date | None = None,
) -> NpsReport:
    """NPS of first survey answers with a score, answered from ``start`` to ``end``
    (calendar days in the program's time zone, both included), per period and group.

    Tiers and segments are the member's *now* (not when they answered).

    Raises:
        InvalidRequestError: ``start`` after ``end`` (``date_range_invalid``).
    """
    if start is not None and end is not None and start > end:
        raise InvalidRequestError(
            f"from {start} is after to {end}",
            code="date_range_invalid",
            errors=[FieldError("#query/from", "must not be after to")],
        )
    rows = list(repository.first_answers(uow.session, _instant(start, zone), _after(end, zone)))
    groups = _groups(uow, zone, by, rows)
    answers = [
        Answer(answered_at, score, groups(member_id, channel))
        for member_id, score, channel, answered_at in rows
    ]
    cells, total = aggregate(answers, period, zone)
    return NpsReport(
        period=period,
        by=by,
        from_=start,
        to=end,
        timezone=zone.key,
        rows=[
            NpsRow(
                period=period_label(cell.period_start, period),
                period_start=cell.period_start,
                group=cell.group,
                **NpsFigures.of(cell.figures).model_dump(),
            )
            for cell in cells
        ],
        total=NpsFigures.of(total),
    )


def _instant(day: date | None, zone: ZoneInfo) -> datetime | None:
    # The calendar's first days bound nothing (and would overflow once in UTC).
    if day is None or day <= date.min + timedelta(days=1):
        return None
    return datetime.combine(day, time(0), zone)


def _after(day: date | None, zone: ZoneInfo) -> datetime | None:
    # The calendar's last days bound nothing (the day after 9999-12-31 does not exist).
    if day is None or day >= date.max - timedelta(days=1):
        return None
    return datetime.combine(day + timedelta(days=1), time(0), zone)


def _groups(
    uow: UnitOfWork,
    zone: ZoneInfo,
    by: Dimension | None,
    rows: list[tuple[int, int, str | None, datetime]],
) -> _GroupOf:
    if by == Dimension.CHANNEL:
        return lambda _member, channel: (channel,)
    if by == Dimension.SEGMENT:
        segments = repository.member_segments(uow.session, {r[0] for r in rows})
        return lambda member, _channel: tuple(segments.get(member) or ()) or (None,)
    if by == Dimension.TIER:
        book = TierBook(uow, zone, lock=False)
        members = sorted({r[0] for r in rows})
        book.prepare(members)
        tiers = {m: book.status(m).key for m in members}
        return lambda member, _channel: (tiers.get(member),)
    return lambda _member, _channel: (None,)
