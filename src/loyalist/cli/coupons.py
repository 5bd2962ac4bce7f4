"""``loyalist coupons generate|export``: unique codes in bulk, with progress, and to CSV."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.progress import (
    TaskID,
)

from loyalist.cli.context import cli_errors, counted_progress, open_app, print_error
from loyalist.coupons import generation
from loyalist.coupons.schemas import GenerateIn
from loyalist.db.files import private_opener
from loyalist.errors import RequestInvalidError

app = typer.Typer(help="Coupon codes: generate unique codes in bulk, export them.")
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

Campaign = Annotated[str, typer.Argument(help="the coupon campaign's key")]


def _spec(count: int, length: int, prefix: str, group: int, request_key: str) -> GenerateIn:
    """The options as the API's body, with the same limits; a bad one exits 2."""
    options = {"count": count, "length": length, "prefix": prefix, "group": group}
    try:
        return GenerateIn(**options, request_key=request_key)
    except ValidationError as exc:
        problems = exc.errors()
        first = problems[0]
        print_error(
            RequestInvalidError.code,
            f"--{str(first['loc'][0]).replace('_', '-')}: {first['msg']}",
        )
        for problem in problems[1:]:
            option = str(problem["loc"][0]).replace("_", "-")
            err.print(f"  --{option}: {problem['msg']}", markup=False, highlight=False)
        raise typer.Exit(2) from None


@app.command()
def generate(
    campaign: Campaign,
    count: Annotated[int, typer.Option(help="codes to generate (at most 10,000,000)")],
    request_key: Annotated[
        str,
        typer.Option(help="names this run: the same command again resumes it, never doubles"),
    ],
    length: Annotated[int, typer.Option(help="random characters per code (6–32)")] = 10,
    prefix: Annotated[str, typer.Option(help="letters and digits before the random part")] = "",
    group: Annotated[
        int, typer.Option(help="display: a hyphen every N random characters (0: none)")
    ] = 0,
) -> None:
    """Generate unique codes for a campaign, in chunks of 50,000 per transaction.

    Codes count only once the whole batch is stored: interrupted, the same command (same
    --request-key and parameters) continues where it stopped.
    """
    spec = _spec(count, length, prefix, group, request_key)
    with (
        cli_errors(),
        open_app() as loyalist,
        counted_progress() as progress,
    ):
        tasks: list[TaskID] = []

        def show(done: int, total: int) -> None:
            # The bar appears once the batch exists: a refused request shows only its error.
            if not tasks:
                tasks.append(progress.add_task(f"generating codes for {campaign}", total=total))
            progress.update(tasks[0], completed=done, total=total)

        started = time.perf_counter()
        run = generation.generate(loyalist.db, campaign, spec, progress=show)
        seconds = time.perf_counter() - started
    batch = run.batch
    if run.added == 0:
        out.print(
            f"batch {batch.id} ({batch.request_key!r}) already holds its {batch.generated:,} "
            "codes: nothing added",
            markup=False,
            highlight=False,
        )
        return
    rate = run.added / seconds if seconds else 0.0
    resumed = "" if run.created else " (resumed)"
    out.print(
        f"generated {run.added:,} codes for {campaign}{resumed} in {seconds:.1f} s: "
        f"{rate:,.0f} codes/s; batch {batch.id} is {batch.status} with {batch.generated:,}",
        markup=False,
        highlight=False,
    )


@app.command()
def export(
    campaign: Campaign,
    out_file: Annotated[
        Path | None,
        typer.Option("--out", "-o", dir_okay=False, help="CSV file (default: standard output)"),
    ] = None,
) -> None:
    """The campaign's usable codes as CSV: code,uses,max_uses,member_id,valid_until.

    Codes of batches still being generated are left out. Streamed page by page; a file is
    written beside its name and renamed when complete.
    """
    count = 0

    def counted(rows: Iterator[generation.ExportedCode]) -> Iterator[generation.ExportedCode]:
        nonlocal count
        for row in rows:
            count += 1
            yield row

    with cli_errors(), open_app() as loyalist:
        pieces = generation.csv_chunks(counted(generation.export_codes(loyalist.db, campaign)))
        if out_file is None:
            for piece in pieces:
                sys.stdout.write(piece)
            sys.stdout.flush()
        else:
            partial = out_file.with_name(out_file.name + ".part")
            try:
                with open(
                    partial, "w", encoding="utf-8", newline="", opener=private_opener
                ) as handle:
                    handle.writelines(pieces)
            except BaseException:
                partial.unlink(missing_ok=True)
                raise
            partial.replace(out_file)
    where = str(out_file) if out_file is not None else "standard output"
    err.print(f"exported {count:,} codes of {campaign} to {where}", markup=False)
