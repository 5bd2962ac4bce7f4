"""Keyset paging over several kinds of rows merged into one newest-first list.

Each kind (activities, postings, tier changes, …) keeps its own table and index on
``(member, time, id)``. A merged page is ordered by ``(time, rank, id)`` descending, where
``rank`` is the kind's fixed place among rows at the same instant. The cursor is the key of
the last row shown; for each kind it becomes a plain bound on that kind's own index
(:func:`bound_for`), so every kind is read with one bounded index range scan of
``limit + 1`` rows however many rows the member has, and :func:`merge` cuts the page.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from heapq import merge as heap_merge
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, tuple_

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Key:
    """Where a row sits in the merged order (compared descending)."""

    at: datetime
    rank: int
    ident: int | str

    def sort_key(self) -> tuple[datetime, int, int | str]:
        return (self.at, self.rank, self.ident)


@dataclass(frozen=True, slots=True)
class Bound:
    """Which rows of one kind come after the cursor: ``time < at``, ``time <= at`` (with
    ``or_equal``), or ``(time, id) < (at, ident)`` (with ``ident``)."""

    at: datetime
    ident: int | str | None = None
    or_equal: bool = False


def bound_for(cursor: Key | None, rank: int) -> Bound | None:
    """The bound on one kind (of ``rank``) that leaves exactly the rows after ``cursor``.

    At the cursor's instant a kind ranked below the cursor's still has all its rows to
    come, one ranked above has none left, and the cursor's own kind continues by id.
    """
    if cursor is None:
        return None
    if rank < cursor.rank:
        return Bound(cursor.at, or_equal=True)
    if rank == cursor.rank:
        return Bound(cursor.at, ident=cursor.ident)
    return Bound(cursor.at)


def condition(bound: Bound, at: Any, ident: Any) -> ColumnElement[bool]:
    """The bound as a WHERE condition on a kind's time and id columns."""
    found: ColumnElement[bool]
    if bound.ident is not None:
        found = tuple_(at, ident) < (bound.at, bound.ident)
    else:
        found = at <= bound.at if bound.or_equal else at < bound.at
    return found


def int_before(bound: Bound | None) -> tuple[datetime, int] | None:
    """The bound as ``(time, id)`` for a kind with positive integer ids whose repository
    pages with ``(time, id) < before``."""
    if bound is None:
        return None
    if bound.ident is not None:
        assert isinstance(bound.ident, int)
        return bound.at, bound.ident
    return (bound.at, AFTER_EVERY_ID) if bound.or_equal else (bound.at, 0)


#: Larger than every 64-bit row id.
AFTER_EVERY_ID = 2**63 - 1


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """The rows of one merged page and the key to continue after (None: no more rows)."""

    rows: list[tuple[Key, T]]
    next_key: Key | None


def merge(kinds: Iterable[Sequence[tuple[Key, T]]], limit: int) -> Page[T]:
    """Merge each kind's newest-first rows (at most ``limit + 1`` each, all after the same
    cursor) and cut ``limit``: the ``+ 1`` tells whether another page exists."""
    merged = list(heap_merge(*kinds, key=lambda row: row[0].sort_key(), reverse=True))
    rows = merged[:limit]
    return Page(rows, rows[-1][0] if len(merged) > limit and rows else None)
