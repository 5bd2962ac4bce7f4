"""Insights at scale: KPIs, RFM and CLV on a generated 1M-member, 10M-line snapshot."""

from __future__ import annotations

import argparse
import cProfile
import importlib
import inspect
import io
import pstats
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any, Final
from zoneinfo import ZoneInfo

import polars as pl

if __package__ in (None, ""):  # run as ``python bench/insights.py``: make ``bench`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import Report, Target, number, peak_rss_mib, reset_peak, status_mib
from bench.insights_data import DEFAULT_END, generate_snapshot, sizes
from loyalist.insights.nps import Dimension, Period
from loyalist.insights.snapshot import Snapshot

TOTAL_TARGET: Final = Target(60, "s", higher_is_better=False)
ZONE: Final = "Europe/Berlin"
POINT_VALUE: Final = Decimal("0.01")
CHURN_DAYS: Final = 180
MODULES: Final = (
    "loyalist.insights.kpis",
    "loyalist.insights.cohorts",
    "loyalist.insights.journey",
    "loyalist.insights.rfm",
    "loyalist.insights.clv",
)


class Missing(Exception):
    """A part of issue 6 the benchmark would time is not there (yet)."""


@dataclass
class Step:
    """One timed analytic: wall and CPU seconds, rows out, or why it was skipped."""

    name: str
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    rows: int | None = None
    skipped: str | None = None
    in_total: bool = True
    profile: str | None = field(default=None, repr=False)

    def as_json(self) -> dict[str, Any]:
        if self.skipped:
            return {"skipped": self.skipped}
        return {
            "seconds": round(self.seconds, 6),
            "cpu_seconds": round(self.cpu_seconds, 6),
            "rows": self.rows,
            "in_total": self.in_total,
        }


def module(name: str) -> ModuleType:
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name == name:
            raise Missing(f"{name} does not exist yet") from exc
        raise


def function(module_name: str, name: str) -> Callable[..., Any]:
    found = getattr(module(module_name), name, None)
    if not callable(found):
        raise Missing(f"{module_name}.{name} does not exist yet")
    return found  # type: ignore[no-any-return]


def call(fn: Callable[..., Any], *args: Any, **wanted: Any) -> Any:
    """``fn(*args, **wanted)`` passing only the keywords ``fn`` accepts (the owners' exact
    signatures may differ by an option), so that the benchmark follows the code it times."""
    parameters = inspect.signature(fn).parameters
    accepted = {k: v for k, v in wanted.items() if k in parameters}
    return fn(*args, **accepted)


def height(result: Any) -> int | None:
    """Rows of a result: a frame, or an object with a ``frame``/``rows``/``table``."""
    if isinstance(result, pl.DataFrame):
        return result.height
    for attribute in ("frame", "rows", "table", "grid"):
        inner = getattr(result, attribute, None)
        if isinstance(inner, pl.DataFrame):
            return inner.height
        if isinstance(inner, list | tuple):
            return len(inner)
    if isinstance(result, list | tuple):
        return len(result)
    return None


def timed(name: str, work: Callable[[], Any], *, profile: bool, in_total: bool = True) -> Step:
    step = Step(name, in_total=in_total)
    profiler = cProfile.Profile() if profile else None
    cpu = time.process_time()
    start = time.perf_counter()
    try:
        if profiler:
            profiler.enable()
        result = work()
    except Missing as exc:
        step.skipped = str(exc)
        return step
    finally:
        if profiler:
            profiler.disable()
    step.seconds = time.perf_counter() - start
    step.cpu_seconds = time.process_time() - cpu
    step.rows = height(result)
    if profiler:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(25)
        step.profile = out.getvalue()
    return step


# -- the analytics ----------------------------------------------------------------------------


def transactions_of(orders: pl.DataFrame, zone: str) -> pl.DataFrame:
    """Orders as the CLV module's transactions: member id as text, the local date, the
    amount in currency units (orders of amount 0, fully returned, are left out)."""
    return (
        orders.lazy()
        .filter(pl.col("amount") > 0)
        .select(
            customer_id=pl.col("member_id").cast(pl.String),
            date=pl.col("paid_at").dt.convert_time_zone(zone).dt.date(),
            amount=pl.col("amount").cast(pl.Float64) / 100,
        )
        .collect()
    )


def baseline(orders: pl.DataFrame) -> pl.DataFrame:
    """The floor: one plain polars group-by of the orders frame per member (count, sum,
    last order), the least any of the per-member analytics has to do."""
    return (
        orders.lazy()
        .group_by("member_id")
        .agg(pl.len(), pl.col("amount").sum(), pl.col("paid_at").max())
        .collect()
    )


def kpi_steps(snapshot: Snapshot, now: datetime, months: int, profile: bool) -> list[Step]:
    """KPI reports (monthly; monthly by tier), the cohort retention grid, the time to the
    second order and the journey funnel, each if its owner's function exists."""
    zone = ZoneInfo(ZONE)
    start = (now - timedelta(days=months * 31)).date().replace(day=1)
    end = now.astimezone(zone).date()
    options: dict[str, Any] = {
        "now": now,
        "zone": zone,
        "period": Period.MONTH,
        "start": start,
        "end": end,
        "churn_days": CHURN_DAYS,
        "point_value": POINT_VALUE,
    }

    def report(by: Dimension | None) -> Callable[[], Any]:
        def run() -> Any:
            kpi_report = function("loyalist.insights.kpis", "kpi_report")
            return call(kpi_report, snapshot, by=by, **options)

        return run

    def of_orders(module_name: str, name: str) -> Callable[[], Any]:
        def run() -> Any:
            return call(function(module_name, name), snapshot.orders, **options)

        return run

    def journey() -> Any:
        funnel = function("loyalist.insights.journey", "journey_funnel")
        return call(funnel, snapshot.members, snapshot.orders, **options)

    return [
        timed("kpis monthly", report(None), profile=profile),
        timed("kpis monthly by tier", report(Dimension.TIER), profile=profile),
        timed(
            "cohort retention grid",
            of_orders("loyalist.insights.cohorts", "cohort_retention"),
            profile=profile,
        ),
        timed(
            "time to second order",
            of_orders("loyalist.insights.cohorts", "time_to_second_order"),
            profile=profile,
        ),
        timed("journey funnel", journey, profile=profile),
    ]


def rfm_step(snapshot: Snapshot, now: datetime, profile: bool) -> Step:
    def run() -> Any:
        return function("loyalist.insights.rfm", "rfm_scores")(snapshot.orders, as_of=now)

    return timed("rfm", run, profile=profile)


def clv_steps(snapshot: Snapshot, now: datetime, profile: bool) -> list[Step]:
    holder: dict[str, pl.DataFrame] = {}

    def mapping() -> pl.DataFrame:
        holder["transactions"] = transactions_of(snapshot.orders, ZONE)
        return holder["transactions"]

    def score() -> Any:
        score_customers = function("loyalist.insights.clv", "score_customers")
        as_of = now.astimezone(UTC).date()
        return score_customers(holder["transactions"], as_of=as_of)

    steps = [timed("clv: orders → transactions", mapping, profile=profile)]
    steps.append(timed("clv: score_customers", score, profile=profile))
    return steps


# -- the DB export path (small scale) ---------------------------------------------------------


@contextmanager
def sqlite_url() -> Iterator[str]:
    with tempfile.TemporaryDirectory(prefix="loyalist-bench-insights-") as tmp:
        yield f"sqlite:///{Path(tmp) / 'bench.db'}"


def export_run(members: int, seed: int, report: Report) -> dict[str, Any]:
    """Fill a SQLite database with the demo shop through the ingest path of
    ``bench/ingest.py`` (enrolments first, then every other event: orders, reviews,
    surveys; not timed), then time ``export_snapshot`` over it in one read unit of work."""
    try:
        export_snapshot = function("loyalist.insights.export", "export_snapshot")
    except Missing as exc:
        return {"skipped": str(exc)}
    import orjson

    from bench.ingest import ingest_phase
    from loyalist.bootstrap import bootstrap, migrate
    from loyalist.db.crypto import Keyring, new_master_key
    from loyalist.demo import ShopSpec, generate_events
    from loyalist.settings import Settings

    spec = ShopSpec(seed=seed, members=members, end=datetime.now(UTC).date())
    enrolments: list[bytes] = []
    others: list[bytes] = []
    for event in generate_events(spec):
        (enrolments if event["type"] == "member.enrolled" else others).append(orjson.dumps(event))
    with sqlite_url() as url:
        app = bootstrap(Settings(database_url=url), keyring=Keyring.from_secrets(new_master_key()))
        try:
            migrate(app)
            fill = time.perf_counter()
            ingest_phase(app, "member.enrolled", enrolments, 500)
            ingest_phase(app, "others", others, 500)
            fill_seconds = time.perf_counter() - fill
            start = time.perf_counter()
            snapshot = app.db.read(
                lambda uow: call(export_snapshot, uow, currency=None, zone=ZoneInfo(ZONE))
            )
            seconds = time.perf_counter() - start
        finally:
            app.close()
    counts = sizes(snapshot)
    rows = sum(counts.values())
    report.line(
        f"   filled {len(enrolments) + len(others):,} demo events of {members:,} members through "
        f"the ingest path in {fill_seconds:.1f} s (not timed)"
    )
    report.line(
        f"   export_snapshot: {seconds:.2f} s, {number(rows / seconds)} rows/s "
        f"({', '.join(f'{k} {v:,}' for k, v in counts.items())})"
    )
    return {
        "members": members,
        "fill_seconds": round(fill_seconds, 2),
        "seconds": round(seconds, 3),
        "rows": counts,
        "rows_per_second": round(rows / seconds, 1),
    }


# -- the report --------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="KPIs, RFM and CLV on a generated snapshot (1M members, 10M lines), timed "
        "in one process, beside a plain polars group-by of the same orders."
    )
    parser.add_argument("--members", type=int, default=1_000_000, help="(1,000,000)")
    parser.add_argument("--lines", type=int, default=10_000_000, help="order lines (10,000,000)")
    parser.add_argument("--seed", type=int, default=42, help="generator seed (42)")
    parser.add_argument(
        "--months", type=int, default=36, help="months of KPIs, ending at the snapshot's end (36)"
    )
    parser.add_argument(
        "--export-members",
        type=int,
        default=0,
        help="also time export_snapshot over a SQLite database of this many demo members "
        "filled through the ingest path (0: skip; 20000 takes minutes to fill)",
    )
    parser.add_argument(
        "--profile", action="store_true", help="cProfile every step; print the slowest's"
    )
    parser.add_argument(
        "--json", action="store_true", help="also print a JSON document on stdout (text to stderr)"
    )
    args = parser.parse_args(argv)
    if args.members < 100 or args.lines < 100:
        parser.error("--members and --lines must be at least 100")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    report = Report("insights", args.json)
    report.header(
        {
            "members": args.members,
            "lines": args.lines,
            "seed": args.seed,
            "months": args.months,
            "export_members": args.export_members,
        }
    )
    now = DEFAULT_END
    start = time.perf_counter()
    snapshot = generate_snapshot(members=args.members, lines=args.lines, seed=args.seed, end=now)
    generate_seconds = time.perf_counter() - start
    counts = sizes(snapshot)
    generation_peak = peak_rss_mib()
    resident = status_mib("VmRSS")
    report.line(
        f"   generated in {generate_seconds:.1f} s (not timed): "
        + ", ".join(f"{k} {v:,}" for k, v in counts.items())
    )
    report.line(
        f"   snapshot in memory ~{snapshot_mib(snapshot):,.0f} MiB; RSS {fmt_mib(resident)}, "
        f"peak so far {generation_peak:,.0f} MiB; polars threads {pl.thread_pool_size()}"
    )
    reset = reset_peak()

    for name in MODULES:  # imported before the clock (scipy's first use still costs ~1 s)
        with suppress(Missing):
            module(name)
    floor = timed(
        "baseline: orders group_by member",
        lambda: baseline(snapshot.orders),
        profile=False,
        in_total=False,
    )
    steps = kpi_steps(snapshot, now, args.months, args.profile)
    steps.append(rfm_step(snapshot, now, args.profile))
    steps.extend(clv_steps(snapshot, now, args.profile))
    analytics_peak = status_mib("VmHWM") if reset else None
    total = sum(s.seconds for s in steps if not s.skipped and s.in_total)
    cpu_total = sum(s.cpu_seconds for s in steps if not s.skipped and s.in_total)
    done = [s for s in steps if not s.skipped]
    skipped = [s for s in steps if s.skipped]

    report.line()
    report.line(f"-- analytics, one process, as of {now.isoformat()} (zone {ZONE})")
    for step in [*steps, floor]:
        if step.skipped:
            report.line(f"   {step.name:<38} skipped: {step.skipped}")
            continue
        share = f"{step.seconds / total:>5.0%}" if total and step.in_total else "     "
        rows = f"{step.rows:>10,} rows" if step.rows is not None else " " * 15
        report.line(
            f"   {step.name:<38}{step.seconds:>8.2f} s {share}  CPU {step.cpu_seconds:>6.2f} s"
            f"{rows}"
        )
    report.line(
        f"   {'total':<38}{total:>8.2f} s        CPU {cpu_total:>6.2f} s"
        f"   {TOTAL_TARGET.describe(total)}"
        + (f"  (INCOMPLETE: {len(skipped)} step(s) skipped)" if skipped else "")
    )
    ratio = total / floor.seconds if floor.seconds else 0.0
    report.line(
        f"   total ÷ baseline group-by {number(ratio)}× "
        f"(baseline {floor.seconds:.3f} s; generation took {generate_seconds:.1f} s)"
    )
    slowest = max(done, key=lambda s: s.seconds, default=None)
    if slowest is not None:
        report.line(f"   slowest step: {slowest.name} ({slowest.seconds:.2f} s)")
    peak = max(generation_peak, peak_rss_mib())
    added = analytics_peak - resident if analytics_peak and resident else None
    report.line(
        f"   peak RSS {peak:,.0f} MiB over the run (ru_maxrss); generation's "
        f"{generation_peak:,.0f} MiB, the analytics' {fmt_mib(analytics_peak)} "
        f"(peak reset after generation), the snapshot resident {fmt_mib(resident)}: the "
        f"analytics add {fmt_mib(added)} at most"
    )
    report.data.update(
        {
            "sizes": counts,
            "generate_seconds": round(generate_seconds, 2),
            "steps": {s.name: s.as_json() for s in steps},
            "total_seconds": round(total, 6),
            "total_cpu_seconds": round(cpu_total, 3),
            "total_target": TOTAL_TARGET.as_json(total),
            "complete": not skipped,
            "baseline_seconds": round(floor.seconds, 4),
            "ratio_total_to_baseline": round(ratio, 2),
            "slowest_step": slowest.name if slowest else None,
            "peak_rss_mib": round(peak, 1),
            "peak_rss_generation_mib": round(generation_peak, 1),
            "peak_rss_analytics_mib": round(analytics_peak, 1) if analytics_peak else None,
            "snapshot_rss_mib": round(resident, 1) if resident else None,
        }
    )
    if args.profile and slowest is not None and slowest.profile:
        report.line()
        report.line(f"-- cProfile of {slowest.name} (cumulative)")
        report.line(slowest.profile)
    if args.export_members:
        report.line()
        report.line(f"-- DB export path: SQLite, {args.export_members:,} demo members")
        report.data["export"] = export_run(args.export_members, args.seed, report)
        if "skipped" in report.data["export"]:
            report.line(f"   skipped: {report.data['export']['skipped']}")
    report.finish()
    return 0


def snapshot_mib(snapshot: Snapshot) -> float:
    frames: list[pl.DataFrame] = [getattr(snapshot, name) for name in sizes(snapshot)]
    return sum(frame.estimated_size("mb") for frame in frames)


def fmt_mib(value: float | None) -> str:
    return "n/a" if value is None else f"{value:,.0f} MiB"


if __name__ == "__main__":
    sys.exit(main())
