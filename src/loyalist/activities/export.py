"""Orders as frames for an export file: read in chunks by row id, one statement each,
nothing locked or written. Amounts in minor units of the order's currency."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Final

import polars as pl

from loyalist.activities import repository
from loyalist.db.frames import UTC_US, by_id, frame_schema
from loyalist.db.uow import UnitOfWork

#: Orders read per statement and frame.
CHUNK: Final = 50_000


ORDERS: Final = frame_schema(
    {
        "order_id": pl.String,
        "member_id": pl.String,
        "currency": pl.String,
        "channel": pl.String,
        "store": pl.String,
        "total": pl.Int64,
        "shipping": pl.Int64,
        "tax": pl.Int64,
        "net_amount": pl.Int64,
        "lines": pl.Int64,
        "placed_at": UTC_US,
        "paid_at": UTC_US,
        "shipped_at": UTC_US,
        "delivered_at": UTC_US,
        "cancelled_at": UTC_US,
        "carrier": pl.String,
        "tracking_number": pl.String,
    }
)


def orders(
    uow: UnitOfWork,
    start: datetime | None,
    end: datetime | None,
    *,
    chunk: int = CHUNK,
    walked: Callable[[int], None] | None = None,
) -> Iterator[pl.DataFrame]:
    """Every order placed (or, never placed, paid) in ``[start, end)`` (None: open), as
    :data:`ORDERS` frames; ``net_amount`` is what the order's points are earned on (lines
    less discounts and applied returns)."""
    for rows in by_id(
        lambda after: repository.export_orders(uow.session, start, end, after=after, limit=chunk),
        walked,
    ):
        yield pl.DataFrame([r[1:] for r in rows], schema=ORDERS, orient="row")
