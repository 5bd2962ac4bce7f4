"""Erasure benchmark: ``privacy.service.erase_members`` over 10,000 members (issue 16:
≤ 30 s), against the ingest of the same members' events measured in the same run.

**Baseline: ingest.** ``--members`` members go through the ingest path (``ingest_events``
in batches of 1,000, the path of ``loyalist import events``; timed): each is enrolled with
email, phone, names and birthday, answers a survey with a comment, pays an order
delivered 40 days ago and one now (its order confirmation queued). Then (not timed) each
registers a push device and the worker's due jobs run once (the first order's points
mature; the second's stay pending).

**Timed: erasure.** Every member, ``--chunk`` per unit of work through ``app.db.write``:
the batch path of the retention job, through the same services as one request (checkouts,
ledger erasure entries, messages, referrals, game statistics, scores, identity, stored
events, one audit row and one destruction record per member), then one WAL checkpoint on
SQLite. The report gives seconds, µs per member, the 30 s target and erasure ÷ ingest:
what forgetting a member costs against what receiving their history did. ``ledger verify``
and the liability dropped against the points closed are checked after (not timed).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as ``python bench/privacy.py``: make ``bench`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy.engine import make_url

from bench.common import PG_DEFAULT, Report, Target, number
from bench.ingest import postgres_database, postgres_problem, sqlite_database
from loyalist.activities.schemas import parse_batch
from loyalist.activities.service import ingest_events
from loyalist.audit.models import SYSTEM
from loyalist.bootstrap import Loyalist, bootstrap, migrate
from loyalist.clock import ManualClock
from loyalist.db.crypto import Keyring, new_master_key
from loyalist.db.uow import UnitOfWork
from loyalist.ledger.balances import liability
from loyalist.ledger.verification import verify_ledger
from loyalist.members import service as members
from loyalist.members.models import PushPlatform
from loyalist.members.schemas import DeviceIn
from loyalist.privacy import service as privacy
from loyalist.privacy.models import DestructionKind, LegalBasis
from loyalist.privacy.schemas import DestructionRecordRead
from loyalist.settings import Settings

#: Seconds to erase 10,000 members (issue 16).
TARGET_SECONDS = 30.0
TARGET_MEMBERS = 10_000
NOW = datetime(2026, 6, 1, 12, 0).astimezone()
_MEMBER_KEYS = ("member_id", "friend_id", "referrer_id")
#: Rows nobody deletes: the append-only audit trail (no row names these members here).
_KEPT = {"audit_log", "members"}


def _iso(at: datetime) -> str:
    return at.isoformat()


def member_events(n: int) -> list[dict[str, Any]]:
    """One member's events: enrolment, a survey answer, a delivered and a fresh order."""
    external = f"B{n:07d}"
    day = timedelta(days=1)

    def order(suffix: str, at: datetime) -> dict[str, Any]:
        return {
            "id": f"{external}-{suffix}",
            "type": "order.paid",
            "member_id": external,
            "occurred_at": _iso(at),
            "data": {
                "order_id": f"{external}-{suffix}",
                "currency": "EUR",
                "lines": [
                    {
                        "sku": "BOOK",
                        "name": "Book",
                        "category": "books",
                        "quantity": 2,
                        "unit_price": 1500,
                    },
                    {
                        "sku": "LAMP",
                        "name": "Lamp",
                        "category": "home",
                        "quantity": 1,
                        "unit_price": 4000,
                    },
                ],
                "total": 7000,
            },
        }

    return [
        {
            "id": f"{external}-e",
            "type": "member.enrolled",
            "member_id": external,
            "occurred_at": _iso(NOW - 60 * day),
            "data": {
                "email": f"member{n}@example.org",
                "phone": f"+7 912 {n % 1000:03d}-{n % 100:02d}-{n % 97:02d}",
                "first_name": "Benchmark",
                "last_name": f"Member{n}",
                "birthday": "1990-04-12",
                "consents": {"email": True},
            },
        },
        {
            "id": f"{external}-s",
            "type": "survey.answered",
            "member_id": external,
            "occurred_at": _iso(NOW - 50 * day),
            "data": {"survey_id": "nps", "score": n % 11, "comment": f"call me on +7912{n:07d}"},
        },
        order("o1", NOW - 45 * day),
        {
            "id": f"{external}-d1",
            "type": "order.delivered",
            "member_id": external,
            "occurred_at": _iso(NOW - 40 * day),
            "data": {"order_id": f"{external}-o1"},
        },
        order("o2", NOW - timedelta(hours=1)),
    ]


def populate(app: Loyalist, count: int) -> tuple[float, list[int]]:
    """Ingest ``count`` members' events (batches of 1,000) and register their devices;
    returns the ingest's seconds and the members' ids in order."""
    events = [e for n in range(count) for e in member_events(n)]
    start = time.perf_counter()
    for i in range(0, len(events), 1000):
        parsed, _ = parse_batch(events[i : i + 1000])
        app.db.write(partial(ingest_events, events=parsed))
    seconds = time.perf_counter() - start
    externals = [f"B{n:07d}" for n in range(count)]
    ids = app.db.read(lambda uow: members.member_ids(uow, externals))
    ordered = [ids[e] for e in externals]
    for i in range(0, count, 1000):
        app.db.write(partial(_register_devices, member_ids=ordered[i : i + 1000]))
    while app.run_due_work().did_work:  # matures the delivered orders' points
        pass
    return seconds, ordered


def _register_devices(uow: UnitOfWork, member_ids: list[int]) -> None:
    for m in member_ids:
        members.register_device(
            uow, m, DeviceIn(token=f"tok-{m}-abcdefghij", platform=PushPlatform.FCM)
        )


def _erase_part(uow: UnitOfWork, part: list[int]) -> list[DestructionRecordRead]:
    return privacy.erase_members(
        uow,
        part,
        kind=DestructionKind.RETENTION,
        legal_basis=LegalBasis.RETENTION_EXPIRED,
        actor=SYSTEM,
    )


def erase(app: Loyalist, ids: Sequence[int], chunk: int) -> tuple[float, int]:
    """Timed: the erasure in chunks; returns its seconds and the points it closed."""
    closed = 0
    start = time.perf_counter()
    for i in range(0, len(ids), chunk):
        records = app.db.write(partial(_erase_part, part=list(ids[i : i + chunk])))
        closed += sum(r.points_closed for r in records)
    app.db.checkpoint()
    return time.perf_counter() - start, closed


def run_backend(url: str, args: argparse.Namespace, report: Report) -> dict[str, Any]:
    clock = ManualClock(NOW)
    app = bootstrap(
        Settings(database_url=url), clock=clock, keyring=Keyring.from_secrets(new_master_key())
    )
    try:
        migrate(app)
        ingest_seconds, ids = populate(app, args.members)
        before = app.db.read(liability)["outstanding_points"]
        erase_seconds, closed = erase(app, ids, args.chunk)
        after = app.db.read(liability)["outstanding_points"]
        report_ok = app.db.read(verify_ledger).ok
    finally:
        app.close()
    per_member = erase_seconds / args.members * 1e6
    projected = erase_seconds * TARGET_MEMBERS / args.members
    target = Target(TARGET_SECONDS, f"s for {TARGET_MEMBERS:,} members", higher_is_better=False)
    ratio = erase_seconds / ingest_seconds
    report.line(f"   ingest of {args.members:,} members' events (baseline)")
    report.line(f"     seconds              {ingest_seconds:>10.2f}")
    report.line(f"     events/s             {number(args.members * 5 / ingest_seconds):>10}")
    report.line(f"   erasure of {args.members:,} members, {args.chunk} per unit of work")
    report.line(f"     seconds              {erase_seconds:>10.2f}")
    report.line(f"     µs per member        {per_member:>10.0f}")
    report.line(
        f"     for {TARGET_MEMBERS:,} members    {projected:>10.2f}   {target.describe(projected)}"
    )
    report.line(
        f"     liability {before:,} → {after:,} (−{before - after:,}; points closed {closed:,}), "
        f"ledger verify {'clean' if report_ok else 'NOT clean'}"
    )
    report.line(f"   erasure ÷ ingest       {ratio:>10.2f}×  (seconds)")
    return {
        "members": args.members,
        "chunk": args.chunk,
        "ingest_seconds": round(ingest_seconds, 3),
        "erase_seconds": round(erase_seconds, 3),
        "erase_us_per_member": round(per_member, 1),
        "projected_seconds_for_target": round(projected, 3),
        "target": target.as_json(projected),
        "liability_dropped": before - after,
        "points_closed": closed,
        "ledger_verified": report_ok,
        "ratio_to_ingest": round(ratio, 3),
    }


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Erasure of many members vs. their ingest.")
    parser.add_argument(
        "--backend", choices=("sqlite", "postgresql", "all"), default="all", help="(all)"
    )
    parser.add_argument("--members", type=int, default=TARGET_MEMBERS, help="to erase (10000)")
    parser.add_argument("--chunk", type=int, default=500, help="members per unit of work (500)")
    parser.add_argument(
        "--json", action="store_true", help="also print a JSON document on stdout (text to stderr)"
    )
    args = parser.parse_args(argv)
    if not 100 <= args.members <= 100_000:
        parser.error("--members must be within 100..100,000")
    if not 1 <= args.chunk <= 5_000:
        parser.error("--chunk must be within 1..5,000")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    report = Report("privacy (erasure)", args.json)
    report.header({key: value for key, value in vars(args).items() if key != "json"})
    results: dict[str, Any] = {}
    for backend in ["sqlite", "postgresql"] if args.backend == "all" else [args.backend]:
        report.line()
        if backend == "sqlite":
            report.line("-- SQLite (temporary file, WAL, the single writer)")
            with sqlite_database() as url:
                results[backend] = run_backend(url, args, report)
            continue
        base = os.environ.get("LOYALIST_TEST_POSTGRES_URL", PG_DEFAULT)
        problem = postgres_problem(base)
        if problem is not None:
            reason = f"PostgreSQL at {make_url(base).render_as_string()} unreachable ({problem})"
            report.line(f"-- PostgreSQL: skipped: {reason}")
            results[backend] = {"skipped": reason}
            continue
        report.line(f"-- PostgreSQL ({make_url(base).render_as_string()}, private schema)")
        with postgres_database(base) as url:
            results[backend] = run_backend(url, args, report)
    report.data["backends"] = results
    report.finish()
    return 0


if __name__ == "__main__":
    sys.exit(main())
