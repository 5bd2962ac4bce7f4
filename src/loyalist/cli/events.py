"""``loyalist import events FILE`` and ``loyalist demo``: events in batches, with progress."""

from __future__ import annotations

import csv
import random
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from loyalist.activities import service as activities
from loyalist.activities.schemas import Line, ParsedEvent, parse_events, read_csv, read_jsonl
from loyalist.activities.service import ingest_events
from loyalist.bootstrap import Loyalist
from loyalist.cli.context import cli_errors, open_app, settle_heap
from loyalist.cli.errors import FormatUnknownError, LineInvalidError
from loyalist.db import idempotency
from loyalist.db.files import private_opener
from loyalist.db.uow import UnitOfWork
from loyalist.demo import ShopSpec, fresh_orders, generate_events
from loyalist.demo.showcase import show_everything
from loyalist.errors import DomainError, FieldError, InvalidRequestError
from loyalist.insights import service as insights
from loyalist.ledger import service as ledger
from loyalist.ledger.balances import liability, members_with_points, program_totals
from loyalist.members import service as members
from loyalist.messages import service as messages
from loyalist.settings import ProgramPolicy

app = typer.Typer(help="Import data from files.", no_args_is_help=True)
err = Console(stderr=True, soft_wrap=True)
out = Console(soft_wrap=True)


def _describe(error: DomainError, numbers: list[int], path: Path) -> list[str]:
    """``file:line: detail`` for each field error; batch pointers ``/i/...`` map to lines."""
    lines = []
    for field in error.errors or [FieldError("", error.detail)]:
        parts = field.pointer.split("/")
        index = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
        line = numbers[index] if index is not None and index < len(numbers) else None
        where = f"{path}:{line}" if line else str(path)
        rest = "/" + "/".join(parts[2:]) if line else field.pointer
        lines.append(f"{where}: error[{error.code}]: {rest} {field.detail}".rstrip())
    return lines


class OnError(StrEnum):
    STOP = "stop"
    SKIP = "skip"


@app.command("events")
def import_events(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
    batch_size: Annotated[int, typer.Option(min=1, max=1000)] = 500,
    file_format: Annotated[str | None, typer.Option("--format", help="jsonl or csv")] = None,
    on_error: Annotated[
        OnError, typer.Option(help="stop at the first bad line, or skip bad lines")
    ] = OnError.STOP,
    report: Annotated[
        Path | None,
        typer.Option(
            dir_okay=False, help="where --on-error skip writes rejected lines (FILE.rejected.csv)"
        ),
    ] = None,
) -> None:
    """Import events (JSON Lines or CSV), in batches: each batch applies whole or not at all.

    Events are idempotent by id, so after a crash or kill the same command resumes
    without importing anything twice. By default a bad line stops the import: every bad
    line of its batch is reported with its line number; batches before it stay applied,
    nothing of the batch it is in is. With ``--on-error skip`` every valid line is
    imported and the rejected ones are written to a CSV report (``line``, ``code``,
    ``pointer``, ``error``), by default ``FILE.rejected.csv``.
    """
    kind = file_format or ("csv" if file.suffix.lower() == ".csv" else "jsonl")
    if kind not in ("csv", "jsonl"):
        with cli_errors():
            raise FormatUnknownError(f"{kind!r}; use jsonl or csv")
    rejected = Rejections(report or file.with_name(f"{file.name}.rejected.csv"))
    skip = rejected if on_error == OnError.SKIP else None
    with cli_errors(), open_app() as loyalist, file.open("rb") as handle:
        settle_heap(loyalist)
        reader = read_csv(handle) if kind == "csv" else read_jsonl(handle)
        totals = _import(loyalist, reader, file, batch_size, file.stat().st_size, skip)
    out.print(
        f"imported {totals[0]} events ({totals[1]} already present) from {file}",
        markup=False,
        highlight=False,
    )
    if skip is not None:
        skip.save()
        out.print(f"rejected {skip.lines} lines: see {skip.path}", markup=False, highlight=False)


class Rejections:
    """The rejected lines of an import with ``--on-error skip``: line, problem code, the
    field's pointer within the event and the message; written as CSV when the import ends
    (to a temporary name first, so a report is never half-written)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.rows: list[tuple[int, str, str, str]] = []

    def add(self, line: int, error: DomainError) -> None:
        for field in error.errors or [FieldError("", error.detail)]:
            parts = field.pointer.split("/")
            indexed = len(parts) > 1 and parts[1].isdigit()
            pointer = "/" + "/".join(parts[2:]) if indexed else field.pointer
            self.rows.append((line, error.code, pointer if pointer != "/" else "", field.detail))

    @property
    def lines(self) -> int:
        return len({row[0] for row in self.rows})

    def save(self) -> None:
        temporary = self.path.with_name(f".{self.path.name}.part")
        with open(temporary, "w", newline="", encoding="utf-8", opener=private_opener) as handle:
            writer = csv.writer(handle)
            writer.writerow(("line", "code", "pointer", "error"))
            writer.writerows(sorted(self.rows))
        temporary.replace(self.path)


def _failed_indexes(error: DomainError, size: int) -> set[int]:
    """The batch items a refusal points at (``/i/...``)."""
    found = set()
    for field in error.errors or []:
        parts = field.pointer.split("/")
        if len(parts) > 1 and parts[1].isdigit() and int(parts[1]) < size:
            found.add(int(parts[1]))
    return found


def _import(
    loyalist: Loyalist,
    reader: Iterable[tuple[Line, int]],
    path: Path,
    batch_size: int,
    total_bytes: int,
    skip: Rejections | None = None,
) -> tuple[int, int]:
    applied = replayed = 0
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err,
        transient=False,
    ) as progress:
        task = progress.add_task(f"importing {path.name} (bytes)", total=total_bytes)
        raws: list[Any] = []
        numbers: list[int] = []
        done_bytes = 0

        def stop(messages: list[str], last: int, exit_code: int) -> NoReturn:
            """Report bad lines or a refused batch: nothing of the batch was applied."""
            for text in messages:
                err.print(text, highlight=False, markup=False)
            first = numbers[0] if numbers else last
            err.print(
                f"stopped: lines {first}–{last} (this batch) were not applied; "
                f"the {applied + replayed} events before them were",
                highlight=False,
                markup=False,
            )
            raise typer.Exit(exit_code)

        def validate() -> list[ParsedEvent] | InvalidRequestError:
            """The batch's events, validated in one pass, or every bad field of every line."""
            try:
                return parse_events(raws)
            except InvalidRequestError as exc:
                return exc

        def reject(indexes: Iterable[int], error: DomainError | None) -> None:
            """Skip mode: leave these lines out of the batch, each reported with its own
            problem (validated alone) or ``error`` (the ingest refused it)."""
            assert skip is not None
            for index in sorted(set(indexes), reverse=True):
                if error is None:
                    try:
                        parse_events([raws[index]])
                    except InvalidRequestError as exc:
                        skip.add(numbers[index], exc)
                else:
                    skip.add(numbers[index], error)
                del raws[index], numbers[index]

        def ingest(events: list[ParsedEvent]) -> None:
            nonlocal applied, replayed
            outcomes = loyalist.db.write(lambda uow: ingest_events(uow, events))
            replayed += sum(o.replayed for o in outcomes)
            applied += sum(not o.replayed for o in outcomes)

        def ingest_skipping() -> None:
            """Skip mode: apply the batch without the lines the ingest refuses; a refusal
            that names no line sends the batch through one line at a time."""
            while raws:
                events = validate()
                if isinstance(events, InvalidRequestError):
                    reject(_failed_indexes(events, len(raws)) or range(len(raws)), None)
                    continue
                try:
                    ingest(events)
                    return
                except DomainError as exc:
                    failed = _failed_indexes(exc, len(raws))
                    if failed:
                        reject(failed, exc)
                        continue
                    if len(raws) == 1:
                        reject([0], exc)
                        return
                for raw, number in list(zip(raws, numbers, strict=True)):
                    raws[:], numbers[:] = [raw], [number]
                    ingest_skipping()
                return

        def flush() -> None:
            if not raws:
                return
            if skip is not None:
                ingest_skipping()
            else:
                events = validate()
                if isinstance(events, InvalidRequestError):
                    stop(_describe(events, numbers, path), numbers[-1], events.exit_code)
                try:
                    ingest(events)
                except DomainError as exc:
                    stop(_describe(exc, numbers, path), numbers[-1], exc.exit_code)
            raws.clear()
            numbers.clear()
            progress.update(task, completed=done_bytes)

        for line, size in reader:
            done_bytes += size
            if line.problem is not None:
                problem = LineInvalidError(line.problem)
                if skip is not None:
                    skip.add(line.number, problem)
                    continue
                # The bad lines before it in this batch are reported too, in line order.
                earlier = validate() if raws else []
                messages = (
                    _describe(earlier, numbers, path) if isinstance(earlier, DomainError) else []
                )
                messages.append(f"{path}:{line.number}: error[{problem.code}]: {line.problem}")
                stop(messages, line.number, problem.exit_code)
            raws.append(line.raw)
            numbers.append(line.number)
            if len(raws) >= batch_size:
                flush()
        flush()
        progress.update(task, completed=total_bytes)
    return applied, replayed


def load_demo(
    loyalist: Loyalist, spec: ShopSpec, *, batch_size: int = 500, show_progress: bool = True
) -> int:
    """Push the demo shop through the ingest path; returns events applied."""
    events = generate_events(spec)
    applied = 0

    def apply(chunk: list[ParsedEvent]) -> int:
        return len(loyalist.db.write(lambda uow: ingest_events(uow, chunk)))

    estimate = spec.members * 10
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=err,
        disable=not show_progress,
    ) as progress:
        task = progress.add_task("loading demo shop (events)", total=estimate)
        batch: list[dict[str, Any]] = []
        for raw in events:
            batch.append(raw)
            if len(batch) >= batch_size:
                applied += apply(parse_events(batch))
                batch = []
                progress.update(task, completed=min(applied, estimate - 1))
        if batch:
            applied += apply(parse_events(batch))
        progress.update(task, total=applied, completed=applied)
    # A demo is for looking at: its due work stores the dashboard's presets.
    loyalist.db.write(insights.want_dashboards)
    while loyalist.run_due_work(limit=1000).did_work:
        pass
    loyalist.db.write(lambda uow: redeem_demo_points(uow, loyalist.program, spec.seed))
    return applied + show_everything(loyalist, spec)


def redeem_demo_points(uow: UnitOfWork, program: ProgramPolicy, seed: int) -> int:
    """Some members spend points at checkout (hold, then confirm), like a real shop's.

    Deterministic for a seed and done once per database (an idempotency record guards it).
    Returns the points redeemed.
    """
    key = f"redeem:{seed}"
    if idempotency.find_replay(uow, "demo", key, key) is not None:
        return 0
    rng = random.Random(seed)
    redeemed = 0
    for member_id, available in members_with_points(uow, minimum=200):
        if rng.random() >= 0.35:
            continue
        points = 100 * rng.randint(1, min(5, available // 100))
        hold = ledger.hold_points(
            uow, member_id, points, timeout=timedelta(minutes=15), reference="demo checkout"
        )
        ledger.confirm_hold(uow, hold.id, program=program)
        redeemed += points
    idempotency.remember(uow, "demo", key, key, 200, {"redeemed": redeemed})
    return redeemed


def demo(
    seed: Annotated[int, typer.Option(help="same seed, same shop")] = 42,
    members: Annotated[int, typer.Option(min=1)] = 5000,
    months: Annotated[int, typer.Option(min=1, max=60)] = 12,
    end: Annotated[
        datetime | None,
        typer.Option(formats=["%Y-%m-%d"], help="YYYY-MM-DD end of history (default today)"),
    ] = None,
) -> None:
    """Generate a realistic shop and send it through the ingest path; print a summary."""
    end_on = end.date() if end else datetime.now(UTC).date()
    spec = ShopSpec(seed=seed, members=members, months=months, end=end_on)
    with cli_errors(), open_app() as loyalist:
        settle_heap(loyalist)
        applied = load_demo(loyalist, spec)
        applied += send_fresh_orders(loyalist, spec)
        _print_summary(loyalist, applied)
        _print_messages(loyalist)


def send_fresh_orders(loyalist: Loyalist, spec: ShopSpec) -> int:
    """Three orders paid now by demo members (the first one shipped too), through the
    ingest path: unlike the history (older than the freshness window, but for its last
    day) they start journeys, and the due work delivers their order confirmations and the
    shipping message. Returns the events applied."""
    batch = parse_events(fresh_orders(spec, loyalist.clock.now()))
    applied = len(loyalist.db.write(lambda uow: ingest_events(uow, batch)))
    while loyalist.run_due_work(limit=1000).did_work:
        pass
    return applied


def _print_summary(loyalist: Loyalist, applied: int) -> None:
    def op(uow: UnitOfWork) -> dict[str, int]:
        totals = program_totals(uow)
        return {
            "events applied": applied,
            "members": members.count_members(uow),
            "orders": activities.count_orders(uow),
            "points issued": totals["earned"],
            "points pending": totals["pending"],
            "points available": totals["available"],
            "points redeemed": totals["spent"],
            "points expired": totals["expired"],
            "points reversed (returns)": totals["reversed"],
            "liability (points)": liability(uow)["outstanding_points"],
        }

    table = Table("demo shop", "value", title="Loyalist demo")
    for key, value in loyalist.db.read(op).items():
        table.add_row(key, f"{value:,}")
    out.print(table)


def _print_messages(loyalist: Loyalist) -> None:
    """The newest messages (at most 20) and where email went."""
    sent = loyalist.db.read(lambda uow: messages.find_messages(uow, limit=20))
    table = Table("member", "journey", "language", "status", "subject", title="Messages")
    for message in sent:
        table.add_row(
            message.member_id,
            message.journey,
            message.locale,
            message.status.value,
            message.subject,
        )
    out.print(table)
    smtp = loyalist.settings.smtp
    if smtp.host:
        out.print(
            f"email went to the SMTP server at {smtp.host}:{smtp.effective_port}",
            markup=False,
        )
    else:
        out.print(
            "no SMTP server: the emails are recorded not_configured (set LOYALIST_SMTP__HOST; "
            "scripts/start runs a sink on loopback)",
            markup=False,
        )


# The platforms' order exports join this group (``cli/backfill.py``: its commands use this
# module's OnError and Rejections, so it is imported last).
from loyalist.cli import backfill  # noqa: E402, F401
