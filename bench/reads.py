"""µs per balance read (the ``GET …/points`` route's work, without HTTP): the raw read path
vs. the same functions in a read unit of work, with the empty raw read as the floor."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as ``python bench/reads.py``: make ``bench`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


from bench.common import Report, number, scratch_database
from loyalist.activities.schemas import parse_batch
from loyalist.activities.service import ingest_events
from loyalist.bootstrap import Loyalist, bootstrap, migrate
from loyalist.db.crypto import Keyring, new_master_key
from loyalist.db.raw import Cursor
from loyalist.ledger import balances
from loyalist.ledger import service as ledger
from loyalist.members import service as members
from loyalist.settings import Settings

MEMBER = "M1"
#: Timed rounds per path; the figure is the best round's mean (the least disturbed).
ROUNDS = 5
#: Upper bound on one round's wall time, whatever ``--reads``.
ROUND_SECONDS = 10.0


def balance(cursor: Cursor, app: Loyalist) -> dict[str, Any]:
    """What the balance route computes: the member's id, then the summary."""
    return balances.points_summary(cursor, members.get_member_id(cursor, MEMBER), app.program)


def seed(app: Loyalist) -> None:
    """One member with points: an enrolment and a manual credit of 500."""
    enrolled = {
        "id": "e1",
        "type": "member.enrolled",
        "member_id": MEMBER,
        "occurred_at": "2026-01-01T00:00:00Z",
        "data": {},
    }
    parsed, _ = parse_batch([enrolled])
    app.db.write(lambda uow: ingest_events(uow, parsed))
    app.db.write(
        lambda uow: ledger.adjust_points(
            uow,
            members.get_member_id(uow, MEMBER),
            500,
            reason="bench",
            issuer="bench",
            program=app.program,
        )
    )


def timed(call: Callable[[], object], reads: int) -> float:
    """µs per call: the best of ``ROUNDS`` rounds of ``reads`` calls (each round bounded)."""
    means = []
    for _ in range(ROUNDS):
        done, started = 0, time.perf_counter()
        while done < reads and time.perf_counter() - started < ROUND_SECONDS:
            call()
            done += 1
        means.append((time.perf_counter() - started) / done * 1e6)
    return min(means)


def measure(backend: str, reads: int, report: Report) -> None:
    with scratch_database(backend, "reads") as url:
        if url is None:
            return
        app = bootstrap(Settings(database_url=url), keyring=Keyring.from_secrets(new_master_key()))
        try:
            migrate(app)
            seed(app)
            assert app.db.read_raw(lambda c: balance(c, app))["available"] == 500
            floor = timed(lambda: app.db.read_raw(lambda _c: None), reads)
            raw = timed(lambda: app.db.read_raw(lambda c: balance(c, app)), reads)
            unit = timed(lambda: app.db.read(lambda uow: balance(uow, app)), reads)
        finally:
            app.close()
    report.line(f"-- {backend}")
    report.line(f"   raw read path      {number(raw):>8} µs per read")
    report.line(f"   read unit of work  {number(unit):>8} µs per read (baseline)")
    report.line(f"   empty raw read     {number(floor):>8} µs (transaction on a pooled connection)")
    report.line(
        f"   raw ÷ unit of work {raw / unit:.3f}; the queries themselves {raw - floor:.1f} µs"
    )
    report.data.setdefault("results", {})[backend] = {
        "raw_us": round(raw, 2),
        "unit_of_work_us": round(unit, 2),
        "empty_raw_us": round(floor, 2),
        "ratio_raw_to_unit": round(raw / unit, 4),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "all"), default="all")
    parser.add_argument("--reads", type=int, default=3000, help="reads per round (3000)")
    parser.add_argument("--json", action="store_true", help="one JSON document on stdout")
    args = parser.parse_args(argv)
    report = Report("reads", args.json)
    report.header({"backend": args.backend, "reads": args.reads, "rounds": ROUNDS})
    backends = ("sqlite", "postgresql") if args.backend == "all" else (args.backend,)
    for backend in backends:
        measure(backend, max(1, args.reads), report)
    report.finish()


if __name__ == "__main__":
    main()
