"""Heavy jobs' writes in short units of work, so the SQLite writer is never held for long.

A job computes its results on a reader connection, then writes them a chunk per unit of
work (``write_in_chunks``) and deletes what it replaces a chunk per unit
(``repeat_until_done``). Between two of its units the writer serves everyone else (the
ingest, the API). All-or-nothing visibility: :mod:`loyalist.db.generations`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Final, TypeVar

from loyalist.db.database import Database
from loyalist.db.uow import UnitOfWork

if TYPE_CHECKING:
    import polars as pl

R = TypeVar("R")

#: Rows a job writes (or deletes) per unit of work: 10–30 ms of the SQLite writer on this
#: machine (bench/jobs.py), against a target of 50 ms.
CHUNK_ROWS: Final = 2_000


def write_in_chunks(
    db: Database,
    frame: pl.DataFrame,
    write: Callable[[UnitOfWork, pl.DataFrame], R],
    *,
    rows: int = CHUNK_ROWS,
) -> list[R]:
    """``write(uow, chunk)`` for each ``rows`` rows of ``frame`` in order, one unit of work
    each; the units' results.

    Raises:
        ValueError: ``rows`` is below 1.
    """
    if rows < 1:
        raise ValueError("rows per chunk must be at least 1")
    return [db.write(_bound(write, chunk)) for chunk in frame.iter_slices(rows)]


def _bound(
    write: Callable[[UnitOfWork, pl.DataFrame], R], chunk: pl.DataFrame
) -> Callable[[UnitOfWork], R]:
    return lambda uow: write(uow, chunk)


def repeat_until_done(db: Database, step: Callable[[UnitOfWork], int]) -> int:
    """``step(uow)`` in one unit after another until it does nothing (returns 0); returns
    the sum of what the units did."""
    total = 0
    while done := db.write(step):
        total += done
    return total
