"""``loyalist insights segments``: members per RFM segment, optionally recomputed first."""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING, Annotated

import orjson
import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from loyalist.cli.context import cli_errors, open_app
from loyalist.cli.insights import app

if TYPE_CHECKING:
    from loyalist.insights.segments import SegmentsSummary

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

CSV_COLUMNS = (
    "segment",
    "members",
    "share",
    "avg_recency_days",
    "avg_frequency",
    "avg_monetary",
    "avg_p_alive",
    "total_clv",
)


@app.command()
def segments(
    recompute: Annotated[
        bool, typer.Option("--recompute", help="recompute every member's scores first")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="print the API's JSON")] = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="print the segment rows as CSV")] = False,
) -> None:
    """Members per RFM segment from the stored scores: share of the members scored, average
    recency (days), frequency, monetary (minor units), probability alive and total CLV.
    Scores are recomputed daily by the worker; --recompute does it now (as the day's run)."""
    if as_json and as_csv:
        raise typer.BadParameter("choose one of --json and --csv", param_hint="--json/--csv")
    # Imported here: polars and scipy would slow every ``loyalist`` command.
    from loyalist.insights.scoring import RECOMPUTE_STEPS
    from loyalist.insights.segments import segments_summary

    with cli_errors(), open_app() as loyalist:
        if recompute:
            with Progress(
                TextColumn("[bold]{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                console=err,
                transient=as_json or as_csv,
            ) as progress:
                task = progress.add_task("recomputing scores", total=len(RECOMPUTE_STEPS))

                def show(done: int, step: str) -> None:
                    progress.update(task, completed=done, description=step)

                scored = loyalist.recompute_scores(progress=show)
            if not (as_json or as_csv):
                err.print(f"scored {scored:,} members", markup=False, highlight=False)
        report = loyalist.db.read(segments_summary)
    if as_json:
        typer.echo(orjson.dumps(report.model_dump(mode="json")).decode())
    elif as_csv:
        typer.echo(_csv(report), nl=False)
    else:
        out.print(_table(report))


def _csv(report: SegmentsSummary) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in report.segments:
        figures = row.model_dump()
        writer.writerow(["" if figures[c] is None else figures[c] for c in CSV_COLUMNS])
    return buffer.getvalue()


def _table(report: SegmentsSummary) -> Table:
    from loyalist.insights.rfm import SEGMENTS

    when = report.computed_at.isoformat(timespec="seconds") if report.computed_at else "never"
    table = Table(title=f"RFM segments (computed {when}, {report.members_scored:,} members)")
    table.add_column("segment", no_wrap=True, min_width=max(map(len, SEGMENTS)))
    for name in ("members", "share", "recency", "freq", "monetary", "p alive"):
        table.add_column(name, justify="right")
    table.add_column(f"CLV {report.currency or ''}".rstrip(), justify="right")
    for row in report.segments:
        table.add_row(
            row.segment,
            f"{row.members:,}",
            f"{row.share:.1%}",
            _num(row.avg_recency_days, 1),
            _num(row.avg_frequency, 2),
            _num(row.avg_monetary, 0),
            _num(row.avg_p_alive, 2),
            _num(row.total_clv, 0),
        )
    table.add_section()
    table.add_row("churn risk ≥ 0.7", f"{report.churn_risk_high:,}", *[""] * 6)
    return table


def _num(value: float | None, digits: int) -> str:
    return "—" if value is None else f"{value:,.{digits}f}"
