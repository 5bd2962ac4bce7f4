"""What both benchmarks share: the report (text and JSON), targets, percentiles, machine facts."""

from __future__ import annotations

import math
import os
import platform
import resource
import sys
import tempfile
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final, TextIO

import orjson

#: Said beside every figure: timings depend on what else the machine is doing.
PROC_STATUS: Final = Path("/proc/self/status")
CLEAR_REFS: Final = Path("/proc/self/clear_refs")
#: The PostgreSQL server the benchmarks use unless ``LOYALIST_TEST_POSTGRES_URL`` names one.
PG_DEFAULT: Final = "postgresql+psycopg://postgres@127.0.0.1:5432/test"

BUSY_NOTE = (
    "figures depend on what else runs on this machine; compare ratios within one run, "
    "and fill the README table only from a quiet run"
)


@dataclass(frozen=True, slots=True)
class Target:
    """A goal printed beside a figure; benchmarks report it, they never assert it."""

    value: float
    unit: str
    higher_is_better: bool = True
    percent: bool = False  # show ``value`` as a percentage

    def met(self, measured: float) -> bool:
        return measured >= self.value if self.higher_is_better else measured <= self.value

    def describe(self, measured: float) -> str:
        sign = "≥" if self.higher_is_better else "≤"
        verdict = "met" if self.met(measured) else "NOT met"
        shown = f"{self.value:.0%}" if self.percent else number(self.value)
        return f"target {sign} {shown} {self.unit}: {verdict}"

    def as_json(self, measured: float) -> dict[str, Any]:
        return {
            "target": self.value,
            "unit": self.unit,
            "higher_is_better": self.higher_is_better,
            "met": self.met(measured),
        }


def number(value: float) -> str:
    """``12,345`` for large figures, ``12.3`` / ``0.123`` for small ones."""
    if math.isnan(value):
        return "n/a"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.3g}"


def percentile(sorted_values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0–100) of already sorted values, nearest-rank; NaN if empty."""
    if not sorted_values:
        return math.nan
    rank = max(1, math.ceil(q / 100 * len(sorted_values)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def machine() -> dict[str, Any]:
    """Facts that explain a run's figures: CPUs, load at the start, versions."""
    try:
        load = [round(x, 2) for x in os.getloadavg()]
    except OSError:
        load = []
    return {
        "cpus": os.cpu_count(),
        "load_average_1_5_15": load,
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def peak_rss_mib() -> float:
    """This process's peak resident set (``ru_maxrss``: KiB on Linux) in MiB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def status_mib(key: str) -> float | None:
    """``VmHWM`` (peak since the last reset) or ``VmRSS`` from /proc, in MiB; None elsewhere."""
    try:
        for row in PROC_STATUS.read_text().splitlines():
            if row.startswith(key + ":"):
                return int(row.split()[1]) / 1024
    except OSError:
        return None
    return None


def reset_peak() -> bool:
    """Start ``VmHWM`` again from the current RSS (Linux ``clear_refs`` 5), so that a step's
    own peak shows apart from what ran before; ``ru_maxrss`` is never reset."""
    try:
        CLEAR_REFS.write_text("5")
    except OSError:
        return False
    return True


@dataclass
class Report:
    """Human-readable lines, and with ``--json`` one JSON document on stdout.

    With ``json_output`` the text goes to stderr, so ``bench/x.py --json > out.json`` keeps
    both: the text on the terminal and the document in the file.
    """

    name: str
    json_output: bool
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def stream(self) -> TextIO:
        return sys.stderr if self.json_output else sys.stdout

    def line(self, text: str = "") -> None:
        print(text, file=self.stream, flush=True)

    def header(self, options: dict[str, Any]) -> None:
        facts = machine()
        self.data.update({"benchmark": self.name, "machine": facts, "options": options})
        load = ", ".join(str(x) for x in facts["load_average_1_5_15"]) or "unknown"
        self.line(
            f"== {self.name} benchmark: {facts['cpus']} CPUs, load average {load}, "
            f"Python {facts['python']}"
        )
        self.line(f"   ({BUSY_NOTE})")

    def finish(self) -> None:
        if self.json_output:
            sys.stdout.write(orjson.dumps(self.data, option=orjson.OPT_INDENT_2).decode() + "\n")
            sys.stdout.flush()


@contextmanager
def scratch_database(backend: str, name: str) -> Iterator[str | None]:
    """An empty database URL to migrate into, removed afterwards: a SQLite file ``name``.db
    in a temporary directory, or a private schema on ``LOYALIST_TEST_POSTGRES_URL`` (None,
    with a line saying why, when PostgreSQL cannot be reached)."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            yield f"sqlite:///{Path(tmp) / f'{name}.db'}"
        return
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    base = os.environ.get("LOYALIST_TEST_POSTGRES_URL", PG_DEFAULT)
    engine = create_engine(base, connect_args={"connect_timeout": 3})
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    try:
        with engine.begin() as conn:
            conn.execute(text(f"CREATE SCHEMA {schema}"))
    except Exception as exc:
        print(f"   PostgreSQL skipped: {type(exc).__name__}: {exc}".splitlines()[0])
        engine.dispose()
        yield None
        return
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with engine.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        engine.dispose()
