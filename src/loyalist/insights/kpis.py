"""Program KPIs by period and by channel, tier or segment: pure polars over a Snapshot.

Every figure is defined in one sentence in ``docs/insights.md``. Two kinds of figures:

- *flows* count what happened inside a period's window (orders, revenue, new members,
  answers, reviews, points issued …);
- *stocks* are as of the window's end, capped at ``now`` (members, customers, churn,
  ambassadors, liability, breakage and redemption rates): each fact adds to every period
  whose end is after it, so a stock is one binary search plus a cumulative sum per group —
  never a loop over periods or members.

Windows are periods (days, ISO weeks from Monday, calendar months) of the program's time
zone, clipped to ``[start, end]`` (calendar days, both included): the edges are computed
once in the zone (daylight saving included) and each timestamp finds its window by binary
search.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from decimal import ROUND_HALF_UP, Decimal
from typing import Final

import polars as pl

from loyalist.insights.nps import Dimension, Period
from loyalist.insights.snapshot import UTC_US, Snapshot

#: Signs of the ledger flows in outstanding points (``adjusted`` is already signed).
LIABILITY_SIGNS: Final = {"issued": 1, "redeemed": -1, "expired": -1, "reversed": -1, "adjusted": 1}
FLOWS: Final = tuple(LIABILITY_SIGNS)
RATE_DECIMALS: Final = 4


@dataclass(frozen=True, slots=True)
class KpiReport:
    """``rows``: one per (period, group), ordered by period then group (null last);
    ``totals``: one per period over every member once (only when grouped)."""

    period: Period
    by: Dimension | None
    start: date
    end: date
    churn_days: int
    rows: pl.DataFrame
    totals: pl.DataFrame | None


@dataclass(frozen=True, slots=True)
class Windows:
    """Period windows: ``starts[i]`` is the period's first day, ``edges[i]`` to
    ``edges[i + 1]`` its window in UTC, ``as_of[i]`` = min(window end, now)."""

    starts: list[date]
    edges: pl.Series
    as_of: pl.Series

    @property
    def count(self) -> int:
        return len(self.starts)


def kpi_report(
    snapshot: Snapshot,
    *,
    now: datetime,
    zone: tzinfo,
    period: Period = Period.MONTH,
    by: Dimension | None = None,
    start: date | None = None,
    end: date | None = None,
    churn_days: int = 180,
    point_value: Decimal = Decimal("0.01"),
    minor_exponent: int = 2,
) -> KpiReport:
    """KPIs per period of ``[start, end]`` (default: the first enrolment or order to
    ``now``'s day) and per group.

    ``point_value`` is what a point is worth in whole currency units, ``minor_exponent``
    the currency's minor-unit exponent (liability money is in minor units, half up).

    Invariants: rates are in [0, 1] or null (no denominator); revenue of a period is the
    sum of its orders' amounts; a member in several segments counts in each group and
    once in ``totals``.

    Raises:
        ValueError: ``start`` after ``end`` or ``churn_days`` < 1.
    """
    if churn_days < 1:
        raise ValueError("churn_days must be at least 1")
    first, last = default_range(snapshot, now, zone)
    start = first if start is None else start
    end = last if end is None else end
    if start > end:
        raise ValueError(f"start {start} is after end {end}")
    windows = period_windows(period, start, end, zone, now)
    unit = Decimal(point_value).scaleb(minor_exponent)
    history = _History.of(snapshot.orders, churn_days)
    rows = _figures(snapshot, history, windows, by, unit)
    totals = _figures(snapshot, history, windows, None, unit).drop("group") if by else None
    return KpiReport(period, by, start, end, churn_days, rows, totals)


def span_figures(
    snapshot: Snapshot,
    bounds: list[date],
    *,
    now: datetime,
    zone: tzinfo,
    churn_days: int = 180,
    point_value: Decimal = Decimal("0.01"),
    minor_exponent: int = 2,
) -> pl.DataFrame:
    """KPIs (the columns of :func:`kpi_report`'s rows) of consecutive spans of days:
    span ``i`` runs from ``bounds[i]`` to the day before ``bounds[i + 1]``, whatever its
    length (a dashboard's period and the one before it). Stocks are as of each span's end,
    capped at ``now``.

    Raises:
        ValueError: fewer than two bounds, bounds not increasing, or ``churn_days`` < 1.
    """
    if churn_days < 1:
        raise ValueError("churn_days must be at least 1")
    if len(bounds) < 2 or any(a >= b for a, b in itertools.pairwise(bounds)):
        raise ValueError("bounds must be at least two increasing days")
    edges = [_instant(d, zone) for d in bounds]
    capped = [min(e, now.astimezone(UTC)) for e in edges[1:]]
    windows = Windows(
        list(bounds[:-1]), pl.Series("edges", edges, UTC_US), pl.Series("as_of", capped, UTC_US)
    )
    unit = Decimal(point_value).scaleb(minor_exponent)
    history = _History.of(snapshot.orders, churn_days)
    return _figures(snapshot, history, windows, None, unit).drop("group")


def default_range(snapshot: Snapshot, now: datetime, zone: tzinfo) -> tuple[date, date]:
    """From the day of the first enrolment or order to ``now``'s day (program zone)."""
    today = now.astimezone(zone).date()
    firsts = [
        snapshot.members.get_column("enrolled_at").min(),
        snapshot.orders.get_column("paid_at").min(),
    ]
    known = [f for f in firsts if isinstance(f, datetime)]
    first = min(known).astimezone(zone).date() if known else today
    return min(first, today), today


def period_windows(period: Period, start: date, end: date, zone: tzinfo, now: datetime) -> Windows:
    """The periods touching ``[start, end]``, each window clipped to the range."""
    starts: list[date] = []
    day: date | None = _first_day(start, period)
    while day is not None and day <= end:
        starts.append(day)
        day = _next_start(day, period)
    # The day after 9999-12-31 does not exist: date.max stands for "after every instant".
    after = end + timedelta(days=1) if end < date.max else date.max
    bounds = [max(start, starts[0]), *starts[1:], after]
    edges = [_instant(d, zone) for d in bounds]
    capped = [min(e, now.astimezone(UTC)) for e in edges[1:]]
    return Windows(starts, pl.Series("edges", edges, UTC_US), pl.Series("as_of", capped, UTC_US))


def period_count(period: Period, start: date, end: date) -> int:
    """How many windows :func:`period_windows` makes of ``[start, end]`` (no loop)."""
    first, last = _first_day(start, period), _first_day(end, period)
    if period == Period.MONTH:
        return (last.year - first.year) * 12 + last.month - first.month + 1
    return (last - first).days // (7 if period == Period.WEEK else 1) + 1


def _first_day(day: date, period: Period) -> date:
    if period == Period.WEEK:
        return day - timedelta(days=day.weekday())  # 0001-01-01 is a Monday
    return day.replace(day=1) if period == Period.MONTH else day


def _next_start(day: date, period: Period) -> date | None:
    """The next period's first day; None past the calendar's last day."""
    try:
        if period == Period.DAY:
            return day + timedelta(days=1)
        if period == Period.WEEK:
            return day + timedelta(days=7)
        return date(day.year + day.month // 12, day.month % 12 + 1, 1)
    except (OverflowError, ValueError):
        return None


def _instant(day: date, zone: tzinfo) -> datetime:
    if day >= date.max:
        return datetime.max.replace(tzinfo=UTC)
    try:
        return datetime.combine(day, time(0), zone).astimezone(UTC)
    except OverflowError:  # midnight of 0001-01-01 east of UTC: before every instant
        return datetime.min.replace(tzinfo=UTC)


# -- figures -------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _History:
    """The orders sorted by member and time once, and what the figures need of them:
    ``seconds`` (member_id, second_at), ``firsts`` (member_id, at), and the starts and ends
    of each member's retained spans (member_id, at; see ``_churn_figures``)."""

    seconds: pl.DataFrame
    firsts: pl.DataFrame
    begins: pl.DataFrame
    ends: pl.DataFrame

    @classmethod
    def of(cls, orders: pl.DataFrame, churn_days: int) -> _History:
        span = timedelta(days=churn_days)
        member, paid = pl.col("member_id"), pl.col("paid_at")
        # Neighbours in the sorted frame replace window functions over members (no hashing).
        first = (member != member.shift(1)).fill_null(True)
        second = (~first) & (member != member.shift(2)).fill_null(True)
        begins = first | ((paid - paid.shift(1)) > span).fill_null(True)
        flags = (
            orders.select("member_id", "paid_at", "order_key")
            .sort("member_id", "paid_at", "order_key")
            .with_columns(first=first, second=second, begins=begins)
            .with_columns(ends=pl.col("begins").shift(-1).fill_null(True))
        )
        return cls(
            seconds=flags.filter("second").select("member_id", second_at=paid),
            firsts=flags.filter("first").select("member_id", at=paid),
            begins=flags.filter("begins").select("member_id", at=paid),
            ends=flags.filter("ends").select("member_id", at=paid + span),
        )


def _figures(
    snapshot: Snapshot,
    history: _History,
    windows: Windows,
    by: Dimension | None,
    unit: Decimal,
) -> pl.DataFrame:
    groups = member_groups(snapshot.members, by)
    orders = snapshot.orders
    if groups is None:
        order_groups = orders.with_columns(group=pl.col("channel"))
    else:
        order_groups = _grouped(orders, groups)
    parts = [_order_figures(order_groups, history.seconds, windows)]
    if groups is not None:
        parts += [
            _nps_figures(_grouped(snapshot.answers, groups), windows),
            _flow(_grouped(snapshot.members, groups), "enrolled_at", windows, new_members=pl.len()),
            _stock(_grouped(snapshot.members, groups), "enrolled_at", windows, "members"),
            _churn_figures(history, groups, windows),
            _stock(_grouped(_ambassadors(snapshot), groups), "since", windows, "ambassadors"),
            _flow(
                _grouped(snapshot.reviews, groups),
                "published_at",
                windows,
                reviews=pl.len(),
                rating_sum=pl.col("rating").sum(),
            ),
            _points_figures(_grouped(snapshot.points, groups), windows),
        ]
    grid = _grid(windows, parts, by)
    for part in parts:
        grid = grid.join(part, on=["idx", "group"], how="left", nulls_equal=True)
    return _derive(grid, windows, by, unit)


def member_groups(members: pl.DataFrame, by: Dimension | None) -> pl.DataFrame | None:
    """``member_id, group``: one row per member and group (a member in several segments has
    several rows, one without any a null group); None when grouped by order channel."""
    if by == Dimension.CHANNEL:
        return None
    if by == Dimension.TIER:
        return members.select("member_id", group=pl.col("tier"))
    if by == Dimension.SEGMENT:
        segments = pl.col("segments")
        listed = (
            pl.when(segments.list.len().fill_null(0) > 0)
            .then(segments.list.unique())
            .otherwise(pl.lit([None], dtype=pl.List(pl.String)))
        )
        return members.select("member_id", group=listed).explode("group")
    return members.select("member_id", group=pl.lit(None, pl.String))


def _grouped(frame: pl.DataFrame, groups: pl.DataFrame) -> pl.DataFrame:
    if groups.height and groups.get_column("group").null_count() == groups.height:
        return frame.with_columns(group=pl.lit(None, pl.String))  # ungrouped: no join
    return frame.join(groups, on="member_id", how="left")


def _window_index(windows: Windows, column: str) -> pl.Expr:
    """The index of the window holding the timestamp (−1 before, ``count`` after)."""
    return pl.lit(windows.edges).search_sorted(pl.col(column), side="right").cast(pl.Int64) - 1


def _flow(frame: pl.DataFrame, column: str, windows: Windows, **aggs: pl.Expr) -> pl.DataFrame:
    """Aggregates of the rows inside each window, per group."""
    return (
        frame.with_columns(idx=_window_index(windows, column))
        .filter(pl.col("idx").is_between(0, windows.count - 1))
        .group_by("idx", "group")
        .agg(**aggs)
    )


def _stock(frame: pl.DataFrame, column: str, windows: Windows, name: str) -> pl.DataFrame:
    """Per window and group, the rows dated before the window's ``as_of``: each row lands
    in the first window whose ``as_of`` is after it, then the counts run on."""
    first = pl.lit(windows.as_of).search_sorted(pl.col(column), side="right").cast(pl.Int64)
    landed = (
        frame.filter(pl.col(column).is_not_null())
        .with_columns(idx=first)
        .filter(pl.col("idx") < windows.count)
        .group_by("idx", "group")
        .agg(pl.len().alias(name))
    )
    return _accumulate(landed, windows, [name])


def _accumulate(landed: pl.DataFrame, windows: Windows, names: list[str]) -> pl.DataFrame:
    """Running sums over the windows of every group of ``landed`` (windows without rows
    carry the previous sum)."""
    idx = pl.DataFrame({"idx": pl.int_range(windows.count, eager=True, dtype=pl.Int64)})
    keys = landed.select("group").unique()
    return (
        idx.join(keys, how="cross")
        .join(landed, on=["idx", "group"], how="left", nulls_equal=True)
        .sort("group", "idx", nulls_last=True)
        .with_columns(pl.col(n).fill_null(0).cum_sum().over("group") for n in names)
    )


def _order_figures(orders: pl.DataFrame, seconds: pl.DataFrame, windows: Windows) -> pl.DataFrame:
    """Orders, revenue and buyers per window; a buyer repeats when their second order (in
    their lifetime) was paid before the window's end."""
    window_end = pl.lit(windows.edges).gather(pl.col("idx") + 1)
    member = pl.col("member_id")
    return (
        orders.with_columns(idx=_window_index(windows, "paid_at"))
        .filter(pl.col("idx").is_between(0, windows.count - 1))
        .join(seconds, on="member_id", how="left")
        .with_columns(repeat=pl.col("second_at") < window_end)
        .group_by("idx", "group")
        .agg(
            orders=pl.len(),
            revenue=pl.col("amount").sum(),
            active_members=member.n_unique(),
            repeat_buyers=member.filter(pl.col("repeat")).n_unique(),
        )
    )


def _churn_figures(history: _History, groups: pl.DataFrame, windows: Windows) -> pl.DataFrame:
    """Customers (an order before ``as_of``) and, of them, those without one in the
    ``churn_days`` before it. An order keeps its member retained for ``as_of`` in
    ``(paid_at, paid_at + churn_days]``; a member's overlapping spans merge into one, so
    retained = spans begun − spans ended, both stocks."""
    customers = _stock(_grouped(history.firsts, groups), "at", windows, "customers")
    begun = _stock(_grouped(history.begins, groups), "at", windows, "begun")
    # A span stops retaining once as_of > its end: it lands like a fact dated then.
    ended = _stock(_grouped(history.ends, groups), "at", windows, "ended")
    return (
        customers.join(begun, on=["idx", "group"], how="left", nulls_equal=True)
        .join(ended, on=["idx", "group"], how="left", nulls_equal=True)
        .select(
            "idx",
            "group",
            "customers",
            churned_customers=pl.col("customers")
            - (pl.col("begun").fill_null(0) - pl.col("ended").fill_null(0)),
        )
    )


def _ambassadors(snapshot: Snapshot) -> pl.DataFrame:
    """``member_id, since``: the first successful referral made or first promoter answer."""
    referred = snapshot.referrals.select(member_id=pl.col("referrer_id"), since=pl.col("at"))
    promoted = snapshot.answers.filter(pl.col("score") >= 9).select(
        "member_id", since=pl.col("answered_at")
    )
    return pl.concat([referred, promoted]).group_by("member_id").agg(pl.col("since").min())


def _nps_figures(answers: pl.DataFrame, windows: Windows) -> pl.DataFrame:
    score = pl.col("score")
    return _flow(
        answers,
        "answered_at",
        windows,
        nps_responses=pl.len(),
        promoters=(score >= 9).sum(),
        detractors=(score <= 6).sum(),
    )


def _points_figures(points: pl.DataFrame, windows: Windows) -> pl.DataFrame:
    """Flows per window and the to-date stocks; the rows are first summed per (window,
    landing window, group, flow), a small frame, so the filters below cost nothing."""
    flow = pl.col("flow")
    first = pl.lit(windows.as_of).search_sorted(pl.col("at"), side="right").cast(pl.Int64)
    sums = (
        points.with_columns(idx=_window_index(windows, "at"), first=first)
        .group_by("idx", "first", "group", "flow")
        .agg(pl.col("points").sum())
    )
    inside = (
        sums.filter(pl.col("idx").is_between(0, windows.count - 1))
        .group_by("idx", "group")
        .agg(**{f"points_{f}": pl.col("points").filter(flow == f).sum() for f in FLOWS})
    )
    signed = pl.col("points") * flow.replace_strict(
        LIABILITY_SIGNS, default=0, return_dtype=pl.Int64
    )
    stock_names = ["liability_points", "issued_to_date", "redeemed_to_date", "expired_to_date"]
    landed = (
        sums.filter(pl.col("first") < windows.count)
        .group_by(idx="first", group="group")
        .agg(
            liability_points=signed.sum(),
            issued_to_date=pl.col("points").filter(flow == "issued").sum(),
            redeemed_to_date=pl.col("points").filter(flow == "redeemed").sum(),
            expired_to_date=pl.col("points").filter(flow == "expired").sum(),
        )
    )
    stocks = _accumulate(landed, windows, stock_names)
    return stocks.join(inside, on=["idx", "group"], how="full", coalesce=True, nulls_equal=True)


def _grid(windows: Windows, parts: list[pl.DataFrame], by: Dimension | None) -> pl.DataFrame:
    idx = pl.DataFrame({"idx": pl.int_range(windows.count, eager=True, dtype=pl.Int64)})
    if by is None:
        keys = pl.DataFrame({"group": [None]}, schema={"group": pl.String})
    else:
        keys = pl.concat([p.select(pl.col("group").cast(pl.String)) for p in parts]).unique()
    return idx.join(keys, how="cross")


def _ratio(numerator: pl.Expr, denominator: pl.Expr, decimals: int = RATE_DECIMALS) -> pl.Expr:
    return pl.when(denominator > 0).then((numerator / denominator).round(decimals))


def _tenths(tenths: pl.Expr) -> pl.Expr:
    """Integer tenths as the floats of their one-decimal values (−179 → −17.9). Divided in
    numpy: polars divides many rows by a constant as a product with its reciprocal, which
    is not exact (−179 × 0.1 = −17.900000000000002)."""
    return tenths.map_batches(
        lambda values: pl.Series(values.to_numpy() / 10, nan_to_null=True),
        return_dtype=pl.Float64,
    )


def _money(points: pl.Series, unit: Decimal) -> pl.Expr:
    """``liability_points`` × ``unit`` in minor units, half away from zero, exact: in
    Decimal once per distinct liability (a few per report), as integer products of a long
    point value overflow 64 bits."""
    found = points.drop_nulls().unique().to_list()
    moneys = [int((p * unit).to_integral_value(ROUND_HALF_UP)) for p in found]
    return pl.col("liability_points").replace_strict(
        found, moneys, default=None, return_dtype=pl.Int64
    )


def _derive(
    grid: pl.DataFrame, windows: Windows, by: Dimension | None, unit: Decimal
) -> pl.DataFrame:
    counts = ["orders", "revenue", "active_members", "repeat_buyers"]
    member_counts = [
        "nps_responses",
        "promoters",
        "detractors",
        "members",
        "new_members",
        "customers",
        "churned_customers",
        "ambassadors",
        "reviews",
        "rating_sum",
        *(f"points_{f}" for f in FLOWS),
        "liability_points",
        "issued_to_date",
        "redeemed_to_date",
        "expired_to_date",
    ]
    if by == Dimension.CHANNEL:
        grid = grid.with_columns(pl.lit(None, pl.Int64).alias(n) for n in member_counts)
    else:
        grid = grid.with_columns(pl.col(n).fill_null(0).cast(pl.Int64) for n in member_counts)
    grid = grid.with_columns(pl.col(n).fill_null(0).cast(pl.Int64) for n in counts)
    money = _money(grid.get_column("liability_points"), unit)
    hundredths = 1000 * (pl.col("promoters") - pl.col("detractors"))
    responses = pl.col("nps_responses")
    # The NPS in tenths, rounded half away from zero in integers (as nps.nps).
    tenths = hundredths.sign() * ((2 * hundredths.abs() + responses) // (2 * responses))
    orders = pl.col("orders")
    starts = pl.Series("period_start", windows.starts, pl.Date)
    return (
        grid.with_columns(
            period_start=pl.lit(starts).gather(pl.col("idx")),
            average_order_value=pl.when(orders > 0).then(
                (2 * pl.col("revenue") + orders) // (2 * orders)
            ),
            purchase_frequency=_ratio(orders, pl.col("active_members")),
            repeat_purchase_rate=_ratio(pl.col("repeat_buyers"), pl.col("active_members")),
            churn_rate=_ratio(pl.col("churned_customers"), pl.col("customers")),
            nps=_tenths(pl.when(responses > 0).then(tenths)),
            average_rating=_ratio(pl.col("rating_sum"), pl.col("reviews"), 2),
            liability_money=money,
            breakage_rate=_ratio(pl.col("expired_to_date"), pl.col("issued_to_date")),
            redemption_rate=_ratio(pl.col("redeemed_to_date"), pl.col("issued_to_date")),
        )
        .sort("idx", "group", nulls_last=True)
        .select(
            "period_start",
            "group",
            "members",
            "new_members",
            "active_members",
            "orders",
            "revenue",
            "average_order_value",
            "purchase_frequency",
            "repeat_buyers",
            "repeat_purchase_rate",
            "customers",
            "churned_customers",
            "churn_rate",
            "ambassadors",
            "nps_responses",
            "promoters",
            "detractors",
            "nps",
            "reviews",
            "average_rating",
            *(f"points_{f}" for f in FLOWS),
            "liability_points",
            "liability_money",
            "breakage_rate",
            "redemption_rate",
        )
    )
