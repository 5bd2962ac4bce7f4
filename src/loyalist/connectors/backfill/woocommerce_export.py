"""WooCommerce's orders as its REST API gives them (``GET /wp-json/wc/v3/orders``, the
order objects the WooCommerce REST API documentation describes): a JSON array of orders
(pages of the list saved together) or JSON Lines, one order a line. An order's ``refunds``
may be the list's summaries (``{id, reason, total}``: no lines, not booked) or the refund
objects of ``GET /orders/<id>/refunds`` (lines with negative quantities: booked)."""

from __future__ import annotations

import json
import math
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from loyalist.connectors.adapters.base import (
    Adjustment,
    ConnectorConfig,
    PlatformLine,
    PlatformOrder,
    to_minor,
)
from loyalist.connectors.backfill.orders import Customer, ExportOrder, Problem, Refund

PLATFORM = "woocommerce"
#: statuses of an order that was paid (``date_paid_gmt`` may be empty, e.g. bank transfer)
_PAID = frozenset({"processing", "completed", "refunded"})
#: a failed payment stays placed (the customer may pay again; a cancellation is final)
_CANCELLED = frozenset({"cancelled"})
_SKIPPED = frozenset({"trash", "checkout-draft"})


class _NotAnExportError(ValueError):
    """The file is neither a JSON array nor JSON Lines (from ``line``)."""

    def __init__(self, line: int) -> None:
        super().__init__(line)
        self.line = line


class OrderError(ValueError):
    """A field of an order that cannot be read (the message names it)."""


def _when(order: Mapping[str, Any], key: str) -> datetime | None:
    """A ``*_gmt`` date of the API (``2017-03-22T19:28:02``, no offset: GMT)."""
    text = order.get(key)
    if text in (None, ""):
        return None
    try:
        moment = datetime.fromisoformat(str(text))
    except ValueError:
        raise OrderError(f"{key} {text!r} is not a date and time") from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def _amount(value: object, key: str, currency: str, *, signed: bool = False) -> int:
    if value in (None, ""):
        return 0
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise OrderError(f"{key} {value!r} is not an amount") from None
    if not number.is_finite() or (number < 0 and not signed):
        raise OrderError(f"{key} {value!r} is not an amount")
    return to_minor(number, currency)


def _sku(item: Mapping[str, Any]) -> str:
    """The line's sku, else ``variation:<id>`` or ``product:<id>`` (as the webhooks name it);
    empty when the line names no product either."""
    sku = str(item.get("sku") or "").strip()
    if sku:
        return sku[:128]
    if item.get("variation_id"):
        return f"variation:{item['variation_id']}"
    return f"product:{item['product_id']}" if item.get("product_id") else ""


def _line(item: Any, index: int, currency: str) -> PlatformLine:
    where = f"line_items/{index}"
    if not isinstance(item, Mapping):
        raise OrderError(f"{where} is not an object")
    quantity = item.get("quantity")
    if not isinstance(quantity, int) or isinstance(quantity, bool):
        raise OrderError(f"{where}/quantity {quantity!r} is not a whole number")
    sku = _sku(item)
    if not sku:
        raise OrderError(f"{where} has neither a sku nor a product_id")
    gross = _amount(item.get("subtotal"), f"{where}/subtotal", currency)
    net = _amount(item.get("total"), f"{where}/total", currency)
    # WooCommerce keeps line money before (subtotal) and after (total) coupons, both
    # without tax; a unit price times the quantity at least the subtotal, the rest discount.
    unit_price = math.ceil(gross / quantity) if quantity > 0 else 0
    return PlatformLine(
        sku=sku,
        quantity=quantity,
        unit_price=unit_price,
        discount=max(0, unit_price * quantity - net),
        name=str(item.get("name") or "")[:500] or None,
        pointer=f"/{where}",
    )


def _refunds(
    order: Mapping[str, Any], status: str, at: datetime, lines: list[PlatformLine]
) -> tuple[tuple[Refund, ...], list[Adjustment]]:
    refunds: list[Refund] = []
    notes: list[Adjustment] = []
    listed = order.get("refunds") or []
    for index, refund in enumerate(listed if isinstance(listed, list) else []):
        if not isinstance(refund, Mapping):
            continue
        items = refund.get("line_items")
        returned = tuple(
            (_sku(item), -int(item.get("quantity") or 0))
            for item in (items if isinstance(items, list) else [])
            if isinstance(item, Mapping) and isinstance(item.get("quantity"), int)
        )
        if returned:
            refunds.append(
                Refund(
                    f"{PLATFORM}:refund:{refund.get('id')}",
                    _when(refund, "date_created_gmt") or at,
                    returned,
                    str(refund.get("reason") or "") or None,
                )
            )
        elif status != "refunded":
            notes.append(
                Adjustment(
                    f"/refunds/{index}",
                    f"refund {refund.get('id')} of {refund.get('total') or refund.get('amount')} "
                    "has no lines in the export: not booked",
                )
            )
    if status == "refunded" and not refunds:
        # Refunded in full, without the refunds' lines: every line came back.
        refunds.append(
            Refund(
                f"{PLATFORM}:order:{order.get('id')}:refunded",
                at,
                tuple((line.sku, line.quantity) for line in lines),
            )
        )
    return tuple(refunds), notes


def to_order(
    order: Any, config: ConnectorConfig, first_line: int, last_line: int
) -> ExportOrder | None:
    """One WooCommerce order (None for a draft or a trashed one: nothing to book).

    Raises:
        OrderError: a field cannot be read.
    """
    if not isinstance(order, Mapping):
        raise OrderError("not an order object")
    order_id = order.get("id")
    if not isinstance(order_id, int) or isinstance(order_id, bool):
        raise OrderError(f"id {order_id!r} is not an order id")
    status = str(order.get("status") or "").lower()
    if status in _SKIPPED:
        return None
    currency = str(order.get("currency") or config.currency).upper()
    if len(currency) != 3 or not currency.isalpha():
        raise OrderError(f"currency {currency!r} is not an ISO 4217 code")
    created_at = _when(order, "date_created_gmt")
    if created_at is None:
        raise OrderError("date_created_gmt is empty")
    items = order.get("line_items")
    if not isinstance(items, list):
        raise OrderError("line_items is not a list")
    lines = [_line(item, index, currency) for index, item in enumerate(items)]
    modified_at = _when(order, "date_modified_gmt") or created_at
    paid_at = _when(order, "date_paid_gmt")
    if paid_at is None and status in _PAID:
        paid_at = modified_at
    refunds, notes = _refunds(order, status, modified_at, lines)
    found = order.get("billing")
    billing: Mapping[str, Any] = found if isinstance(found, Mapping) else {}
    customer_id = order.get("customer_id")
    customer = Customer(
        customer_id=str(customer_id) if customer_id not in (None, 0, "0", "") else None,
        email=str(billing.get("email") or "") or None,
        first_name=str(billing.get("first_name") or "") or None,
        last_name=str(billing.get("last_name") or "") or None,
        phone=str(billing.get("phone") or "") or None,
    )
    platform_order = PlatformOrder(
        order_id=f"{PLATFORM}:{order_id}",
        currency=currency,
        lines=lines,
        shipping=_amount(order.get("shipping_total"), "shipping_total", currency),
        tax=_amount(order.get("total_tax"), "total_tax", currency),
        # line totals are kept without tax even when prices include it: tax is added
        taxes_included=False,
        stated_total=_amount(order.get("total"), "total", currency),
        channel=config.channel,
        store=config.store,
    )
    return ExportOrder(
        platform=PLATFORM,
        order_id=str(order_id),
        first_line=first_line,
        last_line=last_line,
        customer=customer,
        order=platform_order,
        created_at=created_at,
        paid_at=paid_at,
        delivered_at=(_when(order, "date_completed_gmt") or modified_at)
        if status == "completed"
        else None,
        cancelled_at=modified_at if status in _CANCELLED else None,
        cancel_reason="WooCommerce: cancelled" if status in _CANCELLED else None,
        refunds=refunds,
        notes=tuple(notes),
    )


def _values(handle: IO[bytes]) -> Iterator[tuple[Any, int, int, int, str | None]]:
    """Each order value of the file with its first and last line, its size, or what is
    wrong at a line (after which a JSON array cannot be read on)."""
    text = handle.read().decode("utf-8-sig")
    start = len(text) - len(text.lstrip())
    if text[start : start + 1] != "[":
        first = True
        for line, row in enumerate(text.splitlines(), start=1):
            if not row.strip():
                continue
            try:
                value = json.loads(row)
            except json.JSONDecodeError as exc:
                if first:
                    raise _NotAnExportError(line) from None
                yield None, line, line, len(row) + 1, f"malformed JSON: {exc.msg}"
                continue
            first = False
            yield value, line, line, len(row) + 1, None
        return
    decoder = json.JSONDecoder()
    position, line = start + 1, text.count("\n", 0, start) + 1
    while True:
        skipped = position
        while position < len(text) and text[position] in " \t\r\n,":
            position += 1
        line += text.count("\n", skipped, position)
        if position >= len(text):
            yield None, line, line, 0, "the JSON array is not closed"
            return
        if text[position] == "]":
            return
        try:
            value, end = decoder.raw_decode(text, position)
        except json.JSONDecodeError as exc:
            yield (
                None,
                exc.lineno,
                exc.lineno,
                0,
                f"malformed JSON: {exc.msg}; the rest is not read",
            )
            return
        last = line + text.count("\n", position, end)
        yield value, line, last, end - position, None
        position, line = end, last


def read_orders(
    handle: IO[bytes], config: ConnectorConfig
) -> Iterator[tuple[ExportOrder | Problem, int]]:
    """The orders of a WooCommerce export in file order, each with the bytes it took;
    drafts and trashed orders are left out; an order that cannot be read is a
    ``Problem`` at its first line."""
    values = _values(handle)
    while True:
        try:
            value, first, last, size, problem = next(values)
        except StopIteration:
            return
        except _NotAnExportError as exc:
            detail = "not a WooCommerce orders export: neither a JSON array nor JSON Lines"
            yield Problem(exc.line, detail, fatal=True), 0
            return
        if problem is not None:
            yield Problem(first, problem), size
            continue
        try:
            order = to_order(value, config, first, last)
        except OrderError as exc:
            name = value.get("id") if isinstance(value, Mapping) else None
            yield Problem(first, f"order {name}: {exc}" if name else str(exc)), size
            continue
        if order is not None:
            yield order, size
