"""Liveness (``/healthz``) and readiness (``/readyz``): the database reachable, its
migrations current, a worker's heartbeat recent; each failed check named in a 503 problem."""

from __future__ import annotations

import os
import time
from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy import create_engine, select, text
from starlette.testclient import TestClient

from loyalist.api.app import create_app
from loyalist.bootstrap import SCHEMA_HEAD, Loyalist, bootstrap
from loyalist.clock import ManualClock
from loyalist.db.crypto import Keyring
from loyalist.operations.models import WorkerHeartbeat
from loyalist.settings import Settings
from tests.api.conftest import assert_problem
from tests.conftest import TEST_KEY
from tests.live import serving


def _checks(body: dict[str, Any]) -> dict[str, bool]:
    return {check["name"]: check["ok"] for check in body["checks"]}


def test_is_alive_without_asking_the_database(tmp_path: Any, clock: ManualClock) -> None:
    # A database that cannot be reached: liveness does not ask it.
    gone = Settings(
        database_url="postgresql+psycopg://postgres@127.0.0.1:1/none",
        home=tmp_path,
    )
    app = bootstrap(gone, clock=clock, keyring=Keyring.from_secrets(TEST_KEY))
    try:
        with TestClient(create_app(app, embedded_worker=False)) as client:
            alive = client.get("/healthz")
            ready = client.get("/readyz")
    finally:
        app.close()

    assert alive.status_code == 200
    body = assert_problem(ready, 503, "not_ready")
    assert _checks(body) == {"database": False, "migrations": False, "worker": False}
    assert "OperationalError" in body["checks"][0]["detail"]


def test_is_not_ready_before_any_worker_beat_and_ready_after_a_pass(
    app: Loyalist, client: TestClient
) -> None:
    before = client.get("/readyz")
    app.run_due_work()
    after = client.get("/readyz")

    body = assert_problem(before, 503, "not_ready")
    assert body["detail"] == "not ready: worker"
    assert _checks(body) == {"database": True, "migrations": True, "worker": False}
    assert "loyalist worker" in body["checks"][2]["detail"]
    assert after.status_code == 200, after.text
    assert after.json()["status"] == "ready"
    assert _checks(after.json()) == {"database": True, "migrations": True, "worker": True}


def test_is_not_ready_when_the_last_heartbeat_is_stale(
    app: Loyalist, client: TestClient, clock: ManualClock
) -> None:
    app.run_due_work()
    clock.advance(timedelta(seconds=app.settings.worker_stale_seconds + 1))

    stale = client.get("/readyz")
    app.run_due_work()
    fresh = client.get("/readyz")

    body = assert_problem(stale, 503, "not_ready")
    assert _checks(body)["worker"] is False
    assert "121 s ago" in body["checks"][2]["detail"]
    assert fresh.status_code == 200


def test_keeps_one_heartbeat_row_per_worker_process(app: Loyalist) -> None:
    for _ in range(3):
        app.run_due_work()

    rows = app.db.read(
        lambda uow: [
            tuple(row)
            for row in uow.session.execute(select(WorkerHeartbeat.pid, WorkerHeartbeat.beat_at))
        ]
    )

    assert rows == [(os.getpid(), app.clock.now())]


def test_is_not_ready_when_the_database_is_behind_the_code(
    app: Loyalist, client: TestClient, db_url: str
) -> None:
    app.run_due_work()
    engine = create_engine(db_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0053'"))
    try:
        answer = client.get("/readyz")
    finally:
        with engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": SCHEMA_HEAD})
        engine.dispose()

    body = assert_problem(answer, 503, "not_ready")
    assert _checks(body) == {"database": True, "migrations": False, "worker": True}
    assert f"at 0053, this code at {SCHEMA_HEAD}" in body["checks"][1]["detail"]


def test_becomes_ready_by_the_embedded_workers_own_heartbeat(db_url: str) -> None:
    # A real server on a socket with its embedded worker (the real clock): ready once the
    # worker's first pass has beaten, with nobody calling run_due_work.
    settings = Settings(database_url=db_url, worker_interval_seconds=0.2)
    app = bootstrap(settings, keyring=Keyring.from_secrets(TEST_KEY))
    try:
        with serving(create_app(app, embedded_worker=True)) as base:
            deadline = time.monotonic() + 15
            answer = httpx.get(f"{base}/readyz", timeout=5)
            while answer.status_code != 200 and time.monotonic() < deadline:
                time.sleep(0.1)
                answer = httpx.get(f"{base}/readyz", timeout=5)
    finally:
        app.close()

    assert answer.status_code == 200, answer.text
    assert _checks(answer.json())["worker"] is True
