"""PostgreSQL stopped or frozen under load: a private cluster (``tests.pgcluster``), a live
server and a few clients posting single events and reading balances. The service answers
503 problems with Retry-After (never a 500, never a dropped connection), logs one line when
the incident starts and one when it ends, recovers by itself and loses no acknowledged
event."""

from __future__ import annotations

import contextlib
import logging
import os
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from loyalist.api.deps import session_cookie
from loyalist.bootstrap import Loyalist, bootstrap, migrate
from loyalist.clock import ManualClock
from loyalist.db.crypto import Keyring
from loyalist.db.uow import UnitOfWork
from loyalist.settings import DatabaseTimeouts, Settings
from loyalist.web.app import create_app
from tests.api.conftest import bearer, make_key
from tests.conftest import START, TEST_KEY, event
from tests.live import serving
from tests.pgcluster import Cluster, private_cluster

PROBLEM_JSON = "application/problem+json"
CLIENTS = 4
#: The clusters are the tests' own: run once, in the pass that runs PostgreSQL tests.
pytestmark = pytest.mark.skipif(
    os.environ.get("LOYALIST_TEST_BACKEND", "all") not in ("all", "postgresql"),
    reason="PostgreSQL's own outage, runs in the PostgreSQL pass",
)


@dataclass
class Load:
    """Clients alternating a single event and a balance read until told to stop."""

    url: str
    headers: dict[str, str]
    stop: threading.Event = field(default_factory=threading.Event)
    #: ``(started, seconds, status, media type, code, Retry-After)`` of every answer.
    answers: list[tuple[float, float, int, str, str | None, str | None]] = field(
        default_factory=list
    )
    acknowledged: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    #: The client ports of each client's connections (one each: the connection is kept).
    ports: list[set[int]] = field(default_factory=list)

    def run(self, client_number: int) -> None:
        ports: set[int] = set()
        self.ports.append(ports)
        with httpx.Client(base_url=self.url, headers=self.headers, timeout=30) as client:
            for n in range(100_000):
                if self.stop.is_set():
                    return
                event_id = f"c{client_number}-{n}"
                began = time.monotonic()
                try:
                    if n % 2:
                        response = client.get("/api/v1/members/M1/points")
                    else:
                        sent = event(event_id, "x.page_view", "M1", START)
                        response = client.post("/api/v1/events", json=sent)
                except httpx.TransportError as exc:
                    self.dropped.append(f"{type(exc).__name__}: {exc}")
                    continue
                took = time.monotonic() - began
                ports.add(
                    response.extensions["network_stream"].get_extra_info("socket").getsockname()[1]
                )
                kind = response.headers.get("content-type", "")
                code = response.json().get("code") if kind == PROBLEM_JSON else None
                self.answers.append(
                    (
                        began,
                        took,
                        response.status_code,
                        kind,
                        code,
                        response.headers.get("Retry-After"),
                    )
                )
                if response.status_code == 202 and not n % 2:
                    self.acknowledged.append(event_id)
                if response.status_code == 503:
                    time.sleep(0.05)  # as a client honouring a short back-off would


@contextlib.contextmanager
def loaded(cluster: Cluster, **timeouts: float) -> Iterator[tuple[Loyalist, Load]]:
    """An application on ``cluster`` (migrated), served, under load from ``CLIENTS``."""
    settings = Settings(
        database_url=cluster.url,
        db=DatabaseTimeouts.model_validate({"retry_after_seconds": 3, **timeouts}),
    )
    app = bootstrap(settings, clock=ManualClock(START), keyring=Keyring.from_secrets(TEST_KEY))
    try:
        migrate(app)
        headers = bearer(make_key(app, "shop", "admin"))
        with serving(create_app(app, embedded_worker=False)) as url:
            assert httpx.put(f"{url}/api/v1/members/M1", json={}, headers=headers).is_success
            load = Load(url, headers)
            threads = [
                threading.Thread(target=load.run, args=(n,), daemon=True) for n in range(CLIENTS)
            ]
            for thread in threads:
                thread.start()
            try:
                yield app, load
            finally:
                load.stop.set()
                for thread in threads:
                    thread.join(30)
    finally:
        app.close()


def _wait_for_a_write_after(load: Load, moment: float, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while not any(a[0] > moment and a[2] == 202 for a in list(load.answers)):
        assert time.monotonic() < deadline, "writes did not come back"
        time.sleep(0.1)


def _stored_event_ids(app: Loyalist) -> set[str]:
    def op(uow: UnitOfWork) -> set[str]:
        rows = uow.session.execute(text("SELECT event_id FROM activities"))
        return {row[0] for row in rows}

    return app.db.read(op)


def _check_answers(load: Load) -> list[tuple[float, float, int, str, str | None, str | None]]:
    """No dropped connection, nothing but 2xx and 503 problems with Retry-After; the 503s."""
    assert load.dropped == []
    assert all(len(ports) == 1 for ports in load.ports), load.ports
    odd = [a for a in load.answers if a[2] not in (200, 202, 503)]
    assert odd == []
    unavailable = [a for a in load.answers if a[2] == 503]
    assert {(a[3], a[4], a[5]) for a in unavailable} == {
        (PROBLEM_JSON, "database_unavailable", "3")
    }
    return unavailable


def _incident_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [f"{r.levelname} {r.getMessage()}" for r in caplog.records if r.name == "loyalist.db"]


def test_a_stopped_database_answers_503_and_writes_resume_by_themselves(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="loyalist.db")
    with private_cluster() as cluster, loaded(cluster, connect_timeout_seconds=1) as (app, load):
        time.sleep(1)
        cluster.stop()
        time.sleep(1)
        cookie = {session_cookie(app.settings.staff): "a-session-to-look-up"}
        page = httpx.get(f"{load.url}/console/", cookies=cookie, timeout=10)
        time.sleep(2)
        cluster.start()
        back = time.monotonic()
        _wait_for_a_write_after(load, back)
        time.sleep(0.5)
        load.stop.set()
        time.sleep(0.5)
        stored = _stored_event_ids(app)

    unavailable = _check_answers(load)
    assert len(unavailable) >= CLIENTS
    assert (page.status_code, page.headers["content-type"]) == (503, PROBLEM_JSON)
    assert set(load.acknowledged) <= stored
    lines = _incident_lines(caplog)
    assert len(lines) == 2, lines
    assert lines[0].startswith("WARNING database unavailable: ")
    assert re.fullmatch(r"INFO database back after \d+\.\d s, \d+ requests answered 503", lines[1])
    assert not [r for r in caplog.records if r.exc_info], "a traceback was logged"


def test_a_frozen_database_answers_503_within_the_timeouts_not_the_freeze(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="loyalist.db")
    timeouts = {"connect_timeout_seconds": 1, "statement_timeout_seconds": 1}
    with private_cluster() as cluster, loaded(cluster, **timeouts) as (app, load):
        time.sleep(1)
        frozen = time.monotonic()
        cluster.freeze()
        time.sleep(8)
        cluster.thaw()
        thawed = time.monotonic()
        _wait_for_a_write_after(load, thawed)
        load.stop.set()
        time.sleep(0.5)
        stored = _stored_event_ids(app)

    unavailable = _check_answers(load)
    during = [a for a in unavailable if frozen <= a[0] < thawed]
    assert len(during) >= CLIENTS
    # Each answer came within the statement and connect timeouts (and a margin), not after
    # the 8 s of the freeze.
    assert max(a[1] for a in load.answers if a[0] >= frozen) < 6
    assert set(load.acknowledged) <= stored
    lines = _incident_lines(caplog)
    assert [line.split()[0] for line in lines] == ["WARNING", "INFO"], lines


def test_due_work_during_an_outage_logs_the_incident_once_not_a_traceback_per_job(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    with private_cluster() as cluster:
        settings = Settings(
            database_url=cluster.url,
            db=DatabaseTimeouts.model_validate({"connect_timeout_seconds": 1}),
        )
        app = bootstrap(settings, clock=ManualClock(START), keyring=Keyring.from_secrets(TEST_KEY))
        try:
            migrate(app)
            app.run_due_work()
            cluster.stop()
            reports = [app.run_due_work() for _ in range(2)]
        finally:
            app.close()

    assert all(len(report.failed) > 10 for report in reports)
    assert not [r for r in caplog.records if r.exc_info], "a traceback was logged"
    assert [line.split()[0] for line in _incident_lines(caplog)] == ["WARNING"]


def test_migrations_give_up_on_a_frozen_server_after_the_connect_timeout() -> None:
    """``loyalist init`` on a server that accepts connections and answers nothing fails
    after ``LOYALIST_DB__CONNECT_TIMEOUT_SECONDS`` instead of waiting for ever."""
    with private_cluster() as cluster:
        app = bootstrap(
            Settings(database_url=cluster.url, db=DatabaseTimeouts(connect_timeout_seconds=2)),
            keyring=Keyring.from_secrets(TEST_KEY),
        )
        cluster.freeze()
        try:
            with pytest.raises(OperationalError, match="timeout"):
                migrate(app)
        finally:
            cluster.thaw()
            app.close()
