"""A member's favourite products and categories, for "discount on your favourites" (pure).

Counted over the kept lines (a unit or more not returned) of paid, not cancelled orders:
``orders`` (orders holding it), ``quantity`` (units not returned) and ``spend`` (net amount
after discount, less the returned units' share, in minor units; lines of orders in another
currency than the one asked for are counted but spend nothing). The ``score`` is
``orders``, or with a half-life ``h`` days each order weighs ``0.5 ** (age_days / h)``.
Ranked by score, then spend, then quantity, then name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import polars as pl

from loyalist.recommendations.policy import days_since_epoch, kept_lines


@dataclass(frozen=True, slots=True)
class Favourite:
    key: str
    category: str | None
    orders: int
    quantity: int
    spend: int
    last_bought_at: datetime
    score: float


def favourites(
    history: pl.DataFrame,
    *,
    now: datetime,
    currency: str | None,
    half_life_days: float | None = None,
    limit: int = 10,
) -> tuple[list[Favourite], list[Favourite]]:
    """``(products, categories)`` of one member's purchase lines, best first."""
    lines = kept_lines(history)
    if lines.is_empty():
        return [], []
    now_days = days_since_epoch(pl.lit(now)).alias("now")
    net = pl.col("quantity") - pl.col("returned_quantity")
    in_currency = (
        pl.col("currency").is_null() | (pl.col("currency") == currency)
        if currency is not None
        else pl.lit(True)
    )
    lines = lines.with_columns(
        net.alias("net"),
        pl.when(in_currency)
        .then(pl.col("amount") * net // pl.col("quantity"))
        .otherwise(0)
        .alias("spend"),
        (
            pl.lit(0.5) ** ((now_days - days_since_epoch(pl.col("paid_at"))) / half_life_days)
            if half_life_days
            else pl.lit(1.0)
        ).alias("weight"),
    )
    return _ranked(lines, "sku", limit), _ranked(
        lines.filter(pl.col("category").is_not_null()), "category", limit
    )


def _ranked(lines: pl.DataFrame, key: str, limit: int) -> list[Favourite]:
    if key != "category":
        lines = lines.with_columns(pl.col("category").alias("of_category"))
    else:
        lines = lines.with_columns(of_category=pl.lit(None, pl.String))
    per_order = lines.group_by(key, "order_key").agg(
        pl.col("of_category").first(),
        pl.col("net").sum(),
        pl.col("spend").sum(),
        pl.col("weight").first(),
        pl.col("paid_at").max(),
    )
    grouped = (
        per_order.group_by(key)
        .agg(
            pl.col("of_category").first(),
            pl.len().alias("orders"),
            pl.col("net").sum().alias("quantity"),
            pl.col("spend").sum(),
            pl.col("paid_at").max().alias("last"),
            pl.col("weight").sum().alias("score"),
        )
        .sort(["score", "spend", "quantity", key], descending=[True, True, True, False])
        .head(limit)
    )
    return [
        Favourite(
            key=row[key],
            category=row["of_category"],
            orders=row["orders"],
            quantity=row["quantity"],
            spend=row["spend"],
            last_bought_at=row["last"],
            score=round(float(row["score"]), 6),
        )
        for row in grouped.iter_rows(named=True)
    ]
