"""``loyalist campaigns report KEY``: per arm, with uplift against the control group."""

from __future__ import annotations

from typing import Annotated, Any, Final

import orjson
import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from loyalist.cli.campaigns import app
from loyalist.cli.context import cli_errors, open_app
from loyalist.ledger.policy import minor_unit_exponent

out = Console(soft_wrap=True)

#: Width of the uplift chart's axis, in characters.
_AXIS: Final = 31


@app.command()
def report(
    key: Annotated[str, typer.Argument(help="the campaign's key")],
    as_json: Annotated[bool, typer.Option("--json", help="print the API's JSON")] = False,
) -> None:
    """Per arm (the control group is `control`): members, messages sent and delivered,
    conversions, revenue and costs; per variant, the uplift against the control group
    with its 95% interval, also drawn on a common axis (● the estimate, │ no effect)."""
    # Imported here: the statistics (scipy, statsmodels) would slow every command.
    from loyalist.campaigns import report as reports
    from loyalist.campaigns.schemas import CampaignReport

    with cli_errors(), open_app() as loyalist:
        program = loyalist.program
        found = loyalist.db.read(
            lambda uow: CampaignReport.model_validate(reports.report(uow, key, program))
        )
    if as_json:
        typer.echo(orjson.dumps(found.model_dump(mode="json", by_alias=True)).decode())
        return
    body = found.model_dump(mode="json")
    out.print(_arms_table(body))
    if body["uplift"]:
        out.print(_uplift_table(body))
        for line in _charts(body):
            out.print(line)
    state = "complete" if body["measurement_complete"] else "goal windows still open"
    winner = body["winner"] or "none declared"
    leader = f", leader now: {body['leader']}" if body["leader"] and not body["winner"] else ""
    out.print(
        f"goal {body['goal']['event']} within {body['goal']['days']} days; "
        f"measurement {state}; winner: {winner}{leader}",
        markup=False,
        highlight=False,
    )


def _money(amount: float | None, currency: str) -> str:
    """Minor units as whole units of ``currency`` (the table's title names it)."""
    if amount is None:
        return "–"
    digits = minor_unit_exponent(currency)
    return f"{amount / 10**digits:,.{digits}f}"


def _percent(rate: float | None, *, signed: bool = False, points: bool = False) -> str:
    """A rate as a percentage; a difference of rates in percentage points."""
    if rate is None:
        return "–"
    unit = " pts" if points else "%"
    return f"{rate * 100:+.1f}{unit}" if signed else f"{rate * 100:.1f}{unit}"


def _arms_table(body: dict[str, Any]) -> Table:
    """One column per arm, one row per figure (fits a terminal for a few arms)."""
    currency = body["currency"]
    table = Table(title=f"campaign {body['key']} ({body['state']}), money in {currency}")
    table.add_column("")
    arms = body["arms"]
    for arm in arms:
        table.add_column(arm["key"], justify="right")
    figures: list[tuple[str, Any]] = [
        ("members", lambda a: f"{a['members']:,}"),
        ("sent", lambda a: f"{a['sent']:,}"),
        ("delivered", lambda a: f"{a['delivered']:,}"),
        ("opened", lambda a: _count(a["opened"])),
        ("clicked", lambda a: _count(a["clicked"])),
        ("converted", lambda a: f"{a['converted']:,}"),
        ("conversion rate", lambda a: _percent(a["conversion_rate"])),
        ("revenue", lambda a: _money(a["revenue"], currency)),
        ("revenue per member", lambda a: _money(a["revenue_per_member"], currency)),
        ("points cost", lambda a: _money(a["points_cost"], currency)),
        ("discount cost", lambda a: _money(a["discount_cost"], currency)),
    ]
    for label, show in figures:
        table.add_row(label, *(show(a) for a in arms))
    return table


def _uplift_table(body: dict[str, Any]) -> Table:
    """One column per variant: its uplift against the control group."""
    currency = body["currency"]
    table = Table(title="against the control group (95% intervals)")
    table.add_column("")
    uplift = body["uplift"]
    for u in uplift:
        table.add_column(u["key"], justify="right")
    figures: list[tuple[str, Any]] = [
        ("conversion", lambda u: _percent(u["absolute"], signed=True, points=True)),
        ("  low", lambda u: _percent(u["low"], signed=True, points=True)),
        ("  high", lambda u: _percent(u["high"], signed=True, points=True)),
        ("  relative", lambda u: _percent(u["relative"], signed=True)),
        ("  p (Holm)", lambda u: _p(u["p_value_adjusted"])),
        ("revenue per member", lambda u: _money(u["revenue_per_member"]["difference"], currency)),
        ("  low", lambda u: _money(u["revenue_per_member"]["low"], currency)),
        ("  high", lambda u: _money(u["revenue_per_member"]["high"], currency)),
        ("incremental revenue", lambda u: _money(u["incremental_revenue"], currency)),
        ("incremental profit", lambda u: _money(u["incremental_profit"], currency)),
    ]
    for label, show in figures:
        table.add_row(label, *(show(u) for u in uplift))
    return table


def _charts(body: dict[str, Any]) -> list[Text]:
    """Each variant's conversion uplift and interval on one axis."""
    bounds = [v for u in body["uplift"] for v in (u["low"], u["high"]) if v is not None]
    span = max((abs(v) for v in bounds), default=0.0) or 1.0
    width = max(len(u["key"]) for u in body["uplift"])
    lines = [Text(f"{'':{width}}  −{span * 100:.1f} pts … 0 … +{span * 100:.1f} pts")]
    for u in body["uplift"]:
        line = Text(f"{u['key']:{width}}  ")
        line.append_text(_chart(u["absolute"], u["low"], u["high"], span))
        lines.append(line)
    return lines


def _count(value: int | None) -> str:
    return "–" if value is None else f"{value:,}"


def _p(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def _chart(estimate: float | None, low: float | None, high: float | None, span: float) -> Text:
    """The interval on an axis from −span to +span: ``─`` the interval, ``●`` the
    estimate, ``│`` zero; green when it lies wholly above zero, red wholly below."""
    if estimate is None or low is None or high is None:
        return Text("")

    def at(value: float) -> int:
        return round((value + span) / (2 * span) * (_AXIS - 1))

    cells = [" "] * _AXIS
    for i in range(at(low), at(high) + 1):
        cells[i] = "─"
    cells[at(0.0)] = "│"
    cells[at(estimate)] = "●"
    style = "green" if low > 0 else "red" if high < 0 else ""
    return Text("".join(cells), style=style)
