"""Primary keys allocated in blocks before insert, so batch paths can insert with executemany.

PostgreSQL draws them from the column's sequence; on SQLite the write lock is held for the
whole transaction (``BEGIN IMMEDIATE``), so ``max(id)`` plus a per-transaction counter is
safe. Ids of rolled-back savepoints are simply skipped.
"""

from __future__ import annotations

from sqlalchemy import Table, func, select, text
from sqlalchemy.orm import Session


def allocate_ids(session: Session, table: Table, count: int) -> list[int]:
    if count <= 0:
        return []
    if session.get_bind().dialect.name == "postgresql":
        rows = session.execute(
            text("SELECT nextval(pg_get_serial_sequence(:t, 'id')) FROM generate_series(1, :n)"),
            {"t": table.name, "n": count},
        )
        return [int(r[0]) for r in rows]
    counters: dict[str, int] = session.info.setdefault("loyalist.id_counters", {})
    last = counters.get(table.name)
    if last is None:
        last = int(session.scalar(select(func.coalesce(func.max(table.c.id), 0))) or 0)
    counters[table.name] = last + count
    return list(range(last + 1, last + count + 1))
