"""The customer journey by enrolment cohort: enrolled → first → second → third order.

Pure polars over a Snapshot's ``members`` and ``orders``.
"""

from __future__ import annotations

from datetime import date, tzinfo
from typing import Final

import polars as pl

from loyalist.insights.cohorts import local_month, ranked_orders

RATE_DECIMALS: Final = 4
DAY_DECIMALS: Final = 2
_DAY_MICROS: Final = 86_400e6
#: The steps after enrolment, as ``(name, order number)``.
STEPS: Final = (("first_order", 1), ("second_order", 2), ("third_order", 3))


def _days(later: str, earlier: str) -> pl.Expr:
    # An order paid before the member's enrolment (a late sign-up) counts as 0 days.
    gap = (pl.col(later) - pl.col(earlier)).dt.total_microseconds() / _DAY_MICROS
    return pl.when(gap < 0).then(pl.lit(0.0)).otherwise(gap)


def journey_funnel(
    members: pl.DataFrame,
    orders: pl.DataFrame,
    *,
    zone: tzinfo,
    start: date | None = None,
    end: date | None = None,
) -> pl.DataFrame:
    """One row per enrolment month (program zone) in ``[start, end]`` (by the month of
    ``start``): ``cohort``, ``enrolled``; for each step ``first_order``, ``second_order``,
    ``third_order`` the members who reached it (ever, so far) and ``*_share`` of the
    cohort (4 decimals); ``days_to_first_order`` (from enrolment), ``days_to_second_order``
    (from the first), ``days_to_third_order`` (from the second): medians in days (2
    decimals, null when nobody took the step).

    Invariants: enrolled ≥ first_order ≥ second_order ≥ third_order.
    """
    ranked = ranked_orders(orders).filter(pl.col("n") <= len(STEPS))
    people = members.select("member_id", "enrolled_at", cohort=local_month("enrolled_at", zone))
    if start is not None:
        people = people.filter(pl.col("cohort") >= date(start.year, start.month, 1))
    if end is not None:
        people = people.filter(pl.col("cohort") <= end)
    for name, n in STEPS:
        step = ranked.filter(pl.col("n") == n).select("member_id", pl.col("paid_at").alias(name))
        people = people.join(step, on="member_id", how="left")
    previous = "enrolled_at"
    aggs: list[pl.Expr] = [pl.len().alias("enrolled")]
    for name, _n in STEPS:
        aggs += [
            pl.col(name).is_not_null().sum().alias(name),
            _days(name, previous).median().round(DAY_DECIMALS).alias(f"days_to_{name}"),
        ]
        previous = name
    funnel = people.group_by("cohort").agg(aggs).sort("cohort")
    shares = [
        (pl.col(name) / pl.col("enrolled")).round(RATE_DECIMALS).alias(f"{name}_share")
        for name, _n in STEPS
    ]
    counts = [pl.col(c).cast(pl.Int64) for c in ("enrolled", *(name for name, _n in STEPS))]
    return funnel.with_columns(*counts, *shares).select(
        "cohort",
        "enrolled",
        *(c for name, _n in STEPS for c in (name, f"{name}_share", f"days_to_{name}")),
    )
