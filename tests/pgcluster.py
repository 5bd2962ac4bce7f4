"""Private PostgreSQL servers for tests that stop, freeze, kill or fail over a database: each
one is its own cluster (``initdb`` in a temporary folder, a free loopback port), so the
shared server at 127.0.0.1:5432 that every other test uses is never touched.

The server's programs refuse to run as root: when the tests run as root they run as the
``postgres`` user (``runuser``), which owns the cluster's folder.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

_BINS = sorted(Path("/usr/lib/postgresql").glob("*/bin"))


def available() -> str | None:
    """Why private clusters cannot run here, or None."""
    if not _BINS or not (_BINS[-1] / "initdb").exists():
        return "PostgreSQL's server programs (initdb, pg_ctl) are not installed"
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        return "running as root without runuser"
    return None


def _as_owner(args: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


def _run(*args: str) -> None:
    subprocess.run(  # noqa: S603 (PostgreSQL's own programs, fixed arguments)
        _as_owner([str(_BINS[-1] / args[0]), *args[1:]]), check=True, capture_output=True
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Cluster:
    """One private server: ``url`` (SQLAlchemy, psycopg, database ``postgres``)."""

    data: Path
    port: int
    _frozen: list[int] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def start(self) -> None:
        _run("pg_ctl", "-D", str(self.data), "-l", str(self.data / "server.log"), "-w", "start")

    def stop(self, mode: str = "fast") -> None:
        """``fast``: disconnect every client and stop; ``immediate``: as a crash would."""
        _run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def promote(self) -> None:
        _run("pg_ctl", "-D", str(self.data), "-w", "promote")

    def pids(self) -> list[int]:
        """The postmaster and every backend it started."""
        first = int((self.data / "postmaster.pid").read_text().split()[0])
        found = subprocess.run(  # noqa: S603 (a fixed program)
            ["pgrep", "-P", str(first)],  # noqa: S607 (procps, on every machine)
            capture_output=True,
            text=True,
            check=False,
        ).stdout.split()
        return [first, *map(int, found)]

    def freeze(self) -> None:
        """Stop every process of the server where it stands (SIGSTOP): connections stay
        open and nothing answers, as with a stalled disk or host."""
        self._frozen = self.pids()
        for pid in self._frozen:
            os.kill(pid, signal.SIGSTOP)

    def thaw(self) -> None:
        for pid in self._frozen:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGCONT)
        self._frozen = []

    def sql(self, statement: str) -> str:
        done = subprocess.run(  # noqa: S603 (a fixed program, our own private server)
            [  # noqa: S607 (the PostgreSQL client, installed by scripts/setup)
                "psql",
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                "postgres",
                "-d",
                "postgres",
                "-Atc",
                statement,
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout.strip()


def _folder() -> Path:
    path = Path(tempfile.mkdtemp(prefix="loyalist-pg-"))
    if os.geteuid() == 0:
        shutil.chown(path, "postgres", "postgres")
    return path


def new_cluster(*, settings: dict[str, str] | None = None) -> Cluster:
    """A fresh, started primary (trust auth on loopback, replication allowed)."""
    root = _folder()
    data = root / "data"
    _run("initdb", "-D", str(data), "-A", "trust", "-U", "postgres", "--no-sync")
    lines = {
        "port": str(free_port()),
        "listen_addresses": "'127.0.0.1'",
        "unix_socket_directories": f"'{root}'",
        "fsync": "off",
        "wal_level": "replica",
        "max_wal_senders": "4",
        **(settings or {}),
    }
    with (data / "postgresql.conf").open("a") as conf:
        conf.writelines(f"{key} = {value}\n" for key, value in lines.items())
    cluster = Cluster(data, int(lines["port"]))
    cluster.start()
    return cluster


def replica_of(primary: Cluster, *, name: str = "replica") -> Cluster:
    """A streaming replica of ``primary`` (``pg_basebackup -R``), started; named
    ``name`` (its ``application_name``, for ``synchronous_standby_names``)."""
    root = _folder()
    data = root / "data"
    _run(
        "pg_basebackup",
        "-h",
        "127.0.0.1",
        "-p",
        str(primary.port),
        "-U",
        "postgres",
        "-D",
        str(data),
        "-R",
        "-X",
        "stream",
        "-d",
        f"host=127.0.0.1 port={primary.port} user=postgres application_name={name}",
    )
    port = free_port()
    with (data / "postgresql.conf").open("a") as conf:
        conf.write(f"port = {port}\nunix_socket_directories = '{root}'\n")
    replica = Cluster(data, port)
    replica.start()
    return replica


def remove(cluster: Cluster) -> None:
    cluster.thaw()
    with contextlib.suppress(subprocess.CalledProcessError, FileNotFoundError):
        cluster.stop("immediate")
    shutil.rmtree(cluster.data.parent, ignore_errors=True)


@contextlib.contextmanager
def private_cluster(*, settings: dict[str, str] | None = None) -> Iterator[Cluster]:
    """A private primary for the block, removed after (skips where one cannot run)."""
    problem = available()
    if problem:
        pytest.skip(problem)
    cluster = new_cluster(settings=settings)
    try:
        yield cluster
    finally:
        remove(cluster)


def wait_until(check: Callable[[], bool], timeout: float = 30.0) -> None:
    """Poll ``check()`` until it is true (bounded)."""
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.05)
