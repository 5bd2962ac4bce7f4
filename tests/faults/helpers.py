"""Helpers of the fault-injection suite: seeds that a failure names (and an environment
variable that replays one), a real ``loyalist serve`` on a loopback port that can be killed
with SIGKILL and started again, and waiting with a bound."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import httpx

from tests.cli.conftest import Cli
from tests.smtp import free_port

#: Set to one seed to replay a failure: ``LOYALIST_FAULT_SEED=7 pytest tests/faults -k …``.
SEED_VARIABLE = "LOYALIST_FAULT_SEED"


def fault_seeds(*defaults: int) -> list[int]:
    """The seeds a test runs with: ``defaults``, or only the one in ``LOYALIST_FAULT_SEED``."""
    chosen = os.environ.get(SEED_VARIABLE)
    return [int(chosen)] if chosen else list(defaults)


@contextmanager
def replayable(seed: int) -> Iterator[random.Random]:
    """A random generator seeded with ``seed``; an assertion failing inside the block names
    the seed and how to replay it."""
    try:
        yield random.Random(seed)
    except AssertionError as exc:
        raise AssertionError(f"fault seed {seed} (replay: {SEED_VARIABLE}={seed}): {exc}") from exc


def wait_until(
    condition: Callable[[], bool],
    *,
    timeout: float,
    what: str,
    process: subprocess.Popen[bytes] | None = None,
) -> None:
    """Poll ``condition`` every 10 ms until it holds; fail after ``timeout`` seconds or when
    ``process`` (if given) ends first."""
    deadline = time.monotonic() + timeout
    while not condition():
        if process is not None:
            assert process.poll() is None, f"{what}: the process ended with {process.returncode}"
        assert time.monotonic() < deadline, f"{what}: not within {timeout} s"
        time.sleep(0.01)


def kill_9(process: subprocess.Popen[bytes]) -> None:
    """SIGKILL ``process`` (nothing of it runs on: no handler, no cleanup) and reap it."""
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL, f"ended with {process.returncode} first"


class Server:
    """``loyalist serve`` as a subprocess on 127.0.0.1 and a fixed port, so a client keeps
    its base URL across a kill and a restart; its output goes to ``log``."""

    def __init__(self, cli: Cli, log: IO[bytes]) -> None:
        self.cli = cli
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.starts = 0
        self._log = log
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """Start the server and wait (up to 60 s) until ``/healthz`` answers."""
        self._process = process = self.cli.start(
            "serve", "--port", str(self.port), output=self._log
        )
        self.starts += 1
        wait_until(self._is_healthy, timeout=60, what="loyalist serve starting", process=process)

    def kill(self) -> None:
        assert self._process is not None, "the server is not running"
        kill_9(self._process)
        self._process = None

    def stop(self) -> None:
        if self._process is not None:
            self._process.kill()
            self._process.wait(timeout=30)
            self._process = None

    def _is_healthy(self) -> bool:
        try:
            return httpx.get(f"{self.base_url}/healthz", timeout=1).status_code == 200
        except httpx.TransportError:
            return False


@contextmanager
def serving(cli: Cli, log_path: Path) -> Iterator[Server]:
    """A started :class:`Server`, killed when the block ends (whatever happened in it)."""
    with log_path.open("wb") as log:
        server = Server(cli, log)
        try:
            server.start()
            yield server
        finally:
            server.stop()
