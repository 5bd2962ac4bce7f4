"""Shopify's orders CSV export (admin → Orders → Export; the columns the Shopify Help
Center's "Exporting orders" lists): one row per line item, the order's own fields on its
first row, rows of one order next to each other and sharing its ``Name``."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from loyalist.activities.schemas import csv_header, csv_records
from loyalist.connectors.adapters.base import (
    Adjustment,
    ConnectorConfig,
    PlatformLine,
    PlatformOrder,
    to_minor,
)
from loyalist.connectors.backfill.orders import Customer, ExportOrder, Problem, Refund

PLATFORM = "shopify"
#: The columns a backfill needs (Shopify's export has ~80; the rest are not read).
REQUIRED = (
    "Name",
    "Email",
    "Financial Status",
    "Paid at",
    "Currency",
    "Subtotal",
    "Shipping",
    "Taxes",
    "Total",
    "Discount Amount",
    "Created at",
    "Lineitem quantity",
    "Lineitem name",
    "Lineitem price",
    "Lineitem sku",
    "Cancelled at",
    "Id",
)
#: the space Shopify writes between the time and its offset
_OFFSET_GAP = re.compile(r"^(.*\d) ([+-]\d{2}:?\d{2})$")
#: financial statuses of an order that was paid (``Paid at`` may be empty in old exports)
_PAID = frozenset({"paid", "partially_refunded", "refunded", "partially_paid"})


class RowError(ValueError):
    """A cell of a row that cannot be read (the message names the column); ``line`` the
    row's, when not the order's first."""

    def __init__(self, detail: str, line: int | None = None) -> None:
        super().__init__(detail)
        self.line = line


@dataclass(frozen=True, slots=True)
class _Row:
    line: int
    cells: dict[str, str]

    def get(self, column: str) -> str:
        return (self.cells.get(column) or "").strip()


def _when(row: _Row, column: str) -> datetime | None:
    """Shopify's ``2025-10-07 09:50:26 +0200`` (or ISO 8601 with an offset)."""
    text = row.get(column)
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(_OFFSET_GAP.sub(r"\1\2", text))
    except ValueError:
        raise RowError(f"{column} {text!r} is not a date and time") from None
    if moment.tzinfo is None:
        raise RowError(f"{column} {text!r} has no UTC offset")
    return moment


def _amount(row: _Row, column: str, currency: str) -> int:
    text = row.get(column)
    if not text:
        return 0
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise RowError(f"{column} {text!r} is not an amount") from None
    if not value.is_finite() or value < 0:
        raise RowError(f"{column} {text!r} is not an amount")
    return to_minor(value, currency)


def _line(row: _Row, currency: str) -> PlatformLine:
    text = row.get("Lineitem quantity")
    try:
        quantity = int(text)
    except ValueError:
        raise RowError(f"Lineitem quantity {text!r} is not a whole number") from None
    name = row.get("Lineitem name")
    sku = row.get("Lineitem sku") or name
    if not sku:
        raise RowError("the line item has neither a Lineitem sku nor a Lineitem name")
    return PlatformLine(
        sku=sku[:128],
        quantity=quantity,
        unit_price=_amount(row, "Lineitem price", currency),
        discount=_amount(row, "Lineitem discount", currency),
        name=name or None,
        pointer=f"/line/{row.line}",
    )


def _order(rows: list[_Row], config: ConnectorConfig) -> ExportOrder:
    first = rows[0]
    currency = first.get("Currency").upper() or config.currency
    if len(currency) != 3 or not currency.isalpha():
        raise RowError(f"Currency {currency!r} is not an ISO 4217 code")
    order_id = next((row.get("Id") for row in rows if row.get("Id")), "")
    if not order_id:
        raise RowError("no Id (the order's id: export with the Id column)")
    created_at = _when(first, "Created at")
    if created_at is None:
        raise RowError("Created at is empty")
    lines = []
    for row in rows:
        try:
            lines.append(_line(row, currency))
        except RowError as exc:
            raise RowError(str(exc), row.line) from None
    line_discounts = sum(line.discount for line in lines)
    subtotal = _amount(first, "Subtotal", currency)
    shipping = _amount(first, "Shipping", currency)
    tax = _amount(first, "Taxes", currency)
    total = _amount(first, "Total", currency)
    status = first.get("Financial Status").lower()
    paid_at = _when(first, "Paid at")
    if paid_at is None and status in _PAID:
        paid_at = created_at
    cancelled_at = _when(first, "Cancelled at")
    source = first.get("Source").lower()
    notes: list[Adjustment] = []
    refunds: tuple[Refund, ...] = ()
    refunded = _amount(first, "Refunded Amount", currency)
    if status == "refunded" and cancelled_at is None:
        # The export says neither when nor which refund: the whole order came back, booked
        # at the latest moment the row gives.
        at = max(m for m in (created_at, paid_at, _when(first, "Fulfilled at")) if m)
        refunds = (
            Refund(
                f"{PLATFORM}:order:{order_id}:refunded",
                at,
                tuple((line.sku, line.quantity) for line in lines),
                "refunded",
            ),
        )
    elif refunded and cancelled_at is None:
        notes.append(
            Adjustment(
                "/Refunded Amount",
                f"a partial refund of {refunded} is not tied to lines in the export: not "
                "booked (the refunds/create webhook books it)",
            )
        )
    order = PlatformOrder(
        order_id=f"{PLATFORM}:{order_id}",
        currency=currency,
        lines=lines,
        # Discount Amount is the order's discounts in all, its lines' own among them
        order_discount=max(0, _amount(first, "Discount Amount", currency) - line_discounts),
        shipping=shipping,
        tax=tax,
        # Shopify's Total adds the taxes unless the prices include them.
        taxes_included=tax > 0 and total == subtotal + shipping,
        stated_total=total,
        channel="pos" if source == "pos" else config.channel,
        store=config.store or first.get("Location") or None,
    )
    first_name, _, last_name = first.get("Billing Name").partition(" ")
    customer = Customer(
        email=first.get("Email") or None,
        first_name=first_name or None,
        last_name=last_name or None,
        phone=first.get("Phone") or first.get("Billing Phone") or None,
    )
    return ExportOrder(
        platform=PLATFORM,
        order_id=order_id,
        first_line=first.line,
        last_line=rows[-1].line,
        customer=customer,
        order=order,
        created_at=created_at,
        paid_at=paid_at,
        cancelled_at=cancelled_at,
        refunds=refunds,
        notes=tuple(notes),
    )


def _records(handle: IO[bytes]) -> Iterator[tuple[_Row | Problem, int]]:
    """Each record with the line it starts on (a quoted cell may span lines) and its size."""
    text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")
    try:
        yield from _rows(csv.reader(text))
    finally:
        text.detach()  # the caller's handle stays the caller's to close


def _rows(rows: Any) -> Iterator[tuple[_Row | Problem, int]]:
    header = csv_header(rows)
    missing = [column for column in REQUIRED if column not in header]
    if missing:
        detail = f"not a Shopify orders export: the header lacks {', '.join(missing)}"
        yield Problem(1, detail, fatal=True), 0
        return
    for number, cells in csv_records(rows):
        if isinstance(cells, csv.Error):
            yield Problem(number, f"not a CSV record: {cells}"), 0
            continue
        size = sum(len(cell) for cell in cells) + len(cells)
        if not any(cell.strip() for cell in cells):
            continue
        yield _Row(number, dict(zip(header, cells, strict=False))), size


def read_orders(
    handle: IO[bytes], config: ConnectorConfig
) -> Iterator[tuple[ExportOrder | Problem, int]]:
    """The orders of a Shopify orders export in file order, each with the bytes it took; a
    record that cannot be read, or an order with a bad row, is a ``Problem`` at its line
    (the order's other rows go with it)."""
    group: list[_Row] = []
    size = 0
    seen: set[str] = set()

    def finish() -> tuple[ExportOrder | Problem, int]:
        name = group[0].get("Name")
        seen.add(name)
        try:
            return _order(group, config), size
        except RowError as exc:
            return Problem(exc.line or group[0].line, f"order {name}: {exc}"), size

    for record, bytes_read in _records(handle):
        if isinstance(record, Problem):
            if group:
                yield finish()
                group, size = [], 0
            yield record, bytes_read
            continue
        name = record.get("Name")
        if group and name != group[0].get("Name"):
            yield finish()
            group, size = [], 0
        if not name:
            yield Problem(record.line, "the row has no Name (the order it belongs to)"), bytes_read
            continue
        if not group and name in seen:
            yield (
                Problem(record.line, f"order {name} continues after other orders' rows"),
                bytes_read,
            )
            continue
        group.append(record)
        size += bytes_read
    if group:
        yield finish()
