"""``loyalist program apply|check|diff|export`` and ``loyalist rules backtest``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import date, datetime, time
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from loyalist import programfile
from loyalist.cli.context import cli_actor, cli_errors, open_app, print_error
from loyalist.cli.errors import OptionInvalidError
from loyalist.db.files import private_opener
from loyalist.errors import DomainError
from loyalist.programfile import Changes, WholeProgram
from loyalist.rules import backtest as backtests
from loyalist.rules.errors import FileProblem, ProgramFileError
from loyalist.rules.programfile import dump_program, parse_file

app = typer.Typer(
    help="The loyalty program file: rules, tiers, rewards, coupons, referrals, gamification, "
    "journeys, templates and campaigns.",
    no_args_is_help=True,
)
rules_app = typer.Typer(help="Earning rules.", no_args_is_help=True)
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

ProgramPath = Annotated[
    Path, typer.Argument(exists=True, dir_okay=False, readable=True, help="program.yaml")
]


def _problems(path: Path, problems: list[FileProblem]) -> None:
    for problem in problems:
        err.print(
            Text(f"{path}:{problem.line}: {problem.pointer or '/'}: {problem.message}"),
            highlight=False,
        )


def _text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        print_error(ProgramFileError.code, f"{path}: not UTF-8 text")
        raise typer.Exit(2) from None


def _load(path: Path) -> WholeProgram:
    try:
        return programfile.load(_text(path), str(path))
    except ProgramFileError as exc:
        print_error(exc.code, f"{path}: the program is not valid; nothing was applied")
        _problems(path, exc.problems)
        raise typer.Exit(2) from None


@app.command()
def check(path: ProgramPath) -> None:
    """Validate a program file (schema, every CEL expression, every template) without
    applying it."""
    program = _load(path)
    sections = [
        f"{len(program.rules)} rules" if program.rules is not None else "",
        "tiers" if program.tiers else "",
        f"{len(program.journeys.model_fields_set)} journeys" if program.journeys else "",
        f"{sum(map(len, program.templates.values()))} templates" if program.templates else "",
        f"{len(program.campaigns)} campaigns" if program.campaigns else "",
        *(
            f"{len(getattr(program, name))} {name.replace('_', ' ')}"
            for name in ("coupon_campaigns", "rewards", *programfile.GAME_SECTIONS)
            if getattr(program, name)
        ),
        "the referral program" if program.referral_program else "",
    ]
    out.print(f"{path}: valid, " + (", ".join(s for s in sections if s) or "no sections"))


@app.command()
def apply(
    path: ProgramPath,
    actor: Annotated[
        str, typer.Option(help="Recorded as the author of new rule and template versions.")
    ] = "cli",
) -> None:
    """Validate the whole file, then apply it in one transaction: a new version of each
    changed rule, rules missing from the file retired, tiers replaced, the journeys given
    configured, a new version of each changed template, the campaigns given created or
    changed, the coupon campaigns, rewards, badges, quests, streaks and levels given put
    and those missing paused or deactivated, the referral program replaced. A section the
    file leaves out is left as it is."""
    program = _load(path)
    with cli_errors(), open_app() as loyalist, _refused(path):
        report = loyalist.db.write(
            lambda uow: programfile.apply(
                uow, program, actor=actor, by=cli_actor(), policy=loyalist.program
            )
        )
    out.print(_summary(path, program, report))


@contextmanager
def _refused(path: Path) -> Iterator[None]:
    """A domain's refusal while applying: its problems with the file's lines, exit code."""
    try:
        yield
    except DomainError as exc:
        print_error(exc.code, f"{path}: {exc.detail}; nothing was applied")
        parsed = parse_file(_text(path), str(path))
        _problems(path, programfile.file_problems(parsed, exc.errors))
        raise typer.Exit(exc.exit_code) from None


def _changes(changes: dict[str, Changes]) -> list[str]:
    """``rewards: 2 added (a, b), 1 retired (c)`` per section with a change."""
    lines = []
    for name, found in changes.items():
        if name in programfile.SINGLE:  # one object: no keys to list
            lines.append(f"{name}: {'added' if found.added else 'changed'}")
            continue
        parts = [
            f"{len(keys)} {what} ({', '.join(keys)})"
            for what, keys in (
                ("added", found.added),
                ("changed", found.changed),
                ("retired", found.retired),
            )
            if keys
        ]
        lines.append(f"{name}: {', '.join(parts)}")
    return lines


@app.command()
def diff(
    path: ProgramPath,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object on stdout.")] = False,
) -> None:
    """Show what applying the file would change, section by section: keys added, changed
    and retired. The file is applied in a transaction that is rolled back: nothing is
    written; a problem shows as apply would show it."""
    program = _load(path)
    with cli_errors(), open_app() as loyalist, _refused(path):
        changes = programfile.preview(
            loyalist.db.write,
            program,
            actor="cli",
            by=cli_actor(),
            policy=loyalist.program,
        )
    if as_json:
        typer.echo(json.dumps({name: asdict(found) for name, found in changes.items()}))
        return
    out.print(f"{path}: " + ("no change" if not changes else "would change"), highlight=False)
    for line in _changes(changes):
        out.print(Text(f"  {line}"), highlight=False)


def _summary(path: Path, program: WholeProgram, report: programfile.ApplyReport) -> str:
    parts = []
    if program.rules is not None:
        parts.append(
            f"{len(report.created)} new rule versions"
            f" ({', '.join(report.created) or '-'}), {len(report.unchanged)} unchanged,"
            f" {len(report.retired)} retired ({', '.join(report.retired) or '-'})"
        )
    if report.tiers_changed:
        parts.append("tiers replaced")
        if report.orders_backfilled:
            parts.append(
                f"tiers introduced: {report.orders_backfilled:,} orders of the current window"
                " counted"
            )
    if program.journeys is not None:
        parts.append(f"journeys changed: {', '.join(report.journeys_changed) or '-'}")
    if program.templates is not None:
        created = [f"{k}/{loc} v{v}" for k, loc, v in report.templates_created]
        parts.append(f"template versions created: {', '.join(created) or '-'}")
    if program.campaigns is not None:
        parts.append(f"campaigns changed: {', '.join(report.campaigns_changed) or '-'}")
    parts += _changes(report.changes)
    return f"applied {path}: " + ("; ".join(parts) or "nothing to apply")


@app.command()
def export(
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")
    ] = None,
) -> None:
    """Print the live program as a program file (YAML)."""
    with cli_errors(), open_app() as loyalist:
        document = loyalist.db.read(programfile.export)
    text = dump_program(document)
    if output is None:
        typer.echo(text, nl=False)
    else:
        with open(output, "w", encoding="utf-8", opener=private_opener) as handle:
            handle.write(text)
        err.print(f"wrote {output}")


def _day(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        print_error(OptionInvalidError.code, f"{option} {value!r}: use YYYY-MM-DD")
        raise typer.Exit(OptionInvalidError.exit_code) from None


@rules_app.command("backtest")
def backtest(
    path: ProgramPath,
    start: Annotated[str, typer.Option("--from", help="First day (YYYY-MM-DD), inclusive.")],
    end: Annotated[str, typer.Option("--to", help="Last day (YYYY-MM-DD), inclusive.")],
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object on stdout.")] = False,
    top: Annotated[int, typer.Option(min=1, max=100, help="Rules listed by cost.")] = 10,
) -> None:
    """Replay stored orders and events of the period through the candidate program beside
    the live one; nothing is written. Days are in the program's time zone."""
    candidate = _load(path)
    first, last = _day(start, "--from"), _day(end, "--to")
    if last < first:
        print_error(OptionInvalidError.code, "--to is before --from")
        raise typer.Exit(OptionInvalidError.exit_code)
    with cli_errors(), open_app() as loyalist:
        zone = loyalist.program.zone
        since = datetime.combine(first, time(0), zone)
        until = datetime.combine(date.fromordinal(last.toordinal() + 1), time(0), zone)

        def run(uow: Any) -> backtests.BacktestReport:
            total = backtests.count_items(uow, since, until)
            with Progress(
                TextColumn("replaying orders"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=err,
                disable=as_json and not err.is_terminal,
                transient=True,
            ) as bar:
                task = bar.add_task("replay", total=total)
                return backtests.backtest(
                    uow,
                    candidate,
                    loyalist.program,
                    since,
                    until,
                    progress=lambda n: bar.advance(task, n),
                )

        report = loyalist.db.read(run)
    summary = report.as_dict(top)
    summary["from"], summary["to"] = first.isoformat(), last.isoformat()  # the days asked for
    if as_json:
        typer.echo(json.dumps(summary, ensure_ascii=False))
        return
    _print(summary)


def _print(summary: dict[str, Any]) -> None:
    cur, cand, diff = summary["current"], summary["candidate"], summary["difference"]
    currency = summary["currency"]
    table = Table(
        title=f"Backtest {summary['from']} … {summary['to']}: "
        f"{summary['orders']} orders, {summary['activities']} other events"
    )
    table.add_column("")
    table.add_column("current", justify="right")
    table.add_column("candidate", justify="right")
    table.add_column("change", justify="right")
    for label, key in (("points issued", "points_issued"), ("points reversed", "points_reversed")):
        table.add_row(label, f"{cur[key]:,}", f"{cand[key]:,}", f"{cand[key] - cur[key]:+,}")
    sign = "" if diff["cost"].startswith("-") else "+"
    table.add_row(f"cost ({currency})", cur["cost"], cand["cost"], sign + diff["cost"])
    table.add_row(
        "members earning",
        f"{cur['members_earning']:,}",
        f"{cand['members_earning']:,}",
        f"{cand['members_earning'] - cur['members_earning']:+,}",
    )
    out.print(table)
    out.print(
        f"liability change: {diff['liability_change_points']:+,} points "
        f"({diff['liability_change']} {currency}); members affected: {diff['members_affected']:,}"
    )
    rules = Table(title="Top rules by cost (candidate)")
    rules.add_column("rule")
    rules.add_column("points", justify="right")
    rules.add_column(f"cost ({currency})", justify="right")
    for row in cand["top_rules"]:
        rules.add_row(row["rule"], f"{row['points']:,}", row["cost"])
    out.print(rules)
