"""The data model's floor for ``bench/ingest.py``: the rows a run wrote, re-inserted.

Every row of every table the run left rows in is read back (plain DBAPI cursor, values as
the driver returns them) and inserted into an empty, freshly migrated copy of the schema
(all indexes and constraints) as tuples with ``executemany``, one transaction per batch of
the run. What the ingest path costs beyond that is the domain's own work: validation,
decisions, statement building, reads.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, Table


@dataclass(frozen=True, slots=True)
class TableRows:
    """One table's rows as the database returned them, columns in the same order."""

    name: str
    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]]
    #: ``(column, referred table, referred column)`` of each foreign key.
    foreign_keys: tuple[tuple[str, str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Timing:
    seconds: float
    cpu_seconds: float
    statements: int


def read_rows(engine: Engine, tables: Sequence[Table]) -> list[TableRows]:
    """Every row of ``tables`` that has rows, in the given (foreign-key safe) order.

    Rows come in the order of a full scan, which is about the order they were written.
    Names are plain ``str`` (SQLAlchemy's ``quoted_name`` is not a JSON key for orjson).
    On PostgreSQL, ``json``/``jsonb`` values are read as their text: psycopg sends a
    ``str`` parameter untyped and the server casts it back to the column's type.
    """
    connection = engine.raw_connection()
    try:
        cursor = connection.driver_connection.cursor()  # type: ignore[union-attr]
        if engine.dialect.name == "postgresql":
            from psycopg.types.string import TextLoader

            for json_type in ("json", "jsonb"):
                cursor.adapters.register_loader(json_type, TextLoader)
        out: list[TableRows] = []
        for table in tables:
            cursor.execute(f'SELECT * FROM "{table.name}"')
            rows = [tuple(row) for row in cursor.fetchall()]
            if not rows:
                continue
            keys = tuple(
                (str(fk.parent.name), str(fk.column.table.name), str(fk.column.name))
                for fk in sorted(table.foreign_keys, key=lambda fk: fk.parent.name)
            )
            columns = tuple(str(d[0]) for d in cursor.description)
            out.append(TableRows(str(table.name), columns, rows, keys))
        cursor.close()
        connection.rollback()
    finally:
        connection.close()
    return out


def plan_batches(
    tables: Sequence[TableRows], transactions: int
) -> list[list[tuple[TableRows, list[tuple[Any, ...]]]]]:
    """Each table's rows spread proportionally over ``transactions`` batches, tables in the
    given order within a batch.

    A row whose foreign key points at a row planned for a later batch moves to that batch,
    so that every row's parent is inserted first (the constraints are checked per
    statement). Within a batch, a table's rows keep their order.
    """
    if transactions < 1:
        raise ValueError("transactions must be ≥ 1")
    referred = {(table, column) for t in tables for _, table, column in t.foreign_keys}
    placed: dict[tuple[str, str], dict[Any, int]] = {key: {} for key in referred}
    plan: list[list[tuple[TableRows, list[tuple[Any, ...]]]]] = [[] for _ in range(transactions)]
    for table in tables:
        index = {name: i for i, name in enumerate(table.columns)}
        parents = [
            (index[column], placed.get((ref_table, ref_column), {}))
            for column, ref_table, ref_column in table.foreign_keys
        ]
        remember = [
            (index[column], placed[(table.name, column)])
            for column in table.columns
            if (table.name, column) in placed
        ]
        chunks: list[list[tuple[Any, ...]]] = [[] for _ in range(transactions)]
        count = len(table.rows)
        for n, row in enumerate(table.rows):
            batch = n * transactions // count
            for position, batches in parents:
                value = row[position]
                if value is not None:
                    batch = max(batch, batches.get(value, 0))
            chunks[batch].append(row)
            for position, batches in remember:
                batches[row[position]] = batch
        for batch, chunk in enumerate(chunks):
            if chunk:
                plan[batch].append((table, chunk))
    return plan


def insert_statement(table: TableRows, paramstyle: str) -> str:
    marker = {"qmark": "?", "format": "%s", "pyformat": "%s"}[paramstyle]
    columns = ", ".join(f'"{c}"' for c in table.columns)
    markers = ", ".join(marker for _ in table.columns)
    return f'INSERT INTO "{table.name}" ({columns}) VALUES ({markers})'


def reinsert(
    engine: Engine, plan: Sequence[Sequence[tuple[TableRows, list[tuple[Any, ...]]]]]
) -> Timing:
    """Timed: the planned rows into ``engine``'s (empty) schema, ``executemany`` per table
    and batch on one DBAPI connection of the engine (its pragmas or pool settings), one
    transaction per batch; on SQLite ``BEGIN IMMEDIATE`` as the app's writer does."""
    sqlite = engine.dialect.name == "sqlite"
    paramstyle = engine.dialect.paramstyle
    statements = {
        table.name: insert_statement(table, paramstyle) for batch in plan for table, _ in batch
    }
    connection = engine.raw_connection()
    count = 0
    try:
        driver = connection.driver_connection
        assert driver is not None
        cursor = driver.cursor()
        cpu0 = time.process_time()
        start = time.perf_counter()
        for batch in plan:
            if sqlite:
                cursor.execute("BEGIN IMMEDIATE")
            for table, rows in batch:
                cursor.executemany(statements[table.name], rows)
                count += 1
            if sqlite:
                cursor.execute("COMMIT")
            else:
                driver.commit()
        seconds = time.perf_counter() - start
        cpu = time.process_time() - cpu0
        cursor.close()
    finally:
        connection.close()
    return Timing(seconds, cpu, count)
