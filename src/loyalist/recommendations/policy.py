"""Recommendation settings and the purchase table every model learns from (pure)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any, Final

import polars as pl
from polars._typing import PolarsDataType

#: One row per purchase line of a paid, not cancelled order. ``member_id`` and ``order_key``
#: are any integers (codes of external ids for files); ``amount`` is the line's net amount
#: (after discount) in minor units, before returns.
_PURCHASE_COLUMNS: dict[str, PolarsDataType] = {
    "member_id": pl.Int64,
    "order_key": pl.Int64,
    "paid_at": pl.Datetime("us", "UTC"),
    "sku": pl.String,
    "category": pl.String,
    "quantity": pl.Int64,
    "returned_quantity": pl.Int64,
    "amount": pl.Int64,
    "currency": pl.String,
}
PURCHASES_SCHEMA: Final = pl.Schema(_PURCHASE_COLUMNS)


@dataclass(frozen=True, slots=True)
class RecommendationSettings:
    """How recommendations are learnt and served.

    ``window_days``: a basket is one order together with the same member's orders paid
    within this many days after the basket's first one (0: one order per basket).
    ``min_support``: baskets a pair must share to be stored; ``top_n``: neighbours kept
    per item and score. ``exclude_days``: what a member bought this recently is not
    recommended (returned items never are). ``popular_days``: the popularity window.
    ALS: ``factors``, ``iterations``, ``regularization``, ``alpha`` (confidence
    ``1 + alpha * ln(1 + orders)``), ``random_state``. ``refresh_hours``: the job
    refreshes at most this often.
    """

    window_days: int = 30
    min_support: int = 3
    top_n: int = 20
    exclude_days: int = 90
    popular_days: int = 90
    factors: int = 32
    iterations: int = 15
    regularization: float = 1.0
    alpha: float = 2.0
    random_state: int = 42
    refresh_hours: int = 24

    def __post_init__(self) -> None:
        for name in ("window_days", "exclude_days", "popular_days"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must be >= 0")
        for name in ("min_support", "top_n", "factors", "iterations", "refresh_hours"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be >= 1")
        if self.regularization < 0 or self.alpha < 0:
            raise ValueError("regularization and alpha must be >= 0")

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def kept_lines(purchases: pl.DataFrame) -> pl.DataFrame:
    """Lines with at least one unit not returned: a fully returned line is no evidence of
    liking the product (a partly returned one still is)."""
    return purchases.filter(pl.col("quantity") > pl.col("returned_quantity"))


def days_since_epoch(column: pl.Expr) -> pl.Expr:
    """Fractional days since 1970-01-01 UTC of a datetime column."""
    return column.dt.epoch("us").cast(pl.Float64) / 86_400e6


def excluded_skus(history: pl.DataFrame, *, now: datetime, exclude_days: int) -> set[str]:
    """What a member must not be recommended: bought in the last ``exclude_days`` days (any
    line of a paid, not cancelled order) or ever returned (a unit or more)."""
    if history.is_empty():
        return set()
    cutoff = _epoch_us(now) - exclude_days * 86_400_000_000
    recent = history.filter(
        (pl.col("paid_at").dt.epoch("us") > cutoff) | (pl.col("returned_quantity") > 0)
    )
    return set(recent["sku"].to_list())


def _epoch_us(at: datetime) -> int:
    return int(at.timestamp() * 1_000_000)
