"""The write path: group commit, merged batch operations, failures isolated per request."""

from __future__ import annotations

import threading
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import pytest
from sqlalchemy import text

from loyalist.bootstrap import Loyalist
from loyalist.db.database import PG_LANES, BatchOp
from loyalist.db.uow import UnitOfWork


def _insert_names(calls: list[int]) -> Any:
    def run(uow: UnitOfWork, names: list[str]) -> list[str]:
        calls.append(len(names))
        for name in names:
            if name.startswith("bad"):
                raise ValueError(name)
            uow.session.execute(
                text(
                    "INSERT INTO api_keys (name, prefix, secret_hash, scopes, owner, created_at) "
                    "VALUES (:n, :n, 'x', '[]', :n, CURRENT_TIMESTAMP)"
                ),
                {"n": name},
            )
        return [f"ok:{name}" for name in names]

    return run


def _stored(app: Loyalist) -> set[str]:
    return set(
        app.db.read(lambda uow: uow.session.scalars(text("SELECT name FROM api_keys")).all())
    )


def _occupy(app: Loyalist, gate: threading.Event) -> list[Future[Any]]:
    """Keep every writer busy until ``gate`` is set: the single SQLite writer, or each of
    PostgreSQL's lanes of merged batches (a ``BatchOp`` of its own ``run`` in each)."""
    if app.db.is_sqlite:
        return [app.db.submit(lambda uow: gate.wait(10))]
    blockers: list[Future[Any]] = []
    for _ in range(PG_LANES):
        started = threading.Event()

        def hold(
            uow: UnitOfWork, items: list[int], started: threading.Event = started
        ) -> list[int]:
            started.set()
            gate.wait(10)
            return items

        blockers.append(app.db.submit(BatchOp([0], hold)))
        assert started.wait(10)
    return blockers


class TestMergedBatches:
    def test_queued_batch_ops_share_one_run_and_get_their_own_results(self, app: Loyalist) -> None:
        calls: list[int] = []
        run = _insert_names(calls)
        gate = threading.Event()
        blockers = _occupy(app, gate)
        futures: list[Future[list[str]]] = [
            app.db.submit(BatchOp([f"k{i}a", f"k{i}b"], run)) for i in range(5)
        ]
        gate.set()
        for blocker in blockers:
            blocker.result(timeout=10)
        results = [f.result(timeout=10) for f in futures]
        assert results == [[f"ok:k{i}a", f"ok:k{i}b"] for i in range(5)]
        assert calls == [10]  # one merged run of all ten items
        assert _stored(app) == {f"k{i}{s}" for i in range(5) for s in "ab"}

    def test_a_failing_request_fails_alone_when_merged(self, app: Loyalist) -> None:
        calls: list[int] = []
        run = _insert_names(calls)
        gate = threading.Event()
        blockers = _occupy(app, gate)
        good1 = app.db.submit(BatchOp(["g1"], run))
        bad = app.db.submit(BatchOp(["g2", "bad3"], run))
        good2 = app.db.submit(BatchOp(["g4"], run))
        gate.set()
        for blocker in blockers:
            blocker.result(timeout=10)
        assert good1.result(timeout=10) == ["ok:g1"]
        assert good2.result(timeout=10) == ["ok:g4"]
        with pytest.raises(ValueError, match="bad3"):
            bad.result(timeout=10)
        assert _stored(app) == {"g1", "g4"}  # nothing of the failed request, not even g2

    def test_concurrent_single_operations_are_merged_and_all_answered(self, app: Loyalist) -> None:
        calls: list[int] = []
        run = _insert_names(calls)
        with ThreadPoolExecutor(16) as clients:
            answers = list(
                clients.map(lambda n: app.db.submit(BatchOp([f"c{n}"], run)).result(), range(200))
            )
        assert answers == [[f"ok:c{n}"] for n in range(200)]
        assert _stored(app) == {f"c{n}" for n in range(200)}
        assert sum(calls) == 200  # no merged run failed, so each item ran once
        assert len(calls) < 200  # and some ran together


class _Abort(BaseException):
    """Not an Exception: escapes the per-operation handler."""


def test_writer_survives_an_operation_that_raises_base_exception(app: Loyalist) -> None:
    def boom(uow: UnitOfWork) -> None:
        raise _Abort("stop")

    with pytest.raises(_Abort):
        app.db.submit(boom).result(timeout=10)
    calls: list[int] = []
    assert app.db.submit(BatchOp(["after"], _insert_names(calls))).result(timeout=10) == [
        "ok:after"
    ]
    assert _stored(app) == {"after"}


def test_a_write_submitted_while_the_database_closes_is_answered(app: Loyalist) -> None:
    """``close`` waits for the busy writer; a write submitted meanwhile must still be
    answered (here: by a new writer), never queued behind the stop and left waiting."""
    gate = threading.Event()
    blockers = _occupy(app, gate)
    closer = threading.Thread(target=app.db.close)
    closer.start()
    closer.join(0.3)  # close has begun and waits for the busy writer
    calls: list[int] = []
    try:
        late = app.db.submit(BatchOp(["late"], _insert_names(calls)))
    finally:
        gate.set()
    closer.join(30)
    assert not closer.is_alive()
    for blocker in blockers:
        blocker.result(timeout=10)
    assert late.result(timeout=10) == ["ok:late"]
    assert _stored(app) == {"late"}


def test_close_commits_every_queued_unit_before_it_returns(app: Loyalist) -> None:
    """A shutdown closes the database with writes still queued (the SQLite writer's queue,
    PostgreSQL's merged batches waiting for a lane): each is committed and answered."""
    gate = threading.Event()
    blockers = _occupy(app, gate)
    calls: list[int] = []
    queued = [app.db.submit(BatchOp([f"q{n}"], _insert_names(calls))) for n in range(50)]
    closer = threading.Thread(target=app.db.close)
    closer.start()
    closer.join(0.3)  # close has begun and waits for the busy writer
    gate.set()
    closer.join(30)

    assert not closer.is_alive()
    for blocker in blockers:
        blocker.result(timeout=0)
    assert [future.result(timeout=0) for future in queued] == [[f"ok:q{n}"] for n in range(50)]
    assert _stored(app) == {f"q{n}" for n in range(50)}
