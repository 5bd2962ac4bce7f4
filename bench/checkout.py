"""Checkout benchmarks, one part at a time (``--part``).

``http``: ``loyalist serve`` (SQLite) on loopback under concurrent keep-alive clients for
quote, validate, redeem and hold + confirm at 8 and 64 connections (``bench/api.py``'s
load generator and report; options after ``--part http`` go to it, e.g. ``--seconds 5``).

``codes``: unique coupon codes generated and stored through ``coupons.generation`` (the
path of ``loyalist coupons generate`` and the API), beside the bare write (PostgreSQL
``COPY``, SQLite ``executemany``) of as many pre-made codes into a copy of
``coupon_codes``, per backend: seconds per million codes, the target, and generate ÷ bare.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as ``python bench/checkout.py``: make ``bench`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import Connection, Table, func, select
from sqlalchemy.engine import make_url

from bench.common import PG_DEFAULT, Report, Target, number
from bench.ingest import postgres_database, postgres_problem, sqlite_database
from loyalist.bootstrap import Loyalist, bootstrap, migrate
from loyalist.coupons import codes, generation
from loyalist.coupons import service as coupons
from loyalist.coupons.models import CouponCode
from loyalist.coupons.schemas import CampaignIn, GenerateIn
from loyalist.db.crypto import Keyring, new_master_key
from loyalist.db.uow import UnitOfWork
from loyalist.settings import Settings

#: Seconds per 1,000,000 codes stored (issue 4).
CODES_SECONDS_PER_MILLION = {"sqlite": 10.0, "postgresql": 5.0}
CAMPAIGN = CampaignIn.model_validate(
    {
        "name": {"en": "Benchmark", "ru": "Бенчмарк"},
        "discount": {"type": "percent", "percent": "10"},
        "code_mode": "unique",
    }
)


# ------------------------------------------------------------------------------ --part codes
def generate_phase(app: Loyalist, count: int, chunk_size: int) -> tuple[float, int]:
    """Timed: ``generation.generate`` of ``count`` codes (10 random characters, no prefix)
    in chunks of ``chunk_size``, each chunk one unit of work through ``app.db.write``."""
    app.db.write(lambda uow: coupons.put_campaign(uow, "bench", CAMPAIGN))
    spec = GenerateIn(count=count, length=10, request_key="bench")
    start = time.perf_counter()
    run = generation.generate(app.db, "bench", spec, chunk_size=chunk_size)
    seconds = time.perf_counter() - start
    if not run.batch.is_ready or run.added != count:
        raise SystemExit(f"generation stopped at {run.batch.generated:,} of {count:,} codes")
    return seconds, run.batch.id


def stored_count(uow: UnitOfWork, batch_id: int) -> int:
    query = select(func.count()).select_from(CouponCode).where(CouponCode.batch_id == batch_id)
    return int(uow.session.scalar(query) or 0)


def export_phase(app: Loyalist) -> tuple[float, int]:
    """Timed: the CSV export of every code (pages of 5,000, formatted, not written)."""
    start = time.perf_counter()
    rows = 0
    for piece in generation.csv_chunks(generation.export_codes(app.db, "bench")):
        rows += piece.count("\n")
    return time.perf_counter() - start, rows - 1


def premade_chunks(count: int, chunk_size: int, length: int = 10) -> list[list[str]]:
    """``count`` distinct random codes of ``length`` characters in chunks of ``chunk_size``,
    each chunk sorted as generation sorts its own (a global sort would make the baseline's
    chunks narrow key ranges, cheaper to index than random codes are)."""
    pool = dict.fromkeys(codes.random_bodies(count, length))
    while len(pool) < count:  # a repeat among a million 10-character codes: ~0.1% of runs
        pool.update(dict.fromkeys(codes.random_bodies(count - len(pool), length)))
    premade = list(pool)
    return [sorted(premade[at : at + chunk_size]) for at in range(0, count, chunk_size)]


def create_twin(conn: Connection, name: str) -> None:
    """``name``, shaped like ``coupon_codes``: its columns, defaults, checks, indexes (the
    unique ``code`` among them, ``C`` collation on PostgreSQL) and foreign key, its own id
    sequence. Empty."""
    if conn.dialect.name == "sqlite":
        ddl = conn.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE tbl_name = 'coupon_codes' AND sql IS NOT NULL"
            " ORDER BY type DESC"  # the table, then its indexes
        ).scalars()
        for statement in list(ddl):
            conn.exec_driver_sql(statement.replace("coupon_codes", name))
        return
    conn.exec_driver_sql(f"CREATE TABLE {name} (LIKE coupon_codes INCLUDING ALL)")
    conn.exec_driver_sql(f"CREATE SEQUENCE {name}_id_seq OWNED BY {name}.id")
    conn.exec_driver_sql(f"ALTER TABLE {name} ALTER id SET DEFAULT nextval('{name}_id_seq')")
    table = CouponCode.__table__
    assert isinstance(table, Table)
    for fk in table.foreign_key_constraints:  # LIKE copies no foreign key
        referred = ", ".join(element.column.name for element in fk.elements)
        conn.exec_driver_sql(
            f"ALTER TABLE {name} ADD FOREIGN KEY ({', '.join(fk.column_keys)}) "
            f"REFERENCES {fk.referred_table.name} ({referred})"
        )


def raw_baseline(app: Loyalist, count: int, chunk_size: int) -> float:
    """Timed: the bare write of ``count`` pre-made codes (``premade_chunks``, made before the
    clock starts) as rows of a batch (code, campaign, batch, max uses) into ``bench_codes``
    (``create_twin``), one transaction per chunk: PostgreSQL one text ``COPY`` of pre-built
    rows, SQLite ``executemany`` of pre-built tuples. Returns seconds."""
    chunks = premade_chunks(count, chunk_size)
    engine = app.db.write_engine
    sqlite = engine.dialect.name == "sqlite"
    if sqlite:
        tuples = [[(code, 1, 1, 1) for code in chunk] for chunk in chunks]
    else:
        payloads = ["".join(f"{code}\t1\t1\t1\n" for code in chunk).encode() for chunk in chunks]
    with engine.begin() as conn:
        create_twin(conn, "bench_codes")
    columns = "bench_codes (code, campaign_id, batch_id, max_uses)"
    try:
        connection = engine.raw_connection()
        try:
            cursor = connection.cursor()
            start = time.perf_counter()
            for index in range(len(chunks)):
                if sqlite:
                    cursor.execute("BEGIN")
                    cursor.executemany(f"INSERT INTO {columns} VALUES (?, ?, ?, ?)", tuples[index])
                    cursor.execute("COMMIT")
                else:
                    with cursor.copy(f"COPY {columns} FROM STDIN") as copy:
                        copy.write(payloads[index])
                    connection.commit()
            seconds = time.perf_counter() - start
            cursor.close()
        finally:
            connection.close()
    finally:
        with engine.begin() as conn:
            conn.exec_driver_sql("DROP TABLE bench_codes")
    return seconds


def codes_backend(
    backend: str, url: str, args: argparse.Namespace, keyring: Keyring, report: Report
) -> dict[str, Any]:
    app = bootstrap(Settings(database_url=url), keyring=keyring)
    try:
        migrate(app)
        seconds, batch_id = generate_phase(app, args.codes, args.chunk_size)
        stored = app.db.read(lambda uow: stored_count(uow, batch_id))
        export = export_phase(app) if args.export else None
        raw_seconds = raw_baseline(app, args.codes, args.chunk_size)
    finally:
        app.close()
    rate = args.codes / seconds
    raw_rate = args.codes / raw_seconds
    per_million = seconds * 1_000_000 / args.codes
    raw_per_million = raw_seconds * 1_000_000 / args.codes
    target = Target(CODES_SECONDS_PER_MILLION[backend], "s per 1M", higher_is_better=False)
    report.line(
        f"   generate: {args.codes:,} codes (length 10) in chunks of {args.chunk_size:,}, "
        f"{stored:,} stored"
    )
    report.line(f"     seconds           {seconds:>10.2f}")
    report.line(f"     s per 1M codes    {per_million:>10.2f}   {target.describe(per_million)}")
    report.line(f"     codes/s           {number(rate):>10}")
    report.line(
        f"   bare {'executemany' if backend == 'sqlite' else 'COPY'}: {args.codes:,} pre-made "
        "codes into a copy of coupon_codes (same columns, unique index, other indexes, "
        "foreign key), same chunks"
    )
    report.line(f"     seconds           {raw_seconds:>10.2f}")
    report.line(f"     s per 1M codes    {raw_per_million:>10.2f}")
    report.line(f"     rows/s            {number(raw_rate):>10}")
    report.line(f"   generate ÷ bare     {seconds / raw_seconds:>10.2f}×  (seconds)")
    result: dict[str, Any] = {
        "codes": args.codes,
        "stored": stored,
        "chunk_size": args.chunk_size,
        "seconds": round(seconds, 3),
        "seconds_per_million": round(per_million, 3),
        "codes_per_second": round(rate, 1),
        "target": target.as_json(per_million),
        "raw": {
            "method": "executemany" if backend == "sqlite" else "copy",
            "seconds": round(raw_seconds, 3),
            "seconds_per_million": round(raw_per_million, 3),
            "rows_per_second": round(raw_rate, 1),
        },
        "seconds_ratio_to_raw": round(seconds / raw_seconds, 4),
        "ratio_to_raw": round(rate / raw_rate, 4),
    }
    if export is not None:
        export_seconds, rows = export
        report.line(
            f"   export (not a target): {rows:,} codes to CSV text in {export_seconds:.2f} s, "
            f"{number(rows / export_seconds)} codes/s"
        )
        result["export"] = {"rows": rows, "seconds": round(export_seconds, 3)}
    return result


def run_codes(args: argparse.Namespace, report: Report) -> dict[str, Any]:
    keyring = Keyring.from_secrets(new_master_key())
    backends = ["sqlite", "postgresql"] if args.backend == "all" else [args.backend]
    results: dict[str, Any] = {}
    for backend in backends:
        report.line()
        if backend == "sqlite":
            report.line("-- SQLite (temporary file, WAL, chunks through the single writer)")
            with sqlite_database() as url:
                results[backend] = codes_backend(backend, url, args, keyring, report)
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
            results[backend] = codes_backend(backend, url, args, keyring, report)
    return results


# ------------------------------------------------------------------------------ dispatch
#: ``--part`` name -> the function that runs it and returns its JSON results.
PARTS: dict[str, Callable[[argparse.Namespace, Report], dict[str, Any]]] = {
    "codes": run_codes,
}


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Checkout benchmarks, one part at a time.")
    parser.add_argument(
        "--part",
        choices=[*sorted(PARTS), "http"],
        default="codes",
        help="codes, or http (first argument; the rest go to bench/api.py) (codes)",
    )
    parser.add_argument(
        "--backend", choices=("sqlite", "postgresql", "all"), default="all", help="(all)"
    )
    parser.add_argument(
        "--codes", type=int, default=1_000_000, help="codes: how many to generate (1000000)"
    )
    parser.add_argument(
        "--chunk-size",
        type=int,
        default=generation.CHUNK_SIZE,
        help=f"codes: codes per transaction ({generation.CHUNK_SIZE})",
    )
    parser.add_argument(
        "--export",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="codes: also time the CSV export (on)",
    )
    parser.add_argument(
        "--json", action="store_true", help="also print a JSON document on stdout (text to stderr)"
    )
    args = parser.parse_args(argv)
    if not 1_000 <= args.codes <= 10_000_000:
        parser.error("--codes must be within 1,000..10,000,000")
    if not 1_000 <= args.chunk_size <= 1_000_000:
        parser.error("--chunk-size must be within 1,000..1,000,000")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    given = list(sys.argv[1:] if argv is None else argv)
    if given[:2] == ["--part", "http"] or given[:1] == ["--part=http"]:
        from bench import api

        rest = given[2:] if given[0] == "--part" else given[1:]
        defaults = ["--scenarios", ",".join(api.CHECKOUT_SCENARIOS), "--client", "raw"]
        return api.main([*defaults, *rest])
    args = parse_args(argv)
    report = Report(f"checkout ({args.part})", args.json)
    report.header({key: value for key, value in vars(args).items() if key != "json"})
    report.data["backends"] = PARTS[args.part](args, report)
    report.finish()
    return 0


if __name__ == "__main__":
    sys.exit(main())
