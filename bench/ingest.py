"""Ingest throughput of demo-shop events through parse_events + ingest_events vs. raw inserts."""

from __future__ import annotations

import argparse
import os
import secrets
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as ``python bench/ingest.py``: make ``bench`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import orjson
from sqlalchemy import (
    Column,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    func,
    insert,
    select,
    text,
)
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from bench import engage as engagement
from bench.common import Report, Target, number
from loyalist.activities.models import Activity, Order
from loyalist.activities.schemas import parse_events
from loyalist.activities.service import ingest_events
from loyalist.bootstrap import Loyalist, bootstrap, migrate
from loyalist.db.crypto import Keyring, new_master_key
from loyalist.db.uow import UnitOfWork
from loyalist.demo import ShopSpec, generate_events
from loyalist.ledger.verification import verify_ledger
from loyalist.members.models import Member
from loyalist.rules import programs
from loyalist.rules.programfile import load_program
from loyalist.rules.schemas import ProgramFile
from loyalist.settings import Settings

PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
EVENTS_TARGET = {
    "sqlite": Target(10_000, "events/s"),
    "postgresql": Target(8_000, "events/s"),
}
RAW_SHARE_TARGET = Target(0.40, "of the raw limit", percent=True)
KEPT_TYPES = ("member.enrolled", "order.")


@dataclass(frozen=True, slots=True)
class Workload:
    """Pre-generated, pre-serialised events: every enrolment first, then the order events."""

    enrolments: list[bytes]
    orders: list[bytes]
    ids: list[str]  # event ids in the same order, for the raw table's text column

    @property
    def all(self) -> list[bytes]:
        return self.enrolments + self.orders

    @property
    def mean_size(self) -> float:
        lines = self.all
        return sum(len(line) for line in lines) / max(1, len(lines))


@dataclass(frozen=True, slots=True)
class PhaseResult:
    label: str
    events: int
    accepted: int
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
            "seconds": round(self.seconds, 4),
            "events_per_second": round(self.rate, 1),
            "parse_seconds": round(self.parse_seconds, 4),
            "process_cpu_seconds": round(self.cpu_seconds, 4),
        }


def build_workload(members: int, seed: int) -> Workload:
    """The demo shop's member and order events (no reviews or surveys), serialised to JSON."""
    spec = ShopSpec(seed=seed, members=members, end=datetime.now(UTC).date())
    enrolments: list[dict[str, Any]] = []
    orders: list[dict[str, Any]] = []
    for event in generate_events(spec):
        kind = event["type"]
        if kind == "member.enrolled":
            enrolments.append(event)
        elif kind.startswith("order."):
            orders.append(event)
    return Workload(
        enrolments=[orjson.dumps(e) for e in enrolments],
        orders=[orjson.dumps(e) for e in orders],
        ids=[e["id"] for e in enrolments + orders],
    )


def ingest_phase(app: Loyalist, label: str, lines: Sequence[bytes], batch_size: int) -> PhaseResult:
    """Timed: JSON decode per event, ``parse_events`` and ``ingest_events`` per batch in
    ``app.db.write`` (one unit of work, one transaction per batch), as ``loyalist import``."""
    accepted = 0
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
    seconds = time.perf_counter() - start
    return PhaseResult(
        label=label,
        events=len(lines),
        accepted=accepted,
        seconds=seconds,
        parse_seconds=parse_seconds,
        cpu_seconds=time.process_time() - cpu0,
    )


def raw_limit(app: Loyalist, workload: Workload, batch_size: int) -> PhaseResult:
    """Timed: the same number of rows into one plain table with the same engine (driver,
    pragmas), Core ``insert`` executemany, one transaction per batch."""
    table = Table(
        "bench_raw",
        MetaData(),
        Column("id", Integer, primary_key=True, autoincrement=False),
        Column("ref", String(128), nullable=False),
        Column("payload", Text, nullable=False),
    )
    engine = app.db.write_engine
    table.create(engine)
    rows = [
        {"id": n, "ref": ref, "payload": line.decode()}
        for n, (ref, line) in enumerate(zip(workload.ids, workload.all, strict=True), start=1)
    ]
    try:
        cpu0 = time.process_time()
        start = time.perf_counter()
        for offset in range(0, len(rows), batch_size):
            with Session(engine) as session, session.begin():
                session.execute(insert(table), rows[offset : offset + batch_size])
        seconds = time.perf_counter() - start
        cpu = time.process_time() - cpu0
    finally:
        table.drop(engine)
    return PhaseResult("raw", len(rows), len(rows), seconds, 0.0, cpu)


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


def run_backend(
    backend: str,
    url: str,
    workload: Workload,
    batch_size: int,
    keyring: Keyring,
    report: Report,
    program: ProgramFile | None = None,
    engage: bool = False,
    seed: int = 42,
) -> dict[str, Any]:
    app = bootstrap(Settings(database_url=url), keyring=keyring)
    due_work: dict[str, Any] = {}
    try:
        migrate(app)
        if program is not None:
            app.db.write(lambda uow: programs.apply_program(uow, program, actor="bench"))
        if engage:
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
        if engage:
            due_work = run_due_work(app)
            report.line(
                f"   due work after ingest (not in events/s): {due_work['passes']} passes in "
                f"{due_work['seconds']:.2f} s, referrals converted "
                f"{due_work['referrals_converted']:,}"
            )
        counts = app.db.read(database_counts)
        raw = raw_limit(app, workload, batch_size)
        verify_start = time.perf_counter()
        verification = app.db.read(verify_ledger)
        verify_seconds = time.perf_counter() - verify_start
    finally:
        app.close()

    events = sum(p.events for p in phases)
    seconds = sum(p.seconds for p in phases)
    rate = events / seconds if seconds else 0.0
    parse = sum(p.parse_seconds for p in phases)
    cpu = sum(p.cpu_seconds for p in phases)
    share = rate / raw.rate if raw.rate else 0.0
    target = EVENTS_TARGET[backend]

    report.line(
        f"   ingest: {events:,} events ({len(workload.enrolments):,} member.enrolled, "
        f"{len(workload.orders):,} order.*) in {seconds:.2f} s, batches of {batch_size}"
    )
    report.line(f"     events/s          {number(rate):>10}   {target.describe(rate)}")
    for phase in phases:
        report.line(f"       {phase.label:<16}{number(phase.rate):>10} events/s")
    report.line(
        f"     time in JSON decode + parse_events {parse / seconds:.0%}, in ingest_events + "
        f"commit {(seconds - parse) / seconds:.0%}; this process's CPU {cpu / seconds:.0%} "
        "of wall time"
    )
    report.line(
        f"   raw limit: {raw.events:,} rows (~{workload.mean_size:.0f}-byte payload) into one "
        "plain table, same engine and batches, Core insert executemany"
    )
    raw_cpu = raw.cpu_seconds / raw.seconds if raw.seconds else 0.0
    report.line(f"     rows/s            {number(raw.rate):>10}   (process CPU {raw_cpu:.0%})")
    report.line(f"   events/s ÷ raw rows/s {share:>8.1%}   {RAW_SHARE_TARGET.describe(share)}")
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
    return {
        "events": events,
        "members": counts["members"],
        "orders": counts["orders"],
        "activities": counts["activities"],
        "batch_size": batch_size,
        "seconds": round(seconds, 4),
        "events_per_second": round(rate, 1),
        "engaged": engage,
        "due_work": due_work,
        "events_target": target.as_json(rate),
        "phases": [p.as_json() for p in phases],
        "parse_share": round(parse / seconds, 4) if seconds else None,
        "raw": {**raw.as_json(), "rows_per_second": round(raw.rate, 1)},
        "raw_payload_bytes": round(workload.mean_size, 1),
        "ratio_to_raw": round(share, 4),
        "ratio_target": RAW_SHARE_TARGET.as_json(share),
        "ledger": {
            "consistent": verification.ok,
            "balances": verification.members,
            "lots": verification.lots,
            "postings": verification.postings,
            "problems": verification.problems[:20],
        },
    }


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Events/s through the whole ingest path vs. a raw-insert baseline, per backend."
    )
    parser.add_argument("--members", type=int, default=5000, help="demo shop size (default 5000)")
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
        "--engage",
        action="store_true",
        help="switch on a referral program, badges, quests, a streak and levels, and send "
        f"{engagement.REFERRED_SHARE:.0%} of the later half of sign-ups with a referral code",
    )
    parser.add_argument(
        "--json", action="store_true", help="also print a JSON document on stdout (text to stderr)"
    )
    args = parser.parse_args(argv)
    if not 1 <= args.members <= 1_000_000:
        parser.error("--members must be within 1..1,000,000")
    if not 1 <= args.batch_size <= 1000:
        parser.error("--batch-size must be within 1..1000 (the API's batch limit)")
    return args


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
            "engage": args.engage,
        }
    )
    program = load_program(args.program.read_text(), str(args.program)) if args.program else None
    if program is not None:
        report.line(
            f"   program {args.program}: {len(program.rules)} rules"
            + (", tiers" if program.tiers else "")
        )
    start = time.perf_counter()
    workload = build_workload(args.members, args.seed)
    report.line(
        f"   prepared {len(workload.all):,} events for {args.members:,} members in "
        f"{time.perf_counter() - start:.1f} s (not timed); mean event "
        f"{workload.mean_size:.0f} bytes"
    )
    keyring = Keyring.from_secrets(new_master_key())
    backends = ["sqlite", "postgresql"] if args.backend == "all" else [args.backend]
    results: dict[str, Any] = {}
    for backend in backends:
        report.line()
        if backend == "sqlite":
            report.line("-- SQLite (temporary file, WAL, the single-writer group commit)")
            with sqlite_database() as url:
                results[backend] = run_backend(
                    backend,
                    url,
                    workload,
                    args.batch_size,
                    keyring,
                    report,
                    program,
                    engage=args.engage,
                    seed=args.seed,
                )
            continue
        base = os.environ.get("LOYALIST_TEST_POSTGRES_URL", PG_DEFAULT)
        shown = make_url(base).render_as_string()
        problem = postgres_problem(base)
        if problem is not None:
            reason = f"PostgreSQL at {shown} unreachable ({problem})"
            report.line(f"-- PostgreSQL: skipped: {reason}")
            results[backend] = {"skipped": reason}
            continue
        report.line(f"-- PostgreSQL ({shown}, private schema, pooled psycopg 3)")
        with postgres_database(base) as url:
            results[backend] = run_backend(
                backend,
                url,
                workload,
                args.batch_size,
                keyring,
                report,
                program,
                engage=args.engage,
                seed=args.seed,
            )
    report.data["backends"] = results
    report.finish()
    return 0


if __name__ == "__main__":
    sys.exit(main())
