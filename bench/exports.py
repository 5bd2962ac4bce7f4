"""Members to Parquet (issue 19): ``loyalist export members`` as it writes a file (masked:
no personal value; read by id in chunks, frames spooled, sunk into one Parquet file)
against a target of 20 s for 1,000,000 members on SQLite; and, in the same run, a
baseline of the least such an export can do: one plain ``SELECT`` of the same columns on
the driver's cursor, every row fetched, one polars frame, one ``write_parquet``. The
ratio shows what the chunking, the types and the spooling cost over that floor.

Members are inserted directly (one ``INSERT`` per 50,000 rows), with segments and
attributes, most with an e-mail index; the masked export reads no sealed value, so none
is made. Beside the seconds, this process's CPU seconds: on a busy machine they move
less than the seconds.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Final, cast

if __package__ in (None, ""):  # run as ``python bench/exports.py``: make ``bench`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import polars as pl
from sqlalchemy import Table
from sqlalchemy.engine import make_url

from bench.common import Report, Target, number, scratch_database
from loyalist.bootstrap import Loyalist, bootstrap, migrate
from loyalist.cli.exports import FileFormat, write_frames
from loyalist.clock import ManualClock
from loyalist.db import bulk
from loyalist.db.crypto import Keyring, new_master_key
from loyalist.db.uow import UnitOfWork
from loyalist.members import export
from loyalist.members.models import Member
from loyalist.settings import Settings

TARGET_MEMBERS: Final = 1_000_000
TARGET: Final = Target(20, f"s for {TARGET_MEMBERS:,} members", higher_is_better=False)
NOW: Final = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
SEGMENTS: Final = ("champions", "loyal", "at_risk", "lost", "vip")
BASELINE_SQL: Final = (
    "SELECT external_id, locale, timezone, enrolled_at, created_at, updated_at, erased_at, "
    "email_index IS NOT NULL, phone_index IS NOT NULL, segments, attributes "
    "FROM members ORDER BY id"
)


def populate(app: Loyalist, count: int) -> None:
    """``count`` members, 50,000 per unit of work."""
    table = cast(Table, Member.__table__)
    for start in range(0, count, 50_000):
        rows = [
            {
                "external_id": f"m{i:07d}",
                "email_index": f"e{i}" if i % 10 else None,
                "phone_index": None,
                "locale": "ru" if i % 3 == 0 else "en",
                "timezone": "Europe/Moscow" if i % 2 else None,
                "attributes": {"store": f"s{i % 40}"},
                "segments": [SEGMENTS[i % 5], SEGMENTS[(i // 5) % 5]] if i % 7 else None,
                "enrolled_at": NOW - timedelta(minutes=i),
                "created_at": NOW - timedelta(minutes=i),
                "updated_at": NOW,
            }
            for i in range(start, min(count, start + 50_000))
        ]

        def op(uow: UnitOfWork, rows: list[dict[str, Any]] = rows) -> None:
            bulk.insert_rows(uow.session, table, rows)

        app.db.write(op)


def export_seconds(app: Loyalist, path: Path) -> tuple[float, float, int]:
    """Seconds, CPU seconds and rows of the masked export to Parquet."""
    started, cpu = time.perf_counter(), time.process_time()

    def op(uow: UnitOfWork) -> int:
        return write_frames(export.frames(uow), export.MASKED, path, FileFormat.PARQUET)

    rows = app.db.read(op)
    return time.perf_counter() - started, time.process_time() - cpu, rows


def baseline_seconds(url: str, path: Path) -> tuple[float, float, int]:
    """Seconds, CPU seconds and rows of the floor: one SELECT, one frame, one write."""
    started, cpu = time.perf_counter(), time.process_time()
    connection = sqlite3.connect(str(make_url(url).database))
    try:
        rows = connection.execute(BASELINE_SQL).fetchall()
    finally:
        connection.close()
    frame = pl.DataFrame(rows, schema=list(export.MASKED), orient="row", infer_schema_length=None)
    frame.write_parquet(path)
    return time.perf_counter() - started, time.process_time() - cpu, frame.height


def run(url: str, args: argparse.Namespace, report: Report) -> dict[str, Any]:
    app = bootstrap(
        Settings(database_url=url),
        clock=ManualClock(NOW),
        keyring=Keyring.from_secrets(new_master_key()),
    )
    try:
        migrate(app)
        started = time.perf_counter()
        populate(app, args.members)
        report.line(
            f"   {args.members:,} members inserted in {time.perf_counter() - started:.1f} s"
        )
        with tempfile.TemporaryDirectory() as tmp:
            base, base_cpu, base_rows = baseline_seconds(url, Path(tmp) / "baseline.parquet")
            path = Path(tmp) / "members.parquet"
            seconds, cpu, rows = export_seconds(app, path)
            size = path.stat().st_size
            check = pl.scan_parquet(path).select(pl.len()).collect().item()
    finally:
        app.close()
    assert rows == check == base_rows == args.members, (rows, check, base_rows)
    projected = seconds * TARGET_MEMBERS / args.members
    report.line(f"   baseline: SELECT, one frame, write  {base:>8.2f} s  (CPU {base_cpu:.2f})")
    report.line(f"   export members → Parquet            {seconds:>8.2f} s  (CPU {cpu:.2f})")
    report.line(f"     rows/s                            {number(rows / seconds):>8}")
    report.line(f"     file                              {size / 2**20:>8.1f} MiB")
    report.line(f"     export ÷ baseline                 {seconds / base:>8.2f}x")
    report.line(
        f"     for {TARGET_MEMBERS:,} members              {projected:>8.2f} s   "
        f"{TARGET.describe(projected)}"
    )
    return {
        "members": args.members,
        "export_seconds": round(seconds, 3),
        "export_cpu_seconds": round(cpu, 3),
        "baseline_seconds": round(base, 3),
        "baseline_cpu_seconds": round(base_cpu, 3),
        "export_over_baseline": round(seconds / base, 3),
        "file_bytes": size,
        "projected_seconds_for_target": round(projected, 3),
        "target": TARGET.as_json(projected),
    }


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Members to Parquet, against a baseline.")
    parser.add_argument("--members", type=int, default=TARGET_MEMBERS, help="(1000000)")
    parser.add_argument(
        "--json", action="store_true", help="also print a JSON document on stdout (text to stderr)"
    )
    args = parser.parse_args(argv)
    if not 1_000 <= args.members <= 2_000_000:
        parser.error("--members must be within 1,000..2,000,000")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    report = Report("exports (members to Parquet, SQLite)", args.json)
    report.header({key: value for key, value in vars(args).items() if key != "json"})
    report.line()
    with scratch_database("sqlite", "exports") as url:
        assert url is not None
        report.data["sqlite"] = run(url, args, report)
    report.finish()
    return 0


if __name__ == "__main__":
    sys.exit(main())
