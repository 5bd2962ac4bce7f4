"""Purchase cohorts: retention by month of first order, and time to the second order.

Pure polars over a Snapshot's ``orders``; months are calendar months of the program's
time zone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import Final

import polars as pl

#: Histogram buckets of days between first and second order: ``[lower, upper)``.
SECOND_ORDER_BUCKETS: Final = (
    (0, 1),
    (1, 7),
    (7, 14),
    (14, 30),
    (30, 60),
    (60, 90),
    (90, 180),
    (180, 365),
    (365, None),
)
RATE_DECIMALS: Final = 4
DAY_DECIMALS: Final = 2
_DAY_MICROS: Final = 86_400e6


def _zone_key(zone: tzinfo) -> str:
    key = getattr(zone, "key", None)
    return key if isinstance(key, str) else "UTC"


def local_month(column: str, zone: tzinfo) -> pl.Expr:
    """The first day of the timestamp's calendar month in ``zone``."""
    return pl.col(column).dt.convert_time_zone(_zone_key(zone)).dt.truncate("1mo").dt.date()


def month_number(day: pl.Expr) -> pl.Expr:
    """Months since year 0: differences are whole calendar months."""
    return day.dt.year().cast(pl.Int64) * 12 + day.dt.month().cast(pl.Int64)


def ranked_orders(orders: pl.DataFrame) -> pl.DataFrame:
    """``member_id, paid_at, n``: the member's orders in payment order, ``n`` from 1 (ties
    broken by ``order_key``)."""
    return (
        orders.select("member_id", "paid_at", "order_key")
        .sort("member_id", "paid_at", "order_key")
        .with_columns(n=pl.int_range(1, pl.len() + 1).over("member_id"))
    )


def cohort_retention(
    orders: pl.DataFrame,
    *,
    zone: tzinfo,
    now: datetime,
    start: date | None = None,
    end: date | None = None,
) -> pl.DataFrame:
    """The retention grid: ``cohort`` (first day of the month of a customer's first order),
    ``cohort_size``, ``months_since`` (0 = the cohort's month, up to ``now``'s month),
    ``members`` (of the cohort with an order that month) and ``share`` (of the cohort, 4
    decimals). Cohorts whose month starts in ``[start, end]`` (month of ``start``), oldest
    first; every month up to ``now``'s has a cell, zero when no one came back.

    Invariants: ``members`` ≤ ``cohort_size``; month 0 is the whole cohort; cohort sizes sum
    to the customers whose first order falls in the range.
    """
    now_month = pl.lit(now).dt.convert_time_zone(_zone_key(zone)).dt.truncate("1mo").dt.date()
    months = (
        orders.select("member_id", month=local_month("paid_at", zone))
        .unique()
        .with_columns(cohort=pl.col("month").min().over("member_id"))
    )
    if start is not None:
        months = months.filter(pl.col("cohort") >= date(start.year, start.month, 1))
    if end is not None:
        months = months.filter(pl.col("cohort") <= end)
    months = months.with_columns(
        months_since=month_number(pl.col("month")) - month_number(pl.col("cohort"))
    )
    sizes = months.filter(pl.col("months_since") == 0).group_by("cohort").agg(cohort_size=pl.len())
    cells = months.group_by("cohort", "months_since").agg(members=pl.len())
    last = month_number(now_month) - month_number(pl.col("cohort"))
    grid = sizes.with_columns(
        months_since=pl.int_ranges(0, pl.max_horizontal(last, 0) + 1, dtype=pl.Int64)
    ).explode("months_since")
    return (
        grid.join(cells, on=["cohort", "months_since"], how="left")
        .with_columns(
            cohort_size=pl.col("cohort_size").cast(pl.Int64),
            members=pl.col("members").fill_null(0).cast(pl.Int64),
        )
        .with_columns(share=(pl.col("members") / pl.col("cohort_size")).round(RATE_DECIMALS))
        .sort("cohort", "months_since")
        .select("cohort", "cohort_size", "months_since", "members", "share")
    )


@dataclass(frozen=True, slots=True)
class SecondOrderStats:
    """Days from a customer's first to second paid order (exact, in days of 24 hours).

    ``customers`` bought at least once, ``repeat_customers`` twice; the quantiles are
    linear interpolations (numpy's default), None without repeat customers; ``histogram``
    has ``lower, upper`` (days, upper excluded, null: no bound), ``customers``, ``share``
    (of repeat customers)."""

    customers: int
    repeat_customers: int
    mean_days: float | None
    p25_days: float | None
    median_days: float | None
    p75_days: float | None
    histogram: pl.DataFrame


def time_to_second_order(orders: pl.DataFrame) -> SecondOrderStats:
    """The distribution of days between each repeat customer's first and second order."""
    ranked = ranked_orders(orders).filter(pl.col("n") <= 2)
    firsts = ranked.filter(pl.col("n") == 1).select("member_id", first=pl.col("paid_at"))
    gaps = (
        ranked.filter(pl.col("n") == 2)
        .join(firsts, on="member_id")
        .select(days=(pl.col("paid_at") - pl.col("first")).dt.total_microseconds() / _DAY_MICROS)
        .get_column("days")
    )
    repeat = gaps.len()
    lowers = [b[0] for b in SECOND_ORDER_BUCKETS]
    uppers = [b[1] for b in SECOND_ORDER_BUCKETS]
    # Bucket i holds lowers[i] <= days < lowers[i + 1].
    bucket = pl.Series(lowers[1:], dtype=pl.Float64).search_sorted(gaps, side="right")
    counts = pl.DataFrame({"bucket": bucket}).group_by("bucket").agg(customers=pl.len())
    histogram = (
        pl.DataFrame(
            {"bucket": list(range(len(lowers))), "lower": lowers, "upper": uppers},
            schema={"bucket": pl.UInt32, "lower": pl.Int64, "upper": pl.Int64},
        )
        .join(counts, on="bucket", how="left")
        .with_columns(customers=pl.col("customers").fill_null(0).cast(pl.Int64))
        .with_columns(
            share=pl.when(repeat > 0).then((pl.col("customers") / repeat).round(RATE_DECIMALS))
        )
        .sort("bucket")
        .drop("bucket")
    )

    def stat(value: float | None) -> float | None:
        return None if value is None or repeat == 0 else round(float(value), DAY_DECIMALS)

    return SecondOrderStats(
        customers=firsts.height,
        repeat_customers=repeat,
        mean_days=stat(gaps.mean() if repeat else None),  # type: ignore[arg-type]
        p25_days=stat(gaps.quantile(0.25, "linear") if repeat else None),
        median_days=stat(gaps.quantile(0.5, "linear") if repeat else None),
        p75_days=stat(gaps.quantile(0.75, "linear") if repeat else None),
        histogram=histogram,
    )
