"""Heavy read-only work (exports, reports, the daily jobs' computations) reads on the analysis
engine: a replica when ``LOYALIST_DATABASE_READ_URL`` names one, outside any unit of work
(so never inside the SQLite writer's), without the API's statement limit."""

from __future__ import annotations

import csv
import os
from collections.abc import Callable, Iterator
from concurrent.futures import TimeoutError as FutureTimeout
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from loyalist.bootstrap import Loyalist, bootstrap, migrate
from loyalist.clock import ManualClock
from loyalist.db.crypto import Keyring
from loyalist.db.uow import UnitOfWork
from loyalist.insights import service as insights
from loyalist.settings import DatabaseTimeouts, Settings
from tests import pgcluster
from tests.cli.conftest import Cli
from tests.conftest import START, TEST_KEY, event, order_body
from tests.integration.helpers import send

needs_postgresql = pytest.mark.skipif(
    os.environ.get("LOYALIST_TEST_BACKEND", "all") not in {"all", "postgresql"},
    reason="private PostgreSQL servers: the PostgreSQL pass runs these",
)


def paid(member: str, order: str) -> dict[str, Any]:
    return event(f"e-{order}", "order.paid", member, START, **order_body(order, ("SKU", 2, 1_500)))


def caught_up(primary: pgcluster.Cluster, replica: pgcluster.Cluster) -> bool:
    target = primary.sql("SELECT pg_current_wal_lsn()")
    return replica.sql(f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn") == "t"


@pytest.fixture
def primary_and_replica() -> Iterator[tuple[pgcluster.Cluster, pgcluster.Cluster]]:
    problem = pgcluster.available()
    if problem:
        pytest.skip(problem)
    primary = pgcluster.new_cluster()
    replica: pgcluster.Cluster | None = None
    try:
        replica = pgcluster.replica_of(primary)
        yield primary, replica
    finally:
        if replica is not None:
            pgcluster.remove(replica)
        pgcluster.remove(primary)


@needs_postgresql
def test_exports_and_scores_read_what_the_replica_has(
    primary_and_replica: tuple[pgcluster.Cluster, pgcluster.Cluster], tmp_path: Path
) -> None:
    primary, replica = primary_and_replica
    settings = Settings(database_url=primary.url, database_read_url=replica.url)
    app = bootstrap(settings, clock=ManualClock(START), keyring=Keyring.from_secrets(TEST_KEY))
    try:
        migrate(app)
        send(app, *(paid(f"M{n}", f"o{n}") for n in range(5)))
        pgcluster.wait_until(lambda: caught_up(primary, replica))
        # The replica stops replaying: what the primary commits from now on, it lacks.
        replica.sql("SELECT pg_wal_replay_pause()")
        send(app, *(paid(f"M{n}", f"o{n}") for n in range(5, 8)))

        home = tmp_path / "home"
        home.mkdir()
        cli = Cli(
            home,
            primary.url,
            {"LOYALIST_SECRET_KEY": TEST_KEY, "LOYALIST_DATABASE_READ_URL": replica.url},
        )
        out = tmp_path / "members.csv"
        done = cli.run("export", "members", "--out", str(out))
        assert done.code == 0, done.stderr
        with out.open(newline="") as handle:
            exported = list(csv.DictReader(handle))
        assert len(exported) == 5  # the replica's members, not the primary's eight

        def score_count(uow: UnitOfWork) -> int:
            return int(uow.session.execute(text("SELECT count(*) FROM members")).scalar_one())

        assert (app.db.read(score_count), app.db.analyse(score_count)) == (8, 5)
        # The scores are computed on the replica and stored on the primary.
        assert app.recompute_scores() == 5
        replica.stop()
        with pytest.raises(OperationalError):  # and only there: without it, no analysis
            app.db.analyse(score_count)
        assert app.db.read(score_count) == 8
    finally:
        app.close()


@pytest.fixture
def slow_statements(db_url: str) -> Iterator[Loyalist]:
    """The application with a 1 s statement limit (the analysis engine keeps none)."""
    if db_url.startswith("sqlite"):
        pytest.skip("SQLite has no statement limit")
    settings = Settings(database_url=db_url, db=DatabaseTimeouts(statement_timeout_seconds=1))
    app = bootstrap(settings, clock=ManualClock(START), keyring=Keyring.from_secrets(TEST_KEY))
    yield app
    app.close()


def test_heavy_reads_outlive_the_api_statement_limit(slow_statements: Loyalist) -> None:
    def sleep(uow: UnitOfWork) -> None:
        uow.session.execute(text("SELECT pg_sleep(1.5)"))

    with pytest.raises(OperationalError, match="statement timeout"):
        slow_statements.db.read(sleep)
    slow_statements.db.analyse(sleep)


#: The daily jobs' heavy computations: ``(module, function)`` run on the analysis engine.
HEAVY_READS = (
    ("loyalist.insights.scoring", "compute_scores"),
    ("loyalist.insights.service", "compute_dashboards"),
    ("loyalist.recommendations.service", "compute_refresh"),
)


def test_the_daily_jobs_compute_outside_any_unit_of_work(
    app: Loyalist, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each job's heavy read runs on the analysis engine while a write submitted meanwhile
    commits: it holds no unit of work (on SQLite, the writer would wait for it)."""
    send(app, *(paid(f"M{n}", f"o{n}") for n in range(3)))
    app.db.write(insights.want_dashboards)
    seen: dict[str, tuple[bool, bool]] = {}

    def probe(name: str, compute: Callable[..., Any]) -> Callable[..., Any]:
        def probed(uow: UnitOfWork, *args: Any, **kwargs: Any) -> Any:
            on_analysis = uow.session.get_bind() is app.db.analysis_engine
            write = app.db.submit(lambda w: send_in(w, name))
            try:
                write.result(timeout=20)
                committed = True
            except FutureTimeout:
                committed = False
            seen[name] = (on_analysis, committed)
            return compute(uow, *args, **kwargs)

        return probed

    for module, function in HEAVY_READS:
        target = __import__(module, fromlist=[function])
        monkeypatch.setattr(target, function, probe(function, getattr(target, function)))
    clock.advance(timedelta(hours=1))
    report = app.run_due_work()

    assert report.failed == ()
    assert seen == {function: (True, True) for _, function in HEAVY_READS}


def send_in(uow: UnitOfWork, name: str) -> None:
    from loyalist.activities.schemas import parse_batch
    from loyalist.activities.service import ingest_events

    parsed, _ = parse_batch([event(f"during-{name}", "x.ping", "M0", START)])
    ingest_events(uow, parsed)
