"""``loyalist campaigns`` commands: list, show, history, pause, resume, cancel, the seasonal
calendar and copying a season (launch and estimate in ``campaigns_send``, the report in
``campaigns_report``)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from loyalist.audit.models import Actor
from loyalist.campaigns import seasons
from loyalist.campaigns import service as campaigns
from loyalist.campaigns.schemas import CampaignRead
from loyalist.cli.context import cli_actor, cli_errors, open_app
from loyalist.db.uow import UnitOfWork

app = typer.Typer(
    help="Campaigns: audiences, offers, A/B variants with a control group, launches, reports.",
    no_args_is_help=True,
)
out = Console(soft_wrap=True)

Key = Annotated[str, typer.Argument(help="the campaign's key")]
AsJson = Annotated[bool, typer.Option("--json", help="JSON on stdout.")]


def _progress(found: CampaignRead) -> str:
    return ", ".join(f"{status} {n:,}" for status, n in sorted(found.progress.items())) or "-"


def _json(value: Any) -> None:
    typer.echo(json.dumps(value, ensure_ascii=False, indent=2, default=str))


@app.command("list")
def list_campaigns(as_json: AsJson = False) -> None:
    """Every campaign with its state and its sends by status."""
    with cli_errors(), open_app() as loyalist:
        found = loyalist.db.read(campaigns.list_campaigns)
    if as_json:
        _json([c.model_dump(mode="json") for c in found])
        return
    if not found:
        out.print("no campaigns", markup=False)
        return
    table = Table("key", "name", "state", "rev", "send at", "ends at", "sends")
    for c in found:
        table.add_row(
            c.key,
            c.name.en,
            str(c.state),
            str(c.revision),
            str(c.spec.send_at or "at launch"),
            str(c.spec.ends_at or "-"),
            _progress(c),
        )
    out.print(table)


@app.command()
def show(key: Key, as_json: AsJson = False) -> None:
    """A campaign: its state, progress and spec (JSON)."""
    with cli_errors(), open_app() as loyalist:
        found = loyalist.db.read(lambda uow: campaigns.read(uow, campaigns.get(uow, key)))
    if as_json:
        _json(found.model_dump(mode="json"))
        return
    out.print(
        f"{found.key}: {found.name.en} / {found.name.ru}\n"
        f"state {found.state}, revision {found.revision}, updated {found.updated_at} by "
        f"{found.updated_by}\nsends: {_progress(found)}",
        markup=False,
        highlight=False,
    )
    _json(found.spec.model_dump(mode="json", exclude_defaults=True))


@app.command()
def history(key: Key, as_json: AsJson = False) -> None:
    """Every change of a campaign, oldest first."""
    with cli_errors(), open_app() as loyalist:
        changes = loyalist.db.read(lambda uow: campaigns.history(uow, key))
    if as_json:
        _json(changes)
        return
    table = Table("rev", "at", "action", "state", "by", "detail")
    for change in changes:
        table.add_row(
            str(change["revision"]),
            str(change["at"]),
            str(change["action"]),
            str(change["state"]),
            change["actor"],
            change["detail"] or "",
        )
    out.print(table)


def _move(key: str, verb: str, move: Callable[[UnitOfWork, str, Actor], CampaignRead]) -> None:
    actor = cli_actor()
    with cli_errors(), open_app() as loyalist:
        found = loyalist.db.write(lambda uow: move(uow, key, actor))
    out.print(f"{verb} {key}: {found.state}", markup=False, highlight=False)


@app.command()
def pause(key: Key) -> None:
    """Stop a campaign's sending where it is (resume goes on from there)."""
    _move(key, "paused", campaigns.pause)


@app.command()
def resume(key: Key) -> None:
    """Go on with a paused campaign: no member is sent twice or skipped."""
    _move(key, "resumed", campaigns.resume)


@app.command()
def cancel(key: Key) -> None:
    """End a campaign for good: pending sends cancelled, waiting messages stopped."""
    _move(key, "cancelled", campaigns.cancel)


@app.command("seasons")
def list_seasons(as_json: AsJson = False) -> None:
    """The seasonal calendar: each season's next dates (soonest first), ready to copy."""
    with cli_errors(), open_app() as loyalist:
        zone = loyalist.program.zone
        entries = seasons.calendar(loyalist.clock.now().astimezone(zone).date(), zone)
    if as_json:
        _json(entries)
        return
    table = Table("season", "name", "day", "send at (local)", "offer ends")
    for entry in entries:
        table.add_row(
            entry["key"],
            f"{entry['name']['en']} / {entry['name']['ru']}",
            entry["day"].isoformat(),
            entry["send_at"].isoformat(timespec="minutes"),
            entry["ends_at"].isoformat(timespec="minutes"),
        )
    out.print(table)


@app.command()
def copy(
    season: Annotated[str, typer.Argument(help="a season's key (loyalist campaigns seasons)")],
    key: Annotated[str, typer.Option("--key", help="the new campaign's key")],
) -> None:
    """A new draft campaign from a season, dated for its next occurrence."""
    actor = cli_actor()
    with cli_errors(), open_app() as loyalist:
        zone = loyalist.program.zone

        def op(uow: UnitOfWork) -> CampaignRead:
            today = uow.now.astimezone(zone).date()
            return campaigns.copy_season(uow, season, key, actor, today=today, zone=zone)

        found = loyalist.db.write(op)
    out.print(
        f"copied {season} to draft {found.key}: send {found.spec.send_at} local time, "
        f"offer ends {found.spec.ends_at}",
        markup=False,
        highlight=False,
    )


# Commands defined beside this module, registered on the same ``campaigns`` group.
from loyalist.cli import campaigns_report, campaigns_send  # noqa: E402,F401
