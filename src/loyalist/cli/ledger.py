"""``loyalist ledger verify``."""

from __future__ import annotations

import typer
from rich.console import Console

from loyalist.cli.context import cli_errors, open_app
from loyalist.ledger.verification import verify_ledger

app = typer.Typer(help="The points ledger.", no_args_is_help=True)
out = Console(soft_wrap=True)


@app.command()
def verify() -> None:
    """Recompute every balance and lot from the postings; exit 1 on any difference."""
    with cli_errors(), open_app() as loyalist:
        report = loyalist.db.read(verify_ledger)
    out.print(f"checked {report.members} members, {report.lots} lots, {report.postings} postings")
    if not report.ok:
        for problem in report.problems:
            out.print(f"[red]✗[/red] {problem}", highlight=False)
        raise typer.Exit(1)
    out.print("[green]ledger consistent[/green]")
