"""Failures answered as problems on a connection that stays open: an unexpected error (500
with a request id), the database unavailable (503 with Retry-After, one log line per
incident) and the framework's own refusals (404, 405 with Allow)."""

from __future__ import annotations

import logging
import re
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy.engine import make_url

from loyalist.api.app import create_app
from loyalist.bootstrap import Loyalist, bootstrap
from loyalist.clock import ManualClock
from loyalist.db.crypto import Keyring
from loyalist.settings import DatabaseTimeouts, Settings
from tests.api.conftest import assert_problem, bearer, make_key
from tests.cli.conftest import needs_sqlite
from tests.conftest import START, TEST_KEY, event
from tests.live import serving


def _local_port(response: httpx.Response) -> int:
    """The client's port of the connection that carried ``response``."""
    stream = response.extensions["network_stream"]
    port: int = stream.get_extra_info("socket").getsockname()[1]
    return port


def test_unexpected_error_answers_500_with_request_id_and_keeps_the_connection(
    app: Loyalist, admin: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    api = create_app(app, embedded_worker=False)

    @api.get("/api/v1/boom")
    async def boom() -> None:
        raise RuntimeError("secret detail")

    with serving(api) as url, httpx.Client(base_url=url, timeout=10) as client:
        failed = client.get("/api/v1/boom", headers=admin)
        after = client.get("/healthz")
        ports = {_local_port(failed), _local_port(after)}

    problem = assert_problem(failed, 500, "internal_error")
    assert re.fullmatch(r"[0-9a-f]{32}", problem["request_id"])
    assert problem["request_id"] == failed.headers["X-Request-Id"]
    assert "secret" not in failed.text
    assert "runtimeerror" not in failed.text.lower()
    assert after.status_code == 200
    assert len(ports) == 1
    logged = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert [(problem["request_id"] in r.getMessage(), r.exc_info is not None) for r in logged] == [
        (True, True)
    ]


def test_unknown_route_and_wrong_method_are_problems(app: Loyalist, admin: dict[str, str]) -> None:
    with serving(create_app(app, embedded_worker=False)) as url, httpx.Client(base_url=url) as c:
        unknown = c.get("/api/v1/nowhere", headers=admin)
        wrong = c.delete("/api/v1/points/liability", headers=admin)

    assert_problem(unknown, 404, "not_found")
    assert_problem(wrong, 405, "method_not_allowed")
    assert wrong.headers["Allow"] == "GET"


@pytest.fixture
def locked_app(sqlite_template: Path, tmp_path: Path) -> Iterator[Loyalist]:
    """An application on SQLite (whatever the backend of the run: the file lock is
    SQLite's) that waits 0.2 s for the lock."""
    path = tmp_path / "loyalist.db"
    shutil.copy(sqlite_template, path)
    db_url = f"sqlite:///{path}"
    settings = Settings(
        database_url=db_url,
        writer_linger_ms=0.5,
        db=DatabaseTimeouts(lock_timeout_seconds=0.2, retry_after_seconds=7),
    )
    loyalist = bootstrap(settings, clock=ManualClock(START), keyring=Keyring.from_secrets(TEST_KEY))
    yield loyalist
    loyalist.close()


@needs_sqlite
def test_locked_database_answers_503_on_every_route_then_recovers_by_itself(
    locked_app: Loyalist, caplog: pytest.LogCaptureFixture
) -> None:
    headers = bearer(make_key(locked_app, "shop", "admin"))
    database = make_url(locked_app.settings.effective_database_url).database
    assert database is not None
    api = create_app(locked_app, embedded_worker=False)
    with serving(api) as url, httpx.Client(base_url=url, headers=headers, timeout=10) as client:
        assert client.put("/api/v1/members/M1", json={}).status_code in (200, 201)
        holder = sqlite3.connect(database, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")  # another process holds the write lock
        caplog.clear()
        with caplog.at_level(logging.INFO, logger="loyalist.db"):
            answers = [
                client.post("/api/v1/events", json=event(f"e{n}", "x.page_view", "M1", START))
                for n in range(3)
            ]
            read = client.get("/api/v1/members/M1/points")  # reads go on beside the lock
            answers.append(client.put("/api/v1/members/M2", json={}))
            holder.execute("ROLLBACK")
            holder.close()
            again = client.post("/api/v1/events", json=event("e9", "x.page_view", "M1", START))
            ports = {_local_port(response) for response in [*answers, read, again]}

    for answer in answers:
        assert_problem(answer, 503, "database_unavailable")
        assert answer.headers["Retry-After"] == "7"
    assert len(ports) == 1
    assert read.status_code == 200
    assert again.status_code == 202, again.text
    lines = [(r.levelname, r.getMessage()) for r in caplog.records if r.name == "loyalist.db"]
    assert [level for level, _ in lines] == ["WARNING", "INFO"]
    assert lines[0][1].startswith("database unavailable: database locked")
    assert re.fullmatch(r"database back after \d+\.\d s, 4 requests answered 503", lines[1][1])
    assert not [r for r in caplog.records if r.exc_info]
