"""Fixtures of the fault-injection suite: the command-line fixture of ``tests/cli`` (a set-up
installation on the test database), so real ``loyalist`` processes can be started and killed."""

from __future__ import annotations

from tests.cli.conftest import cli

__all__ = ["cli"]
