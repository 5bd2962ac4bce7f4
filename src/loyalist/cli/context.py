"""Opening the application for a command, and turning errors into messages and exit codes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import typer
from rich.console import Console

from loyalist.bootstrap import KeyMissingError, Loyalist, bootstrap, migrate
from loyalist.errors import DomainError
from loyalist.settings import Settings

err = Console(stderr=True)


@contextmanager
def cli_errors() -> Iterator[None]:
    """``error[code]: detail`` on stderr and the error's exit code (2 input, 3 not found,
    4 conflict, 5 access, 1 set-up)."""
    try:
        yield
    except DomainError as exc:
        err.print(f"[red]error[{exc.code}][/red]: {exc.detail}", highlight=False)
        for field in exc.errors:
            err.print(f"  {field.pointer or '/'}: {field.detail}", highlight=False)
        raise typer.Exit(exc.exit_code) from None
    except KeyMissingError as exc:
        err.print(f"[red]error[key_missing][/red]: {exc}", highlight=False)
        raise typer.Exit(1) from None


@contextmanager
def open_app(settings: Settings | None = None, *, migrate: bool = True) -> Iterator[Loyalist]:
    loyalist = bootstrap(settings or Settings())
    try:
        if migrate:
            _migrate(loyalist)
        yield loyalist
    finally:
        loyalist.close()


def _migrate(loyalist: Loyalist) -> None:
    migrate(loyalist)
