"""Commands running in the background for the process tests: started with their output in a
log file (killed if the test leaves early), and a server's wait for ``/healthz``."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import httpx

from tests.cli.conftest import Cli

#: Several processes importing everything at once on a busy 2-core machine start slowly.
STARTUP_SECONDS = 60


@contextmanager
def started(cli: Cli, log: Path, *args: str) -> Iterator[subprocess.Popen[bytes]]:
    """``loyalist <args>`` running, stdout and stderr to ``log``; killed if still running
    when the block ends."""
    with log.open("wb") as output:
        process = cli.start(*args, output=output)
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(10)


def wait_healthy(base_url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    """Until ``/healthz`` answers 200 (at most ``STARTUP_SECONDS``); fails with the log if
    the process exits first."""
    deadline = time.monotonic() + STARTUP_SECONDS
    with httpx.Client(base_url=base_url, timeout=1.0) as client:
        while time.monotonic() < deadline:
            assert process.poll() is None, log.read_text(errors="replace")
            with suppress(httpx.TransportError):
                if client.get("/healthz").status_code == 200:
                    return
            time.sleep(0.1)
    raise AssertionError(f"no answer from /healthz in {STARTUP_SECONDS} s:\n{log.read_text()}")
