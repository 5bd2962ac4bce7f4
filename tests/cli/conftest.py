"""Fixtures for the command line: the real ``loyalist`` program, run as a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import pytest

from tests.conftest import TEST_KEY

#: Variables that change how Rich lays out output; ``LOYALIST_*`` ones are dropped as well.
_SCRUBBED = {"FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "COLUMNS", "LINES"}

#: For commands whose behaviour does not depend on the database backend: run them once, on
#: SQLite, and not at all in a PostgreSQL-only run (``LOYALIST_TEST_BACKEND=postgresql``).
needs_sqlite = pytest.mark.skipif(
    os.environ.get("LOYALIST_TEST_BACKEND", "all") not in ("all", "sqlite"),
    reason="backend-independent, runs on SQLite; LOYALIST_TEST_BACKEND excludes it",
)
sqlite_only = pytest.mark.parametrize(
    "db_url", [pytest.param("sqlite", marks=needs_sqlite)], indirect=True
)


@dataclass(frozen=True, slots=True)
class Result:
    code: int
    stdout: str
    stderr: str


@dataclass(frozen=True, slots=True)
class Cli:
    """``python -m loyalist`` with ``LOYALIST_HOME`` and, when given, the database URL and
    more variables."""

    home: Path
    database_url: str | None = None
    #: More variables for the commands (e.g. ``LOYALIST_SMTP__HOST``).
    extra_env: Mapping[str, str] = field(default_factory=dict)

    @property
    def env(self) -> dict[str, str]:
        env = {
            name: value
            for name, value in os.environ.items()
            if not name.startswith("LOYALIST_") and name not in _SCRUBBED
        }
        env["LOYALIST_HOME"] = str(self.home)
        if self.database_url is not None:
            env["LOYALIST_DATABASE_URL"] = self.database_url
        return env | dict(self.extra_env)

    def argv(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "loyalist", *args]

    def run(self, *args: str, timeout: float = 90) -> Result:
        done = subprocess.run(  # noqa: S603 (our own program, fixed arguments)
            self.argv(*args),
            env=self.env,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=timeout,
            check=False,
        )
        return Result(done.returncode, done.stdout, done.stderr)

    def start(self, *args: str, output: IO[bytes]) -> subprocess.Popen[bytes]:
        """Start a command in the background, stdout and stderr to ``output``."""
        return subprocess.Popen(  # noqa: S603 (our own program, fixed arguments)
            self.argv(*args), env=self.env, stdout=output, stderr=subprocess.STDOUT
        )


@pytest.fixture
def bare_cli(tmp_path: Path) -> Cli:
    """A home with nothing in it yet (no key, no database): what ``init`` starts from."""
    return Cli(tmp_path / "home")


@pytest.fixture
def cli(tmp_path: Path, db_url: str) -> Cli:
    """A set-up installation on the test database, with the tests' key in its key file, so
    the in-process ``app`` fixture reads what the commands wrote."""
    home = tmp_path / "home"
    home.mkdir()
    key_file = home / "secret.key"
    key_file.write_text(TEST_KEY + "\n")
    key_file.chmod(0o600)
    return Cli(home, db_url)
