"""``loyalist keys rotate``: bring every key and sealed value under the active master key."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    TaskID,
)
from rich.table import Table

from loyalist.cli.context import cli_errors, counted_progress, open_app

app = typer.Typer(help="Master keys: rotation.", no_args_is_help=True)
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


@app.command()
def rotate(
    chunk_size: Annotated[int, typer.Option(min=1, max=10_000, help="rows per transaction")] = 500,
) -> None:
    """Rewrap every member's data key and the blind-index key under LOYALIST_SECRET_KEY,
    reseal webhook secrets, and move values still sealed by a master key under their
    member's own key. Keep the old key in LOYALIST_RETIRED_KEYS until this finishes.

    Commits every chunk: interrupted, the same command continues with what is left.
    Blind indexes and the links in messages already sent keep working throughout.
    """
    with (
        cli_errors(),
        open_app() as loyalist,
        counted_progress() as progress,
    ):
        tasks: dict[str, TaskID] = {}

        def show(step: str, done: int, total: int) -> None:
            if step not in tasks:
                tasks[step] = progress.add_task(step, total=total)
            progress.update(tasks[step], completed=done, total=total)

        changed = loyalist.rotate_keys(chunk_size=chunk_size, progress=show)
        active = loyalist.keyring.active.key_id
    table = Table("step", "changed", title=f"under master key {active}")
    for step, count in changed.items():
        table.add_row(step, f"{count:,}")
    out.print(table)
    out.print(
        "done: every key and sealed value is under the active master key; "
        "the retired keys may now be removed from LOYALIST_RETIRED_KEYS"
    )
