"""What the exports' frame modules share (``members``, ``ledger`` and ``activities``
``export.py``): their time type, typed schemas, and the walk over a table's rows by id in
chunks, one statement each, nothing locked or written."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any, Final

import polars as pl
from polars._typing import PolarsDataType

#: An exported instant: microseconds, UTC.
UTC_US: Final = pl.Datetime("us", "UTC")


def frame_schema(columns: dict[str, PolarsDataType]) -> pl.Schema:
    """``columns`` (name → type, in file order) as a frame's schema."""
    return pl.Schema(columns)


def by_id(
    read: Callable[[int], Sequence[Any]], walked: Callable[[int], None] | None = None
) -> Iterator[Sequence[Any]]:
    """Chunks of rows, each ``read(after)``: the rows after id ``after`` (a row's first
    value), until one is empty; ``walked(rows read)`` after each chunk."""
    after = 0
    while rows := read(after):
        after = int(rows[-1][0])
        if walked is not None:
            walked(len(rows))
        yield rows
