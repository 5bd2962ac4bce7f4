"""Insights use cases: NPS, KPIs, purchase cohorts, time to second order and the journey."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from loyalist.db.uow import UnitOfWork
from loyalist.errors import FieldError
from loyalist.insights import dashboard, export, kpis, repository
from loyalist.insights.cohorts import cohort_retention, time_to_second_order
from loyalist.insights.dashboard import DashboardPeriod
from loyalist.insights.errors import DateRangeInvalidError, DateRangeTooLongError
from loyalist.insights.export import Progress
from loyalist.insights.journey import journey_funnel
from loyalist.insights.nps import Answer, Dimension, Period, aggregate, period_label
from loyalist.insights.schemas import (
    Cohort,
    CohortCell,
    CohortsReport,
    Dashboard,
    JourneyCohort,
    JourneyReport,
    KpiReport,
    KpiRow,
    KpiTotal,
    NpsFigures,
    NpsReport,
    NpsRow,
    SecondOrderBucket,
    SecondOrderReport,
)
from loyalist.ledger.policy import minor_unit_exponent
from loyalist.members.policy import in_global_holdout
from loyalist.settings import ProgramPolicy
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
        raise DateRangeInvalidError(
            f"from {start} is after to {end}",
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


# -- KPIs, cohorts, time to second order, journey -------------------------------------------
#: More windows than this (ten years of days) is refused: the answer would be unreadable.
MAX_PERIODS = 3660


def kpi_report(
    uow: UnitOfWork,
    program: ProgramPolicy,
    *,
    period: Period = Period.MONTH,
    by: Dimension | None = None,
    start: date | None = None,
    end: date | None = None,
    churn_days: int = 180,
    currency: str | None = None,
    progress: Progress | None = None,
) -> KpiReport:
    """KPIs per period of ``[start, end]`` (calendar days of the program zone, both
    included; default: the first enrolment or order to today) and per group, over the
    orders in ``currency`` (default: the program's). Tiers and segments are the members'
    current ones. Definitions: ``docs/insights.md``.

    Raises:
        InvalidRequestError: ``start`` after ``end`` (``date_range_invalid``), more than
            ``MAX_PERIODS`` periods (``date_range_too_long``).
    """
    _check_range(start, end)
    if start is not None and end is not None:
        _check_periods(period, start, end)  # before reading the whole snapshot
    currency = currency or program.currency
    zone = program.zone
    snap = export.export_snapshot(uow, currency=currency, zone=zone, progress=progress)
    first, last = kpis.default_range(snap, uow.now, zone)
    start, end = start or min(first, end or last), end or max(last, start or first)
    _check_range(start, end)
    _check_periods(period, start, end)
    found = kpis.kpi_report(
        snap,
        now=uow.now,
        zone=zone,
        period=period,
        by=by,
        start=start,
        end=end,
        churn_days=churn_days,
        point_value=program.point_value,
        minor_exponent=minor_unit_exponent(program.currency),
    )
    return KpiReport(
        period=period,
        by=by,
        from_=found.start,
        to=found.end,
        timezone=zone.key,
        currency=currency,
        liability_currency=program.currency,
        point_value=str(program.point_value),
        churn_days=churn_days,
        rows=[
            KpiRow(period=_label(row["period_start"], period), **row)
            for row in found.rows.to_dicts()
        ],
        totals=None
        if found.totals is None
        else [
            KpiTotal(period=_label(row["period_start"], period), **row)
            for row in found.totals.to_dicts()
        ],
    )


def cohorts_report(
    uow: UnitOfWork,
    program: ProgramPolicy,
    *,
    start: date | None = None,
    end: date | None = None,
    currency: str | None = None,
    progress: Progress | None = None,
) -> CohortsReport:
    """Retention of the customers whose first order (in ``currency``, default the
    program's) falls in a month of ``[start, end]``, month by month until now.

    Raises:
        InvalidRequestError: ``start`` after ``end`` (``date_range_invalid``).
    """
    _check_range(start, end)
    currency = currency or program.currency
    snap = export.export_snapshot(uow, currency=currency, zone=program.zone, progress=progress)
    grid = cohort_retention(snap.orders, zone=program.zone, now=uow.now, start=start, end=end)
    cohorts = [
        Cohort(
            cohort=_label(first["cohort"], Period.MONTH),
            cohort_start=first["cohort"],
            size=first["cohort_size"],
            months=[
                CohortCell(**cell)
                for cell in cells.select("months_since", "members", "share").to_dicts()
            ],
        )
        for cells in grid.partition_by("cohort", maintain_order=True)
        for first in [cells.row(0, named=True)]
    ]
    return CohortsReport(
        from_=start, to=end, timezone=program.zone.key, currency=currency, cohorts=cohorts
    )


def second_order_report(
    uow: UnitOfWork,
    program: ProgramPolicy,
    *,
    currency: str | None = None,
    progress: Progress | None = None,
) -> SecondOrderReport:
    """How long customers take to order a second time (orders in ``currency``, default
    the program's)."""
    currency = currency or program.currency
    snap = export.export_snapshot(uow, currency=currency, zone=program.zone, progress=progress)
    stats = time_to_second_order(snap.orders)
    return SecondOrderReport(
        currency=currency,
        customers=stats.customers,
        repeat_customers=stats.repeat_customers,
        mean_days=stats.mean_days,
        p25_days=stats.p25_days,
        median_days=stats.median_days,
        p75_days=stats.p75_days,
        histogram=[SecondOrderBucket(**b) for b in stats.histogram.to_dicts()],
    )


def journey_report(
    uow: UnitOfWork,
    program: ProgramPolicy,
    *,
    start: date | None = None,
    end: date | None = None,
    currency: str | None = None,
    progress: Progress | None = None,
) -> JourneyReport:
    """The funnel enrolled → first → second → third order of the members who enrolled in a
    month of ``[start, end]`` (orders in ``currency``, default the program's).

    Raises:
        InvalidRequestError: ``start`` after ``end`` (``date_range_invalid``).
    """
    _check_range(start, end)
    currency = currency or program.currency
    snap = export.export_snapshot(uow, currency=currency, zone=program.zone, progress=progress)
    funnel = journey_funnel(snap.members, snap.orders, zone=program.zone, start=start, end=end)
    return JourneyReport(
        from_=start,
        to=end,
        timezone=program.zone.key,
        currency=currency,
        cohorts=[
            JourneyCohort(
                cohort=_label(row["cohort"], Period.MONTH), cohort_start=row["cohort"], **row_rest
            )
            for row in funnel.to_dicts()
            for row_rest in [{k: v for k, v in row.items() if k != "cohort"}]
        ],
    )


def _check_periods(period: Period, start: date, end: date) -> None:
    periods = kpis.period_count(period, start, end)
    if periods > MAX_PERIODS:
        raise DateRangeTooLongError(
            f"{periods} {period.value} periods from {start} to {end}; at most {MAX_PERIODS}",
            errors=[FieldError("#query/from", "too many periods: shorten the range")],
        )


def _check_range(start: date | None, end: date | None) -> None:
    if start is not None and end is not None and start > end:
        raise DateRangeInvalidError(
            f"from {start} is after to {end}",
            errors=[FieldError("#query/from", "must not be after to")],
        )


def _label(day: date, period: Period) -> str:
    label = period_label(day, period)
    assert label is not None
    return label


def forget_member_scores(uow: UnitOfWork, member_ids: Sequence[int]) -> None:
    """The members are being erased: their scores (RFM, churn risk, lifetime value) go from
    every generation; their segments go with their profile (``members``)."""
    repository.delete_member_scores(uow.session, member_ids)


@dataclass(frozen=True, slots=True)
class HoldoutGroup:
    """Members of a group, those who bought in the period, and the sum and sum of squares
    of their revenue in the period (minor units; non-buyers at 0)."""

    members: int
    buyers: int
    revenue: int
    revenue_squares: float


@dataclass(frozen=True, slots=True)
class HoldoutFigures:
    start: date
    end: date
    holdout: HoldoutGroup
    rest: HoldoutGroup


#: The global holdout report's period when none is given: the last 30 days.
HOLDOUT_DEFAULT_DAYS = 30
#: The days a holdout report may name (its period's bounds stay valid moments in any zone).
HOLDOUT_DAYS = (date(1970, 1, 1), date(9999, 12, 30))


def holdout_figures(
    uow: UnitOfWork,
    program: ProgramPolicy,
    *,
    start: date | None,
    end: date | None,
    percent: Decimal,
) -> HoldoutFigures:
    """Members of the program's global holdout (``percent``, by
    ``members.policy.in_global_holdout``) and the rest, enrolled before the period's end
    and not erased, with their paid orders in the program's currency from ``start`` to
    ``end`` (program calendar days, both included; default: the last 30 days to today).

    Raises:
        InvalidRequestError: ``start`` after ``end``, or a day outside
            ``HOLDOUT_DAYS`` (``date_range_invalid``).
    """
    _check_range(start, end)
    for name, day in (("from", start), ("to", end)):
        if day is not None and not HOLDOUT_DAYS[0] <= day <= HOLDOUT_DAYS[1]:
            raise DateRangeInvalidError(
                f"{name} {day} is outside {HOLDOUT_DAYS[0]} to {HOLDOUT_DAYS[1]}",
                errors=[FieldError(f"#query/{name}", "outside the days a report covers")],
            )
    zone = program.zone
    last = end or uow.now.astimezone(zone).date()
    first = start or last - timedelta(days=HOLDOUT_DEFAULT_DAYS - 1)
    _check_range(first, last)
    since = datetime.combine(first, time(0), zone)
    until = datetime.combine(last + timedelta(days=1), time(0), zone)
    members = set(repository.members_enrolled_before(uow.session, until))
    held = {m for m in members if in_global_holdout(m, percent)}
    buyers = {True: 0, False: 0}
    revenue = {True: 0, False: 0}
    squares = {True: 0.0, False: 0.0}
    for member_id, amount in repository.revenue_by_member(
        uow.session, since, until, program.currency
    ):
        if member_id in members:
            group = member_id in held
            buyers[group] += 1
            revenue[group] += amount
            squares[group] += float(amount) * amount
    return HoldoutFigures(
        first,
        last,
        HoldoutGroup(len(held), buyers[True], revenue[True], squares[True]),
        HoldoutGroup(len(members) - len(held), buyers[False], revenue[False], squares[False]),
    )


# -- the console dashboard ------------------------------------------------------------------
#: The days a custom dashboard period may name (its previous period and the day after its
#: end stay valid days and moments in any zone).
DASHBOARD_DAYS = (date(1970, 1, 1), date(9999, 12, 30))
#: A custom period spans at most this many days (ten years).
DASHBOARD_MAX_DAYS = 3660


def dashboard_period(
    program: ProgramPolicy, now: datetime, preset: str, start: date | None, end: date | None
) -> DashboardPeriod:
    """The period a dashboard request names: a preset of ``dashboard.PRESETS`` ending
    today (program zone), or ``custom`` from ``start`` to ``end``.

    Raises:
        InvalidRequestError: a custom period without both days, ``start`` after ``end``, a
            day outside ``DASHBOARD_DAYS`` (``date_range_invalid``), longer than
            ``DASHBOARD_MAX_DAYS`` (``date_range_too_long``).
    """
    if preset != dashboard.CUSTOM:
        return dashboard.preset_period(preset, now.astimezone(program.zone).date())
    for name, day in (("from", start), ("to", end)):
        if day is None:
            raise DateRangeInvalidError(
                f"a custom period needs {name}",
                errors=[FieldError(f"#query/{name}", "required for a custom period")],
            )
        if not DASHBOARD_DAYS[0] <= day <= DASHBOARD_DAYS[1]:
            raise DateRangeInvalidError(
                f"{name} {day} is outside {DASHBOARD_DAYS[0]} to {DASHBOARD_DAYS[1]}",
                errors=[FieldError(f"#query/{name}", "outside the days a dashboard covers")],
            )
    assert start is not None
    assert end is not None
    _check_range(start, end)
    period = dashboard.DashboardPeriod(dashboard.CUSTOM, start, end)
    if period.days > DASHBOARD_MAX_DAYS:
        raise DateRangeTooLongError(
            f"{period.days} days from {start} to {end}; at most {DASHBOARD_MAX_DAYS}",
            errors=[FieldError("#query/from", "too many days: shorten the period")],
        )
    return period


def compute_dashboards(
    uow: UnitOfWork, program: ProgramPolicy, periods: Sequence[DashboardPeriod]
) -> list[Dashboard]:
    """The dashboards of ``periods`` from one snapshot of the tables (orders in the
    program's currency), as of now."""
    snap = export.export_snapshot(uow, currency=program.currency, zone=program.zone)
    return [
        dashboard.dashboard_figures(
            snap,
            period,
            now=uow.now,
            zone=program.zone,
            currency=program.currency,
            point_value=program.point_value,
            minor_exponent=minor_unit_exponent(program.currency),
        )
        for period in periods
    ]


def stored_dashboard(uow: UnitOfWork, preset: str) -> Dashboard | None:
    """The preset's dashboard as the dashboard job last stored it; None before that."""
    found = repository.stored_dashboard(uow.session, preset)
    return None if found is None else Dashboard.model_validate(found[1])


def dashboards_due(uow: UnitOfWork, refresh: timedelta) -> bool:
    """Whether a preset's stored figures are missing or older than ``refresh``."""
    stored = repository.dashboards_computed_at(uow.session)
    return set(stored) != set(dashboard.PRESETS) or min(stored.values()) <= uow.now - refresh


def store_dashboards(uow: UnitOfWork, dashboards: Sequence[Dashboard]) -> None:
    """Replace the stored figures of each dashboard's preset."""
    for found in dashboards:
        repository.store_dashboard(
            uow.session, found.period, found.computed_at, found.model_dump(mode="json")
        )
