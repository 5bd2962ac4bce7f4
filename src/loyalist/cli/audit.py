"""``loyalist audit verify``."""

from __future__ import annotations

import typer
from rich.console import Console

from loyalist.audit import verification
from loyalist.cli.context import cli_errors, open_app

app = typer.Typer(help="The audit trail: verify its hash chain.", no_args_is_help=True)
out = Console()


@app.command()
def verify() -> None:
    """Walk the audit trail's hash chain from its oldest row; exit 1 at the first row that
    was edited, deleted or inserted."""
    with cli_errors(), open_app() as loyalist:
        report = loyalist.db.read(verification.verify_chain)
    if report.broken is not None:
        broken = report.broken
        out.print(
            f"[red]✗[/red] audit row {broken.seq}: {broken.kind} ({broken.detail}); "
            f"{report.verified} rows before it verified",
            highlight=False,
        )
        raise typer.Exit(1)
    span = f" (rows {report.first_seq}–{report.last_seq})" if report.verified else ""
    out.print(f"[green]audit chain verified[/green]: {report.verified} rows{span}")
