"""Fixed statements on the driver's own cursor: no statement building, ~10x less overhead.

For small, fixed queries on the busiest paths (balance reads, coupon checks and uses); SQL
is written with ``?`` placeholders and adapted to the dialect. Repository functions take a
``Cursor``: the raw read path's ``RawReader`` (``Database.read_raw``) or a ``UnitOfWork``
(inside its transaction), so each query has one implementation for both.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any, Protocol

import orjson
from sqlalchemy import JSON, Boolean, Table
from sqlalchemy.orm import Session

from loyalist.db.base import UtcDateTime, sqlite_instant, sqlite_stamp


class Cursor(Protocol):
    """Where fixed statements run: a ``RawReader`` or a ``UnitOfWork``."""

    @property
    def dialect(self) -> str: ...

    def one(self, sql: str, params: tuple[Any, ...]) -> tuple[Any, ...] | None:
        """The first row, or None."""
        ...

    def all(self, sql: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]: ...

    def change(self, sql: str, params: tuple[Any, ...]) -> int:
        """Run an INSERT/UPDATE; returns the rows it changed."""
        ...

    def stamp(self, value: datetime | None) -> Any:
        """An aware datetime as the UTC columns store it on this dialect."""
        ...


class RawReader:
    """Fixed statements on a DBAPI cursor: a read-only transaction of its own, or (through
    ``on_session``) statements inside a unit of work, which may also change rows."""

    def __init__(self, cursor: Any, dialect: str) -> None:
        self._cursor = cursor
        self.dialect = dialect

    @classmethod
    def on_session(cls, session: Session) -> RawReader:
        """The same statements inside an ORM unit of work, on its connection (so they see
        its writes and hold its locks)."""
        connection = session.connection()
        return cls(connection.connection.cursor(), connection.dialect.name)

    def _sql(self, sql: str) -> str:
        return sql if self.dialect == "sqlite" else sql.replace("?", "%s")

    def one(self, sql: str, params: tuple[Any, ...]) -> tuple[Any, ...] | None:
        self._cursor.execute(self._sql(sql), params)
        row: tuple[Any, ...] | None = self._cursor.fetchone()
        return row

    def change(self, sql: str, params: tuple[Any, ...]) -> int:
        """Run an INSERT/UPDATE inside the unit; returns the rows it changed."""
        self._cursor.execute(self._sql(sql), params)
        count: int = self._cursor.rowcount
        return count

    def stamp(self, value: datetime | None) -> Any:
        """An aware datetime as the UTC columns store it on this dialect."""
        if self.dialect != "sqlite":
            return value
        return sqlite_stamp(value)

    def all(self, sql: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        self._cursor.execute(self._sql(sql), params)
        return list(self._cursor.fetchall())


def as_utc(value: Any) -> datetime | None:
    """A timestamp read through a ``Cursor`` as aware UTC (SQLite keeps ISO text without a
    zone)."""
    if value is None:
        return None
    if isinstance(value, str):
        return sqlite_instant(value)
    assert isinstance(value, datetime)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


#: Keys per statement on SQLite (its default limit is 32,766 parameters).
IN_CHUNK = 500


def chunks_in(dialect: str, keys: Sequence[Any]) -> Iterator[tuple[str, tuple[Any, ...]]]:
    """``(condition, parameters)`` to test a column against ``keys``, in chunks: the text
    follows the column, as ``f"member_id {condition}"``. SQLite gets ``IN (?, …)`` of at
    most :data:`IN_CHUNK` keys; PostgreSQL one ``= ANY(?)`` array per chunk of 5,000."""
    if dialect == "sqlite":
        for start in range(0, len(keys), IN_CHUNK):
            chunk = tuple(keys[start : start + IN_CHUNK])
            yield f"IN ({', '.join('?' * len(chunk))})", chunk
        return
    for start in range(0, len(keys), 5_000):
        yield "= ANY(?)", (list(keys[start : start + 5_000]),)


def rows_in(
    cursor: Cursor,
    table: Table,
    names: Sequence[str],
    key: str,
    keys: Sequence[Any],
    *,
    order_by: str | None = None,
) -> list[tuple[Any, ...]]:
    """The ``names`` columns of ``table``'s rows whose ``key`` is one of ``keys``, as
    tuples of Python values (timestamps aware UTC, documents parsed, booleans as bool on
    either database): the batch paths' loads without statement building."""
    convert = [(i, f) for i, f in enumerate(_readers(table, names, cursor.dialect)) if f]
    found: list[tuple[Any, ...]] = []
    order = f" ORDER BY {order_by}" if order_by else ""
    for condition, params in chunks_in(cursor.dialect, keys):
        rows = cursor.all(
            f"SELECT {', '.join(names)} FROM {table.name} WHERE {key} {condition}{order}",  # noqa: S608
            params,
        )
        if not convert:
            found.extend(rows)
            continue
        for row in rows:
            values = list(row)
            for i, f in convert:
                values[i] = f(values[i])
            found.append(tuple(values))
    return found


def _readers(table: Table, names: Sequence[str], dialect: str) -> list[Callable[[Any], Any] | None]:
    readers: list[Callable[[Any], Any] | None] = []
    for name in names:
        kind = table.c[name].type
        if isinstance(kind, UtcDateTime):
            readers.append(as_utc)
        elif dialect == "sqlite" and isinstance(kind, JSON):
            readers.append(_json_value)
        elif dialect == "sqlite" and isinstance(kind, Boolean):
            readers.append(_bool_value)
        else:
            readers.append(None)
    return readers


def _json_value(value: Any) -> Any:
    return None if value is None else orjson.loads(value)


def _bool_value(value: Any) -> bool | None:
    return None if value is None else bool(value)
