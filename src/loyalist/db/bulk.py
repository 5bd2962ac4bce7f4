"""Inserting and updating many rows in few statements: the batch paths' writes.

SQLite runs ``executemany`` in a C loop, which is fast. Through psycopg, each row of an
``executemany`` is its own pipelined statement, and a multi-row ``VALUES`` statement with
thousands of placeholders spends most of its time in psycopg's query parser. So on
PostgreSQL the rows travel as one array per column and are unpacked server-side with
``unnest``: one statement and a handful of parameters per chunk.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import orjson
from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    Integer,
    String,
    Table,
    bindparam,
    insert,
    update,
)
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from loyalist.db.base import UtcDateTime

_PG_CHUNK_ROWS = 5_000


def insert_rows(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert ``rows`` (dicts with the same keys) into ``table``."""
    if not rows:
        return
    if session.get_bind().dialect.name != "postgresql":
        session.execute(insert(table), list(rows))
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
        session.execute(
            insert(table).prefix_with("OR IGNORE"), [{key: k, **defaults} for k in keys]
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
        session.execute(
            update(table)
            .where(*[table.c[k] == bindparam(f"k_{k}") for k in keys])
            .values({c: bindparam(f"v_{c}") for c in columns}),
            [
                {**{f"k_{k}": row[k] for k in keys}, **{f"v_{c}": row[c] for c in columns}}
                for row in rows
            ],
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
    if isinstance(kind, JSON):
        return "text", "::jsonb"
    if isinstance(kind, Boolean):
        return "boolean", ""
    if isinstance(kind, Integer):
        return "bigint", ""
    if isinstance(kind, Date):
        return "date", ""
    if isinstance(kind, String):
        return "text", ""
    raise TypeError(f"no bulk mapping for {col.table.name}.{col.name} ({kind!r})")


def _pg_array(col: Column[Any], items: list[Any]) -> list[Any]:
    if isinstance(col.type, JSON):
        return [None if v is None else orjson.dumps(v).decode() for v in items]
    if isinstance(col.type, String):
        return [None if v is None else str(v) for v in items]
    return items


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
