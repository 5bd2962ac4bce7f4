"""Failover: the API on a multi-host URL (a primary and its synchronous streaming replica, both
private servers started here) keeps every acknowledged write when the primary crashes and
the replica is promoted under load, and writes again by itself once it is; a unit whose
connection breaks is never run twice."""

from __future__ import annotations

import itertools
import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy import event as sqlalchemy_event
from sqlalchemy.exc import DBAPIError

from loyalist.api.app import create_app
from loyalist.bootstrap import Loyalist, bootstrap, migrate
from loyalist.db.crypto import Keyring
from loyalist.db.engine import IDLE_PING_SECONDS
from loyalist.db.uow import UnitOfWork
from loyalist.settings import DatabaseTimeouts, Settings
from tests import pgcluster
from tests.api.conftest import bearer, make_key
from tests.cli.conftest import Cli
from tests.conftest import TEST_KEY, event, order_body
from tests.live import serving

pytestmark = pytest.mark.skipif(
    os.environ.get("LOYALIST_TEST_BACKEND", "all") not in {"all", "postgresql"},
    reason="private PostgreSQL servers: the PostgreSQL pass runs these",
)


def multi_host_url(*clusters: pgcluster.Cluster) -> str:
    """The libpq multi-host form docs/failover.md documents."""
    hosts = "&".join(f"host=127.0.0.1:{cluster.port}" for cluster in clusters)
    return f"postgresql+psycopg://postgres@/postgres?{hosts}&target_session_attrs=read-write"


@pytest.fixture
def pair() -> Iterator[tuple[pgcluster.Cluster, pgcluster.Cluster]]:
    """A primary committing synchronously to its streaming replica ``replica``."""
    problem = pgcluster.available()
    if problem:
        pytest.skip(problem)
    primary = pgcluster.new_cluster(
        settings={"synchronous_standby_names": "'replica'", "synchronous_commit": "on"}
    )
    replica: pgcluster.Cluster | None = None
    try:
        replica = pgcluster.replica_of(primary, name="replica")
        # The copy took the primary's settings: promoted, it would wait for a standby of
        # its own before every commit (docs/failover.md).
        with (replica.data / "postgresql.conf").open("a") as conf:
            conf.write("synchronous_standby_names = ''\n")
        replica.sql("SELECT pg_reload_conf()")
        pgcluster.wait_until(
            lambda: primary.sql("SELECT sync_state FROM pg_stat_replication") == "sync"
        )
        yield primary, replica
    finally:
        if replica is not None:
            pgcluster.remove(replica)
        pgcluster.remove(primary)


def booted(url: str) -> Loyalist:
    settings = Settings(
        database_url=url, db=DatabaseTimeouts(connect_timeout_seconds=2, pool_timeout_seconds=5)
    )
    app = bootstrap(settings, keyring=Keyring.from_secrets(TEST_KEY))
    migrate(app)
    return app


@dataclass
class Load:
    """Single events and balance reads from a few clients until stopped: which writes were
    acknowledged (2xx) and when, and how the others failed."""

    base: str
    token: str
    acknowledged: dict[str, float] = field(default_factory=dict)
    failures: dict[str, int] = field(default_factory=dict)
    reads_ok: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _threads: list[threading.Thread] = field(default_factory=list)

    def start(self, writers: int = 4, readers: int = 2) -> None:
        self._threads = [
            *(threading.Thread(target=self._write, args=(n,)) for n in range(writers)),
            *(threading.Thread(target=self._read, args=(n,)) for n in range(readers)),
        ]
        for thread in self._threads:
            thread.start()

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(30)
        assert not any(thread.is_alive() for thread in self._threads)

    def _failed(self, why: str) -> None:
        with self._lock:
            self.failures[why] = self.failures.get(why, 0) + 1
        time.sleep(0.02)  # a failing database fails fast: do not spin on it

    def _write(self, writer: int) -> None:
        with httpx.Client(base_url=self.base, headers=bearer(self.token), timeout=15) as client:
            for n in itertools.count():
                if self._stop.is_set():
                    return
                event_id = f"w{writer}-{n}"
                body = event(
                    event_id,
                    "order.paid",
                    f"M{n % 10}",
                    datetime.now(UTC),
                    **order_body(event_id, ("SKU", 1, 1_000)),
                )
                started = time.monotonic()
                try:
                    status = client.post("/api/v1/events", json=body).status_code
                except httpx.HTTPError as exc:
                    self._failed(type(exc).__name__)
                    continue
                if 200 <= status < 300:
                    with self._lock:
                        self.acknowledged[event_id] = started
                else:
                    self._failed(str(status))

    def _read(self, reader: int) -> None:
        with httpx.Client(base_url=self.base, headers=bearer(self.token), timeout=15) as client:
            for n in itertools.count():
                if self._stop.is_set():
                    return
                try:
                    status = client.get(f"/api/v1/members/M{(n + reader) % 10}/points").status_code
                except httpx.HTTPError as exc:
                    self._failed(f"read {type(exc).__name__}")
                    continue
                if status == 200:
                    with self._lock:
                        self.reads_ok += 1
                elif status >= 500:
                    self._failed(f"read {status}")

    def acknowledged_since(self, instant: float) -> int:
        with self._lock:
            return sum(started >= instant for started in self.acknowledged.values())


def test_writes_resume_on_the_promoted_replica_with_every_acknowledged_write(
    pair: tuple[pgcluster.Cluster, pgcluster.Cluster],
) -> None:
    primary, replica = pair
    app = booted(multi_host_url(primary, replica))
    try:
        token = make_key(app, "load", "admin")
        with serving(create_app(app, embedded_worker=False)) as base:
            load = Load(base, token)
            load.start()
            pgcluster.wait_until(lambda: load.acknowledged_since(0) >= 100)
            primary.stop("immediate")  # as a crash would
            crashed = time.monotonic()
            time.sleep(0.5)  # requests meet the gap
            replica.promote()
            promoted = time.monotonic()
            pgcluster.wait_until(lambda: load.acknowledged_since(promoted) >= 1, timeout=30)
            resumed = min(t for t in load.acknowledged.values() if t >= promoted)
            pgcluster.wait_until(lambda: load.acknowledged_since(resumed) >= 50)
            load.stop()
        print(  # the figures the report quotes (pytest -s)
            f"\nfailover: {len(load.acknowledged)} writes acknowledged, failures "
            f"{load.failures}, {load.reads_ok} balance reads; writes resumed "
            f"{resumed - promoted:.2f} s after the promotion "
            f"({resumed - crashed:.2f} s after the crash)"
        )

        engine = create_engine(replica.url)
        with engine.connect() as connection:
            stored = set(
                connection.execute(
                    text("SELECT event_id FROM activities WHERE event_id = ANY(:ids)"),
                    {"ids": list(load.acknowledged)},
                ).scalars()
            )
        engine.dispose()
        assert set(load.acknowledged) - stored == set()  # no acknowledged write lost

        def server(uow: UnitOfWork) -> tuple[int, bool]:
            found = uow.session.execute(text("SELECT inet_server_port(), pg_is_in_recovery()"))
            port, recovering = found.one()
            return int(port), bool(recovering)

        # Every pooled connection now reaches the promoted server: the dead ones were
        # discarded, not handed out again.
        held = [app.db.read_engine.connect() for _ in range(4)]
        try:
            ports = {c.execute(text("SELECT inet_server_port()")).scalar() for c in held}
        finally:
            for connection in held:
                connection.close()
        assert ports == {replica.port}
        assert app.db.write(server) == (replica.port, False)
    finally:
        app.close()


def test_a_unit_whose_connection_breaks_is_not_run_again() -> None:
    """A broken connection at the end of a unit leaves its COMMIT's outcome unknown: the
    error reaches the caller, the unit ran once, and the next unit gets a new connection."""
    with pgcluster.private_cluster() as cluster:
        app = booted(multi_host_url(cluster))
        killer = create_engine(cluster.url)
        try:
            runs: list[int] = []

            def doomed(uow: UnitOfWork) -> None:
                pid = uow.session.execute(text("SELECT pg_backend_pid()")).scalar_one()
                runs.append(pid)
                with killer.connect() as other:
                    other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})

            with pytest.raises(DBAPIError) as raised:
                app.db.write(doomed)
            assert raised.value.connection_invalidated
            assert len(runs) == 1

            def backend(uow: UnitOfWork) -> int:
                return int(uow.session.execute(text("SELECT pg_backend_pid()")).scalar_one())

            assert app.db.write(backend) != runs[0]
        finally:
            killer.dispose()
            app.close()


def test_a_pooled_connection_that_died_while_idle_is_replaced_before_use() -> None:
    """A server that restarted (here: the backend ended) while a pooled connection sat idle
    for over ``IDLE_PING_SECONDS``: the ping before use finds it dead and the read runs on a
    new connection, without an error; a connection used a moment ago is not pinged."""
    with pgcluster.private_cluster() as cluster:
        app = booted(multi_host_url(cluster))
        killer = create_engine(cluster.url)
        pings: list[int] = []
        try:

            def backend(uow: UnitOfWork) -> int:
                return int(uow.session.execute(text("SELECT pg_backend_pid()")).scalar_one())

            first = app.db.read(backend)
            assert app.db.read(backend) == first  # the same pooled connection, not pinged
            with killer.connect() as other:
                other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": first})
            time.sleep(IDLE_PING_SECONDS + 0.2)
            sqlalchemy_event.listen(app.db.read_engine, "connect", lambda *_: pings.append(1))
            again = app.db.read(backend)
            assert again != first
            assert pings == [1]  # one new connection, made after the ping failed
        finally:
            killer.dispose()
            app.close()


def test_hosts_before_the_path_are_refused_with_the_form_that_works(tmp_path: Path) -> None:
    url = "postgresql+psycopg://u@10.0.0.1:5432,10.0.0.2:5432/loyalist"
    done = Cli(tmp_path, url, {"LOYALIST_SECRET_KEY": TEST_KEY}).run("ledger", "verify")
    assert done.code == 1
    assert "database_url_invalid" in done.stderr
    assert "?host=a:5432&host=b:5432" in done.stderr


def test_an_unusable_replica_url_is_named_as_such(tmp_path: Path) -> None:
    env = {
        "LOYALIST_SECRET_KEY": TEST_KEY,
        "LOYALIST_DATABASE_READ_URL": "postgresql+psycopg://u@10.0.0.1:5432,10.0.0.2:5432/x",
    }
    done = Cli(tmp_path, f"sqlite:///{tmp_path / 'loyalist.db'}", env).run("ledger", "verify")
    assert done.code == 1
    assert "LOYALIST_DATABASE_READ_URL" in done.stderr
