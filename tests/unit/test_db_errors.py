"""Which exceptions are the database being away or full, and one log line per incident."""

from __future__ import annotations

import logging
import sqlite3
import time
from pathlib import Path

import psycopg
import pytest
from psycopg import errors as pg
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

from loyalist.db.errors import (
    DatabaseUnavailableError,
    Outage,
    StorageFullError,
    database_fault,
)


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (psycopg.OperationalError("connection refused"), DatabaseUnavailableError),
        (pg.AdminShutdown("terminating connection"), DatabaseUnavailableError),
        (pg.CannotConnectNow("the database system is starting up"), DatabaseUnavailableError),
        (
            pg.QueryCanceled("canceling statement due to statement timeout"),
            DatabaseUnavailableError,
        ),
        (pg.LockNotAvailable("lock timeout"), DatabaseUnavailableError),
        (pg.ConnectionFailure("connection failure"), DatabaseUnavailableError),
        (pg.DiskFull("could not extend file"), StorageFullError),
        (pg.SerializationFailure("could not serialize"), None),
        (pg.UniqueViolation("duplicate key"), None),
    ],
)
def test_tells_the_database_away_or_full_from_other_errors(
    error: Exception, expected: type[Exception] | None
) -> None:
    # As the driver raises it (the raw reads) and as SQLAlchemy wraps it.
    wrapped = OperationalError("SELECT 1", {}, error)
    for raised in (error, wrapped):
        found = database_fault(raised)
        assert (type(found) if found is not None else None) is expected


def test_a_pool_timeout_is_unavailable_and_a_bug_is_not() -> None:
    assert isinstance(database_fault(PoolTimeoutError("QueuePool")), DatabaseUnavailableError)
    assert database_fault(ValueError("a bug")) is None


def test_a_locked_sqlite_file_is_unavailable_for_writes_only(tmp_path: Path) -> None:
    path = tmp_path / "x.db"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN IMMEDIATE")
    other = sqlite3.connect(path, timeout=0.01, isolation_level=None)
    with pytest.raises(sqlite3.OperationalError) as raised:
        other.execute("BEGIN IMMEDIATE")
    holder.close()
    other.close()
    found = database_fault(raised.value)
    assert isinstance(found, DatabaseUnavailableError)
    assert found.writes_only


def _fail_while_handling(*, keep_context: bool) -> None:
    try:
        raise pg.AdminShutdown("terminating connection")
    except pg.AdminShutdown:
        if keep_context:
            raise RuntimeError("rollback failed")  # noqa: B904 (the context is the point)
        raise RuntimeError("rollback failed") from None


def test_an_error_while_handling_one_is_one() -> None:
    with pytest.raises(RuntimeError) as kept:
        _fail_while_handling(keep_context=True)
    with pytest.raises(RuntimeError) as dropped:
        _fail_while_handling(keep_context=False)
    assert isinstance(database_fault(kept.value), DatabaseUnavailableError)
    assert database_fault(dropped.value) is None


def test_an_incident_is_one_line_when_it_starts_and_one_when_it_ends(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="loyalist.db")
    outage = Outage()
    before = time.monotonic()
    fault = DatabaseUnavailableError("connection refused")
    for _ in range(3):
        outage.noticed(fault, started=time.monotonic())
    outage.passed(before, wrote=True)  # began before the incident: says nothing
    outage.passed(time.monotonic(), wrote=False)
    outage.noticed(fault, started=before)  # late news of the incident just ended

    lines = [f"{r.levelname} {r.getMessage()}" for r in caplog.records]
    assert lines[0] == "WARNING database unavailable: connection refused"
    assert lines[1].endswith(", 3 requests answered 503")
    assert lines[1].startswith("INFO database back after ")
    assert len(lines) == 2
    assert outage.since is None


def test_a_full_disk_ends_with_a_write_not_a_read(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="loyalist.db")
    outage = Outage()
    outage.noticed(StorageFullError("cannot write"), started=time.monotonic())
    outage.passed(time.monotonic(), wrote=False)
    still_open = outage.since is not None
    outage.passed(time.monotonic(), wrote=True)
    assert (still_open, outage.since) == (True, None)
    assert [r.getMessage().split(",")[-1] for r in caplog.records][-1] == (
        " 1 requests answered 507"
    )
