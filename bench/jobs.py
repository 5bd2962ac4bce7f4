"""The heavy jobs' writer units: the daily scores and the recommendations refresh storing
their results a chunk per unit of work (staged generation, one-unit publish, segments and
clean-up in chunks), against a target of 50 ms per unit, beside the same store in one unit
per step (the baseline); and the latency of small write units (a probe standing for the
ingest) while each stores.

The results are synthetic (what the jobs compute is timed by bench/insights.py and
bench/baskets.py): ``--members`` members with RFM and lifetime scores, half of them changing
segment between runs; a tenth as many items with 20 neighbours each. Each job runs twice
(the second run also deletes the first's generation); the figures are the second run's.
"""

from __future__ import annotations

import argparse
import gc
import sys
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any, Final

import numpy as np
import polars as pl

if __package__ in (None, ""):  # run as ``python bench/jobs.py``: make ``bench`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import Table

from bench.common import Report, Target, number, percentile, scratch_database
from loyalist.bootstrap import Loyalist, bootstrap, migrate
from loyalist.db import bulk
from loyalist.db.chunked import CHUNK_ROWS
from loyalist.db.crypto import Keyring, new_master_key
from loyalist.db.database import Database
from loyalist.db.uow import UnitOfWork
from loyalist.insights import jobs as insights_jobs
from loyalist.insights import scoring
from loyalist.insights.rfm import SEGMENTS
from loyalist.members.models import Member
from loyalist.recommendations import jobs as recommendation_jobs
from loyalist.recommendations import service
from loyalist.recommendations.models import RecommendationRun
from loyalist.recommendations.policy import RecommendationSettings
from loyalist.recommendations.schemas import RefreshReport
from loyalist.settings import Settings

UNIT_TARGET: Final = Target(50, "ms", higher_is_better=False)
NOW: Final = datetime(2026, 3, 1, 3, 0, tzinfo=UTC)
NEIGHBOURS_PER_ITEM: Final = 20
#: Seconds between two probe units (each a tiny write, like one ingest batch).
PROBE_PAUSE: Final = 0.002


@dataclass
class Timings:
    """The writer units of one store (wall and the writer thread's CPU), the probe's
    latencies and the collector's full passes meanwhile (seconds)."""

    units: list[float] = field(default_factory=list)
    unit_cpu: list[float] = field(default_factory=list)
    probe: list[float] = field(default_factory=list)
    full_collections: list[float] = field(default_factory=list)
    seconds: float = 0.0

    def as_json(self) -> dict[str, Any]:
        units, probe = sorted(self.units), sorted(self.probe)
        return {
            "units": len(units),
            "unit_p50_ms": _ms(percentile(units, 50)),
            "unit_p99_ms": _ms(percentile(units, 99)),
            "longest_unit_ms": _ms(max(units, default=0.0)),
            "longest_unit_cpu_ms": _ms(max(self.unit_cpu, default=0.0)),
            "store_seconds": round(self.seconds, 3),
            "probe_units": len(probe),
            "probe_p99_ms": _ms(percentile(probe, 99)),
            "probe_max_ms": _ms(max(probe, default=0.0)),
            "full_collections": len(self.full_collections),
            "longest_full_collection_cpu_ms": _ms(max(self.full_collections, default=0.0)),
        }


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def seed_members(db: Database, count: int) -> None:
    table: Table = Member.__table__  # type: ignore[assignment]
    for start in range(0, count, 50_000):
        rows = [
            {
                "id": n,
                "external_id": f"M{n}",
                "segments": None,
                "locale": "en",
                "created_at": NOW,
                "updated_at": NOW,
            }
            for n in range(start + 1, min(start + 50_000, count) + 1)
        ]
        db.write(partial(_insert, table, rows))


def _insert(table: Table, rows: list[dict[str, Any]], uow: UnitOfWork) -> None:
    bulk.insert_rows(uow.session, table, rows)


def returning(value: Any) -> Callable[..., Any]:
    """A stand-in for a job's computation: its (synthetic) result."""
    return lambda *_args, **_kwargs: value


def scores(count: int, seed: int) -> scoring.Recompute:
    """Synthetic scores of members 1…count (a segment each, a churn risk spread over [0, 1])."""
    rng = np.random.default_rng(seed)
    p_alive = rng.random(count)
    frame = pl.DataFrame(
        {
            "member_id": np.arange(1, count + 1, dtype=np.int64),
            "computed_at": [NOW] * count,
            "recency_days": rng.integers(0, 400, count),
            "frequency": rng.integers(1, 30, count),
            "monetary": rng.integers(100, 100_000, count),
            "r_score": rng.integers(1, 6, count),
            "f_score": rng.integers(1, 6, count),
            "m_score": rng.integers(1, 6, count),
            "segment": rng.choice(list(SEGMENTS), count),
            "p_alive": p_alive,
            "churn_risk": 1.0 - p_alive,
            "expected_purchases_90": rng.random(count),
            "expected_purchases_365": rng.random(count) * 4,
            "expected_spend": rng.random(count) * 100,
            "clv": rng.random(count) * 1000,
            "currency": ["EUR"] * count,
        }
    ).with_columns(
        pl.col("computed_at").cast(pl.Datetime("us", "UTC")),
        pl.col(["recency_days", "frequency", "r_score", "f_score", "m_score"]).cast(pl.Int32),
    )
    return scoring.Recompute(frame.select(scoring.SCORE_COLUMNS))


def refresh(items: int, seed: int) -> service.Refresh:
    """A synthetic refresh: ``items`` items with 20 neighbours each, popularity, a model."""
    rng = np.random.default_rng(seed)
    skus = [f"SKU-{n:07d}" for n in range(items)]
    pairs = items * NEIGHBOURS_PER_ITEM
    item = np.repeat(np.arange(items), NEIGHBOURS_PER_ITEM)
    other = (item + 1 + np.tile(np.arange(NEIGHBOURS_PER_ITEM), items)) % items
    names = pl.Series(skus)
    neighbours = pl.DataFrame(
        {
            "sku": names.gather(item),
            "neighbour_sku": names.gather(other),
            "support": rng.integers(3, 500, pairs),
            "lift": rng.random(pairs) + 0.01,
            "cosine": rng.random(pairs) + 0.01,
            "computed_at": [NOW] * pairs,
        }
    ).with_columns(pl.col("computed_at").cast(pl.Datetime("us", "UTC")))
    popular = pl.DataFrame(
        {
            "sku": skus,
            "buyers": np.arange(items, 0, -1),
            "rank": np.arange(1, items + 1),
            "computed_at": [NOW] * items,
        }
    ).with_columns(pl.col("computed_at").cast(pl.Datetime("us", "UTC")))
    model = rng.random((items, 32), dtype=np.float32).tobytes()  # about an ALS model's size
    run = RecommendationRun(
        token=uuid.uuid4().hex,
        computed_at=NOW,
        line_count=pairs,
        basket_count=pairs,
        member_count=items * 10,
        item_count=items,
        pair_count=pairs,
        seconds=0.0,
        settings=RecommendationSettings().as_dict(),
        als_model=model,
    )
    report = RefreshReport(
        computed_at=NOW,
        lines=pairs,
        baskets=pairs,
        members=items * 10,
        items=items,
        pairs=pairs,
        popular=items,
        has_als=True,
        seconds=0.0,
    )
    return service.Refresh(neighbours, popular, run, report)


def timed(app: Loyalist, store: Callable[[], object], *, probe: bool) -> Timings:
    """Run ``store`` timing each writer unit it runs (the operation inside the writer) and,
    with ``probe``, the latency of a tiny write unit submitted every 2 ms meanwhile."""
    timings = Timings()
    db = app.db
    original = db.write
    done = threading.Event()

    def write(op: Callable[[UnitOfWork], Any]) -> Any:
        def run(uow: UnitOfWork) -> Any:
            started, cpu = time.perf_counter(), time.thread_time()
            try:
                return op(uow)
            finally:
                timings.units.append(time.perf_counter() - started)
                timings.unit_cpu.append(time.thread_time() - cpu)

        return original(run)

    collecting: dict[int, float] = {}

    def collections(phase: str, info: dict[str, int]) -> None:
        if info["generation"] != 2:
            return
        if phase == "start":
            collecting[threading.get_ident()] = time.thread_time()
        elif (began := collecting.pop(threading.get_ident(), None)) is not None:
            timings.full_collections.append(time.thread_time() - began)

    def probing() -> None:
        while not done.is_set():
            started = time.perf_counter()
            original(lambda uow: uow.one("SELECT 1", ()))
            timings.probe.append(time.perf_counter() - started)
            time.sleep(PROBE_PAUSE)

    prober = threading.Thread(target=probing, daemon=True)
    setattr(db, "write", write)  # noqa: B010 - the instance's writes, timed
    gc.callbacks.append(collections)
    if probe:
        prober.start()
    started = time.perf_counter()
    try:
        store()
    finally:
        timings.seconds = time.perf_counter() - started
        done.set()
        if probe:
            prober.join()
        gc.callbacks.remove(collections)
        setattr(db, "write", original)  # noqa: B010
    return timings


def measure_scores(app: Loyalist, members: int, chunk: int) -> dict[str, Timings]:
    results: dict[str, Timings] = {}
    original = scoring.compute_scores
    try:
        for seed, (name, rows) in enumerate(
            [("warm-up", chunk), ("chunked", chunk), ("one unit", members + 1)]
        ):
            computed = scores(members, seed)
            setattr(scoring, "compute_scores", returning(computed))  # noqa: B010
            results[name] = timed(
                app,
                partial(insights_jobs.run_now, app.db, app.program, chunk=rows),
                probe=name != "warm-up",
            )
    finally:
        setattr(scoring, "compute_scores", original)  # noqa: B010
    return results


def measure_refresh(app: Loyalist, items: int, chunk: int) -> dict[str, Timings]:
    results: dict[str, Timings] = {}
    original = service.compute_refresh
    settings = RecommendationSettings()
    try:
        for seed, (name, rows) in enumerate(
            [("warm-up", chunk), ("chunked", chunk), ("one unit", items * NEIGHBOURS_PER_ITEM)]
        ):
            computed = refresh(items, seed)
            setattr(service, "compute_refresh", returning(computed))  # noqa: B010
            results[name] = timed(
                app,
                partial(recommendation_jobs.refresh, app.db, settings, chunk=rows),
                probe=name != "warm-up",
            )
    finally:
        setattr(service, "compute_refresh", original)  # noqa: B010
    return results


def show(report: Report, job: str, results: dict[str, Timings]) -> dict[str, Any]:
    chunked, whole = results["chunked"], results["one unit"]
    longest = max(chunked.units) * 1000
    baseline = max(whole.units) * 1000
    units = sorted(chunked.units)
    report.line(
        f"   {job:<16} longest writer unit {number(longest):>7} ms over {len(units):,} units "
        f"(p50 {number(percentile(units, 50) * 1000)}, p99 "
        f"{number(percentile(units, 99) * 1000)} ms; longest in CPU "
        f"{number(max(chunked.unit_cpu) * 1000)} ms), {UNIT_TARGET.describe(longest)}"
    )
    report.line(
        f"   {'':<16} one unit per step (baseline) {number(baseline)} ms; "
        f"chunked ÷ baseline {longest / baseline:.3f}"
    )
    for name, found in (("chunked", chunked), ("one unit", whole)):
        probe = sorted(found.probe)
        report.line(
            f"   {'':<16} {name:<9} store {found.seconds:6.2f} s; probe write p99 "
            f"{number(percentile(probe, 99) * 1000)} ms, max {number(max(probe) * 1000)} ms "
            f"({len(probe):,} probes); {len(found.full_collections)} full collections, "
            f"longest {number(max(found.full_collections, default=0.0) * 1000)} ms CPU"
        )
    return {name: timings.as_json() for name, timings in results.items()} | {
        "ratio_longest_unit_chunked_to_one_unit": round(longest / baseline, 4),
        "target": UNIT_TARGET.as_json(longest),
    }


def measure(backend: str, members: int, chunk: int, report: Report) -> None:
    with scratch_database(backend, "jobs") as url:
        if url is None:
            return
        app = bootstrap(Settings(database_url=url), keyring=Keyring.from_secrets(new_master_key()))
        try:
            migrate(app)
            seed_members(app.db, members)
            # As ``loyalist worker`` does (cli.context.settle_heap): what start-up made
            # goes to the collector's permanent generation.
            app.prepare()
            gc.collect()
            gc.freeze()
            report.line(f"-- {backend}: {members:,} members, {chunk:,} rows per chunk")
            found = {
                "scores": show(report, "daily scores", measure_scores(app, members, chunk)),
                "recommendations": show(
                    report,
                    "recommendations",
                    measure_refresh(app, max(1, members // 10), chunk),
                ),
            }
        finally:
            app.close()
    report.data.setdefault("results", {})[backend] = found


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "all"), default="sqlite")
    parser.add_argument("--members", type=int, default=100_000, help="members (100,000)")
    parser.add_argument(
        "--chunk", type=int, default=CHUNK_ROWS, help=f"rows per unit ({CHUNK_ROWS:,})"
    )
    parser.add_argument("--json", action="store_true", help="one JSON document on stdout")
    args = parser.parse_args(argv)
    report = Report("jobs", args.json)
    report.header({"backend": args.backend, "members": args.members, "chunk": args.chunk})
    backends = ("sqlite", "postgresql") if args.backend == "all" else (args.backend,)
    for backend in backends:
        measure(backend, max(10, args.members), max(1, args.chunk), report)
    report.finish()


if __name__ == "__main__":
    main()
