"""``loyalist export members|ledger|balances|orders``: streamed, with progress, to CSV or
Parquet (polars).

Each export reads in chunks inside one read-only transaction (one consistent state of the
books) and writes beside the file's name, renamed when complete: a file is never
half-written. CSV streams straight to the file; Parquet spools each chunk as an Arrow IPC
file in a temporary directory and polars' streaming engine sinks them into one Parquet
file, so memory stays at a chunk whatever the size.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime, time, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo

import polars as pl
import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from loyalist.activities import export as order_export
from loyalist.audit import service as audit
from loyalist.bootstrap import Loyalist
from loyalist.campaigns.audience import Criteria
from loyalist.campaigns.schemas import Audience
from loyalist.cli.context import cli_actor, cli_errors, open_app
from loyalist.db.files import private_opener
from loyalist.db.uow import UnitOfWork
from loyalist.ledger import export as ledger_export
from loyalist.members import export as member_export
from loyalist.members import service as members

app = typer.Typer(
    help="Export members, ledger postings, balances or orders to CSV or Parquet.",
    no_args_is_help=True,
)
err = Console(stderr=True, soft_wrap=True)
out = Console(soft_wrap=True)

#: Members walked per chunk when an audience narrows the export (each chunk's facts are
#: read for the condition).
AUDIENCE_CHUNK = 2_000
#: How a UTC time is written in a CSV file.
CSV_TIME = "%Y-%m-%dT%H:%M:%S%.6fZ"


class FileFormat(StrEnum):
    CSV = "csv"
    PARQUET = "parquet"


OutFile = Annotated[
    Path, typer.Option("--out", "-o", dir_okay=False, help="the file to write (.csv or .parquet)")
]
FormatOption = Annotated[
    FileFormat | None,
    typer.Option("--format", help="csv or parquet (default: from the file's suffix)"),
]
FromDay = Annotated[
    datetime | None,
    typer.Option("--from", formats=["%Y-%m-%d"], help="first day (the program's zone)"),
]
ToDay = Annotated[
    datetime | None,
    typer.Option("--to", formats=["%Y-%m-%d"], help="last day, included"),
]

#: ``frames(uow, walked)``: an export's frames, ``walked(rows read)`` after each chunk.
Frames = Callable[[UnitOfWork, Callable[[int], None]], Iterator[pl.DataFrame]]


def _format(path: Path, given: FileFormat | None) -> FileFormat:
    if given is not None:
        return given
    return FileFormat.PARQUET if path.suffix.lower() == ".parquet" else FileFormat.CSV


def write_frames(
    frames: Iterable[pl.DataFrame], schema: pl.Schema, path: Path, kind: FileFormat
) -> int:
    """Write ``frames`` (each of ``schema``) to ``path`` as one CSV or Parquet file,
    through a temporary name; returns the rows written."""
    partial = path.with_name(f".{path.name}.part")
    rows = 0
    try:
        if kind == FileFormat.CSV:
            with open(partial, "wb", opener=private_opener) as handle:
                header = True
                for frame in frames:
                    _csv_ready(frame).write_csv(
                        handle, include_header=header, datetime_format=CSV_TIME
                    )
                    header = False
                    rows += frame.height
                if header:
                    _csv_ready(pl.DataFrame(schema=schema)).write_csv(handle)
        else:
            spool = Path(tempfile.mkdtemp(prefix=".export-", dir=path.parent))
            try:
                parts: list[Path] = []
                for frame in frames:
                    part = spool / f"{len(parts):06d}.arrow"
                    frame.write_ipc(part, compression="uncompressed")
                    parts.append(part)
                    rows += frame.height
                with open(partial, "wb", opener=private_opener) as handle:
                    if parts:
                        pl.scan_ipc(parts).sink_parquet(handle)
                    else:
                        pl.DataFrame(schema=schema).write_parquet(handle)
            finally:
                shutil.rmtree(spool, ignore_errors=True)
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    return rows


def _csv_ready(frame: pl.DataFrame) -> pl.DataFrame:
    """Lists (a member's segments) as one cell, values joined by ``;``."""
    lists = [name for name, dtype in frame.schema.items() if isinstance(dtype, pl.List)]
    if not lists:
        return frame
    return frame.with_columns(pl.col(name).list.join(";") for name in lists)


def _run(
    loyalist: Loyalist,
    what: str,
    frames: Frames,
    schema: pl.Schema,
    path: Path,
    kind: FileFormat,
    total: int | None = None,
) -> int:
    """Write one export with a progress display on stderr (rows read, of ``total``)."""
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
    ) as progress:
        task = progress.add_task(f"exporting {what}", total=total)

        def walked(count: int) -> None:
            progress.advance(task, count)

        def op(uow: UnitOfWork) -> int:
            return write_frames(frames(uow, walked), schema, path, kind)

        written = loyalist.db.analyse(op)
        done = progress.tasks[0].completed
        progress.update(task, total=done, completed=done)
    out.print(f"exported {written} {what} to {path}", markup=False, highlight=False)
    return written


def _start_of(day: datetime | None, zone: ZoneInfo, *, days: int = 0) -> datetime | None:
    """Midnight of ``day`` (plus ``days``) in the program's zone."""
    if day is None:
        return None
    return datetime.combine(day.date() + timedelta(days=days), time(), tzinfo=zone)


@app.command("members")
def export_members(
    out_file: OutFile,
    file_format: FormatOption = None,
    segment: Annotated[
        list[str] | None, typer.Option(help="members holding this segment (repeat: any of them)")
    ] = None,
    where: Annotated[
        str | None,
        typer.Option(help="a CEL condition over `member`, as a campaign audience's"),
    ] = None,
    personal: Annotated[
        bool,
        typer.Option(
            "--personal", help="include e-mail, phone, names and birthday in full (audited)"
        ),
    ] = False,
) -> None:
    """Members, masked: no personal value, only whether an e-mail address and a phone
    number are known. ``--personal`` adds the personal fields in full and records the
    export in the audit trail. ``--segment`` and ``--where`` narrow it to an audience
    (erased members are then left out)."""
    kind = _format(out_file, file_format)
    with cli_errors(), open_app() as loyalist:
        criteria = None
        if segment or where:
            audience = Audience(segments=segment or [], condition=where)
            criteria = Criteria.of_audience(audience, "--where")
        program = loyalist.program

        def keep(uow: UnitOfWork, ids: Sequence[int]) -> set[int]:
            assert criteria is not None
            return criteria.matching_ids(uow, ids, program)

        def frames(uow: UnitOfWork, walked: Callable[[int], None]) -> Iterator[pl.DataFrame]:
            return member_export.frames(
                uow,
                personal=personal,
                keep=None if criteria is None else keep,
                chunk=member_export.CHUNK if criteria is None else AUDIENCE_CHUNK,
                walked=walked,
            )

        total = loyalist.db.analyse(members.count_members)
        schema = member_export.schema(personal=personal)
        rows = _run(loyalist, "members", frames, schema, out_file, kind, total)
        if personal:
            _audit(loyalist, out_file, rows, segment or [], where)


def _audit(
    loyalist: Loyalist, path: Path, rows: int, segments: list[str], where: str | None
) -> None:
    """One ``members.exported`` row in the audit trail for an export with personal data."""
    actor = cli_actor()

    def op(uow: UnitOfWork) -> None:
        audit.record(
            uow,
            actor,
            "members.exported",
            target_type="export",
            target_id=path.name,
            after={"personal": True, "rows": rows, "segments": segments, "where": where},
        )

    loyalist.db.write(op)


@app.command("ledger")
def export_ledger(
    out_file: OutFile,
    file_format: FormatOption = None,
    start: FromDay = None,
    end: ToDay = None,
) -> None:
    """Ledger postings effective in a period (for accounting): each moves ``amount``
    points from its debit account to its credit account."""
    kind = _format(out_file, file_format)
    with cli_errors(), open_app() as loyalist:
        zone = loyalist.program.zone
        first, after_last = _start_of(start, zone), _start_of(end, zone, days=1)

        def frames(uow: UnitOfWork, walked: Callable[[int], None]) -> Iterator[pl.DataFrame]:
            return ledger_export.postings(uow, first, after_last, walked=walked)

        _run(loyalist, "postings", frames, ledger_export.POSTINGS, out_file, kind)


@app.command("balances")
def export_balances(
    out_file: OutFile,
    file_format: FormatOption = None,
    at: Annotated[
        datetime | None,
        typer.Option(formats=["%Y-%m-%d"], help="at the end of this day (default: now)"),
    ] = None,
) -> None:
    """Each member's available, pending and held points at the end of a day (the
    program's zone), from the postings effective by then."""
    kind = _format(out_file, file_format)
    with cli_errors(), open_app() as loyalist:
        instant = _start_of(at, loyalist.program.zone, days=1) or loyalist.clock.now()
        total = loyalist.db.analyse(members.count_members)

        def frames(uow: UnitOfWork, walked: Callable[[int], None]) -> Iterator[pl.DataFrame]:
            return ledger_export.balances(uow, instant, walked=walked)

        _run(loyalist, "balances", frames, ledger_export.BALANCES, out_file, kind, total)


@app.command("orders")
def export_orders(
    out_file: OutFile,
    file_format: FormatOption = None,
    start: FromDay = None,
    end: ToDay = None,
) -> None:
    """Orders placed (or, never placed, paid) in a period, amounts in minor units."""
    kind = _format(out_file, file_format)
    with cli_errors(), open_app() as loyalist:
        zone = loyalist.program.zone
        first, after_last = _start_of(start, zone), _start_of(end, zone, days=1)

        def frames(uow: UnitOfWork, walked: Callable[[int], None]) -> Iterator[pl.DataFrame]:
            return order_export.orders(uow, first, after_last, walked=walked)

        _run(loyalist, "orders", frames, order_export.ORDERS, out_file, kind)
