"""``loyalist``: set up, serve, run the worker, manage keys, import, demo, verify."""

from __future__ import annotations

import logging
import sys
from typing import Annotated

import typer
from rich.console import Console

from loyalist.cli import apikeys, coupons, events, insights, ledger, program, runtime
from loyalist.cli.context import cli_errors, load_settings, open_app
from loyalist.db.crypto import write_key_file

app = typer.Typer(
    name="loyalist",
    no_args_is_help=True,
    add_completion=False,
    help="Loyalist: customer loyalty, referral and retention platform.",
)
app.add_typer(apikeys.app, name="apikeys")
app.add_typer(coupons.app, name="coupons")
app.add_typer(events.app, name="import")
app.add_typer(insights.app, name="insights")
app.add_typer(ledger.app, name="ledger")
app.add_typer(program.app, name="program")
app.add_typer(program.rules_app, name="rules")
app.command("serve")(runtime.serve)
app.command("worker")(runtime.worker)
app.command("demo")(events.demo)
console = Console(stderr=True, soft_wrap=True)


@app.command()
def init(
    quiet: Annotated[bool, typer.Option("--quiet", "-q")] = False,
) -> None:
    """Create the secret key file (unless LOYALIST_SECRET_KEY is set) and migrate the database."""
    with cli_errors():
        settings = load_settings()
        if not settings.secret_key and write_key_file(settings.key_file):
            console.print(
                f"created secret key {settings.key_file} (mode 600): back it up; "
                "personal data cannot be read without it"
            )
        with open_app(settings, migrate=True) as loyalist:
            if not quiet:
                console.print(f"database ready: {loyalist.settings.effective_database_url}")


def main() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)
