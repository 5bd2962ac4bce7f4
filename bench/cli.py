"""Start-up time of the `loyalist` command line: `--help`, and `apikeys list` on SQLite."""

from __future__ import annotations

import argparse
import importlib.util
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as ``python bench/cli.py``: make ``bench`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.api import COMMAND_TIMEOUT, loyalist_command, run_cli
from bench.common import Report, Target, number


@dataclass(frozen=True, slots=True)
class Case:
    key: str
    title: str
    argv: list[str]
    target: Target | None = None


@dataclass
class Timings:
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    def as_json(self, case: Case) -> dict[str, Any]:
        median = statistics.median(self.wall)
        return {
            "command": case.title,
            "runs": len(self.wall),
            "wall_seconds": {
                "median": round(median, 4),
                "min": round(min(self.wall), 4),
                "max": round(max(self.wall), 4),
            },
            "cpu_seconds": {
                "median": round(statistics.median(self.cpu), 4),
                "min": round(min(self.cpu), 4),
            },
            "target": case.target.as_json(median) if case.target else None,
        }


def cases() -> list[Case]:
    """Two baselines (a bare interpreter, SQLAlchemy's ORM), the application's import alone,
    and the two commands, all with the interpreter running this benchmark."""
    python, loyalist = sys.executable, loyalist_command()
    return [
        Case("python", "python -c pass", [python, "-c", "pass"]),
        Case(
            "sqlalchemy",
            'python -c "import sqlalchemy.orm"',
            [python, "-c", "import sqlalchemy.orm"],
        ),
        Case(
            "bootstrap",
            'python -c "import loyalist.bootstrap"',
            [python, "-c", "import loyalist.bootstrap"],
        ),
        Case(
            "help",
            "loyalist --help",
            [*loyalist, "--help"],
            Target(0.4, "s", higher_is_better=False),
        ),
        Case(
            "apikeys",
            "loyalist apikeys list",
            [*loyalist, "apikeys", "list"],
            Target(1.0, "s", higher_is_better=False),
        ),
    ]


def timed(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds of one run, and the CPU seconds (user + system) the process used."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        argv,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        timeout=COMMAND_TIMEOUT,
        check=False,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(
            f"`{' '.join(argv)}` failed ({done.returncode}):\n"
            f"{done.stderr.decode(errors='replace')}"
        )
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def measure(
    all_cases: Sequence[Case], env: dict[str, str], runs: int, max_seconds: float
) -> dict[str, Timings]:
    """One unmeasured run of each (it fills the page cache), then rounds of one run of each
    case in turn, so a change in the machine's load falls on every case alike. Stops after
    ``runs`` rounds or at the first round that starts past ``max_seconds``."""
    for case in all_cases:
        timed(case.argv, env)
    results = {case.key: Timings() for case in all_cases}
    deadline = time.perf_counter() + max_seconds
    for done in range(runs):
        if done and time.perf_counter() > deadline:
            break
        for case in all_cases:
            wall, cpu = timed(case.argv, env)
            results[case.key].wall.append(wall)
            results[case.key].cpu.append(cpu)
    return results


def bytecode_state() -> dict[str, bool]:
    """Whether the installed packages and the project have cached bytecode to load (without
    it every run compiles each module it imports)."""

    def cached(module: str) -> bool:
        spec = importlib.util.find_spec(module)
        if spec is None or spec.origin is None or spec.cached is None:
            return False
        compiled = Path(spec.cached)
        return compiled.exists() and compiled.stat().st_mtime >= Path(spec.origin).stat().st_mtime

    return {
        "installed_packages": cached("sqlalchemy.orm.session"),
        "project": cached("loyalist.bootstrap"),
    }


def command_env(home: Path, without_bytecode: Path | None) -> dict[str, str]:
    """This environment without ``LOYALIST_*`` settings, on ``home``; with
    ``without_bytecode``, Python looks for cached bytecode in that empty directory and
    writes none."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("LOYALIST_")}
    env["LOYALIST_HOME"] = str(home)
    if without_bytecode is not None:
        env["PYTHONPYCACHEPREFIX"] = str(without_bytecode)
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Wall time of `loyalist --help` and `loyalist apikeys list` (a fresh SQLite "
        "home with one key) beside a bare interpreter and `import sqlalchemy.orm`."
    )
    parser.add_argument("--runs", type=int, default=15, help="runs of each command (15)")
    parser.add_argument(
        "--max-seconds",
        type=float,
        default=120.0,
        help="no new round of runs starts after this many seconds (120)",
    )
    parser.add_argument(
        "--without-bytecode",
        action="store_true",
        help="ignore cached bytecode (an empty PYTHONPYCACHEPREFIX): what an install that "
        "was never compiled pays",
    )
    parser.add_argument(
        "--json", action="store_true", help="also print a JSON document on stdout (text to stderr)"
    )
    args = parser.parse_args(argv)
    if not 1 <= args.runs <= 200:
        parser.error("--runs must be within 1..200")
    if not 1 <= args.max_seconds <= 3600:
        parser.error("--max-seconds must be within 1..3600")
    return args


def print_results(report: Report, all_cases: Sequence[Case], results: dict[str, Timings]) -> None:
    bare = statistics.median(results["python"].wall)
    report.line()
    report.line(
        "   command                                median s   min s   CPU s   minus bare Python"
    )
    for case in all_cases:
        timings = results[case.key]
        median = statistics.median(timings.wall)
        extra = "" if case.key == "python" else f"{number(median - bare):>8}"
        report.line(
            f"   {case.title:<38} {number(median):>8}  {number(min(timings.wall)):>6}  "
            f"{number(statistics.median(timings.cpu)):>6}  {extra}"
        )
    report.line()
    for case in all_cases:
        if case.target is not None:
            report.line(
                f"   {case.title}: median {number(statistics.median(results[case.key].wall))} s, "
                f"{case.target.describe(statistics.median(results[case.key].wall))}"
            )
    bootstrap = statistics.median(results["bootstrap"].wall) - bare
    command = statistics.median(results["apikeys"].wall) - bare
    share = bootstrap / command if command > 0 else float("nan")
    report.line(
        f"   importing loyalist.bootstrap: {number(bootstrap)} s beyond a bare interpreter, "
        f"{share:.0%} of what `loyalist apikeys list` adds to one ({number(command)} s)"
    )
    report.data["bootstrap_share_of_apikeys_list"] = round(share, 3)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    report = Report("cli", args.json)
    report.header(
        {
            "runs": args.runs,
            "max_seconds": args.max_seconds,
            "without_bytecode": args.without_bytecode,
        }
    )
    state = bytecode_state()
    report.data["bytecode"] = state
    report.line(
        "   cached bytecode: installed packages "
        f"{'yes' if state['installed_packages'] else 'no'}, project (src/) "
        f"{'yes' if state['project'] else 'no'}"
        f"{'; ignored (--without-bytecode)' if args.without_bytecode else ''}"
    )
    all_cases = cases()
    with tempfile.TemporaryDirectory(prefix="loyalist-bench-cli-") as tmp:
        home = Path(tmp) / "home"
        empty_cache = Path(tmp) / "no-bytecode" if args.without_bytecode else None
        setup_env = command_env(home, None)
        run_cli(setup_env, "init", "--quiet")
        run_cli(setup_env, "apikeys", "create", "--name", "bench", "--scope", "admin")
        report.line(
            "   set-up (not timed): `loyalist init` (SQLite, key file) and one API key; "
            f"up to {args.runs} interleaved runs of each command after one unmeasured run"
        )
        results = measure(all_cases, command_env(home, empty_cache), args.runs, args.max_seconds)
    print_results(report, all_cases, results)
    report.data["commands"] = {case.key: results[case.key].as_json(case) for case in all_cases}
    report.finish()
    return 0


if __name__ == "__main__":
    sys.exit(main())
