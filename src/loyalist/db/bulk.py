"""Inserting and updating many rows in few statements: the batch paths' writes.

SQLite runs ``executemany`` in a C loop, which is fast, so rows go to the driver's own
cursor as tuples, each value already in the form the column stores (UTC text for
timestamps, JSON text for documents): SQLAlchemy's per-row parameter processing costs
more than SQLite's insert itself. Through psycopg, each row of an ``executemany`` is its
own pipelined statement, and a multi-row ``VALUES`` statement with thousands of
placeholders spends most of its time in psycopg's query parser. So on PostgreSQL the rows
travel as one array per column and are unpacked server-side with ``unnest``: one statement
and a handful of parameters per chunk.

The batch jobs' results (hundreds of thousands to millions of rows at once: scores,
recommendations) come as polars frames and go through ``copy_frame``: on PostgreSQL the
frame is written as CSV by polars and sent with ``COPY``, several times faster than
``unnest`` or a row-by-row ``COPY`` at that size.
"""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from operator import itemgetter
from typing import TYPE_CHECKING, Any, cast

import orjson
from sqlalchemy import (
    ARRAY,
    JSON,
    Boolean,
    Column,
    ColumnElement,
    CursorResult,
    Date,
    Float,
    Integer,
    LargeBinary,
    String,
    Table,
    any_,
    bindparam,
    delete,
    select,
    tuple_,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import QueryableAttribute, Session
from sqlalchemy.types import TypeDecorator

from loyalist.db.base import UtcDateTime, sqlite_stamp

if TYPE_CHECKING:
    import polars as pl

_PG_CHUNK_ROWS = 5_000
_SQLITE: Dialect = sqlite.dialect()
_POSTGRESQL: Dialect = postgresql.dialect()  # type: ignore[no-untyped-call]


def insert_on_conflict(session: Session, table: Table) -> postgresql.Insert | sqlite.Insert:
    """``INSERT`` into ``table`` in the session's dialect, so it takes ``ON CONFLICT``
    clauses (``on_conflict_do_nothing``, ``on_conflict_do_update`` with ``excluded``): the
    inserts that may race."""
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


def insert_rows(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert ``rows`` (dicts with the same keys) into ``table``."""
    if not rows:
        return
    if session.get_bind().dialect.name != "postgresql":
        names = list(rows[0])
        marks = ", ".join("?" * len(names))
        _sqlite_executemany(
            session,
            f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({marks})",  # noqa: S608
            _sqlite_tuples(table, names, rows),
        )
        return
    names = list(rows[0])
    select_list = ", ".join(f"u.{n}{_pg_type(table.c[n])[1]}" for n in names)
    _pg_unnest(
        session,
        table,
        names,
        rows,
        # Identifiers come from the table metadata, values travel as parameters.
        f"INSERT INTO {table.name} ({', '.join(names)}) SELECT {select_list} FROM {{unnest}}",  # noqa: S608
    )


def insert_missing_keys(
    session: Session, table: Table, key: str, keys: Sequence[int], defaults: dict[str, Any]
) -> None:
    """Insert ``{key: k, **defaults}`` for each of ``keys`` not yet in ``table``; existing
    rows are left alone."""
    if not keys:
        return
    if session.get_bind().dialect.name != "postgresql":
        columns = [key, *defaults]
        marks = ", ".join("?" * len(columns))
        _sqlite_executemany(
            session,
            f"INSERT OR IGNORE INTO {table.name} ({', '.join(columns)}) VALUES ({marks})",  # noqa: S608
            _sqlite_tuples(table, columns, [{key: k, **defaults} for k in keys]),
        )
        return
    names = ", ".join([key, *defaults])
    values = ", ".join(["u.k", *["%s"] * len(defaults)])
    _pg_execute(
        session,
        f"INSERT INTO {table.name} ({names}) SELECT {values} "  # noqa: S608
        f"FROM unnest(%b::bigint[]) AS u(k) ON CONFLICT ({key}) DO NOTHING",
        [*defaults.values(), list(keys)],
    )


def insert_new_values(
    session: Session,
    table: Table,
    column: str,
    values: Sequence[str],
    fixed: dict[str, Any],
) -> int:
    """Insert one row per value of the text ``column`` (which has a unique constraint), the
    other columns set from ``fixed``; values already in the table, or repeated in
    ``values``, are skipped. Returns how many rows were inserted.

    One ``INSERT … ON CONFLICT (column) DO NOTHING``: on SQLite an ``executemany`` on the
    session's DBAPI connection (SQLite's C loop, no statement building per row); on
    PostgreSQL the values travel as one binary text array unpacked with ``unnest``.
    """
    if not values:
        return 0
    names = [*fixed, column]
    if session.get_bind().dialect.name != "postgresql":
        marks = ", ".join("?" * len(names))
        head = tuple(fixed.values())
        cursor = session.connection().connection.cursor()
        try:
            cursor.executemany(
                f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({marks}) "  # noqa: S608
                f"ON CONFLICT ({column}) DO NOTHING",
                [(*head, value) for value in values],
            )
            # The changes of every row summed; a skipped row changes nothing.
            inserted: int = cursor.rowcount
        finally:
            cursor.close()
        return inserted
    select_list = ", ".join([*["%s"] * len(fixed), "u.v"])
    sql = (
        f"INSERT INTO {table.name} ({', '.join(names)}) SELECT {select_list} "  # noqa: S608
        f"FROM unnest(%b::text[]) AS u(v) ON CONFLICT ({column}) DO NOTHING"
    )
    return _pg_execute(session, sql, [*fixed.values(), list(values)])


def insert_new_rows(
    session: Session,
    table: Table,
    rows: Sequence[dict[str, Any]],
    returning: Sequence[str],
) -> list[tuple[Any, ...]]:
    """Insert ``rows`` (dicts with the same keys), skipping each that conflicts with a
    unique constraint (a replayed or concurrent write); returns the ``returning`` columns
    of the rows inserted.

    ``INSERT … ON CONFLICT DO NOTHING RETURNING …`` without statement building: on SQLite
    one prepared statement run per row on the session's DBAPI connection (executemany
    cannot return rows); on PostgreSQL one statement per chunk, the columns travelling as
    binary arrays unpacked with ``unnest``.
    """
    if not rows:
        return []
    names = list(rows[0])
    out = ", ".join(returning)
    if session.get_bind().dialect.name != "postgresql":
        marks = ", ".join("?" * len(names))
        sql = (
            f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({marks}) "  # noqa: S608
            f"ON CONFLICT DO NOTHING RETURNING {out}"
        )
        found: list[tuple[Any, ...]] = []
        cursor = session.connection().connection.cursor()
        try:
            for params in _sqlite_tuples(table, names, rows):
                cursor.execute(sql, params)
                found.extend(cursor.fetchall())
        except sqlite3.Error as exc:
            raise DBAPIError.instance(sql, [], exc, sqlite3.Error) from exc
        finally:
            cursor.close()
        return found
    select_list = ", ".join(f"u.{n}{_pg_type(table.c[n])[1]}" for n in names)
    unpacked = ", ".join(f"%b::{_pg_type(table.c[n])[0]}[]" for n in names)
    sql = (
        f"INSERT INTO {table.name} ({', '.join(names)}) SELECT {select_list} "  # noqa: S608
        f"FROM unnest({unpacked}) AS u({', '.join(names)}) ON CONFLICT DO NOTHING "
        f"RETURNING {out}"
    )
    inserted: list[tuple[Any, ...]] = []
    for start in range(0, len(rows), _PG_CHUNK_ROWS):
        chunk = rows[start : start + _PG_CHUNK_ROWS]
        arrays = [_pg_array(table.c[n], [r[n] for r in chunk]) for n in names]
        inserted.extend(_pg_fetch(session, sql, arrays))
    return inserted


def update_rows(
    session: Session,
    table: Table,
    keys: Sequence[str],
    columns: Sequence[str],
    rows: Sequence[dict[str, Any]],
) -> None:
    """Set ``columns`` of the rows identified by ``keys``; each row holds keys and columns."""
    if not rows:
        return
    if session.get_bind().dialect.name != "postgresql":
        sets = ", ".join(f"{c} = ?" for c in columns)
        match = " AND ".join(f"{k} = ?" for k in keys)
        _sqlite_executemany(
            session,
            f"UPDATE {table.name} SET {sets} WHERE {match}",  # noqa: S608
            _sqlite_tuples(table, [*columns, *keys], rows),
        )
        return
    sets = ", ".join(f"{c} = u.{c}{_pg_type(table.c[c])[1]}" for c in columns)
    match = " AND ".join(f"{table.name}.{k} = u.{k}" for k in keys)
    _pg_unnest(
        session,
        table,
        [*keys, *columns],
        rows,
        f"UPDATE {table.name} SET {sets} FROM {{unnest}} WHERE {match}",  # noqa: S608
    )


def copy_frame(
    session: Session, table: Table, frame: pl.DataFrame, *, upsert_key: tuple[str, ...] = ()
) -> None:
    """Insert the frame's rows into ``table`` (its columns named as the table's). With
    ``upsert_key`` (the columns of a unique key among them) a stored row with the same key
    gets the frame's other columns instead.

    PostgreSQL: the frame as CSV (written by polars) through ``COPY``, straight into the
    table or, to upsert, into a temporary table merged with one ``INSERT … ON CONFLICT``.
    SQLite: one ``executemany`` on the session's DBAPI connection, timestamps converted in
    the frame to the UTC text the column stores.
    """
    if frame.is_empty():
        return
    names = frame.columns
    listed = ", ".join(names)
    conflict = ""
    if upsert_key:
        updates = ", ".join(f"{c} = excluded.{c}" for c in names if c not in upsert_key)
        conflict = f" ON CONFLICT ({', '.join(upsert_key)}) DO UPDATE SET {updates}"
    if session.get_bind().dialect.name != "postgresql":
        # Imported here: polars loads only in the processes that write frames.
        import polars as pl

        stamps = [n for n in names if isinstance(table.c[n].type, UtcDateTime)]
        stored = frame.with_columns(
            pl.col(n).dt.convert_time_zone("UTC").dt.strftime("%Y-%m-%d %H:%M:%S%.6f")
            for n in stamps
        )
        marks = ", ".join("?" * len(names))
        _sqlite_executemany(
            session,
            f"INSERT INTO {table.name} ({listed}) VALUES ({marks}){conflict}",  # noqa: S608
            list(stored.iter_rows()),
        )
        return
    target = f"_{table.name}_in" if upsert_key else table.name
    payload = frame.write_csv(
        include_header=False, datetime_format="%Y-%m-%d %H:%M:%S%.6f%:z", null_value=""
    ).encode()
    import psycopg  # here: only PostgreSQL writers load the driver

    driver = session.connection().connection.driver_connection
    assert driver is not None
    try:
        with driver.cursor() as cursor:
            if upsert_key:
                cursor.execute(
                    f"CREATE TEMPORARY TABLE {target} "
                    f"(LIKE {table.name} INCLUDING DEFAULTS) ON COMMIT DROP"
                )
            with cursor.copy(f"COPY {target} ({listed}) FROM STDIN (FORMAT csv)") as copy:
                copy.write(payload)
            if upsert_key:
                cursor.execute(
                    f"INSERT INTO {table.name} ({listed}) SELECT {listed} FROM {target}"  # noqa: S608
                    f"{conflict}"
                )
                cursor.execute(f"DROP TABLE {target}")
    except psycopg.Error as exc:
        # As SQLAlchemy would raise it: one exception tree whichever way rows were sent.
        raise DBAPIError.instance(f"COPY {target}", [], exc, psycopg.Error) from exc


def key_chunks(session: Session, keys: Sequence[Any]) -> Iterator[Sequence[Any]]:
    """``keys`` in slices for ``among``: 500 on SQLite (its parameter limit), 5,000 on
    PostgreSQL (one array parameter each)."""
    size = 500 if session.get_bind().dialect.name != "postgresql" else 5_000
    for start in range(0, len(keys), size):
        yield keys[start : start + size]


def among(
    session: Session, column: ColumnElement[Any] | QueryableAttribute[Any], keys: Sequence[Any]
) -> ColumnElement[bool]:
    """``column IN keys``; on PostgreSQL ``column = ANY(:keys)``, one array parameter, so
    the statement's text (and the driver's parsing of it, and the server's plan) is the
    same whatever the count. Slices from ``key_chunks``."""
    if session.get_bind().dialect.name != "postgresql":
        return column.in_(keys)
    return column == any_(bindparam(None, list(keys), type_=ARRAY(column.type)))


def delete_some(session: Session, table: Table, where: ColumnElement[bool], limit: int) -> int:
    """Delete at most ``limit`` rows of ``table`` matching ``where`` (in primary-key
    order); returns how many were deleted. For deleting many rows in short transactions,
    one call per transaction until it returns 0."""
    key = list(table.primary_key.columns)
    chosen = select(*key).where(where).order_by(*key).limit(limit)
    found = session.execute(delete(table).where(tuple_(*key).in_(chosen)))
    return int(cast(CursorResult[Any], found).rowcount)


def replace_values(session: Session, table: Table, column: str, values: dict[str, str]) -> int:
    """Set ``column`` to ``values[old]`` in the rows where it is ``old`` (references that
    change name: retention's opaque ids); returns the rows changed."""
    col = table.c[column]
    changed = 0
    for start in range(0, len(values), 500):
        chunk = dict(list(values.items())[start : start + 500])
        found = session.execute(select(*table.primary_key.columns, col).where(col.in_(chunk))).all()
        if found:
            keys = [k.name for k in table.primary_key.columns]
            update_rows(
                session,
                table,
                keys,
                [column],
                [
                    {**dict(zip(keys, row[:-1], strict=True)), column: chunk[row[-1]]}
                    for row in found
                ],
            )
        changed += len(found)
    return changed


def _sqlite_executemany(session: Session, sql: str, params: list[tuple[Any, ...]]) -> None:
    """Run on the session's own connection (same transaction), as SQLAlchemy would raise."""
    cursor = session.connection().connection.cursor()
    try:
        cursor.executemany(sql, params)
    except sqlite3.Error as exc:
        raise DBAPIError.instance(sql, params[:1], exc, sqlite3.Error) from exc
    finally:
        cursor.close()


def _sqlite_tuples(
    table: Table, names: Sequence[str], rows: Sequence[dict[str, Any]]
) -> list[tuple[Any, ...]]:
    """Rows as tuples of what SQLite stores (timestamps, documents converted)."""
    take = itemgetter(*names) if len(names) > 1 else (lambda row: (row[names[0]],))
    convert = _sqlite_converters(table, tuple(names))
    if not convert:
        return [take(row) for row in rows]
    out: list[tuple[Any, ...]] = []
    for row in rows:
        values = list(take(row))
        for i, f in convert:
            values[i] = f(values[i])
        out.append(tuple(values))
    return out


@functools.cache
def _sqlite_converters(
    table: Table, names: tuple[str, ...]
) -> tuple[tuple[int, Callable[[Any], Any]], ...]:
    """``(position, converter)`` of the columns whose values need converting (the same few
    column lists come on every unit of work: looked up once)."""
    return tuple(
        (i, f) for i, f in enumerate(_sqlite_converter(table.c[n]) for n in names) if f is not None
    )


def _sqlite_converter(col: Column[Any]) -> Callable[[Any], Any] | None:
    kind = col.type
    if isinstance(kind, UtcDateTime):
        return sqlite_stamp
    if isinstance(kind, JSON):
        return _json_text
    if isinstance(kind, TypeDecorator):  # e.g. encrypted personal data
        return _bound(kind, _SQLITE)
    return None


def _bound(kind: TypeDecorator[Any], dialect: Dialect) -> Callable[[Any], Any]:
    def convert(value: Any) -> Any:
        return kind.process_bind_param(value, dialect)

    return convert


def _json_text(value: Any) -> str | None:
    return None if value is None else orjson.dumps(value).decode()


def _pg_unnest(
    session: Session,
    table: Table,
    names: Sequence[str],
    rows: Sequence[dict[str, Any]],
    template: str,
) -> None:
    """Run ``template`` with ``{unnest}`` standing for the rows as ``u(names…)``, sending one
    binary array per column, in chunks."""
    unpacked = ", ".join(f"%b::{_pg_type(table.c[n])[0]}[]" for n in names)
    sql = template.format(unnest=f"unnest({unpacked}) AS u({', '.join(names)})")
    for start in range(0, len(rows), _PG_CHUNK_ROWS):
        chunk = rows[start : start + _PG_CHUNK_ROWS]
        _pg_execute(session, sql, [_pg_array(table.c[n], [r[n] for r in chunk]) for n in names])


def _pg_type(col: Column[Any]) -> tuple[str, str]:
    """The array element type a column travels as, and the cast back to the column type."""
    kind = col.type
    if isinstance(kind, UtcDateTime):
        return "timestamptz", ""
    if isinstance(kind, TypeDecorator):
        kind = kind.impl_instance
    if isinstance(kind, JSON):
        return "text", "::jsonb"
    if isinstance(kind, Boolean):
        return "boolean", ""
    if isinstance(kind, Integer):
        return "bigint", ""
    if isinstance(kind, Float):
        return "float8", ""
    if isinstance(kind, LargeBinary):
        return "bytea", ""
    if isinstance(kind, Date):
        return "date", ""
    if isinstance(kind, String):
        return "text", ""
    raise TypeError(f"no bulk mapping for {col.table.name}.{col.name} ({kind!r})")


def _pg_array(col: Column[Any], items: list[Any]) -> list[Any]:
    kind = col.type
    if isinstance(kind, TypeDecorator) and not isinstance(kind, UtcDateTime):
        convert = _bound(kind, _POSTGRESQL)
        items = [convert(v) for v in items]
    if isinstance(col.type, JSON):
        return [None if v is None else orjson.dumps(v).decode() for v in items]
    if isinstance(col.type, String):
        return [None if v is None else str(v) for v in items]
    return items


def _pg_fetch(session: Session, sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    """Run on the session's own connection (same transaction); the rows it returns."""
    import psycopg

    driver = session.connection().connection.driver_connection
    assert driver is not None
    try:
        with driver.cursor() as cursor:
            cursor.execute(sql, params)
            return [tuple(row) for row in cursor.fetchall()]
    except psycopg.Error as exc:
        raise DBAPIError.instance(sql, params, exc, psycopg.Error) from exc


def _pg_execute(session: Session, sql: str, params: list[Any]) -> int:
    """Run on the session's own connection (same transaction), skipping statement building;
    returns the rows the statement changed."""
    # Imported here: only PostgreSQL sessions come this way, and they have loaded it already.
    import psycopg

    driver = session.connection().connection.driver_connection
    assert driver is not None
    try:
        with driver.cursor() as cursor:
            cursor.execute(sql, params)
            changed: int = cursor.rowcount
            return changed
    except psycopg.Error as exc:
        # As SQLAlchemy would raise it, so callers (and the retry of lost races) see one
        # exception tree whichever way the statement was sent.
        raise DBAPIError.instance(sql, params, exc, psycopg.Error) from exc
