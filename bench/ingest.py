"""Ingest throughput of demo-shop events through parse_events + ingest_events against the
data model's floor (the run's own rows re-inserted), for basket sizes, with and without
engagement, and the process's memory over a long run."""

from __future__ import annotations

import argparse
import gc
import itertools
import math
import os
import secrets
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as ``python bench/ingest.py``: make ``bench`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import orjson
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from bench import engage as engagement
from bench.baskets import BasketResizer
from bench.common import (
    PG_DEFAULT,
    Report,
    Target,
    number,
    peak_rss_mib,
    reset_peak,
    status_mib,
)
from bench.floor import TableRows, Timing, plan_batches, read_rows, reinsert
from loyalist import programfile
from loyalist.activities.models import Activity, Order
from loyalist.activities.schemas import parse_events
from loyalist.activities.service import ingest_events
from loyalist.audit.models import SYSTEM
from loyalist.bootstrap import Loyalist, bootstrap, metadata, migrate
from loyalist.cli.context import settle_heap
from loyalist.db.crypto import Keyring, new_master_key
from loyalist.db.uow import UnitOfWork
from loyalist.demo import ShopSpec, catalogue, generate_events
from loyalist.ledger.verification import verify_ledger
from loyalist.members.models import Member
from loyalist.messages.journeyconf import JourneysConfig
from loyalist.programfile import WholeProgram
from loyalist.settings import MessagePolicy, ProgramPolicy, Settings

EVENTS_TARGET = {
    "sqlite": Target(10_000, "events/s"),
    "postgresql": Target(8_000, "events/s"),
}
FLOOR_SHARE_TARGET = Target(0.33, "of the floor", percent=True)
ENGAGE_TARGET = Target(0.25, "fewer events/s", higher_is_better=False, percent=True)
JOURNEYS_TARGET = Target(0.15, "fewer events/s", higher_is_better=False, percent=True)
#: --compare-journeys measures twice: the history as it is (older than the 24-hour window:
#: journeys skip it, as in an import) and as live traffic (every fact "fresh").
EVERYTHING_FRESH_HOURS = 24 * 365 * 20
RSS_GROWTH_TARGET = Target(
    0.10, "peak RSS growth after the first quarter", higher_is_better=False, percent=True
)
#: Lines an order of a real gift-shop log has on average (the issue's figure).
REAL_BASKET = 24
#: The demo yields ~10.5 kept events a member over its 12 months; ``--rss-events`` sizes the
#: shop with this lower figure so that the stream does not end before N events.
EVENTS_PER_MEMBER = 9
#: The demo catalogue's size: a basket cannot have more distinct skus.
MAX_LINES = ShopSpec().products


# -- the workload ------------------------------------------------------------------------------


def shop(members: int, seed: int) -> ShopSpec:
    """The demo shop whose 12 months of history end today (every event in the past)."""
    return ShopSpec(seed=seed, members=members, end=datetime.now(UTC).date())


def kept_events(spec: ShopSpec, lines: int | None) -> Iterator[dict[str, Any]]:
    """``member.enrolled`` and ``order.*`` events of the demo (no reviews or surveys), in
    time order, every order resized to ``lines`` lines unless None."""
    resize = BasketResizer(catalogue(spec), lines, spec.seed) if lines else None
    for event in generate_events(spec):
        kind = event["type"]
        if kind == "member.enrolled" or kind.startswith("order."):
            yield resize(event) if resize is not None else event


def placed_lines(event: dict[str, Any]) -> int:
    return len(event["data"]["lines"]) if event["type"] == "order.placed" else 0


@dataclass(frozen=True, slots=True)
class Workload:
    """Pre-serialised events: every enrolment first, then the order events."""

    enrolments: list[bytes]
    orders: list[bytes]
    placed: int  # orders placed
    order_lines: int  # lines of all placed orders

    @property
    def all(self) -> list[bytes]:
        return self.enrolments + self.orders

    @property
    def mean_size(self) -> float:
        lines = self.all
        return sum(len(line) for line in lines) / max(1, len(lines))


def build_workload(members: int, seed: int, lines: int | None) -> Workload:
    enrolments: list[bytes] = []
    orders: list[bytes] = []
    placed = order_lines = 0
    for event in kept_events(shop(members, seed), lines):
        if event["type"] == "member.enrolled":
            enrolments.append(orjson.dumps(event))
            continue
        orders.append(orjson.dumps(event))
        count = placed_lines(event)
        placed += count > 0
        order_lines += count
    return Workload(enrolments, orders, placed, order_lines)


@dataclass(frozen=True, slots=True)
class Variant:
    lines: int | None  # None: the demo's own baskets
    engage: bool
    #: None: the program's journeys as they are; True/False: every journey switched on/off
    #: (--compare-journeys)
    journeys: bool | None = None
    #: every fact fresh: the journeys react to the history as to live traffic
    live: bool = False

    @property
    def label(self) -> str:
        baskets = "demo baskets" if self.lines is None else f"{self.lines}-line baskets"
        journeys = {None: "", True: ", journeys on", False: ", journeys off"}[self.journeys]
        traffic = (", live" if self.live else ", history") if self.journeys is not None else ""
        return baskets + (", --engage" if self.engage else "") + journeys + traffic


def journeys_program(on: bool) -> WholeProgram:
    """A program file of only the journeys section: every journey on (email and SMS where
    the journey has an SMS text) or every one off."""
    return WholeProgram(
        journeys=JourneysConfig.model_validate(
            {name: {"enabled": on} for name in JourneysConfig.model_fields}
        )
    )


# -- timed phases ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PhaseResult:
    label: str
    events: int
    accepted: int
    batches: int
    seconds: float
    parse_seconds: float
    cpu_seconds: float

    @property
    def rate(self) -> float:
        return self.events / self.seconds if self.seconds else 0.0

    def as_json(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "events": self.events,
            "accepted": self.accepted,
            "batches": self.batches,
            "seconds": round(self.seconds, 4),
            "events_per_second": round(self.rate, 1),
            "parse_seconds": round(self.parse_seconds, 4),
            "process_cpu_seconds": round(self.cpu_seconds, 4),
        }


def ingest_phase(app: Loyalist, label: str, lines: Sequence[bytes], batch_size: int) -> PhaseResult:
    """Timed: JSON decode per event, ``parse_events`` and ``ingest_events`` per batch in
    ``app.db.write`` (one unit of work, one transaction per batch), as ``loyalist import``."""
    accepted = batches = 0
    parse_seconds = 0.0
    cpu0 = time.process_time()
    start = time.perf_counter()
    for offset in range(0, len(lines), batch_size):
        t0 = time.perf_counter()
        batch = parse_events([orjson.loads(raw) for raw in lines[offset : offset + batch_size]])
        parse_seconds += time.perf_counter() - t0

        def op(uow: UnitOfWork, batch: Any = batch) -> int:
            return sum(not outcome.replayed for outcome in ingest_events(uow, batch))

        accepted += app.db.write(op)
        batches += 1
    seconds = time.perf_counter() - start
    return PhaseResult(
        label=label,
        events=len(lines),
        accepted=accepted,
        batches=batches,
        seconds=seconds,
        parse_seconds=parse_seconds,
        cpu_seconds=time.process_time() - cpu0,
    )


def run_due_work(app: Loyalist, max_passes: int = 10_000) -> dict[str, Any]:
    """Timed apart: every due job (maturity, expiry, referral conversions…) until idle."""
    start = time.perf_counter()
    converted = passes = 0
    while passes < max_passes:
        passes += 1
        job = app.run_due_work(limit=500)
        converted += job.done.get("referrals_converted", 0)
        if not job.did_work:
            break
    return {
        "passes": passes,
        "seconds": round(time.perf_counter() - start, 3),
        "referrals_converted": converted,
    }


def database_counts(uow: UnitOfWork) -> dict[str, int]:
    s = uow.session
    return {
        "members": s.scalar(select(func.count()).select_from(Member)) or 0,
        "orders": s.scalar(select(func.count()).select_from(Order)) or 0,
        "activities": s.scalar(select(func.count()).select_from(Activity)) or 0,
    }


# -- databases ---------------------------------------------------------------------------------


@contextmanager
def sqlite_database() -> Iterator[str]:
    with tempfile.TemporaryDirectory(prefix="loyalist-bench-") as tmp:
        yield f"sqlite:///{Path(tmp) / 'bench.db'}"


def postgres_problem(base: str) -> str | None:
    """Why PostgreSQL at ``base`` cannot be used, or None."""
    try:
        engine = create_engine(base, poolclass=NullPool, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("select 1"))
        engine.dispose()
    except Exception as exc:
        return f"{type(exc).__name__}: {str(exc).strip().splitlines()[0]}"
    return None


@contextmanager
def postgres_database(base: str) -> Iterator[str]:
    """A private schema ``bench_<random>`` on ``base``, dropped afterwards."""
    schema = f"bench_{secrets.token_hex(5)}"
    admin = create_engine(base, poolclass=NullPool, connect_args={"connect_timeout": 3})
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def database(backend: str, base: str) -> AbstractContextManager[str]:
    """An empty database of ``backend``: a temporary SQLite file or a private schema."""
    return sqlite_database() if backend == "sqlite" else postgres_database(base)


def open_app(
    url: str,
    keyring: Keyring,
    program: WholeProgram | None,
    journeys: bool | None = None,
    live: bool = False,
) -> Loyalist:
    """The app as ``loyalist`` builds it, schema migrated, ``program`` applied (untimed);
    ``journeys`` True/False: every journey on/off; ``live``: every fact fresh."""
    settings = Settings(database_url=url)
    if live:
        messages = MessagePolicy(freshness_hours=EVERYTHING_FRESH_HOURS)
        settings = Settings(database_url=url, program=ProgramPolicy(messages=messages))
    app = bootstrap(settings, keyring=keyring)
    try:
        migrate(app)
        files = [program, None if journeys is None else journeys_program(journeys)]
        for given in [f for f in files if f is not None]:
            app.db.write(partial(programfile.apply, program=given, actor="bench", by=SYSTEM))
    except BaseException:
        app.close()
        raise
    gc.unfreeze()  # what an earlier run of this process froze may be collected again
    settle_heap(app)  # as `loyalist import events` does before its first batch
    return app


# -- the floor ---------------------------------------------------------------------------------


def measure_floor(
    backend: str, base: str, keyring: Keyring, tables: list[TableRows], transactions: int
) -> Timing:
    """The run's rows into an empty, freshly migrated copy of the schema on the same
    backend (the app's own write engine: same pragmas or pool), in ``transactions``."""
    with database(backend, base) as url:
        app = open_app(url, keyring, None)
        try:
            # Rows a migration seeds (the configuration versions) are the schema's, not the
            # run's: those tables are left out.
            seeded = {t.name for t in read_rows(app.db.write_engine, metadata().sorted_tables)}
            plan = plan_batches([t for t in tables if t.name not in seeded], transactions)
            return reinsert(app.db.write_engine, plan)
        finally:
            app.close()


# -- one run -----------------------------------------------------------------------------------


def memory(peak_was_reset: bool) -> dict[str, Any]:
    """RSS now, the peak since the run started (``VmHWM`` after ``reset_peak``; else the
    process's ``ru_maxrss``) and the process's peak."""
    current = status_mib("VmRSS")
    process_peak = peak_rss_mib()
    run_peak = status_mib("VmHWM") if peak_was_reset else None
    return {
        "rss_mib": None if current is None else round(current, 1),
        "run_peak_rss_mib": round(process_peak if run_peak is None else run_peak, 1),
        "run_peak_is_process_peak": run_peak is None,
        "process_peak_rss_mib": round(process_peak, 1),
    }


def run_backend(
    backend: str,
    url: str,
    base: str,
    workload: Workload,
    variant: Variant,
    batch_size: int,
    keyring: Keyring,
    report: Report,
    program: WholeProgram | None = None,
    seed: int = 42,
) -> dict[str, Any]:
    peak_was_reset = reset_peak()
    app = open_app(url, keyring, program, variant.journeys, variant.live)
    due_work: dict[str, Any] = {}
    try:
        if variant.engage:
            definitions = engagement.switch_on(app)
            half = len(workload.enrolments) // 2
            phases = [ingest_phase(app, "member.enrolled", workload.enrolments[:half], batch_size)]
            friends = engagement.refer(
                app, workload.enrolments[:half], workload.enrolments[half:], seed
            )
            referred = sum(b'"referral"' in raw for raw in friends)
            report.line(
                f"   engaged: referral program, {definitions} badges/quests/streaks/levels; "
                f"{referred:,} of the later {len(friends):,} sign-ups carry a referral code"
            )
            phases.append(ingest_phase(app, "enrolled+referral", friends, batch_size))
        else:
            phases = [ingest_phase(app, "member.enrolled", workload.enrolments, batch_size)]
        phases.append(ingest_phase(app, "order.*", workload.orders, batch_size))
        if variant.engage:
            due_work = run_due_work(app)
            report.line(
                f"   due work after ingest (not in events/s): {due_work['passes']} passes in "
                f"{due_work['seconds']:.2f} s, referrals converted "
                f"{due_work['referrals_converted']:,}"
            )
        counts = app.db.read(database_counts)
        tables = read_rows(app.db.read_engine, metadata().sorted_tables)
        verify_start = time.perf_counter()
        verification = app.db.read(verify_ledger)
        verify_seconds = time.perf_counter() - verify_start
    finally:
        app.close()
    batches = sum(p.batches for p in phases)
    table_rows = {t.name: len(t.rows) for t in tables}
    floor = measure_floor(backend, base, keyring, tables, batches)
    del tables

    events = sum(p.events for p in phases)
    seconds = sum(p.seconds for p in phases)
    rate = events / seconds if seconds else 0.0
    parse = sum(p.parse_seconds for p in phases)
    cpu = sum(p.cpu_seconds for p in phases)
    lines_rate = workload.order_lines / seconds if seconds else 0.0
    rows = sum(table_rows.values())
    floor_rate = events / floor.seconds if floor.seconds else 0.0
    share = rate / floor_rate if floor_rate else 0.0
    target = EVENTS_TARGET[backend]

    report.line(
        f"   ingest: {events:,} events ({len(workload.enrolments):,} member.enrolled, "
        f"{len(workload.orders):,} order.*; {workload.placed:,} orders placed with "
        f"{workload.order_lines:,} lines) in {seconds:.2f} s, {batches} batches of "
        f"≤ {batch_size}"
    )
    report.line(f"     events/s          {number(rate):>10}   {target.describe(rate)}")
    for phase in phases:
        report.line(f"       {phase.label:<16}{number(phase.rate):>10} events/s")
    report.line(f"     order lines/s     {number(lines_rate):>10}")
    report.line(f"     µs an event       {number(1e6 / rate if rate else math.nan):>10}")
    report.line(
        f"     time in JSON decode + parse_events {parse / seconds:.0%}, in ingest_events + "
        f"commit {(seconds - parse) / seconds:.0%}; this process's CPU {cpu / seconds:.0%} "
        "of wall time"
    )
    report.line(
        f"   floor: the run's {rows:,} rows ({rows / events:.2f} an event) in "
        f"{len(table_rows)} tables, re-inserted into an empty migrated copy as tuples with "
        f"executemany, {batches} transactions"
    )
    floor_cpu = floor.cpu_seconds / floor.seconds if floor.seconds else 0.0
    report.line(
        f"     floor events/s    {number(floor_rate):>10}   ({floor.seconds:.2f} s, "
        f"{number(1e6 * floor.seconds / events)} µs an event, {floor.statements:,} "
        f"statements; process CPU {floor_cpu:.0%})"
    )
    report.line(f"   ingest ÷ floor      {share:>10.1%}   {FLOOR_SHARE_TARGET.describe(share)}")
    cpu_share = floor.cpu_seconds / cpu if cpu else 0.0
    report.line(
        f"     by this process's CPU time: ingest {number(1e6 * cpu / events)}, floor "
        f"{number(1e6 * floor.cpu_seconds / events)} µs an event = {cpu_share:.1%} (less "
        "exposed to a busy machine; on PostgreSQL the server's work is left out)"
    )
    report.line(
        f"   database: {counts['members']:,} members, {counts['orders']:,} orders, "
        f"{counts['activities']:,} activities"
    )
    state = "consistent" if verification.ok else "INCONSISTENT"
    report.line(
        f"   ledger verify (not timed, {verify_seconds:.1f} s): {state} — "
        f"{verification.members:,} balances, {verification.lots:,} lots, "
        f"{verification.postings:,} postings"
    )
    for problem in verification.problems[:5]:
        report.line(f"     problem: {problem}")
    mem = memory(peak_was_reset)
    whose = "the process's (ru_maxrss)" if mem["run_peak_is_process_peak"] else "VmHWM"
    report.line(
        f"   memory: the run's peak RSS {mem['run_peak_rss_mib']:,.0f} MiB ({whose}; the "
        f"workload's {len(workload.all):,} serialised events and the rows read for the floor "
        f"included), now {mem['rss_mib'] or math.nan:,.0f} MiB; the process's peak "
        f"{mem['process_peak_rss_mib']:,.0f} MiB"
    )
    return {
        "variant": {
            "lines": variant.lines,
            "engage": variant.engage,
            "journeys": variant.journeys,
            "live": variant.live,
            "label": variant.label,
        },
        "events": events,
        "placed_orders": workload.placed,
        "order_lines": workload.order_lines,
        "members": counts["members"],
        "orders": counts["orders"],
        "activities": counts["activities"],
        "batch_size": batch_size,
        "batches": batches,
        "seconds": round(seconds, 4),
        "events_per_second": round(rate, 1),
        "order_lines_per_second": round(lines_rate, 1),
        "us_per_event": round(1e6 / rate, 2) if rate else None,
        "order_phase_seconds": round(phases[-1].seconds, 4),
        "order_phase_cpu_seconds": round(phases[-1].cpu_seconds, 4),
        "events_target": target.as_json(rate),
        "due_work": due_work,
        "phases": [p.as_json() for p in phases],
        "parse_share": round(parse / seconds, 4) if seconds else None,
        "floor": {
            "rows": rows,
            "rows_per_event": round(rows / events, 3),
            "tables_with_rows": len(table_rows),
            "rows_by_table": table_rows,
            "transactions": batches,
            "statements": floor.statements,
            "seconds": round(floor.seconds, 4),
            "process_cpu_seconds": round(floor.cpu_seconds, 4),
            "events_per_second": round(floor_rate, 1),
            "us_per_event": round(1e6 * floor.seconds / events, 2),
        },
        "ratio_to_floor": round(share, 4),
        "process_cpu_seconds": round(cpu, 4),
        "ratio_to_floor_by_process_cpu": round(cpu_share, 4),
        "ratio_target": FLOOR_SHARE_TARGET.as_json(share),
        "memory": mem,
        "ledger": {
            "consistent": verification.ok,
            "balances": verification.members,
            "lots": verification.lots,
            "postings": verification.postings,
            "problems": verification.problems[:20],
        },
    }


# -- comparisons between runs ------------------------------------------------------------------


def line_costs(runs: Sequence[dict[str, Any]], report: Report) -> dict[str, Any] | None:
    """The marginal cost of an order line, from the runs with the fewest and the most lines
    an order (same engagement): the order phase's extra time per extra line, against the
    cost of a whole order (all its events) in the run with the fewest lines; by wall time
    and by this process's CPU time."""
    sized = sorted((r for r in runs if r["variant"]["lines"]), key=lambda r: r["order_lines"])
    if len(sized) < 2 or sized[0]["placed_orders"] == 0:
        return None
    small, large = sized[0], sized[-1]
    extra_lines = large["order_lines"] - small["order_lines"]
    if extra_lines <= 0:
        return None
    small_lines = small["variant"]["lines"]
    report.line(
        f"   cost of an order line ({small['variant']['label']} vs "
        f"{large['variant']['label']}, order phase):"
    )
    out: dict[str, Any] = {
        "from_lines": small_lines,
        "to_lines": large["variant"]["lines"],
        "real_basket_lines": REAL_BASKET,
    }
    for clock, label, key, note in (
        (
            "wall",
            "wall time",
            "order_phase_seconds",
            "target: a small fraction; the issue gives no figure",
        ),
        (
            "process_cpu",
            "this process's CPU time",
            "order_phase_cpu_seconds",
            "less exposed to a busy machine",
        ),
    ):
        per_line = 1e6 * (large[key] - small[key]) / extra_lines
        per_order = 1e6 * small[key] / small["placed_orders"]
        share = per_line / per_order if per_order else math.nan
        real = (per_order + (REAL_BASKET - small_lines) * per_line) / per_order
        report.line(
            f"     by {label}: {number(per_order)} µs an order "
            f"({small_lines}-line, all its events), {number(per_line)} µs an extra line = "
            f"{share:.1%} of an order ({note}); a {REAL_BASKET}-line order costs {real:.1f}× "
            f"a {small_lines}-line one (the issue: ~4× today)"
        )
        out[clock] = {
            "us_per_order": round(per_order, 2),
            "us_per_extra_line": round(per_line, 2),
            "line_share_of_order": round(share, 4),
            "real_basket_cost_ratio": round(real, 3),
        }
    return out


def slowdowns(
    runs: Sequence[dict[str, Any]], flag: str, target: Target, report: Report
) -> list[dict[str, Any]]:
    """For each basket size run both ways (``flag`` False and True in the run's variant):
    the share of events/s lost with it."""

    def pair(run: dict[str, Any]) -> tuple[Any, ...]:
        return run["variant"]["lines"], run["variant"].get("live")

    plain = {pair(r): r for r in runs if r["variant"][flag] is False}
    out: list[dict[str, Any]] = []
    for run in runs:
        base = plain.get(pair(run))
        if run["variant"][flag] is not True or base is None or not base["events_per_second"]:
            continue
        slowdown = 1 - run["events_per_second"] / base["events_per_second"]
        by_cpu = 1 - base["process_cpu_seconds"] / run["process_cpu_seconds"]
        report.line(
            f"   {run['variant']['label']}: {number(run['events_per_second'])} vs "
            f"{number(base['events_per_second'])} events/s, {slowdown:.0%} slower   "
            f"{target.describe(slowdown)}"
        )
        report.line(
            f"     by this process's CPU time per event: {by_cpu:.0%} slower (less exposed to "
            "a busy machine; on PostgreSQL the server's work is left out)"
        )
        out.append(
            {
                "lines": run["variant"]["lines"],
                "live": run["variant"].get("live"),
                "events_per_second_without": base["events_per_second"],
                "events_per_second_with": run["events_per_second"],
                "slowdown": round(slowdown, 4),
                "slowdown_by_process_cpu": round(by_cpu, 4),
                "target": target.as_json(slowdown),
            }
        )
    return out


def summary(runs: Sequence[dict[str, Any]], report: Report) -> None:
    report.line(
        "   run                            events/s  order lines/s  µs/event  floor ev/s  "
        "÷ floor  rows/event  peak RSS"
    )
    for run in runs:
        floor = run["floor"]
        report.line(
            f"   {run['variant']['label']:<30}{number(run['events_per_second']):>9}"
            f"{number(run['order_lines_per_second']):>15}{number(run['us_per_event']):>10}"
            f"{number(floor['events_per_second']):>12}{run['ratio_to_floor']:>9.1%}"
            f"{floor['rows_per_event']:>12.2f}{run['memory']['run_peak_rss_mib']:>7,.0f} MiB"
        )


# -- memory over a long run --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RssSample:
    events: int
    seconds: float  # wall time since the run started, generation included
    rss_mib: float
    peak_rss_mib: float

    def as_json(self) -> dict[str, Any]:
        return {
            "events": self.events,
            "seconds": round(self.seconds, 2),
            "rss_mib": round(self.rss_mib, 1),
            "peak_rss_mib": round(self.peak_rss_mib, 1),
        }


def rss_growth(samples: Sequence[RssSample]) -> tuple[RssSample, float]:
    """The sample that closes the first quarter of the events, and the growth of the peak
    RSS from there to the last sample (a share of that quarter's peak)."""
    last = samples[-1]
    quarter = next(s for s in samples if s.events >= last.events / 4)
    return quarter, (last.peak_rss_mib - quarter.peak_rss_mib) / quarter.peak_rss_mib


def rss_run(
    backend: str,
    url: str,
    args: argparse.Namespace,
    keyring: Keyring,
    report: Report,
    program: WholeProgram | None,
) -> dict[str, Any]:
    """Events generated and ingested a chunk at a time (the bench never holds more than a
    chunk), the process's RSS sampled after each chunk, until ``--rss-events`` events or
    ``--max-seconds``."""
    wanted: int = args.rss_events
    members = min(1_000_000, math.ceil(wanted / EVENTS_PER_MEMBER))
    lines = args.lines[0] if args.lines else None
    chunk = args.batch_size * max(1, math.ceil(wanted / 100 / args.batch_size))
    stream = kept_events(shop(members, args.seed), lines)
    report.line(
        f"   {wanted:,} events wanted from a {members:,}-member shop "
        f"({Variant(lines, engage=False).label}), in chunks of {chunk:,} events "
        f"(generated, then ingested in batches of {args.batch_size}); at most "
        f"{args.max_seconds:,.0f} s"
    )
    app = open_app(url, keyring, program)
    samples: list[RssSample] = []
    events = order_lines = 0
    ingest_seconds = 0.0
    start = time.perf_counter()
    stop = "events reached"
    try:
        while events < wanted:
            if time.perf_counter() - start >= args.max_seconds:
                stop = "--max-seconds reached"
                break
            raw: list[bytes] = []
            for event in itertools.islice(stream, min(chunk, wanted - events)):
                order_lines += placed_lines(event)
                raw.append(orjson.dumps(event))
            if not raw:
                stop = "the shop's stream ended"
                break
            phase = ingest_phase(app, "chunk", raw, args.batch_size)
            del raw
            events += phase.events
            ingest_seconds += phase.seconds
            samples.append(
                RssSample(
                    events,
                    time.perf_counter() - start,
                    status_mib("VmRSS") or math.nan,
                    peak_rss_mib(),
                )
            )
    finally:
        app.close()
    if not samples:
        report.line("   no events ingested")
        return {"events": 0, "stopped": stop}
    rate = events / ingest_seconds if ingest_seconds else 0.0
    quarter, growth = rss_growth(samples)
    last = samples[-1]
    report.line(
        f"   ingested {events:,} events ({stop}) in {ingest_seconds:.1f} s of ingest "
        f"({time.perf_counter() - start:.1f} s with generation): {number(rate)} events/s, "
        f"{number(order_lines / ingest_seconds if ingest_seconds else 0.0)} order lines/s"
    )
    report.line("     events       RSS MiB   peak RSS MiB   wall s")
    step = max(1, len(samples) // 12)
    shown = samples[::step]
    if shown[-1] is not last:
        shown.append(last)
    for s in shown:
        report.line(
            f"     {s.events:>10,}  {s.rss_mib:>8,.0f}  {s.peak_rss_mib:>13,.0f}   "
            f"{s.seconds:>6.0f}"
        )
    report.line(
        f"   peak RSS {quarter.peak_rss_mib:,.0f} MiB after {quarter.events:,} events (first "
        f"quarter), {last.peak_rss_mib:,.0f} MiB after {last.events:,}: "
        f"{growth:+.1%}   {RSS_GROWTH_TARGET.describe(growth)}"
    )
    if args.plot is not None:
        plot_rss(samples, args.plot, f"bench/ingest.py --rss-events, {backend}")
        report.line(f"   plot: {args.plot}")
    return {
        "events": events,
        "members": members,
        "lines": lines,
        "stopped": stop,
        "chunk_events": chunk,
        "ingest_seconds": round(ingest_seconds, 2),
        "events_per_second": round(rate, 1),
        "order_lines": order_lines,
        "first_quarter": quarter.as_json(),
        "peak_rss_growth": round(growth, 4),
        "growth_target": RSS_GROWTH_TARGET.as_json(growth),
        "samples": [s.as_json() for s in samples],
    }


def plot_rss(samples: Sequence[RssSample], path: Path, title: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    events = [s.events for s in samples]
    fig, ax = plt.subplots(figsize=(8, 4.5))
    ax.plot(events, [s.rss_mib for s in samples], label="RSS")
    ax.plot(events, [s.peak_rss_mib for s in samples], label="peak RSS (ru_maxrss)")
    ax.set_xlabel("events ingested")
    ax.set_ylabel("MiB")
    ax.set_ylim(bottom=0)
    ax.set_title(title)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


# -- command line ------------------------------------------------------------------------------


def basket_sizes(value: str) -> list[int]:
    try:
        sizes = sorted({int(part) for part in value.split(",") if part.strip()})
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a list of integers") from None
    if not sizes or not all(1 <= n <= MAX_LINES for n in sizes):
        raise argparse.ArgumentTypeError(f"each size must be within 1..{MAX_LINES}")
    return sizes


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Events/s through the whole ingest path against the data model's floor "
        "(the run's own rows re-inserted with executemany), per backend."
    )
    parser.add_argument(
        "--members",
        type=int,
        default=None,
        help="demo shop size (default 5000; not with --rss-events, which sizes the shop)",
    )
    parser.add_argument(
        "--batch-size", type=int, default=500, help="events per batch and transaction (500)"
    )
    parser.add_argument(
        "--backend", choices=("sqlite", "postgresql", "all"), default="all", help="(all)"
    )
    parser.add_argument("--seed", type=int, default=42, help="demo shop seed (42)")
    parser.add_argument(
        "--program",
        type=Path,
        default=None,
        help="apply this program file first (e.g. examples/program.yaml); default: base rate",
    )
    parser.add_argument(
        "--lines",
        type=basket_sizes,
        default=None,
        help="basket sizes, e.g. 1,8,30: one run per size with every order resized to that "
        "many lines (default: the demo's baskets)",
    )
    engage = parser.add_mutually_exclusive_group()
    engage.add_argument(
        "--engage",
        action="store_true",
        # argparse %-formats help texts: the percent sign is doubled
        help="switch on a referral program, badges, quests, a streak and levels, and send "
        f"{engagement.REFERRED_SHARE * 100:.0f}%% of the later half of sign-ups with a "
        "referral code",
    )
    engage.add_argument(
        "--compare-engage",
        action="store_true",
        help="run each workload without and with --engage and print the slowdown",
    )
    engage.add_argument(
        "--compare-journeys",
        action="store_true",
        help="run each workload with every journey off and on, on the history as it is "
        "(journeys skip facts older than the freshness window) and as live traffic (every "
        "fact fresh), and print the slowdowns",
    )
    parser.add_argument(
        "--rss-events",
        type=int,
        default=None,
        metavar="N",
        help="instead: one long run of N events generated and ingested a chunk at a time, "
        "the process's RSS sampled after each chunk",
    )
    parser.add_argument(
        "--max-seconds",
        type=float,
        default=600.0,
        help="bound of the --rss-events run (600)",
    )
    parser.add_argument(
        "--plot", type=Path, default=None, help="with --rss-events: draw RSS vs events (PNG)"
    )
    parser.add_argument(
        "--json", action="store_true", help="also print a JSON document on stdout (text to stderr)"
    )
    args = parser.parse_args(argv)
    if args.rss_events is None:
        if args.plot is not None:
            parser.error("--plot draws the --rss-events run; give --rss-events N")
        args.members = 5000 if args.members is None else args.members
        if not 1 <= args.members <= 1_000_000:
            parser.error("--members must be within 1..1,000,000")
    else:
        if args.members is not None:
            parser.error("--rss-events sizes the shop itself; leave out --members")
        if args.engage or args.compare_engage:
            parser.error("--rss-events measures the plain ingest; leave out --engage")
        if args.lines is not None and len(args.lines) > 1:
            parser.error("--rss-events takes one basket size in --lines")
        if not 1_000 <= args.rss_events <= 10_000_000:
            parser.error("--rss-events must be within 1,000..10,000,000")
        if not 1 <= args.max_seconds <= 86_400:
            parser.error("--max-seconds must be within 1..86,400")
    if not 1 <= args.batch_size <= 1000:
        parser.error("--batch-size must be within 1..1000 (the API's batch limit)")
    return args


def variants(args: argparse.Namespace) -> list[tuple[int | None, list[Variant]]]:
    """The basket sizes to run (None: the demo's), each with its variants."""
    sizes: list[int | None] = list(args.lines) if args.lines else [None]
    out: list[tuple[int | None, list[Variant]]] = []
    for lines in sizes:
        if args.compare_engage:
            modes = [Variant(lines, False), Variant(lines, True)]
        elif args.compare_journeys:
            modes = [
                Variant(lines, False, journeys=on, live=live)
                for live in (False, True)
                for on in (False, True)
            ]
        else:
            modes = [Variant(lines, bool(args.engage))]
        out.append((lines, modes))
    return out


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    report = Report("ingest", args.json)
    report.header(
        {
            "members": args.members,
            "batch_size": args.batch_size,
            "backend": args.backend,
            "seed": args.seed,
            "program": str(args.program) if args.program else None,
            "lines": args.lines,
            "engage": args.engage,
            "compare_engage": args.compare_engage,
            "compare_journeys": args.compare_journeys,
            "rss_events": args.rss_events,
            "max_seconds": args.max_seconds if args.rss_events else None,
        }
    )
    program = (
        programfile.load(args.program.read_text(), str(args.program)) if args.program else None
    )
    if program is not None:
        report.line(
            f"   program {args.program}: {len(program.rules or [])} rules"
            + (", tiers" if program.tiers else "")
        )
    keyring = Keyring.from_secrets(new_master_key())
    base = os.environ.get("LOYALIST_TEST_POSTGRES_URL", PG_DEFAULT)
    backends = ["sqlite", "postgresql"] if args.backend == "all" else [args.backend]
    results: dict[str, Any] = {}
    for backend in backends:
        report.line()
        if backend == "postgresql":
            shown = make_url(base).render_as_string()
            problem = postgres_problem(base)
            if problem is not None:
                reason = f"PostgreSQL at {shown} unreachable ({problem})"
                report.line(f"-- PostgreSQL: skipped: {reason}")
                results[backend] = {"skipped": reason}
                continue
            title = f"PostgreSQL ({shown}, private schema, pooled psycopg 3)"
        else:
            title = "SQLite (temporary file, WAL, the single-writer group commit)"
        if args.rss_events is not None:
            report.line(f"-- {title}: memory over a long run")
            with database(backend, base) as url:
                results[backend] = {"rss": rss_run(backend, url, args, keyring, report, program)}
            continue
        runs: list[dict[str, Any]] = []
        for lines, modes in variants(args):
            start = time.perf_counter()
            workload = build_workload(args.members, args.seed, lines)
            prepared = time.perf_counter() - start
            for variant in modes:
                report.line(f"-- {title}, {variant.label}")
                report.line(
                    f"   prepared {len(workload.all):,} events for {args.members:,} members "
                    f"(mean {workload.order_lines / max(1, workload.placed):.2f} lines an "
                    f"order) in {prepared:.1f} s (not timed); mean event "
                    f"{workload.mean_size:.0f} bytes"
                )
                with database(backend, base) as url:
                    runs.append(
                        run_backend(
                            backend,
                            url,
                            base,
                            workload,
                            variant,
                            args.batch_size,
                            keyring,
                            report,
                            program,
                            seed=args.seed,
                        )
                    )
            del workload
        result: dict[str, Any] = {"runs": runs}
        if len(runs) > 1:
            report.line()
            report.line(f"-- {title}: summary")
            summary(runs, report)
            for engaged in sorted({r["variant"]["engage"] for r in runs}):
                costs = line_costs([r for r in runs if r["variant"]["engage"] == engaged], report)
                if costs is not None:
                    result.setdefault("line_costs", []).append({"engage": engaged, **costs})
            if args.compare_engage:
                result["engage"] = slowdowns(runs, "engage", ENGAGE_TARGET, report)
            if args.compare_journeys:
                result["journeys"] = slowdowns(runs, "journeys", JOURNEYS_TARGET, report)
        results[backend] = result
    report.data["backends"] = results
    report.finish()
    return 0


if __name__ == "__main__":
    sys.exit(main())
