"""Engines for SQLite (WAL, one writer) and PostgreSQL (psycopg 3).

A PostgreSQL URL may name several servers, as libpq does: ``?host=a:5432&host=b:5432`` (or
``?host=a,b&port=5432,5432``) with ``target_session_attrs=read-write``, so that each new
connection finds the current primary after a failover (docs/failover.md).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Final

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DisconnectionError
from sqlalchemy.pool import NullPool

from loyalist.db.stalls import bound_waits

#: A pooled PostgreSQL connection idle for longer than this is pinged before it is handed
#: out; one returned more recently is not (see ``_ping_when_idle``).
IDLE_PING_SECONDS: Final = 1.0


def is_sqlite(url: str) -> bool:
    """Whether ``url`` is SQLite's.

    Raises:
        ArgumentError: ``url`` is not a database URL (SQLAlchemy raises a bare ValueError
            for a port it cannot read, as in several hosts before the path).
    """
    try:
        return make_url(url).get_backend_name() == "sqlite"
    except ValueError as exc:
        raise ArgumentError(
            f"{exc}: several hosts go in the query string, "
            "`postgresql+psycopg://user@/db?host=a:5432&host=b:5432&target_session_attrs=read-write`"
        ) from None


@dataclass(frozen=True, slots=True)
class Timeouts:
    """How long connections wait on the database (``settings.DatabaseTimeouts``); 0 is no
    limit for statements and locks."""

    connect_seconds: int = 5
    statement_seconds: float = 60.0
    lock_seconds: float = 30.0
    pool_seconds: float = 10.0
    #: The statement limit of heavy read-only work (exports, reports, the daily jobs'
    #: reads: ``create_analysis_engine``).
    analysis_statement_seconds: float = 0.0

    def pg_options(self, *, statement_seconds: float | None = None) -> str:
        """libpq ``options``: the server-side limits every session of the pool starts with
        (``statement_seconds`` instead of ``self.statement_seconds`` when given)."""
        statement = self.statement_seconds if statement_seconds is None else statement_seconds
        return (
            f"-c statement_timeout={int(statement * 1000)} "
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
        engine = _pg_engine(url, pool_size, timeouts, timeouts.pg_options())
        bound_waits(engine, timeouts.statement_seconds)
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


def create_analysis_engine(
    url: str, *, pool_size: int = 4, timeouts: Timeouts | None = None
) -> Engine:
    """An engine for heavy read-only work only (exports, reports, the daily jobs' reads), on
    ``url``: a replica (``LOYALIST_DATABASE_READ_URL``) or the database itself. On
    PostgreSQL its sessions run with ``timeouts.analysis_statement_seconds`` as their
    statement limit (0: none) instead of the API's, so a long export is not cancelled.
    """
    timeouts = timeouts or Timeouts()
    if not is_sqlite(url):
        options = timeouts.pg_options(statement_seconds=timeouts.analysis_statement_seconds)
        # One snapshot for the whole unit (an export's chunks add up), read-only: a hot
        # standby runs nothing else.
        return _pg_engine(
            url,
            pool_size,
            timeouts,
            options,
            isolation_level="REPEATABLE READ",
            execution_options={"postgresql_readonly": True},
        )
    return create_engines(url, pool_size=pool_size, timeouts=timeouts)[1]


def _pg_engine(url: str, pool_size: int, timeouts: Timeouts, limits: str, **extra: Any) -> Engine:
    """A pooled psycopg engine; a pooled connection is pinged before use (one the server
    closed, or to a server that is gone after a failover, is replaced), and one that fails
    in use is discarded with every other connection of the pool opened before it."""
    # The URL's own libpq options (a search_path, say) come first; ours follow.
    given = make_url(url).query.get("options", "")
    options = " ".join([*([given] if isinstance(given, str) else given), limits])
    engine = create_engine(
        url,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_timeout=timeouts.pool_seconds,
        json_serializer=_json_dumps,
        connect_args={"connect_timeout": timeouts.connect_seconds, "options": options.strip()},
        **extra,
    )
    # Batch INSERTs as multi-row VALUES (one round trip per 1,000 rows) instead of one
    # pipelined statement per row: about twice as fast for the ingest path.
    engine.dialect.use_insertmanyvalues_wo_returning = True
    _ping_when_idle(engine)
    return engine


def _ping_when_idle(engine: Engine) -> None:
    """Ping a pooled connection before handing it out when it has been idle for more than
    ``IDLE_PING_SECONDS`` (a server restarted or failed over meanwhile left it dead: it is
    replaced by a new one, which finds the current primary).

    SQLAlchemy's ``pool_pre_ping`` pings on every checkout: a round trip before each read
    of a busy API, where connections come back within milliseconds. A connection that dies
    within a second of its last use fails in use instead, and is discarded with every
    connection opened before it (``db.errors``), as when a server fails mid-request."""

    @event.listens_for(engine, "checkin")
    def _checked_in(_dbapi_connection: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checked_out(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        since = record.info.get("idle_since")
        if since is None or time.monotonic() - since <= IDLE_PING_SECONDS:
            return  # new, or used a moment ago
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as exc:  # the driver's error: the pool takes another connection
            raise DisconnectionError(f"a pooled connection is gone: {exc}") from exc


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
