"""The columnar snapshot every insight is computed from: members, orders, lines, points.

Analytics never walk ORM rows: :func:`export` (in :mod:`loyalist.insights.export`) reads the
operational tables once into polars frames of the schemas below, and KPIs, RFM, CLV and the
journey are pure functions of a :class:`Snapshot`. Benchmarks build snapshots directly
(:func:`Snapshot.of`) to measure the analytics apart from the database.

Conventions, shared by every consumer:

- ``orders`` holds paid, not cancelled orders only; ``amount`` is the order's net amount
  (lines after discounts, without shipping and tax) less what applied returns took back,
  in minor units of ``currency``; an order fully returned keeps its row with amount 0.
- ``lines`` holds the lines of those orders; ``amount`` is the line's net amount less the
  net of its returned units; ``returned_quantity`` is as applied.
- ``points`` holds one row per ledger flow: ``flow`` is issued, redeemed, expired, reversed
  or adjusted, and ``points`` is positive in the flow's natural direction (issued to
  members, redeemed, expired, reversed by returns; ``adjusted`` is signed: positive when
  given).
- ``enrolled_at`` of a member created without one is its creation time.
- Every datetime is aware UTC (microseconds).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import polars as pl
from polars._typing import PolarsDataType

UTC_US: Final = pl.Datetime("us", "UTC")


def _schema(columns: dict[str, PolarsDataType]) -> pl.Schema:
    return pl.Schema(columns)


MEMBERS_SCHEMA: Final = _schema(
    {
        "member_id": pl.Int64,
        "enrolled_at": UTC_US,
        "tier": pl.String,
        "segments": pl.List(pl.String),
    }
)
ORDERS_SCHEMA: Final = _schema(
    {
        "order_key": pl.Int64,
        "member_id": pl.Int64,
        "paid_at": UTC_US,
        "currency": pl.String,
        "channel": pl.String,
        "amount": pl.Int64,
    }
)
LINES_SCHEMA: Final = _schema(
    {
        "order_key": pl.Int64,
        "member_id": pl.Int64,
        "paid_at": UTC_US,
        "sku": pl.String,
        "category": pl.String,
        "quantity": pl.Int64,
        "returned_quantity": pl.Int64,
        "amount": pl.Int64,
    }
)
POINTS_SCHEMA: Final = _schema(
    {
        "at": UTC_US,
        "member_id": pl.Int64,
        "flow": pl.String,
        "points": pl.Int64,
    }
)
REVIEWS_SCHEMA: Final = _schema(
    {"member_id": pl.Int64, "published_at": UTC_US, "rating": pl.Int64, "sku": pl.String}
)
ANSWERS_SCHEMA: Final = _schema(
    {"member_id": pl.Int64, "answered_at": UTC_US, "score": pl.Int64, "channel": pl.String}
)
REFERRALS_SCHEMA: Final = _schema({"referrer_id": pl.Int64, "referred_id": pl.Int64, "at": UTC_US})


@dataclass(frozen=True, slots=True)
class Snapshot:
    """Frames of the schemas above; ``reviews`` are live ones, ``answers`` first answers
    with a score, ``referrals`` successful (rewarded or qualified) ones."""

    members: pl.DataFrame
    orders: pl.DataFrame
    lines: pl.DataFrame
    points: pl.DataFrame
    reviews: pl.DataFrame
    answers: pl.DataFrame
    referrals: pl.DataFrame

    @classmethod
    def of(
        cls,
        *,
        members: pl.DataFrame,
        orders: pl.DataFrame,
        lines: pl.DataFrame | None = None,
        points: pl.DataFrame | None = None,
        reviews: pl.DataFrame | None = None,
        answers: pl.DataFrame | None = None,
        referrals: pl.DataFrame | None = None,
    ) -> Snapshot:
        """A snapshot of the given frames cast to the schemas (missing ones empty).

        Raises:
            polars.exceptions.ColumnNotFoundError: a frame lacks a column of its schema.
        """
        return cls(
            members=_conform(members, MEMBERS_SCHEMA),
            orders=_conform(orders, ORDERS_SCHEMA),
            lines=_conform(lines, LINES_SCHEMA),
            points=_conform(points, POINTS_SCHEMA),
            reviews=_conform(reviews, REVIEWS_SCHEMA),
            answers=_conform(answers, ANSWERS_SCHEMA),
            referrals=_conform(referrals, REFERRALS_SCHEMA),
        )


def _conform(frame: pl.DataFrame | None, schema: pl.Schema) -> pl.DataFrame:
    if frame is None:
        return pl.DataFrame(schema=schema)
    return frame.select([pl.col(name).cast(dtype) for name, dtype in schema.items()])
