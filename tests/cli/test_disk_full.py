"""The SQLite file's disk full under ``loyalist serve``: a real server process whose files
may not grow past a limit (``RLIMIT_FSIZE``, the ``ulimit -f`` of a shell; writes past it
fail with EFBIG, as on a full disk). Writes answer ``507 storage_full``, reads go on, and the
file stays whole with every acknowledged event in it."""

from __future__ import annotations

import contextlib
import os
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from loyalist.bootstrap import bootstrap
from loyalist.db.crypto import Keyring
from loyalist.settings import Settings
from tests.api.conftest import bearer, make_key
from tests.cli.conftest import needs_sqlite
from tests.conftest import START, TEST_KEY, event
from tests.pgcluster import free_port

PROBLEM_JSON = "application/problem+json"
#: How far the database's files may grow past the migrated database: a few dozen commits.
ROOM_BYTES = 192 * 1024


def _limited(limit: int) -> None:
    """In the server process before it starts: files stop at ``limit`` bytes, and writing
    past it fails (EFBIG) instead of killing the process (SIGXFSZ)."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


@pytest.fixture
def database(tmp_path: Path, sqlite_template: Path) -> tuple[Path, dict[str, str]]:
    """A migrated SQLite file and an admin key's headers."""
    path = tmp_path / "loyalist.db"
    shutil.copy(sqlite_template, path)
    app = bootstrap(
        Settings(database_url=f"sqlite:///{path}"), keyring=Keyring.from_secrets(TEST_KEY)
    )
    headers = bearer(make_key(app, "shop", "admin"))
    app.close()
    return path, headers


@contextlib.contextmanager
def serving_limited(path: Path, log: Path) -> Iterator[str]:
    """``loyalist serve`` on ``path``, whose files may grow by ``ROOM_BYTES`` only (its
    log in ``log``, which it may write freely: the limit is per file, and the log is
    opened by this process); its base URL. The server is stopped (SIGTERM) when the block
    ends."""
    url = f"sqlite:///{path}"
    port = free_port()
    env = os.environ | {
        "LOYALIST_DATABASE_URL": url,
        "LOYALIST_SECRET_KEY": TEST_KEY,
        "LOYALIST_DB__RETRY_AFTER_SECONDS": "2",
    }
    limit = path.stat().st_size + ROOM_BYTES
    with log.open("wb") as sink:
        server = subprocess.Popen(  # noqa: S603 (our own command)
            [str(Path(sys.executable).parent / "loyalist"), "serve", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=sink,
            preexec_fn=lambda: _limited(limit),
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            assert server.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "the server did not start"
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        yield base
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(5)


@needs_sqlite
def test_a_full_disk_answers_507_keeps_reading_and_loses_nothing(
    database: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    path, headers = database
    log = tmp_path / "server.log"
    acknowledged: list[str] = []
    refused: list[httpx.Response] = []
    with (
        serving_limited(path, log) as base,
        httpx.Client(base_url=base, headers=headers, timeout=20) as client,
    ):
        assert client.put("/api/v1/members/M1", json={}).is_success
        for n in range(2_000):
            padding = "x" * 8_000  # a few pages per event: the limit is met in ~30
            sent = event(f"e{n}", "x.page_view", "M1", START, note=padding)
            response = client.post("/api/v1/events", json=sent)
            if response.status_code == 202:
                acknowledged.append(f"e{n}")
            else:
                refused.append(response)
                if len(refused) == 5:
                    break
        balance = client.get("/api/v1/members/M1/points")
        member = client.get("/api/v1/members/M1")
        health = client.get("/healthz")

    assert len(refused) == 5, "the writes never failed"
    assert acknowledged
    assert {(r.status_code, r.headers["content-type"], r.json()["code"]) for r in refused} == {
        (507, PROBLEM_JSON, "storage_full")
    }
    assert (balance.status_code, member.status_code, health.status_code) == (200, 200, 200)
    with contextlib.closing(sqlite3.connect(path)) as afterwards:
        assert afterwards.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        stored = {row[0] for row in afterwards.execute("SELECT event_id FROM activities")}
    assert set(acknowledged) <= stored
    logged = log.read_text()
    assert "Traceback" not in logged
    assert logged.count("database full: ") == 1
