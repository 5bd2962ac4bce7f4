"""Engines for SQLite (WAL, one writer) and PostgreSQL (psycopg 3)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


@dataclass(frozen=True, slots=True)
class Timeouts:
    """How long connections wait on the database (``settings.DatabaseTimeouts``); 0 is no
    limit for statements and locks."""

    connect_seconds: int = 5
    statement_seconds: float = 60.0
    lock_seconds: float = 30.0
    pool_seconds: float = 10.0

    def pg_options(self) -> str:
        """libpq ``options``: the server-side limits every session of the pool starts with."""
        return (
            f"-c statement_timeout={int(self.statement_seconds * 1000)} "
            f"-c lock_timeout={int(self.lock_seconds * 1000)}"
        )


def create_engines(
    url: str, *, pool_size: int = 16, timeouts: Timeouts | None = None
) -> tuple[Engine, Engine]:
    """Return ``(write_engine, read_engine)``.

    On SQLite the write engine begins every transaction with ``BEGIN IMMEDIATE`` so that a
    writer takes the lock up front instead of failing on upgrade; readers use plain
    deferred transactions on their own connections (WAL lets them run beside the writer).
    On PostgreSQL both are the same pooled engine. ``timeouts`` bound the connect, each
    statement, each lock wait (SQLite: its busy timeout) and the wait for a pooled
    connection.
    """
    timeouts = timeouts or Timeouts()
    if not is_sqlite(url):
        # The URL's own libpq options (a search_path, say) come first; ours follow.
        given = make_url(url).query.get("options", "")
        options = " ".join([*([given] if isinstance(given, str) else given), timeouts.pg_options()])
        engine = create_engine(
            url,
            pool_size=pool_size,
            max_overflow=pool_size,
            pool_pre_ping=True,
            pool_timeout=timeouts.pool_seconds,
            json_serializer=_json_dumps,
            connect_args={
                "connect_timeout": timeouts.connect_seconds,
                "options": options.strip(),
            },
        )
        # Batch INSERTs as multi-row VALUES (one round trip per 1,000 rows) instead of one
        # pipelined statement per row: about twice as fast for the ingest path.
        engine.dialect.use_insertmanyvalues_wo_returning = True
        return engine, engine
    path = make_url(url).database
    if path and path != ":memory:":
        from pathlib import Path

        from loyalist.db.files import create_private_file

        create_private_file(Path(path))
    writer = create_engine(
        url, poolclass=NullPool if not path else None, json_serializer=_json_dumps
    )
    reader = create_engine(
        url,
        pool_size=pool_size,
        max_overflow=pool_size * 2,
        pool_timeout=timeouts.pool_seconds,
        json_serializer=_json_dumps,
    )
    # 0 (no limit) still waits: a busy timeout of 0 would fail at the first lock seen.
    busy_ms = int((timeouts.lock_seconds or 3_600) * 1000)
    _configure_sqlite(writer, begin="BEGIN IMMEDIATE", secure_delete=True, busy_ms=busy_ms)
    _configure_sqlite(reader, begin="BEGIN", secure_delete=False, busy_ms=busy_ms)
    return writer, reader


def _json_dumps(value: Any) -> str:
    import orjson

    return orjson.dumps(value).decode()


def _configure_sqlite(engine: Engine, *, begin: str, secure_delete: bool, busy_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control from the driver so BEGIN and SAVEPOINT are ours.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        if secure_delete:
            # Deleted or overwritten content is zeroed, not left in free space where a copy
            # of the file would still show an erased member's data (docs/privacy.md).
            cursor.execute("PRAGMA secure_delete=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={busy_ms}")
        cursor.execute("PRAGMA cache_size=-65536")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql(begin)
