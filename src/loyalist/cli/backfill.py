"""``loyalist import shopify-orders FILE`` and ``loyalist import woocommerce-orders FILE``:
a shop's order history from its platform's export, in batches, with progress, resumable."""

from __future__ import annotations

import csv
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import IO, Annotated, Any, NoReturn

import typer
from rich.console import Console

from loyalist.activities.models import OrderChannel
from loyalist.activities.schemas import parse_events
from loyalist.activities.service import ingest_events
from loyalist.bootstrap import Loyalist
from loyalist.cli.context import cli_errors, counted_progress, open_app, settle_heap
from loyalist.cli.errors import ExportHeaderInvalidError, ExportRowInvalidError
from loyalist.cli.events import OnError, Rejections, app
from loyalist.connectors.adapters.base import ConnectorConfig
from loyalist.connectors.backfill import shopify_csv, woocommerce_export
from loyalist.connectors.backfill.orders import ExportOrder, Planned, Problem, plan_orders
from loyalist.db.files import private_opener
from loyalist.db.uow import UnitOfWork
from loyalist.errors import DomainError, FieldError

err = Console(stderr=True, soft_wrap=True)
out = Console(soft_wrap=True)

Reader = Callable[[IO[bytes], ConnectorConfig], Iterator[tuple[ExportOrder | Problem, int]]]


@dataclass(slots=True)
class _Tally:
    """What an import did, and what it reports (adjusted or skipped orders)."""

    booked: int = 0
    present: int = 0
    events: int = 0
    notes: list[list[str]] = field(default_factory=list)
    adjusted: int = 0
    skipped: int = 0


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    """The whole report or none of it: written to a temporary name, then moved."""
    partial = path.with_name(f".{path.name}.partial")
    with open(partial, "w", encoding="utf-8", newline="", opener=private_opener) as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    os.replace(partial, path)


class _Backfill:
    """One import: batches of whole orders, each applied in one transaction."""

    def __init__(
        self, loyalist: Loyalist, path: Path, on_error: OnError, rejected: Rejections
    ) -> None:
        self.loyalist, self.path, self.on_error = loyalist, path, on_error
        self.tally, self.rejected = _Tally(), rejected

    def describe(
        self, error: DomainError, plans: list[Planned], owners: list[int]
    ) -> list[tuple[int, str, str, str]]:
        """(plan index, code, pointer, detail) per field error; batch pointers ``/i/...``
        name the event, so its order."""
        found = []
        for item in error.errors or [FieldError("", error.detail)]:
            parts = item.pointer.split("/")
            index = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
            owner = owners[index] if index is not None and index < len(owners) else -1
            pointer = "/" + "/".join(parts[2:]) if owner >= 0 else item.pointer
            found.append((owner, error.code, pointer, item.detail))
        return found

    def apply(self, plans: list[Planned]) -> None:
        """Book the plans' events in one transaction and count them.

        Raises:
            _Refused: the batch was refused (nothing of it applied).
        """
        raws: list[dict[str, Any]] = []
        owners: list[int] = []
        for index, plan in enumerate(plans):
            raws.extend(plan.events)
            owners.extend([index] * len(plan.events))
        outcomes = []
        if raws:
            try:
                events = parse_events(raws)
                outcomes = self.loyalist.db.write(lambda uow: ingest_events(uow, events))
            except DomainError as exc:
                raise _Refused(self.describe(exc, plans, owners), exc.exit_code) from None
        fresh = [False] * len(plans)
        for owner, outcome in zip(owners, outcomes, strict=True):
            fresh[owner] = fresh[owner] or not outcome.replayed
        self.tally.events += sum(not o.replayed for o in outcomes)
        for plan, is_fresh in zip(plans, fresh, strict=True):
            self.note(plan)
            if plan.skipped:
                self.tally.skipped += 1
            elif is_fresh:
                self.tally.booked += 1
            else:
                self.tally.present += 1

    def note(self, plan: Planned) -> None:
        """The plan's adjustments and why it was skipped, for the adjustments report."""
        order = plan.order
        total = plan.platform_totals.get("total")
        reference = "" if total is None else str(total)
        if plan.skipped:
            self.tally.notes.append(
                [
                    str(order.first_line),
                    order.order.order_id,
                    "/",
                    f"not booked: {plan.skipped}",
                    reference,
                ]
            )
        if plan.adjustments:
            self.tally.adjusted += 1
        for adjustment in plan.adjustments:
            self.tally.notes.append(
                [
                    str(order.first_line),
                    order.order.order_id,
                    adjustment.pointer,
                    adjustment.note,
                    reference,
                ]
            )

    def reject(self, line: int, code: str, pointer: str, detail: str) -> None:
        err.print(
            f"{self.path}:{line}: error[{code}]: " + " ".join(p for p in (pointer, detail) if p),
            markup=False,
            highlight=False,
        )
        self.rejected.rows.append((line, code, pointer, detail))

    def flush(self, batch: list[ExportOrder]) -> None:
        if not batch:
            return
        plans = self.loyalist.db.read(lambda uow: plan_orders(uow, batch))
        try:
            self.apply(plans)
            return
        except _Refused as refused:
            if self.on_error == OnError.STOP:
                for owner, code, pointer, detail in refused.found:
                    line = plans[owner].order.first_line if owner >= 0 else batch[0].first_line
                    self.reject(line, code, pointer, detail)
                self.stop(batch, refused.exit_code)
        # Skip: each order on its own (planned again: an enrolment may have been refused
        # with the order that carried it), the refused ones reported.
        for order in batch:
            alone = self.loyalist.db.read(partial(_plan_one, order))
            try:
                self.apply(alone)
            except _Refused as refused:
                for _, code, pointer, detail in refused.found:
                    self.reject(order.first_line, code, pointer, detail)

    def stop(self, batch: list[ExportOrder], exit_code: int) -> NoReturn:
        first = batch[0].first_line if batch else 0
        last = batch[-1].last_line if batch else first
        done = self.tally.booked + self.tally.present + self.tally.skipped
        err.print(
            f"stopped: the orders at lines {first}–{last} (this batch) were not applied; "
            f"the {done} orders before them were",
            markup=False,
            highlight=False,
        )
        raise typer.Exit(exit_code)


def _plan_one(order: ExportOrder, uow: UnitOfWork) -> list[Planned]:
    return plan_orders(uow, [order])


class _Refused(Exception):
    """A batch the ingest refused: (plan index or -1, code, pointer, detail) per error."""

    def __init__(self, found: list[tuple[int, str, str, str]], exit_code: int) -> None:
        super().__init__("refused")
        self.found, self.exit_code = found, exit_code


def _run(
    reader: Reader,
    file: Path,
    config: ConnectorConfig,
    batch_size: int,
    on_error: OnError,
    report: Path | None,
) -> None:
    rejected = Rejections(report or file.with_name(f"{file.name}.rejected.csv"))
    adjusted_path = file.with_name(f"{file.name}.adjusted.csv")
    with cli_errors(), open_app() as loyalist, file.open("rb") as handle:
        settle_heap(loyalist)
        run = _Backfill(loyalist, file, on_error, rejected)
        tally = run.tally
        batch: list[ExportOrder] = []
        total_bytes = file.stat().st_size
        try:
            with counted_progress() as progress:
                task = progress.add_task(f"importing {file.name} (bytes)", total=total_bytes)
                done = 0
                for item, size in reader(handle, config):
                    done += size
                    if isinstance(item, Problem):
                        if item.fatal:
                            raise ExportHeaderInvalidError(f"{file}:{item.line}: {item.detail}")
                        run.reject(item.line, ExportRowInvalidError.code, "", item.detail)
                        if on_error == OnError.STOP:
                            run.stop(batch, ExportRowInvalidError.exit_code)
                        continue
                    batch.append(item)
                    if len(batch) >= batch_size:
                        run.flush(batch)
                        batch = []
                        progress.update(task, completed=done)
                run.flush(batch)
                progress.update(task, completed=total_bytes)
        finally:
            if tally.notes:
                _write_csv(
                    adjusted_path,
                    ["line", "order_id", "pointer", "note", "platform_total"],
                    tally.notes,
                )
            if rejected.rows and on_error == OnError.SKIP:
                rejected.save()
    out.print(
        f"imported {tally.booked} orders ({tally.events} events; {tally.present} orders "
        f"already present) from {file}",
        markup=False,
        highlight=False,
    )
    if tally.skipped:
        out.print(f"skipped {tally.skipped} orders with nobody to credit", markup=False)
    if tally.adjusted or tally.skipped:
        out.print(
            f"adjusted {tally.adjusted} orders (the platform's own arithmetic): see "
            f"{adjusted_path}",
            markup=False,
            highlight=False,
        )
    if rejected.rows:
        out.print(
            f"rejected {rejected.lines} orders: see {rejected.path}",
            markup=False,
            highlight=False,
        )


FileArgument = Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)]
BatchOption = Annotated[int, typer.Option(min=1, max=300, help="orders per transaction")]
OnErrorOption = Annotated[
    OnError, typer.Option(help="stop at the first bad order, or skip bad orders")
]
ReportOption = Annotated[
    Path | None,
    typer.Option(
        dir_okay=False, help="where --on-error skip writes rejected orders (FILE.rejected.csv)"
    ),
]
CurrencyOption = Annotated[str, typer.Option(help="the currency of an order that states none")]
ChannelOption = Annotated[OrderChannel, typer.Option(help="the orders' channel")]
StoreOption = Annotated[
    str | None, typer.Option(help="the Loyalist store the orders are booked to")
]


def _config(
    platform: str, currency: str, channel: OrderChannel, store: str | None
) -> ConnectorConfig:
    return ConnectorConfig(
        key="backfill",
        platform=platform,
        currency=currency.upper(),
        channel=channel.value,
        store=store,
    )


@app.command("shopify-orders")
def import_shopify_orders(
    file: FileArgument,
    batch_size: BatchOption = 200,
    on_error: OnErrorOption = OnError.STOP,
    report: ReportOption = None,
    currency: CurrencyOption = "EUR",
    channel: ChannelOption = OrderChannel.WEB,
    store: StoreOption = None,
) -> None:
    """Import a Shopify orders CSV export (Orders → Export): members, orders, payments,
    refunds and cancellations, as Shopify's webhooks would have sent them.

    Event ids follow the connectors' conventions (``shopify:order:<id>:placed`` …), so a
    re-run after a crash or kill continues without booking anything twice, and a later
    webhook of the same fact is a replay. Rows of one order go together: a bad row rejects
    its order (reported as FILE:LINE). Orders adjusted to add up, or not booked, are listed
    in FILE.adjusted.csv with the platform's own total.
    """
    _run(
        shopify_csv.read_orders,
        file,
        _config("shopify", currency, channel, store),
        batch_size,
        on_error,
        report,
    )


@app.command("woocommerce-orders")
def import_woocommerce_orders(
    file: FileArgument,
    batch_size: BatchOption = 200,
    on_error: OnErrorOption = OnError.STOP,
    report: ReportOption = None,
    currency: CurrencyOption = "EUR",
    channel: ChannelOption = OrderChannel.WEB,
    store: StoreOption = None,
) -> None:
    """Import WooCommerce orders as its REST API gives them (GET /wp-json/wc/v3/orders,
    a JSON array or JSON Lines): members, orders, payments, completions, refunds and
    cancellations, as WooCommerce's webhooks would have sent them.

    Event ids follow the connectors' conventions (``woocommerce:order:<id>:placed`` …), so
    a re-run after a crash or kill continues without booking anything twice. A bad order
    is reported as FILE:LINE (its first line). Orders adjusted to add up, or not booked,
    are listed in FILE.adjusted.csv with the platform's own total.
    """
    _run(
        woocommerce_export.read_orders,
        file,
        _config("woocommerce", currency, channel, store),
        batch_size,
        on_error,
        report,
    )
