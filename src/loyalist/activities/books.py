"""Orders in memory for one unit of work: loaded in three queries, written with executemany.

Batch ingest touches hundreds of orders per transaction; plain objects and Core statements
keep that path several times faster than ORM instances.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, delete

from loyalist.activities.models import Order, OrderLine, OrderReturn
from loyalist.db.bulk import insert_rows, update_rows
from loyalist.db.ids import allocate_ids
from loyalist.db.raw import RawReader, rows_in
from loyalist.db.uow import UnitOfWork

_ID_BLOCK = 256
_ORDER = cast(Table, Order.__table__)
_ORDER_LINE = cast(Table, OrderLine.__table__)
_ORDER_RETURN = cast(Table, OrderReturn.__table__)


@dataclass(eq=False, slots=True)
class LineState:
    line_no: int
    sku: str
    name: str | None
    category: str | None
    quantity: int
    unit_price: int
    discount: int
    returned_quantity: int = 0

    @property
    def net(self) -> int:
        return self.quantity * self.unit_price - self.discount

    @property
    def returned_net(self) -> int:
        """The net value of the returned units, rounded down (exact once all are back)."""
        return self.net * self.returned_quantity // self.quantity


@dataclass(eq=False, slots=True)
class ReturnState:
    id: int
    return_id: str
    occurred_at: datetime
    requested: list[Any]
    applied: list[Any] | None = None
    returned_amount: int = 0
    is_applied: bool = False


@dataclass(eq=False, slots=True)
class OrderState:
    id: int
    order_id: str
    member_id: int
    currency: str | None = None
    channel: str | None = None
    store: str | None = None
    shipping: int = 0
    tax: int = 0
    total: int = 0
    net_amount: int = 0
    has_lines: bool = False
    placed_at: datetime | None = None
    paid_at: datetime | None = None
    shipped_at: datetime | None = None
    delivered_at: datetime | None = None
    cancelled_at: datetime | None = None
    carrier: str | None = None
    tracking_number: str | None = None
    tracking_url: str | None = None
    checkout_id: str | None = None
    is_paid_reported: bool = False
    is_delivery_reported: bool = False
    is_cancel_reported: bool = False
    referral: dict[str, Any] | None = None
    retired_at: datetime | None = None
    lines: list[LineState] = field(default_factory=list)
    returns: list[ReturnState] = field(default_factory=list)
    #: Not stored: the shipment became known (first report, or the payment of a shipped
    #: order) in this unit and is still to be reported; ``shipped_at`` going from null to
    #: a time happens once, so ``OrderShipped`` needs no column of its own.
    is_shipment_due: bool = False


_ORDER_COLUMNS = tuple(c.name for c in _ORDER.columns)
_ORDER_MUTABLE = tuple(c for c in _ORDER_COLUMNS if c not in ("id", "order_id", "member_id"))
_LINE_FIELDS = tuple(f.name for f in fields(LineState))
_RETURN_FIELDS = tuple(f.name for f in fields(ReturnState))


class OrderBook:
    """Every order a unit of work reads or changes, and what to write back."""

    def __init__(self, uow: UnitOfWork) -> None:
        self.session = uow.session
        self.orders: dict[str, OrderState] = {}
        self._new: set[str] = set()
        self._dirty: set[str] = set()
        self._relined: set[str] = set()
        self._dirty_lines: set[str] = set()
        self._new_returns: list[tuple[OrderState, ReturnState]] = []
        self._dirty_returns: dict[int, ReturnState] = {}
        self._ids: dict[str, list[int]] = {}

    @classmethod
    def of(cls, uow: UnitOfWork) -> OrderBook:
        return uow.working_set("activities.books", cls)

    def _next_id(self, table: Any) -> int:
        pool = self._ids.setdefault(table.name, [])
        if not pool:
            pool.extend(reversed(allocate_ids(self.session, table, _ID_BLOCK)))
        return pool.pop()

    def load(self, order_ids: Iterable[str]) -> None:
        wanted = [o for o in set(order_ids) if o not in self.orders]
        if not wanted:
            return
        cursor = RawReader.on_session(self.session)
        by_pk: dict[int, OrderState] = {}
        for values in rows_in(cursor, _ORDER, _ORDER_COLUMNS, "order_id", wanted):
            state = OrderState(**dict(zip(_ORDER_COLUMNS, values, strict=True)))
            self.orders[state.order_id] = by_pk[state.id] = state
        if not by_pk:
            return
        pks = sorted(by_pk)
        line_names = ("order_id", *_LINE_FIELDS)
        for order_pk, *line in rows_in(
            cursor, _ORDER_LINE, line_names, "order_id", pks, order_by="order_id, line_no"
        ):
            by_pk[order_pk].lines.append(LineState(*line))
        return_names = ("order_id", *_RETURN_FIELDS)
        for order_pk, *ret in rows_in(
            cursor, _ORDER_RETURN, return_names, "order_id", pks, order_by="id"
        ):
            by_pk[order_pk].returns.append(ReturnState(*ret))

    def get(self, order_id: str) -> OrderState | None:
        return self.orders.get(order_id)

    def create(self, order_id: str, member_id: int) -> OrderState:
        state = OrderState(id=self._next_id(_ORDER), order_id=order_id, member_id=member_id)
        self.orders[order_id] = state
        self._new.add(order_id)
        return state

    def changed(self, order: OrderState) -> None:
        self._dirty.add(order.order_id)

    def replace_lines(self, order: OrderState, lines: list[LineState]) -> None:
        order.lines = lines
        self._relined.add(order.order_id)
        self._dirty.add(order.order_id)

    def lines_changed(self, order: OrderState) -> None:
        self._dirty_lines.add(order.order_id)

    def add_return(self, order: OrderState, **values: Any) -> ReturnState:
        ret = ReturnState(id=self._next_id(_ORDER_RETURN), **values)
        order.returns.append(ret)
        self._new_returns.append((order, ret))
        return ret

    def return_changed(self, ret: ReturnState) -> None:
        self._dirty_returns[ret.id] = ret

    def flush(self) -> None:
        s = self.session
        orders, lines, returns = _ORDER, _ORDER_LINE, _ORDER_RETURN
        if self._new:
            insert_rows(
                s,
                orders,
                [{c: getattr(self.orders[o], c) for c in _ORDER_COLUMNS} for o in self._new],
            )
        update_rows(
            s,
            orders,
            ["id"],
            _ORDER_MUTABLE,
            [
                {"id": self.orders[o].id, **{c: getattr(self.orders[o], c) for c in _ORDER_MUTABLE}}
                for o in sorted(self._dirty - self._new)
            ],
        )
        relined = self._relined - self._new
        if relined:
            s.execute(
                delete(lines).where(lines.c.order_id.in_([self.orders[o].id for o in relined]))
            )
        if self._relined:
            insert_rows(
                s,
                lines,
                [
                    {"order_id": self.orders[o].id, **{f: getattr(line, f) for f in _LINE_FIELDS}}
                    for o in self._relined
                    for line in self.orders[o].lines
                ],
            )
        update_rows(
            s,
            lines,
            ["order_id", "line_no"],
            ["returned_quantity"],
            [
                {
                    "order_id": self.orders[o].id,
                    "line_no": line.line_no,
                    "returned_quantity": line.returned_quantity,
                }
                for o in sorted(self._dirty_lines - self._relined)
                for line in self.orders[o].lines
            ],
        )
        new_returns = {ret.id for _, ret in self._new_returns}
        if self._new_returns:
            insert_rows(
                s,
                returns,
                [
                    {"order_id": order.id, **{f: getattr(ret, f) for f in _RETURN_FIELDS}}
                    for order, ret in self._new_returns
                ],
            )
        changed = [r for i, r in self._dirty_returns.items() if i not in new_returns]
        update_rows(
            s,
            returns,
            ["id"],
            ["applied", "returned_amount", "is_applied"],
            [
                {
                    "id": r.id,
                    "applied": r.applied,
                    "returned_amount": r.returned_amount,
                    "is_applied": r.is_applied,
                }
                for r in changed
            ],
        )
        self._new, self._dirty, self._relined, self._dirty_lines = set(), set(), set(), set()
        self._new_returns, self._dirty_returns = [], {}
