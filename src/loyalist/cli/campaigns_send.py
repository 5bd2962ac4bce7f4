"""``loyalist campaigns launch`` and ``estimate``."""

from __future__ import annotations

from typing import Annotated

import orjson
import typer
from rich.console import Console
from rich.table import Table

from loyalist.cli.campaigns import app
from loyalist.cli.context import cli_actor, cli_errors, open_app

out = Console(soft_wrap=True)


@app.command()
def launch(key: Annotated[str, typer.Argument(help="the campaign's key")]) -> None:
    """Launch a draft campaign (again: nothing changes): the worker writes its audience
    and sends its messages, at its send time."""
    from loyalist.campaigns import broadcast

    with cli_errors(), open_app() as loyalist:
        state = loyalist.db.write(lambda uow: broadcast.launch(uow, key, cli_actor()).state)
    out.print(f"campaign {key}: {state}", markup=False, highlight=False)


@app.command()
def estimate(
    key: Annotated[str, typer.Argument(help="the campaign's key")],
    as_json: Annotated[bool, typer.Option("--json", help="print the API's JSON")] = False,
) -> None:
    """How many members the campaign's audience matches, and how many each channel
    reaches after consent and suppression (on a large shop estimated from a sample)."""
    from loyalist.campaigns import broadcast

    with cli_errors(), open_app() as loyalist:
        program = loyalist.program
        found = loyalist.db.read(lambda uow: broadcast.estimate(uow, key, program))
    if as_json:
        typer.echo(orjson.dumps(found.model_dump(mode="json")).decode())
        return
    sample = found.sample
    about = "" if sample is None else "≈ "
    title = f"campaign {key}: {about}{found.members:,} members match"
    if sample is not None:
        title += f" (estimated from a sample of {sample.size:,}; 95% intervals)"
    table = Table(title=title)
    table.add_column("")
    table.add_column("members", justify="right")
    for channel, count in found.channels.items():
        shown = f"{count:,}"
        if sample is not None:
            interval = sample.channels[channel]
            shown = f"≈ {shown} ({interval.low:,}–{interval.high:,})"
        table.add_row(f"reached by {channel}", shown)
    table.add_row("control group", f"{found.control:,}")
    for reason, count in found.excluded.items():
        table.add_row(f"left out: {reason.replace('_', ' ')}", f"{count:,}")
    out.print(table)
