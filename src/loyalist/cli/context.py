"""Opening the application for a command, and turning errors into messages and exit codes."""

from __future__ import annotations

import gc
import getpass
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import typer
from pydantic import BaseModel, ValidationError
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskProgressColumn,
    TextColumn,
    TimeRemainingColumn,
)
from rich.text import Text
from sqlalchemy.exc import ArgumentError, OperationalError

from loyalist.audit.models import Actor, ActorKind
from loyalist.bootstrap import Loyalist, bootstrap, load_keyring, migrate, schema_revisions
from loyalist.cli.errors import (
    DatabaseUrlInvalidError,
    KeyInvalidError,
    OptionInvalidError,
    SchemaOutdatedError,
    SettingsInvalidError,
)
from loyalist.db.engine import is_sqlite
from loyalist.db.errors import DatabaseUnavailableError
from loyalist.errors import DomainError, FieldError
from loyalist.settings import Settings

# Soft wrap: a message piped to a file or a test must not be broken at 80 columns.
err = Console(stderr=True, soft_wrap=True)


def counted_progress() -> Progress:
    """A progress display on stderr for work of known size: name, bar, done of total,
    percentage and time left."""
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TaskProgressColumn(),
        TimeRemainingColumn(),
        console=err,
    )


def cli_actor() -> Actor:
    """Who acts in the audit trail for a command: the system, on behalf of the operating
    system user who ran it (``cli:<user>``)."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no name for the process's uid (a bare container)
        user = "unknown"
    return Actor(ActorKind.SYSTEM, label=f"cli:{user}")


def print_error(code: str, detail: str) -> None:
    """``error[code]: detail`` on stderr, never read as Rich markup."""
    err.print(Text.assemble((f"error[{code}]", "red"), f": {detail}"))


@contextmanager
def cli_errors() -> Iterator[None]:
    """``error[code]: detail`` on stderr and the error's exit code (2 input, 3 not found,
    4 conflict, 5 access, 1 set-up)."""
    try:
        yield
    except DomainError as exc:
        print_error(exc.code, exc.detail)
        for field in exc.errors:
            err.print(f"  {field.pointer or '/'}: {field.detail}", markup=False, highlight=False)
        raise typer.Exit(exc.exit_code) from None


Model = TypeVar("Model", bound=BaseModel)


def valid_options(model: type[Model], **options: Any) -> Model:
    """The options as the API's body, with the same limits.

    Raises:
        OptionInvalidError: an option breaks them (each named with its problem).
    """
    try:
        return model(**options)
    except ValidationError as exc:
        raise OptionInvalidError(
            "an option is not valid",
            errors=[
                FieldError(f"--{str(e['loc'][0]).replace('_', '-')}", e["msg"])
                for e in exc.errors()
            ],
        ) from None


def load_settings() -> Settings:
    """Settings from the environment. Raises SetupError."""
    try:
        return Settings()
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in e['loc'])}: {e['msg']}" for e in exc.errors()
        )
        raise SettingsInvalidError(f"LOYALIST_* settings: {problems}") from None


def settle_heap(loyalist: Loyalist) -> None:
    """For long-running commands (serve, worker, import, demo): load every domain now and
    move what start-up made into the collector's permanent generation, so the garbage
    collections of a busy process no longer walk it (~15% of the batch ingest's CPU)."""
    loyalist.prepare()
    gc.collect()
    gc.freeze()


def _unusable_url(settings: Settings) -> str:
    """The setting whose database URL does not parse: the database's, else the replica's."""
    urls = (
        ("LOYALIST_DATABASE_URL", settings.database_url),
        ("LOYALIST_DATABASE_READ_URL", settings.database_read_url),
    )
    for name, url in urls:
        try:
            is_sqlite(url or "sqlite://")
        except ArgumentError:
            return name
    return "LOYALIST_DATABASE_URL"


@contextmanager
def open_app(settings: Settings | None = None, *, migrate: bool = False) -> Iterator[Loyalist]:
    """The configured application; ``migrate`` brings the schema up to date (``init``),
    otherwise a schema that is not at this version's head is a set-up error.

    Raises:
        SetupError: invalid settings or secret key, no secret key (``loyalist init``
            creates one), a master key the stored keys need is not kept, or the database
            cannot be reached.
    """
    settings = settings or load_settings()
    try:
        keyring = load_keyring(settings)
    except ValueError as exc:
        raise KeyInvalidError(str(exc)) from None
    try:
        loyalist = bootstrap(settings, keyring=keyring)
    except ArgumentError as exc:
        raise DatabaseUrlInvalidError(f"{_unusable_url(settings)}: {exc}") from None
    try:
        if migrate:
            _migrate(loyalist)
        else:
            _check_schema(loyalist)
        keyring.check()
        yield loyalist
    finally:
        loyalist.close()


def _check_schema(loyalist: Loyalist) -> None:
    try:
        current, head = schema_revisions(loyalist)
    except OperationalError as exc:
        raise _unavailable(loyalist, exc) from None
    if current != head:
        raise SchemaOutdatedError(
            f"the database schema is at {current or 'nothing'}, this version needs {head}: "
            "run `loyalist init` to migrate"
        )


def _migrate(loyalist: Loyalist) -> None:
    try:
        migrate(loyalist)
    except OperationalError as exc:
        raise _unavailable(loyalist, exc) from None


def _unavailable(loyalist: Loyalist, exc: OperationalError) -> DatabaseUnavailableError:
    """The database cannot be reached; the URL is shown without its password."""
    first = str(exc.orig or exc).strip().splitlines()[0]
    return DatabaseUnavailableError(
        f"cannot open {loyalist.db.write_engine.url.render_as_string()}: {first}"
    )
