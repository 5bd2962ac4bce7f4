"""``loyalist insights nps``: Net Promoter Score by period and segment, tier or channel."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import orjson
import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from loyalist.cli.context import cli_errors, open_app
from loyalist.insights.nps import Dimension, Period
from loyalist.insights.schemas import NpsFigures, NpsReport

app = typer.Typer(
    help="Insights: KPIs, cohorts, journey, NPS, RFM segments, lifetime value, recommendations.",
    no_args_is_help=True,
)
out = Console(soft_wrap=True)


def _day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(
            f"{value!r} is not a date (YYYY-MM-DD)", param_hint=option
        ) from None


@app.command()
def nps(
    period: Annotated[
        Period | None, typer.Option(help="day, week (ISO, from Monday) or month; default: none")
    ] = None,
    by: Annotated[Dimension | None, typer.Option(help="segment, tier or channel")] = None,
    from_: Annotated[
        str | None, typer.Option("--from", help="first day (YYYY-MM-DD), program time zone")
    ] = None,
    to: Annotated[str | None, typer.Option(help="last day, included (YYYY-MM-DD)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the API's JSON")] = False,
) -> None:
    """NPS of first answers to each survey: promoters 9–10, passives 7–8, detractors 0–6,
    NPS = % promoters − % detractors. Tiers and segments are the members' current ones."""
    from loyalist.insights import service

    start, end = _day(from_, "--from"), _day(to, "--to")
    with cli_errors(), open_app() as loyalist:
        zone = loyalist.program.zone
        report = loyalist.db.analyse(
            lambda uow: service.nps_report(uow, zone, period=period, by=by, start=start, end=end)
        )
    if as_json:
        typer.echo(orjson.dumps(report.model_dump(mode="json", by_alias=True)).decode())
        return
    out.print(_table(report))


def _table(report: NpsReport) -> Table:
    title = f"NPS ({report.timezone})"
    if report.from_ or report.to:
        title += f" {report.from_ or '…'} – {report.to or '…'}"
    table = Table(title=title)
    if report.period is not None:
        table.add_column(report.period.value)
    if report.by is not None:
        table.add_column(report.by.value)
    for name in ("responses", "promoters", "passives", "detractors", "NPS"):
        table.add_column(name, justify="right")
    for row in report.rows:
        keys = [row.period or ""] if report.period is not None else []
        if report.by is not None:
            keys.append(escape(row.group) if row.group else "—")
        table.add_row(*keys, *_figures(row))
    if report.period is not None or report.by is not None:
        blanks = [""] * ((report.period is not None) + (report.by is not None))
        blanks[0] = "total"
        table.add_section()
        table.add_row(*blanks, *_figures(report.total))
    return table


def _figures(figures: NpsFigures) -> list[str]:
    score = "—" if figures.nps is None else f"{figures.nps:+.1f}" if figures.nps else "0.0"
    return [
        str(figures.responses),
        str(figures.promoters),
        str(figures.passives),
        str(figures.detractors),
        score,
    ]


# Commands defined beside this module, registered on the same ``insights`` group.
from loyalist.cli import insights_clv, insights_kpis, insights_recommend, insights_segments  # noqa: E402,F401
