"""Ledger postings of a period and members' balances at an instant, as frames for an
export file: read in chunks by id, one statement each, nothing locked or written."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Final

import polars as pl

from loyalist.db.frames import UTC_US, by_id, frame_schema
from loyalist.db.uow import UnitOfWork
from loyalist.ledger import repository

#: Rows (postings; members for balances) read per statement and frame.
CHUNK: Final = 50_000


POSTINGS: Final = frame_schema(
    {
        "posting_id": pl.Int64,
        "member_id": pl.String,
        "kind": pl.String,
        "debit_account": pl.String,
        "credit_account": pl.String,
        "amount": pl.Int64,
        "reason_code": pl.String,
        "order_id": pl.String,
        "issuer": pl.String,
        "effective_at": UTC_US,
        "created_at": UTC_US,
    }
)
BALANCES: Final = frame_schema(
    {"member_id": pl.String, "available": pl.Int64, "pending": pl.Int64, "held": pl.Int64}
)


def postings(
    uow: UnitOfWork,
    start: datetime | None,
    end: datetime | None,
    *,
    chunk: int = CHUNK,
    walked: Callable[[int], None] | None = None,
) -> Iterator[pl.DataFrame]:
    """Every posting effective in ``[start, end)`` (None: open), by id, as :data:`POSTINGS`
    frames: a posting moves ``amount`` points from its debit account to its credit
    account (double entry; member accounts ``member.*``, the others the program's)."""
    for rows in by_id(
        lambda after: repository.export_postings(uow.session, start, end, after=after, limit=chunk),
        walked,
    ):
        yield pl.DataFrame(rows, schema=POSTINGS, orient="row")


def balances(
    uow: UnitOfWork,
    at: datetime,
    *,
    chunk: int = CHUNK,
    walked: Callable[[int], None] | None = None,
) -> Iterator[pl.DataFrame]:
    """Each member's ``available``, ``pending`` and ``held`` points at instant ``at``
    (the postings effective before it), by member id, as :data:`BALANCES` frames; members
    without a posting by then are left out. ``available`` is negative for a debt."""
    after = 0
    while (last := repository.last_member_id(uow.session, after=after, limit=chunk)) is not None:
        rows = repository.balances_before(uow.session, at, after=after, limit=chunk)
        if walked is not None:
            walked(chunk)
        after = last
        if rows:
            yield pl.DataFrame([r[1:] for r in rows], schema=BALANCES, orient="row")
