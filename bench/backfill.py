"""Gamification's statistics backfill over a demo shop's history vs. ingesting that history."""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

if __package__ in (None, ""):  # run as ``python bench/backfill.py``: make ``bench`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select

from bench.common import PG_DEFAULT, Report, number
from bench.ingest import (
    build_workload,
    ingest_phase,
    postgres_database,
    postgres_problem,
    sqlite_database,
)
from loyalist.activities.models import Order
from loyalist.bootstrap import bootstrap, migrate
from loyalist.db.crypto import Keyring, new_master_key
from loyalist.gamification import backfill
from loyalist.gamification import service as gamification
from loyalist.gamification.models import DefinitionKind, MemberGameStats
from loyalist.gamification.schemas import BadgeSpec
from loyalist.settings import Settings

BADGE = BadgeSpec.model_validate(
    {"name": {"en": "Regular", "ru": "Постоянный покупатель"}, "criteria": "member.orders >= 10"}
)
#: Bounds every loop: a pass walks at least one member, so this many passes end any shop.
MAX_PASSES = 100_000


def run_backend(url: str, members: int, batch_size: int, limit: int, report: Report) -> None:
    workload = build_workload(members, seed=42, lines=None)
    app = bootstrap(Settings(database_url=url), keyring=Keyring.from_secrets(new_master_key()))
    try:
        migrate(app)
        phases = [
            ingest_phase(app, "member.enrolled", workload.enrolments, batch_size),
            ingest_phase(app, "order.*", workload.orders, batch_size),
        ]
        ingest_seconds = sum(p.seconds for p in phases)
        events = sum(p.events for p in phases)
        app.db.write(
            lambda uow: gamification.put_definition(uow, DefinitionKind.BADGE, "regular", BADGE)
        )
        passes = walked = 0
        start = time.perf_counter()
        while passes < MAX_PASSES:
            passes += 1
            done = app.db.write(lambda uow: backfill.run_due(uow, app.program, limit=limit))
            walked += done
            if not done:
                break
        seconds = time.perf_counter() - start
        rows, buyers = app.db.read(
            lambda uow: (
                uow.session.scalar(select(func.count()).select_from(MemberGameStats)) or 0,
                uow.session.scalar(
                    select(func.count(func.distinct(Order.member_id))).where(
                        Order.is_paid_reported.is_(True)
                    )
                )
                or 0,
            )
        )
    finally:
        app.close()
    report.line(
        f"   baseline: ingest of the history, {events:,} events in {ingest_seconds:.2f} s "
        f"({number(events / ingest_seconds)} events/s)"
    )
    report.line(
        f"   backfill: {walked:,} members in {passes} passes of ≤ {limit} in {seconds:.2f} s "
        f"({number(walked / seconds if seconds else 0.0)} members/s, "
        f"{number(1000 * seconds / passes)} ms a pass); statistics rows {rows:,} for "
        f"{buyers:,} members with a paid order"
    )
    report.line(f"   backfill time ÷ ingest time: {seconds / ingest_seconds:.3f}")
    report.data.setdefault("backends", []).append(
        {
            "url": url.split("?")[0],
            "events": events,
            "ingest_seconds": round(ingest_seconds, 3),
            "members": walked,
            "passes": passes,
            "backfill_seconds": round(seconds, 3),
            "ratio": round(seconds / ingest_seconds, 4),
            "stats_rows": rows,
        }
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "all"), default="all")
    parser.add_argument("--members", type=int, default=2000, help="demo shop members (2,000)")
    parser.add_argument("--batch-size", type=int, default=500, help="events per batch (500)")
    parser.add_argument("--limit", type=int, default=500, help="members per pass (500)")
    parser.add_argument("--json", action="store_true", help="a JSON document on stdout")
    args = parser.parse_args(argv)
    if not 1 <= args.members <= 200_000 or not 1 <= args.limit <= 100_000:
        parser.error("--members within 1..200,000 and --limit within 1..100,000")
    report = Report("backfill", args.json)
    report.header(vars(args))
    if args.backend in ("sqlite", "all"):
        report.line("-- SQLite")
        with sqlite_database() as url:
            run_backend(url, args.members, args.batch_size, args.limit, report)
    if args.backend in ("postgresql", "all"):
        base = os.environ.get("LOYALIST_TEST_POSTGRES_URL", PG_DEFAULT)
        problem = postgres_problem(base)
        report.line("-- PostgreSQL" + (f": skipped ({problem})" if problem else ""))
        if problem is None:
            with postgres_database(base) as url:
                run_backend(url, args.members, args.batch_size, args.limit, report)
    report.finish()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
