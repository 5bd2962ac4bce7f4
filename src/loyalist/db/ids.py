"""Primary keys allocated in blocks before insert, so batch paths can insert with executemany.

PostgreSQL draws them from the column's sequence; on SQLite the write lock is held for the
whole transaction (``BEGIN IMMEDIATE``), so ``max(id)`` plus a per-transaction counter is
safe. Ids of rolled-back savepoints are simply skipped.
"""

from __future__ import annotations

from sqlalchemy import Table
from sqlalchemy.orm import Session

from loyalist.db.raw import RawReader


def allocate_ids(session: Session, table: Table, count: int) -> list[int]:
    """``count`` fresh ids of ``table`` (on the unit's cursor: single operations allocate
    a block per table, so this is on every write's path)."""
    if count <= 0:
        return []
    cursor = RawReader.on_session(session)
    if cursor.dialect == "postgresql":
        rows = cursor.all(
            "SELECT nextval(pg_get_serial_sequence(?, 'id')) FROM generate_series(1, ?)",
            (table.name, count),
        )
        return [int(r[0]) for r in rows]
    counters: dict[str, int] = session.info.setdefault("loyalist.id_counters", {})
    last = counters.get(table.name)
    if last is None:
        row = cursor.one(f"SELECT coalesce(max(id), 0) FROM {table.name}", ())  # noqa: S608
        last = int(row[0]) if row else 0
    counters[table.name] = last + count
    return list(range(last + 1, last + count + 1))
