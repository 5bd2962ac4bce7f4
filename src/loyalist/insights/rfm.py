"""RFM: recency, frequency and monetary quintile scores and the named segments they map to.

A *purchase* is an order of the snapshot (paid, not cancelled) with a net amount above zero
paid at or before ``as_of``; a fully returned order bought nothing. Customers with at least
one purchase are scored; the others get no row.

- ``recency_days``: whole days (24 h) from the last purchase to ``as_of``;
  ``frequency``: purchases; ``monetary``: their net amounts summed (minor units).
- Each score is a quintile of the customer's percentile rank among the scored customers:
  with ``n`` customers, ``B`` of them with a worse value (longer ago, fewer orders, less
  spent) and ``E`` with the same value (the customer included), ``PR = (B + E/2) / n`` and
  ``score = 1 + ⌊5·PR⌋``. Equal values always get equal scores, a better value never gets
  a lower score, distinct values get exact quintiles, and a tie is scored at its middle: a
  lone customer gets 3 on each score, the many customers who tie at the best recency get
  R = 5, and when one-time buyers are 60 % of a shop they all get F = 2 (scores may skip
  values when a tie spans a quintile).
- The segment is looked up in :data:`GRID` by ``R`` and ``FM = ⌊(F + M) / 2⌋``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Final

import polars as pl

#: Segment keys, best first.
SEGMENTS: Final = (
    "champions",
    "loyal",
    "potential_loyalists",
    "new",
    "at_risk",
    "cant_lose",
    "hibernating",
    "lost",
)

#: ``GRID[r - 1][fm - 1]``: the segment of recency score ``r`` and ``FM`` score ``fm``.
GRID: Final = (
    # FM:  1             2                      3                      4            5
    ("lost", "lost", "at_risk", "at_risk", "cant_lose"),  # R 1
    ("hibernating", "hibernating", "at_risk", "at_risk", "cant_lose"),  # R 2
    ("hibernating", "potential_loyalists", "potential_loyalists", "loyal", "loyal"),  # R 3
    ("new", "potential_loyalists", "potential_loyalists", "loyal", "loyal"),  # R 4
    ("new", "potential_loyalists", "potential_loyalists", "champions", "champions"),  # R 5
)

RFM_SCHEMA: Final = pl.Schema(
    {
        "member_id": pl.Int64,
        "recency_days": pl.Int64,
        "frequency": pl.Int64,
        "monetary": pl.Int64,
        "r_score": pl.Int8,
        "f_score": pl.Int8,
        "m_score": pl.Int8,
        "segment": pl.String,
    }
)

_DAY_US: Final = 86_400_000_000
_CELLS: Final = pl.DataFrame(
    {
        "r_score": [r for r in range(1, 6) for _ in range(5)],
        "fm_score": [fm for _ in range(5) for fm in range(1, 6)],
        "segment": [GRID[r][fm] for r in range(5) for fm in range(5)],
    },
    schema={"r_score": pl.Int8, "fm_score": pl.Int8, "segment": pl.String},
)


def quintile(values: pl.Expr) -> pl.Expr:
    """1–5 score of ``values`` (higher is better): ``1 + ⌊5·PR⌋`` with the percentile rank
    ``PR = (B + E/2)/n`` (``B`` values below, ``E`` equal ones, ``n`` in all), so tied
    values share the score of their group's middle. ``2B + E = min rank + max rank − 1``."""
    low = values.rank("min").cast(pl.Int64)
    high = values.rank("max").cast(pl.Int64)
    return (1 + (5 * (low + high - 1)) // (2 * pl.len())).cast(pl.Int8)


def rfm_scores(orders: pl.DataFrame, *, as_of: datetime) -> pl.DataFrame:
    """Per-customer RFM figures, scores and segment (schema :data:`RFM_SCHEMA`), one row per
    customer with a purchase, sorted by ``member_id``.

    ``orders`` needs ``member_id``, ``paid_at`` (aware UTC) and ``amount`` (minor units) as
    in :data:`loyalist.insights.snapshot.ORDERS_SCHEMA`; ``as_of`` must be aware. Every row
    gets exactly one segment of :data:`SEGMENTS`; scores are in 1..5.
    """
    cutoff = pl.lit(as_of).cast(pl.Datetime("us", "UTC"))
    figures = (
        orders.lazy()
        .select("member_id", pl.col("paid_at").cast(pl.Datetime("us", "UTC")), "amount")
        .filter((pl.col("amount") > 0) & (pl.col("paid_at") <= cutoff))
        .group_by("member_id")
        .agg(
            pl.col("paid_at").max().alias("last_at"),
            pl.len().cast(pl.Int64).alias("frequency"),
            pl.col("amount").sum().cast(pl.Int64).alias("monetary"),
        )
        .with_columns(
            ((cutoff - pl.col("last_at")).dt.total_microseconds() // _DAY_US)
            .cast(pl.Int64)
            .alias("recency_days")
        )
        .with_columns(
            quintile(-pl.col("recency_days")).alias("r_score"),
            quintile(pl.col("frequency")).alias("f_score"),
            quintile(pl.col("monetary")).alias("m_score"),
        )
        .with_columns(((pl.col("f_score") + pl.col("m_score")) // 2).alias("fm_score"))
        .join(_CELLS.lazy(), on=["r_score", "fm_score"], how="left")
        .select(RFM_SCHEMA.names())
        .sort("member_id")
    )
    return figures.collect().cast(RFM_SCHEMA)
