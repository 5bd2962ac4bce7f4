"""``loyalist init``, ``loyalist serve`` and ``loyalist worker``."""

from __future__ import annotations

import signal
import threading
import time
from typing import Annotated, Any

import typer
from rich.console import Console

from loyalist.cli.context import cli_errors, load_settings, open_app
from loyalist.db.crypto import write_key_file

err = Console(stderr=True, soft_wrap=True)


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
    """Serve the HTTP API (docs at /docs). On SQLite the worker runs inside.

    On SQLite one process is best: it owns the single writer. Several processes work but
    take turns on the database lock.
    """
    import uvicorn

    from loyalist.api.app import create_app

    with cli_errors(), open_app() as loyalist:
        err.print(f"Loyalist API on http://{host}:{port} (docs: http://{host}:{port}/docs)")
        options: dict[str, Any] = {
            "host": host,
            "port": port,
            "access_log": access_log,
            "log_level": loyalist.settings.log_level,
        }
        if workers == 1:
            uvicorn.run(create_app(loyalist), **options)
            return
    # Each worker process builds its own application from the same environment.
    uvicorn.run("loyalist.asgi:create", factory=True, workers=workers, **options)


def worker(
    once: Annotated[bool, typer.Option(help="do the due work once and exit")] = False,
    interval: Annotated[float | None, typer.Option(help="seconds between passes")] = None,
) -> None:
    """Mature pending points, expire points and time out holds, forever (or --once)."""
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with cli_errors(), open_app() as loyalist:
        pause = interval if interval is not None else loyalist.settings.worker_interval_seconds
        while True:
            totals = [0, 0, 0]
            while True:
                report = loyalist.db.write(lambda uow: loyalist.run_due_work(uow))
                totals[0] += report.matured_points
                totals[1] += report.expired_points
                totals[2] += report.holds_timed_out
                if not report.did_work:
                    break
            if any(totals):
                err.print(
                    f"matured {totals[0]} points, expired {totals[1]}, timed out {totals[2]} holds"
                )
            if once or stop.wait(pause):
                return
            time.sleep(0)
