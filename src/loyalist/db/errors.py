"""The database being unavailable, told apart from every other failure in one place.

``database_fault(exc)`` says whether an exception is the database being away (refused or
dropped connections, an administrator's shutdown, a timed-out connect, statement, lock or
pool wait, a locked SQLite file) or its disk being full, as the problem the entry points
answer (HTTP 503 with ``Retry-After``, or 507); any other exception is ``None``: a bug,
answered 500. ``Outage`` keeps one incident at a time, so an outage is one log line when
it starts and one when the database is back, not a traceback per request.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time

from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

from loyalist.errors import DomainError

log = logging.getLogger("loyalist.db")

#: PostgreSQL states that mean the server is away or gave up waiting, not that the request
#: is wrong: administrator shutdown, crash shutdown, cannot connect now, statement timeout,
#: lock timeout, too many connections.
_PG_AWAY = frozenset({"57P01", "57P02", "57P03", "57014", "55P03", "53300"})
#: PostgreSQL's disk full and out of memory while writing.
_PG_FULL = frozenset({"53100"})
#: SQLite: the lock stayed taken past the busy timeout; the disk (or file size limit) full.
_SQLITE_AWAY = ("SQLITE_BUSY", "SQLITE_LOCKED")
_SQLITE_FULL = ("SQLITE_FULL", "SQLITE_IOERR_WRITE")


class DatabaseUnavailableError(DomainError):
    """The database cannot be reached or did not answer in time: retry after Retry-After."""

    status = 503
    title = "Service unavailable"
    exit_code = 1
    code = "database_unavailable"

    def __init__(self, detail: str, *, writes_only: bool = False) -> None:
        super().__init__(detail)
        #: Only writes fail (a locked SQLite file): reads do not show it is over.
        self.writes_only = writes_only


class StorageFullError(DomainError):
    """The database's disk is full: nothing was written (reads still work)."""

    status = 507
    title = "Insufficient storage"
    exit_code = 1
    code = "storage_full"
    writes_only = True


DatabaseFault = DatabaseUnavailableError | StorageFullError


def database_fault(exc: BaseException) -> DatabaseFault | None:
    """The problem ``exc`` is when the database is unavailable or its disk full, else None.

    Knows SQLAlchemy's wrapped driver errors (``DBAPIError``, a disconnect it saw), its pool
    timeout, and psycopg's and sqlite3's own errors (the raw reads of ``Database.read_raw``);
    an error raised while handling one (a failed rollback after a lost connection) is one.
    """
    seen = 0
    cause: BaseException | None = exc
    while cause is not None and seen < 5:
        found = _fault_of(cause)
        if found is not None:
            return found
        cause = cause.__cause__ or (None if cause.__suppress_context__ else cause.__context__)
        seen += 1
    return None


def _fault_of(exc: BaseException) -> DatabaseFault | None:
    if isinstance(exc, PoolTimeoutError):
        return DatabaseUnavailableError(f"no database connection free: {_first_line(exc)}")
    orig: BaseException = exc
    if isinstance(exc, DBAPIError):
        if exc.connection_invalidated:
            return DatabaseUnavailableError(f"connection lost: {_first_line(exc.orig or exc)}")
        orig = exc.orig if isinstance(exc.orig, BaseException) else exc
    if isinstance(orig, sqlite3.OperationalError):
        name = getattr(orig, "sqlite_errorname", "")
        if name.startswith(_SQLITE_FULL):
            return StorageFullError(f"cannot write ({name}): {_first_line(orig)}")
        if name.startswith(_SQLITE_AWAY) or "database is locked" in str(orig):
            return DatabaseUnavailableError(
                f"database locked: {_first_line(orig)}", writes_only=True
            )
        return None
    if type(orig).__module__.startswith("psycopg") and _is_operational(orig):
        state = getattr(orig, "sqlstate", None)
        if state in _PG_FULL:
            return StorageFullError(f"disk full: {_first_line(orig)}")
        if state is None or state.startswith("08") or state in _PG_AWAY:
            return DatabaseUnavailableError(_first_line(orig))
    return None


def _is_operational(exc: BaseException) -> bool:
    """psycopg's ``OperationalError`` (connection trouble, shutdowns, timeouts) and
    ``InterfaceError`` on a closed connection, without importing the driver here."""
    return any(
        kind.__name__ in ("OperationalError", "InterfaceError") for kind in type(exc).__mro__
    )


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return (text[0] if text else type(exc).__name__)[:200]


class Outage:
    """The current database incident of a process, if any.

    ``noticed(fault)`` on each request answered for it: the first logs one WARNING line
    (``database unavailable: <reason>``), the others are counted. ``passed(started)`` on
    each unit of work that succeeded: one begun after the incident started closes it with
    one INFO line (``database back after N s, M requests answered 503``). A full disk or a
    locked SQLite file is closed only by a write that succeeded (reads go on meanwhile).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        #: When the incident started (``time.monotonic``), None when there is none.
        self.since: float | None = None
        self._fault: DatabaseFault | None = None
        self._answered = 0
        #: When the last incident ended.
        self._back_at = 0.0

    def noticed(
        self, fault: DatabaseFault, *, started: float | None = None, answered: bool = True
    ) -> None:
        """A request (``answered``) or a background pass begun at ``started`` failed for
        ``fault``; one begun before the last incident ended is late news of that one."""
        with self._lock:
            if self.since is None and started is not None and started < self._back_at:
                return
            if self.since is None:
                self.since = time.monotonic()
                self._fault = fault
                self._answered = 0
                what = "full" if isinstance(fault, StorageFullError) else "unavailable"
                log.warning("database %s: %s", what, fault.detail)
            if answered:
                self._answered += 1

    def passed(self, started: float, *, wrote: bool) -> None:
        """A unit of work begun at ``started`` (``time.monotonic``) succeeded."""
        since = self.since
        if since is None or started < since:
            return
        with self._lock:
            if self.since is None or (self._fault is not None and self._fault.writes_only > wrote):
                return
            fault = self._fault
            status = fault.status if fault is not None else DatabaseUnavailableError.status
            log.info(
                "database back after %.1f s, %d requests answered %d",
                time.monotonic() - self.since,
                self._answered,
                status,
            )
            self.since = None
            self._fault = None
            self._back_at = time.monotonic()
