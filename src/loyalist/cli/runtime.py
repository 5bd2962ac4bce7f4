"""``loyalist init``, ``loyalist serve`` and ``loyalist worker``."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import tempfile
import threading
from collections import Counter
from collections.abc import Iterator
from functools import partial
from typing import Annotated, Any

import typer
from rich.console import Console

from loyalist.cli.context import cli_errors, load_settings, open_app, settle_heap
from loyalist.db.crypto import write_key_file
from loyalist.logs import configure_json_logging

err = Console(stderr=True, soft_wrap=True)
#: Where prometheus-client's processes count together.
MULTIPROC_DIR = "PROMETHEUS_MULTIPROC_DIR"


def init(
    quiet: Annotated[bool, typer.Option("--quiet", "-q")] = False,
) -> None:
    """Create the secret key file (unless LOYALIST_SECRET_KEY is set) and migrate the database."""
    with cli_errors():
        settings = load_settings()
        if not settings.secret_key and write_key_file(settings.key_file):
            err.print(
                f"created secret key {settings.key_file} (mode 600): back it up; "
                "personal data cannot be read without it"
            )
        with open_app(settings, migrate=True) as loyalist:
            if not quiet:
                err.print(f"database ready: {loyalist.settings.effective_database_url}")


def serve(
    host: Annotated[str, typer.Option(help="interface to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option()] = 8000,
    workers: Annotated[
        int, typer.Option(min=1, max=64, help="server processes (PostgreSQL scales with them)")
    ] = 1,
    access_log: Annotated[bool, typer.Option(help="log every request")] = False,
) -> None:
    """Serve the API, console and portal (/docs, /console/, /portal/); on SQLite the worker too.

    On SQLite one process is best for writes: it owns the single writer. Several processes
    each read on their own connections (reads scale with cores) but their writers take
    turns on the database lock; one of them runs the embedded worker.

    On SIGTERM it stops accepting connections, lets the requests in flight finish (for at
    most LOYALIST_SHUTDOWN_GRACE_SECONDS, then cancels them), lets the embedded worker
    finish its job, commits the units of work still queued and exits 0.
    """
    import uvicorn

    from loyalist.web.app import create_app

    # Until uvicorn takes the signal over, and when it raises it again once it has shut
    # down: exit 0 through the ``with`` blocks (the database is closed, its queue drained).
    signal.signal(signal.SIGTERM, _exit_cleanly)
    with cli_errors(), open_app() as loyalist:
        settle_heap(loyalist)
        configure_json_logging(loyalist.settings.log_level)
        base = f"http://{host}:{port}"
        err.print(
            f"Loyalist on {base}: console {base}/console/, member portal {base}/portal/, "
            f"API docs {base}/docs"
        )
        options: dict[str, Any] = {
            "host": host,
            "port": port,
            "access_log": access_log,
            "log_level": loyalist.settings.log_level,
            # Our JSON lines (one object per line, personal data redacted), not uvicorn's.
            "log_config": None,
            "timeout_graceful_shutdown": loyalist.settings.shutdown_grace_seconds,
        }
        if workers == 1:
            uvicorn.run(create_app(loyalist), **options)
            return
    # Each worker process builds its own application from the same environment.
    with shared_metrics():
        uvicorn.run("loyalist.asgi:create", factory=True, workers=workers, **options)


@contextlib.contextmanager
def shared_metrics() -> Iterator[None]:
    """Several server processes count into one private folder, so that ``/metrics`` adds
    them all up, whichever process a scrape reaches (prometheus-client's multiprocess
    mode; docs/observability.md): a new one (0700) for the block, removed after, unless
    the operator named one in ``PROMETHEUS_MULTIPROC_DIR``."""
    if os.environ.get(MULTIPROC_DIR):
        yield
        return
    folder = tempfile.mkdtemp(prefix="loyalist-metrics-")
    os.environ[MULTIPROC_DIR] = folder
    try:
        yield
    finally:
        del os.environ[MULTIPROC_DIR]
        shutil.rmtree(folder, ignore_errors=True)


def worker(
    once: Annotated[bool, typer.Option(help="do the due work once and exit")] = False,
    interval: Annotated[float | None, typer.Option(help="seconds between passes")] = None,
) -> None:
    """Mature pending points, expire points and time out holds, forever (or --once).

    On SIGTERM (or a first Ctrl-C) it finishes the job it is in — a delivery pass sends the
    messages it claimed and records their outcomes — and exits 0; a second Ctrl-C stops it
    at once."""
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, partial(_stop_then_interrupt, stop))
    with cli_errors(), open_app() as loyalist:
        settle_heap(loyalist)
        configure_json_logging(loyalist.settings.log_level)
        pause = interval if interval is not None else loyalist.settings.worker_interval_seconds
        while not stop.is_set():
            totals: Counter[str] = Counter()
            busy = True
            while busy and not stop.is_set():
                report = loyalist.run_due_work(stopping=stop.is_set)
                totals.update(report.done)
                busy = report.did_work
            if any(totals.values()):
                err.print(_summary(totals), markup=False, highlight=False)
            if once or stop.wait(pause):
                return


def _exit_cleanly(*_: object) -> None:
    raise SystemExit(0)


def _stop_then_interrupt(stop: threading.Event, *_: object) -> None:
    """The first Ctrl-C asks for a graceful stop; the next one interrupts at once."""
    if stop.is_set():
        raise KeyboardInterrupt
    stop.set()


_LEDGER = ("points_matured", "points_expired", "holds_timed_out")


def _summary(totals: Counter[str]) -> str:
    """``matured 100 points, expired 0, timed out 2 holds; birthdays 3, …``"""
    text = (
        f"matured {totals['points_matured']:,} points, expired {totals['points_expired']:,}, "
        f"timed out {totals['holds_timed_out']:,} holds"
    )
    others = [
        f"{name.replace('_', ' ')} {count:,}"
        for name, count in totals.items()
        if count and name not in _LEDGER
    ]
    return "; ".join([text, ", ".join(others)]) if others else text
