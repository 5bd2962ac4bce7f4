"""``loyalist insights`` commands: kpis, cohorts, journey, time-to-second."""

from __future__ import annotations

import csv
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any

import orjson
import typer
from pydantic import BaseModel
from rich.console import Console
from rich.markup import escape
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from loyalist.cli.context import cli_errors, open_app
from loyalist.cli.insights import _day, app
from loyalist.db.uow import UnitOfWork
from loyalist.insights.nps import Dimension, Period
from loyalist.insights.schemas import (
    CohortsReport,
    JourneyReport,
    KpiFigures,
    KpiReport,
    SecondOrderReport,
)
from loyalist.ledger.policy import minor_unit_exponent

if TYPE_CHECKING:
    from loyalist.insights.export import Progress as ExportProgress

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

_FROM = typer.Option("--from", help="first day (YYYY-MM-DD), program time zone")
_TO = typer.Option("--to", help="last day, included (YYYY-MM-DD)")


def _currency(value: str | None) -> str | None:
    """A three-letter ISO 4217 code (any case), as the API requires; anything else would
    quietly match no order."""
    if value is None:
        return None
    code = value.strip().upper()
    if len(code) != 3 or not code.isascii() or not code.isalpha():
        raise typer.BadParameter(f"{value!r} is not a three-letter currency code such as EUR")
    return code


_CURRENCY = typer.Option(
    help="orders in this currency (default: the program's)", callback=_currency
)
_JSON = typer.Option("--json", help="print the API's JSON")
_CSV = typer.Option("--csv", help="write CSV to stdout")

#: Rows of the KPI table: (label, field, how to show it).
_KPI_ROWS: tuple[tuple[str, str, str], ...] = (
    ("members", "members", "int"),
    ("new members", "new_members", "int"),
    ("active members", "active_members", "int"),
    ("orders", "orders", "int"),
    ("revenue", "revenue", "money"),
    ("average order value", "average_order_value", "money"),
    ("purchase frequency", "purchase_frequency", "float"),
    ("repeat-purchase rate", "repeat_purchase_rate", "pct"),
    ("customers", "customers", "int"),
    ("churn rate", "churn_rate", "pct"),
    ("ambassadors", "ambassadors", "int"),
    ("NPS", "nps", "nps"),
    ("NPS responses", "nps_responses", "int"),
    ("reviews", "reviews", "int"),
    ("average rating", "average_rating", "float"),
    ("points issued", "points_issued", "int"),
    ("points redeemed", "points_redeemed", "int"),
    ("points expired", "points_expired", "int"),
    ("points reversed", "points_reversed", "int"),
    ("points adjusted", "points_adjusted", "int"),
    ("liability (points)", "liability_points", "int"),
    ("liability (money)", "liability_money", "liability"),
    ("breakage rate", "breakage_rate", "pct"),
    ("redemption rate", "redemption_rate", "pct"),
)


@contextmanager
def _exporting() -> Iterator[ExportProgress]:
    """A progress display on stderr while the snapshot is read (rows per table)."""
    with Progress(
        SpinnerColumn(),
        TextColumn("[bold]{task.description}"),
        TextColumn("{task.completed:,} rows"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    ) as progress:
        tasks: dict[str, Any] = {}

        def report(step: str, rows: int) -> None:
            if step not in tasks:
                tasks[step] = progress.add_task(f"reading {step}", total=None)
            progress.update(tasks[step], completed=rows)

        yield report


def _run(build: Callable[[UnitOfWork, Any, ExportProgress], BaseModel]) -> Any:
    with cli_errors(), open_app() as loyalist, _exporting() as report:
        program = loyalist.program
        return loyalist.db.analyse(lambda uow: build(uow, program, report))


def _print_json(report: BaseModel) -> None:
    typer.echo(orjson.dumps(report.model_dump(mode="json", by_alias=True)).decode())


def _write_csv(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(["" if v is None else v for v in row] for row in rows)


@app.command()
def kpis(
    period: Annotated[Period, typer.Option(help="day, week (ISO, from Monday) or month")] = (
        Period.MONTH
    ),
    by: Annotated[
        Dimension | None, typer.Option(help="channel (of the order), tier or segment")
    ] = None,
    from_: Annotated[str | None, _FROM] = None,
    to: Annotated[str | None, _TO] = None,
    churn_days: Annotated[
        int,
        typer.Option(min=1, max=3650, help="days without an order that make a churned customer"),
    ] = 180,
    currency: Annotated[str | None, _CURRENCY] = None,
    as_json: Annotated[bool, _JSON] = False,
    as_csv: Annotated[bool, _CSV] = False,
) -> None:
    """Program KPIs per period and group (definitions: docs/insights.md)."""
    start, end = _day(from_, "--from"), _day(to, "--to")
    # Imported here: polars and the analytics would slow every ``loyalist`` command.
    from loyalist.insights import service

    report: KpiReport = _run(
        lambda uow, program, progress: service.kpi_report(
            uow,
            program,
            period=period,
            by=by,
            start=start,
            end=end,
            churn_days=churn_days,
            currency=currency and currency.upper(),
            progress=progress,
        )
    )
    if as_json:
        _print_json(report)
        return
    fields = list(KpiFigures.model_fields)
    if as_csv:
        _write_csv(
            ["period", "period_start", "group", *fields],
            [
                [
                    row.period,
                    row.period_start.isoformat(),
                    row.group,
                    *(getattr(row, f) for f in fields),
                ]
                for row in report.rows
            ],
        )
        return
    print_kpis(report, out)


def print_kpis(report: KpiReport, console: Console) -> None:
    """One Rich table per group (and the totals); group names are shown as text, never
    read as markup (a shop's segment may be called ``[vip]``)."""
    groups = list(dict.fromkeys(row.group for row in report.rows))
    for group in groups:
        rows = [row for row in report.rows if row.group == group]
        title = f"KPIs ({report.timezone}, {report.currency or 'all currencies'})"
        if report.by is not None:
            title += f" — {report.by.value}: {escape(group) if group else '—'}"
        console.print(_kpi_table(title, [r.period for r in rows], rows, report))
    if report.totals is not None:
        title = f"KPIs ({report.timezone}) — total, every member once"
        console.print(_kpi_table(title, [r.period for r in report.totals], report.totals, report))


def _kpi_table(
    title: str, periods: list[str], rows: Sequence[KpiFigures], report: KpiReport
) -> Table:
    # The latest periods that fit the terminal; --csv and --json have them all.
    shown = max(1, (out.width - 24) // 12)
    if len(periods) > shown:
        err.print(f"{title}: the last {shown} of {len(periods)} periods (--csv for all)")
        periods, rows = periods[-shown:], rows[-shown:]
    table = Table(title=title)
    table.add_column("KPI", no_wrap=True)
    for label in periods:
        table.add_column(label, justify="right", no_wrap=True)
    for label, field, kind in _KPI_ROWS:
        values = [getattr(row, field) for row in rows]
        if all(v is None for v in values) and field in ("members", "new_members", "customers"):
            continue
        table.add_row(label, *(_show(v, kind, report) for v in values))
    return table


def _show(value: Any, kind: str, report: KpiReport) -> str:
    if value is None:
        return "—"
    if kind == "pct":
        return f"{value * 100:.1f}%"
    if kind == "float":
        return f"{value:.2f}"
    if kind == "nps":
        return f"{value:+.1f}" if value else "0.0"
    if kind in ("money", "liability"):
        currency = report.liability_currency if kind == "liability" else report.currency
        exponent = minor_unit_exponent(currency or report.liability_currency)
        return f"{Decimal(value).scaleb(-exponent):,.{exponent}f}"
    return f"{value:,}"


@app.command()
def cohorts(
    from_: Annotated[str | None, _FROM] = None,
    to: Annotated[str | None, _TO] = None,
    currency: Annotated[str | None, _CURRENCY] = None,
    as_json: Annotated[bool, _JSON] = False,
    as_csv: Annotated[bool, _CSV] = False,
) -> None:
    """Retention by month of first order: share of each cohort ordering N months later."""
    start, end = _day(from_, "--from"), _day(to, "--to")
    # Imported here: polars and the analytics would slow every ``loyalist`` command.
    from loyalist.insights import service

    report: CohortsReport = _run(
        lambda uow, program, progress: service.cohorts_report(
            uow,
            program,
            start=start,
            end=end,
            currency=currency and currency.upper(),
            progress=progress,
        )
    )
    if as_json:
        _print_json(report)
        return
    if as_csv:
        _write_csv(
            ["cohort", "size", "months_since", "members", "share"],
            [
                [c.cohort, c.size, cell.months_since, cell.members, cell.share]
                for c in report.cohorts
                for cell in c.months
            ],
        )
        return
    width = max((len(c.months) for c in report.cohorts), default=0)
    fits = max(1, (out.width - 20) // 8)
    if width > fits:
        err.print(f"months since first order 0–{fits - 1} of 0–{width - 1} (--csv for all)")
        width = fits
    table = Table(title=f"Retention by month of first order ({report.timezone})")
    table.add_column("cohort", no_wrap=True)
    table.add_column("size", justify="right", no_wrap=True)
    for month in range(width):
        table.add_column(f"+{month}", justify="right", no_wrap=True)
    for c in report.cohorts:
        cells = [_heat(cell.share) for cell in c.months[:width]]
        table.add_row(c.cohort, f"{c.size:,}", *cells, *([""] * (width - len(cells))))
    out.print(table)


def _heat(share: float) -> Text:
    """A percentage coloured from dim (few came back) to bold green (most did)."""
    style = (
        "bold green"
        if share >= 0.5
        else "green"
        if share >= 0.25
        else "yellow"
        if share >= 0.1
        else "red"
        if share > 0
        else "dim"
    )
    return Text(f"{share * 100:.1f}%", style=style)


@app.command()
def journey(
    from_: Annotated[str | None, _FROM] = None,
    to: Annotated[str | None, _TO] = None,
    currency: Annotated[str | None, _CURRENCY] = None,
    as_json: Annotated[bool, _JSON] = False,
    as_csv: Annotated[bool, _CSV] = False,
) -> None:
    """The funnel enrolled → first → second → third order by month of enrolment."""
    start, end = _day(from_, "--from"), _day(to, "--to")
    # Imported here: polars and the analytics would slow every ``loyalist`` command.
    from loyalist.insights import service

    report: JourneyReport = _run(
        lambda uow, program, progress: service.journey_report(
            uow,
            program,
            start=start,
            end=end,
            currency=currency and currency.upper(),
            progress=progress,
        )
    )
    if as_json:
        _print_json(report)
        return
    fields = (
        [f for f in report.cohorts[0].model_dump() if f != "cohort_start"] if report.cohorts else []
    )
    if as_csv:
        header = fields or ["cohort", "enrolled"]
        _write_csv(header, [[getattr(c, f) for f in header] for c in report.cohorts])
        return
    table = Table(title=f"Customer journey by month of enrolment ({report.timezone})")
    for name in (
        "cohort",
        "enrolled",
        "1st order",
        "days",
        "2nd order",
        "days",
        "3rd order",
        "days",
    ):
        table.add_column(name, justify="left" if name == "cohort" else "right")
    for c in report.cohorts:
        table.add_row(
            c.cohort,
            f"{c.enrolled:,}",
            f"{c.first_order:,} ({c.first_order_share * 100:.1f}%)",
            _days(c.days_to_first_order),
            f"{c.second_order:,} ({c.second_order_share * 100:.1f}%)",
            _days(c.days_to_second_order),
            f"{c.third_order:,} ({c.third_order_share * 100:.1f}%)",
            _days(c.days_to_third_order),
        )
    out.print(table)


def _days(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


@app.command("time-to-second")
def time_to_second(
    currency: Annotated[str | None, _CURRENCY] = None,
    as_json: Annotated[bool, _JSON] = False,
) -> None:
    """Days from each repeat customer's first to second order: quartiles and a histogram."""
    # Imported here: polars and the analytics would slow every ``loyalist`` command.
    from loyalist.insights import service

    report: SecondOrderReport = _run(
        lambda uow, program, progress: service.second_order_report(
            uow, program, currency=currency and currency.upper(), progress=progress
        )
    )
    if as_json:
        _print_json(report)
        return
    out.print(
        f"customers {report.customers:,}, repeat customers {report.repeat_customers:,}; "
        f"days to second order: mean {_days(report.mean_days)}, p25 {_days(report.p25_days)}, "
        f"median {_days(report.median_days)}, p75 {_days(report.p75_days)}"
    )
    table = Table(title="Time to second order")
    for name in ("days", "customers", "share"):
        table.add_column(name, justify="right")
    for bucket in report.histogram:
        upper = "∞" if bucket.upper is None else str(bucket.upper)
        share = "—" if bucket.share is None else f"{bucket.share * 100:.1f}%"
        table.add_row(f"{bucket.lower}–{upper}", f"{bucket.customers:,}", share)
    out.print(table)
