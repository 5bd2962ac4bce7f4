"""Running units of work: the SQLite single writer with group commit, and pooled PostgreSQL
with concurrent single events merged into one transaction."""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, cast

from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError, ProgrammingError
from sqlalchemy.orm import Session
from sqlalchemy.pool import QueuePool

from loyalist.clock import Clock
from loyalist.db.engine import Timeouts, create_analysis_engine, create_engines, is_sqlite
from loyalist.db.errors import Outage, database_fault
from loyalist.db.raw import RawReader
from loyalist.db.uow import UnitOfWork

T = TypeVar("T")
ItemT = TypeVar("ItemT")
ResultT = TypeVar("ResultT")
Operation = Callable[[UnitOfWork], T]
Dispatcher = Callable[[UnitOfWork], None]

log = logging.getLogger(__name__)

_PG_RETRYABLE = {"40001", "40P01"}  # serialization failure, deadlock detected
_ATTEMPTS = 4


def _noop_dispatch(_uow: UnitOfWork) -> None:
    return None


def _reached_database(session: Session) -> bool:
    """Whether the session's transaction took a connection (a unit answered from what is
    in memory proves nothing about the database: it ends no outage)."""
    transaction = session.get_transaction()
    return transaction is not None and bool(transaction._connections)


@dataclass(frozen=True, slots=True)
class BatchOp(Generic[ItemT, ResultT]):
    """An operation over items that may share one unit of work with other ``BatchOp``s of
    the same ``run`` (one result per item, in order).

    Both runners merge concurrent ones — forty single-event requests become one ingest
    of forty events — and, if the merged run fails, run each alone so a bad request fails
    by itself.
    """

    items: Sequence[ItemT]
    run: Callable[[UnitOfWork, list[ItemT]], list[ResultT]]

    def __call__(self, uow: UnitOfWork) -> list[ResultT]:
        return self.run(uow, list(self.items))


_MAX_MERGED_ITEMS = 2000


@dataclass(frozen=True, slots=True)
class DatabaseStats:
    """What the process's database work looks like at one instant (``Database.stats``).

    ``queue_depth``: units of work waiting for the SQLite writer, or (PostgreSQL) merged
    writes waiting for a lane; ``batches`` and ``batched_units`` count what the writer (or
    the lanes) committed since the process started, ``last_batch_size`` the units of the
    last one; ``pools``: ``(checked out, size)`` connections of each pool by name
    (``write``, and ``read`` when the reads have a pool of their own)."""

    queue_depth: int
    last_batch_size: int
    batches: int
    batched_units: int
    pools: dict[str, tuple[int, int]]


class Database:
    """Where every unit of work runs.

    ``submit(op)`` runs ``op(uow)`` and the handlers of the events it emitted in one
    transaction and returns a future of its result. On SQLite a single writer thread owns
    the only write connection and commits up to ``batch_size`` operations at a time, each in
    its own savepoint, so one failing operation never aborts its neighbours. On PostgreSQL
    operations run concurrently on pooled connections and are retried on deadlock,
    serialization failure and unique-key races (the retry sees the winner's row);
    ``BatchOp``s waiting while others run are merged (``_PgMerger``).
    """

    def __init__(
        self,
        url: str,
        clock: Clock,
        *,
        dispatch: Dispatcher = _noop_dispatch,
        batch_size: int = 100,
        linger_ms: float = 0.0,
        pool_size: int = 16,
        timeouts: Timeouts | None = None,
        read_url: str = "",
    ) -> None:
        self.url = url
        self.clock = clock
        self.dispatch = dispatch
        self.is_sqlite = is_sqlite(url)
        self.write_engine, self.read_engine = create_engines(
            url, pool_size=pool_size, timeouts=timeouts
        )
        #: Heavy read-only work (``analyse``): on ``read_url`` (a replica) when given,
        #: else on the database itself (SQLite: its readers; PostgreSQL: sessions of their
        #: own, with the analysis statement limit).
        self.analysis_engine = (
            self.read_engine
            if self.is_sqlite and not read_url
            else create_analysis_engine(read_url or url, timeouts=timeouts)
        )
        self._writer: _SqliteWriter | None = None
        self._pool: ThreadPoolExecutor | None = None
        self._merger: _PgMerger | None = None
        self._batch_size = batch_size
        self._linger = linger_ms / 1000
        #: Connections the pool keeps: reads in flight beyond it would open and close a
        #: connection each (the API bounds its reads to it, ``api.deps``).
        self.pool_size = pool_size
        self._lock = threading.Lock()
        #: The current incident of the database being unavailable (``db.errors``).
        self.outage = Outage()

    # -- writes ---------------------------------------------------------------------------
    def submit(self, op: Operation[T]) -> Future[T]:
        """Queue ``op`` as one unit of work; the future resolves after its commit."""
        with self._lock:
            if self.is_sqlite:
                if self._writer is None:
                    self._writer = _SqliteWriter(self, self._batch_size, self._linger)
                return self._writer.submit(op)
            if self._pool is None:
                self._pool = ThreadPoolExecutor(self.pool_size, thread_name_prefix="loyalist-db")
                self._merger = _PgMerger(self, self._pool, self._batch_size, self._linger)
            if isinstance(op, BatchOp):
                assert self._merger is not None
                return cast("Future[T]", self._merger.submit(op))
            return self._pool.submit(self.run, op)

    def run(self, op: Operation[T]) -> T:
        """Run ``op`` in its own transaction on the calling thread, retrying lost races."""
        for attempt in range(1, _ATTEMPTS + 1):
            started = time.monotonic()
            try:
                with Session(self.write_engine, expire_on_commit=False) as session:
                    with session.begin():
                        uow = UnitOfWork(session=session, now=self.clock.now())
                        result = op(uow)
                        self.dispatch(uow)
                        uow.finish()
                        reached = _reached_database(session)
                    if reached:
                        self.outage.passed(started, wrote=True)
                    return result
            except (IntegrityError, OperationalError, DBAPIError) as exc:
                if attempt == _ATTEMPTS or not self._retryable(exc):
                    raise
                log.info("retrying unit of work after %s (attempt %d)", type(exc).__name__, attempt)
                time.sleep(0.002 * attempt)
        raise AssertionError("unreachable")

    def _retryable(self, exc: DBAPIError) -> bool:
        if exc.connection_invalidated:
            return False  # the COMMIT may have gone through: never run the unit twice
        if isinstance(exc, IntegrityError):
            return True
        sqlstate = getattr(exc.orig, "sqlstate", None)
        return sqlstate in _PG_RETRYABLE or (self.is_sqlite and "locked" in str(exc.orig))

    def write(self, op: Operation[T]) -> T:
        """``submit`` and wait: for CLI commands and jobs."""
        return self.submit(op).result()

    # -- reads ----------------------------------------------------------------------------
    @contextmanager
    def reading(self) -> Iterator[UnitOfWork]:
        """A read-only unit of work on a reader connection (a consistent snapshot)."""
        started = time.monotonic()
        with Session(self.read_engine) as session, session.begin():
            yield UnitOfWork(session=session, now=self.clock.now())
            reached = _reached_database(session)
        if reached:
            self.outage.passed(started, wrote=False)

    def read(self, op: Operation[T]) -> T:
        with self.reading() as uow:
            return op(uow)

    def analyse(self, op: Operation[T]) -> T:
        """Run ``op`` in a read-only unit of work (one snapshot) on the analysis engine:
        for heavy reads (exports, reports, the daily jobs' computations), which may see a
        replica's slightly older state and are not bound by the API's statement limit.
        Never call it inside a unit of work (and so never inside the SQLite writer's)."""
        with Session(self.analysis_engine) as session, session.begin():
            return op(UnitOfWork(session=session, now=self.clock.now()))

    def read_raw(self, op: Callable[[RawReader], T]) -> T:
        """Run ``op`` on a pooled driver connection (hot paths): in a read transaction on
        SQLite (one snapshot); on PostgreSQL each statement on its own, as it would be in
        a READ COMMITTED transaction, without the two round trips of BEGIN and ROLLBACK.

        A connection lost on the way is discarded, not returned to the pool."""
        started = time.monotonic()
        connection = self.read_engine.raw_connection()
        try:
            if self.is_sqlite:
                cursor = connection.cursor()
                cursor.execute("BEGIN")
                try:
                    result = op(RawReader(cursor, "sqlite"))
                finally:
                    cursor.execute("ROLLBACK")
                    cursor.close()
            else:
                driver = connection.driver_connection
                assert driver is not None
                driver.autocommit = True
                try:
                    with driver.cursor() as cursor:
                        result = op(RawReader(cursor, "postgresql"))
                finally:
                    if not driver.closed:
                        driver.autocommit = False
        except BaseException as exc:
            if database_fault(exc) is not None:
                connection.invalidate(exc if isinstance(exc, Exception) else None)
            raise
        finally:
            connection.close()
        self.outage.passed(started, wrote=False)
        return result

    def checkpoint(self) -> bool:
        """SQLite: copy the write-ahead log into the database file and truncate it, so the
        page images that held erased data do not stay in the ``-wal`` file (deleted content
        in the file itself is zeroed: the writer runs with ``secure_delete``). Waits at most
        two seconds for readers on older snapshots; returns whether it completed (a later
        checkpoint finishes the job). PostgreSQL: nothing to do (True)."""
        if not self.is_sqlite:
            return True
        connection = self.write_engine.raw_connection()
        try:
            cursor = connection.cursor()
            try:
                cursor.execute("PRAGMA busy_timeout=2000")
                busy = cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
                cursor.execute("PRAGMA busy_timeout=30000")
            finally:
                cursor.close()
        finally:
            connection.close()
        return int(busy) == 0

    def schema_revision(self) -> str | None:
        """The database's Alembic revision (None before the first migration).

        Raises:
            OperationalError: the database cannot be reached.
        """
        with self.read_engine.connect() as connection:
            try:
                found = connection.exec_driver_sql("SELECT version_num FROM alembic_version")
                revision: str | None = found.scalar()
                return revision
            except (OperationalError, ProgrammingError):  # no such table: never migrated
                return None

    def stats(self) -> DatabaseStats:
        """The writer's queue and batches and the pools' use, now (no I/O: for /metrics)."""
        runner = self._writer if self.is_sqlite else self._merger
        figures = runner.figures if runner is not None else _Figures()
        engines = {"write": self.write_engine}
        if self.read_engine is not self.write_engine:
            engines["read"] = self.read_engine
        if self.analysis_engine not in (self.write_engine, self.read_engine):
            engines["analysis"] = self.analysis_engine
        return DatabaseStats(
            queue_depth=runner.depth() if runner is not None else 0,
            last_batch_size=figures.last_batch_size,
            batches=figures.batches,
            batched_units=figures.batched_units,
            pools={
                name: (engine.pool.checkedout(), engine.pool.size())
                for name, engine in engines.items()
                if isinstance(engine.pool, QueuePool)
            },
        )

    def close(self) -> None:
        with self._lock:  # a write submitted from now on starts a new writer
            writer, self._writer = self._writer, None
        if writer is not None:
            writer.stop()
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None
            self._merger = None
        self.write_engine.dispose()
        self.read_engine.dispose()
        self.analysis_engine.dispose()


_STOP = object()


class _Figures:
    """What a writer (or the merged lanes) committed, for ``Database.stats``: written by
    its thread, read by the scrape (whole ints: no lock needed)."""

    def __init__(self) -> None:
        self.last_batch_size = 0
        self.batches = 0
        self.batched_units = 0

    def count(self, size: int) -> None:
        self.last_batch_size = size
        self.batches += 1
        self.batched_units += size


class _SqliteWriter:
    """One thread, one connection, group commit; savepoint per operation."""

    def __init__(self, db: Database, batch_size: int, linger: float) -> None:
        self._db = db
        self._batch_size = batch_size
        self._linger = linger
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self.figures = _Figures()
        #: Set with the stop marker queued, under ``_state``: nothing is queued behind it,
        #: so no caller is ever left waiting on a writer that has gone.
        self._stopped = False
        self._state = threading.Lock()
        self._thread = threading.Thread(target=self._loop, name="loyalist-writer", daemon=True)
        self._thread.start()

    def submit(self, op: Operation[T]) -> Future[T]:
        future: Future[T] = Future()
        with self._state:
            if self._stopped:
                raise RuntimeError("the database's writer has stopped (the database is closed)")
            self._queue.put((op, future))
        return future

    def depth(self) -> int:
        return self._queue.qsize()

    def stop(self) -> None:
        """Commit what is queued (the stop marker goes behind it), then end the thread."""
        with self._state:
            self._stopped = True
            self._queue.put(_STOP)
        self._thread.join(timeout=30)
        if self._thread.is_alive():
            log.error("the writer did not finish its queue within 30 s of the close")

    def _loop(self) -> None:
        while True:
            item = self._queue.get()
            if item is _STOP:
                return
            batch = [item]
            deadline = time.monotonic() + self._linger
            stop = False
            while len(batch) < self._batch_size:
                try:
                    timeout = deadline - time.monotonic()
                    nxt = (
                        self._queue.get_nowait()
                        if timeout <= 0
                        else self._queue.get(timeout=timeout)
                    )
                except queue.Empty:
                    break
                if nxt is _STOP:
                    stop = True
                    break
                batch.append(nxt)
            self.figures.count(len(batch))
            try:
                self._commit(batch)
            except BaseException as exc:  # never leave a caller waiting on a dead writer
                log.exception("writer batch failed unexpectedly")
                for _op, fut in batch:
                    if not fut.done():
                        fut.set_exception(exc)
            if stop:
                return

    def _commit(self, batch: list[tuple[Operation[Any], Future[Any]]]) -> None:
        live = [(op, fut) for op, fut in batch if fut.set_running_or_notify_cancel()]
        outcomes: list[tuple[Future[Any], Any, BaseException | None]] = []
        started = time.monotonic()
        try:
            with (
                Session(self._db.write_engine, expire_on_commit=False) as session,
                session.begin(),
            ):
                now = self._db.clock.now()
                for group in _merge_groups(live):
                    if len(group) > 1 and self._run_merged(session, now, group, outcomes):
                        continue
                    for op, fut in group:
                        outcomes.append((fut, *self._run_one(session, now, op)))
        except Exception as exc:  # the commit itself failed: nothing in the batch happened
            # After a write failed for a full disk or a locked file, SQLite has rolled the
            # transaction back and the commit fails for that: every caller gets the cause.
            cause = next((e for _f, _r, e in outcomes if e is not None and database_fault(e)), exc)
            if database_fault(cause) is None:
                log.exception("group commit failed")
            for _op, fut in live:
                fut.set_exception(cause)
            return
        if any(error is None for _f, _r, error in outcomes):
            self._db.outage.passed(started, wrote=True)
        for fut, result, error in outcomes:
            if error is None:
                fut.set_result(result)
            else:
                fut.set_exception(error)

    def _run_one(
        self, session: Session, now: Any, op: Operation[Any]
    ) -> tuple[Any, BaseException | None]:
        try:
            with session.begin_nested():
                uow = UnitOfWork(session=session, now=now)
                result = op(uow)
                self._db.dispatch(uow)
                uow.finish()
            return result, None
        except Exception as exc:  # each operation fails alone
            return None, exc

    def _run_merged(
        self,
        session: Session,
        now: Any,
        group: list[tuple[Operation[Any], Future[Any]]],
        outcomes: list[tuple[Future[Any], Any, BaseException | None]],
    ) -> bool:
        """Run a group of ``BatchOp``s as one; False (nothing applied) if it failed for one
        of its operations (the database being unavailable fails them all)."""
        ops = _batch_ops(group)
        result, error = self._run_one(session, now, _merged(ops))
        if error is not None and database_fault(error) is not None:
            outcomes.extend((fut, None, error) for _, fut in group)
            return True
        if error is not None:
            return False
        for (_, fut), share in zip(group, _shares(ops, result), strict=True):
            outcomes.append((fut, share, None))
        return True


#: Merged batches a PostgreSQL process runs at once: while they run, new ``BatchOp``s wait
#: and are merged into the next (so the busier the process, the larger its batches).
PG_LANES = 2


class _PgMerger:
    """PostgreSQL: ``BatchOp``s submitted while ``PG_LANES`` merged batches run wait, and
    the next free lane runs all of them (up to ``batch_size`` operations) as one unit of
    work, retried like any other; if it fails, each runs alone in its own, so one bad
    request fails by itself. Without contention an operation starts at once (after
    ``linger`` seconds, if set, to gather more)."""

    def __init__(
        self, db: Database, pool: ThreadPoolExecutor, batch_size: int, linger: float
    ) -> None:
        self._db = db
        self._pool = pool
        self._batch_size = batch_size
        self._linger = linger
        self._waiting: list[tuple[Operation[Any], Future[Any]]] = []
        self._lanes = 0
        self._lock = threading.Lock()
        self.figures = _Figures()

    def depth(self) -> int:
        return len(self._waiting)

    def submit(self, op: BatchOp[Any, Any]) -> Future[list[Any]]:
        future: Future[list[Any]] = Future()
        with self._lock:
            self._waiting.append((op, future))
            if self._lanes >= PG_LANES:
                return future
            self._lanes += 1
        try:
            self._pool.submit(self._lane)
        except BaseException:  # the pool is shut down: nothing will run it
            with self._lock:
                self._lanes -= 1
            raise
        return future

    def _lane(self) -> None:
        """Run what waits, batch after batch, until nothing does."""
        if self._linger:
            time.sleep(self._linger)
        while True:
            with self._lock:
                batch = self._waiting[: self._batch_size]
                del self._waiting[: self._batch_size]
                if not batch:
                    self._lanes -= 1
                    return
            self.figures.count(len(batch))
            try:
                self._run(batch)
            except BaseException as exc:  # never leave a caller waiting on a dead lane
                log.exception("merged batch failed unexpectedly")
                for _op, fut in batch:
                    if not fut.done():
                        fut.set_exception(exc)

    def _run(self, batch: list[tuple[Operation[Any], Future[Any]]]) -> None:
        live = [(op, fut) for op, fut in batch if fut.set_running_or_notify_cancel()]
        for group in _merge_groups(live):
            if len(group) > 1 and self._run_merged(group):
                continue
            for op, fut in group:
                try:
                    fut.set_result(self._db.run(op))
                except Exception as exc:  # each operation fails alone
                    fut.set_exception(exc)

    def _run_merged(self, group: list[tuple[Operation[Any], Future[Any]]]) -> bool:
        """Run a group of ``BatchOp``s as one unit; False (nothing applied) if it failed; the
        database being unavailable fails them all at once, rather than each after its own
        wait.

        A unit whose connection broke may have committed (the COMMIT sent, its answer
        lost): its operations fail with that error instead of running again alone, so
        nothing is applied twice; a client's retry is safe (event ids, idempotency keys).
        """
        ops = _batch_ops(group)
        try:
            result = self._db.run(_merged(ops))
        except Exception as exc:
            if database_fault(exc) is not None or (
                isinstance(exc, DBAPIError) and exc.connection_invalidated
            ):
                for _, fut in group:
                    fut.set_exception(exc)
                return True
            log.debug("merged batch of %d operations failed; running each alone", len(ops))
            return False
        for (_, fut), share in zip(group, _shares(ops, result), strict=True):
            fut.set_result(share)
        return True


def _batch_ops(group: list[tuple[Operation[Any], Future[Any]]]) -> list[BatchOp[Any, Any]]:
    ops = [op for op, _ in group if isinstance(op, BatchOp)]
    assert len(ops) == len(group)
    return ops


def _merged(ops: list[BatchOp[Any, Any]]) -> BatchOp[Any, Any]:
    """One ``BatchOp`` over the items of ``ops`` (which share their ``run``)."""
    return BatchOp([item for op in ops for item in op.items], ops[0].run)


def _shares(ops: list[BatchOp[Any, Any]], result: list[Any]) -> Iterator[list[Any]]:
    """Each op's results out of the merged run's ``result``, in order."""
    start = 0
    for op in ops:
        yield result[start : start + len(op.items)]
        start += len(op.items)


def _merge_groups(
    live: list[tuple[Operation[Any], Future[Any]]],
) -> list[list[tuple[Operation[Any], Future[Any]]]]:
    """Consecutive ``BatchOp``s with the same ``run`` form one group (up to a size)."""
    groups: list[list[tuple[Operation[Any], Future[Any]]]] = []
    size = 0
    for op, fut in live:
        last = groups[-1][-1][0] if groups else None
        if (
            isinstance(op, BatchOp)
            and isinstance(last, BatchOp)
            and op.run is last.run
            and size + len(op.items) <= _MAX_MERGED_ITEMS
        ):
            groups[-1].append((op, fut))
            size += len(op.items)
        else:
            groups.append([(op, fut)])
            size = len(op.items) if isinstance(op, BatchOp) else 0
    return groups
