"""The ledger's working set for one unit of work: balances, lots and new rows in memory,
loaded in few queries and written with a few ``executemany`` statements at the end.

Every ledger write in a unit goes through its ``Books``, so the in-memory copy of a loaded
lot or balance is always the current one; nothing else writes these tables.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table

from loyalist.db.bulk import insert_missing_keys, insert_rows, update_rows
from loyalist.db.carry import Carry
from loyalist.db.ids import allocate_ids
from loyalist.db.raw import RawReader, as_utc, chunks_in
from loyalist.db.uow import UnitOfWork
from loyalist.ledger.models import (
    BALANCE_COLUMNS,
    Account,
    Bucket,
    Lot,
    LotMove,
    LotStatus,
    MemberPoints,
    Posting,
)

_ID_BLOCK = 256
_LOT = cast(Table, Lot.__table__)
_LOT_MOVE = cast(Table, LotMove.__table__)
_MEMBER_POINTS = cast(Table, MemberPoints.__table__)
_POSTING = cast(Table, Posting.__table__)
_MEMBER_FIELD = {Account.AVAILABLE: "available", Account.PENDING: "pending", Account.HELD: "held"}
_TERMINAL = {
    Bucket.SPENT: LotStatus.SPENT,
    Bucket.EXPIRED: LotStatus.EXPIRED,
    Bucket.REVERSED: LotStatus.REVERSED,
}


@dataclass(eq=False, slots=True)
class Balance:
    member_id: int
    available: int = 0
    pending: int = 0
    held: int = 0
    debt: int = 0
    earned: int = 0
    spent: int = 0
    expired: int = 0
    reversed: int = 0
    adjusted: int = 0


@dataclass(eq=False, slots=True)
class LotState:
    id: int
    member_id: int
    status: str
    amount: int
    remaining: int
    held: int
    spent: int
    expired: int
    reversed: int
    reversal_due: int
    order_ref: str | None
    origin_posting_id: int
    rule_version_id: int | None
    created_at: datetime
    available_at: datetime
    matured_at: datetime | None
    expires_at: datetime | None
    expiry_noticed_at: datetime | None = None


_LOT_FIELDS = tuple(f.name for f in fields(LotState))
_LOT_SELECT = f"SELECT {', '.join(_LOT_FIELDS)} FROM point_lots"  # noqa: S608
#: Positions of the timestamps in a selected lot row (SQLite returns them as text).
_LOT_TIMES = tuple(
    i
    for i, name in enumerate(_LOT_FIELDS)
    if name in ("created_at", "available_at", "matured_at", "expires_at", "expiry_noticed_at")
)
_LOT_MUTABLE = (
    "status",
    "remaining",
    "held",
    "spent",
    "expired",
    "reversed",
    "reversal_due",
    "available_at",
    "matured_at",
    "expires_at",
    "expiry_noticed_at",
)


#: Balances carried from one batch of an import to the next (``db.carry``); they depend on
#: no configuration, so one fixed key.
_CARRIED: Carry[Balance] = Carry(size=50_000)
_CARRY_KEY = ("ledger.balances",)


class Books:
    """Load, change and write the ledger of the members a unit of work touches."""

    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow
        self.session = uow.session
        self.balances: dict[int, Balance] = {}
        self.lots: dict[int, LotState] = {}
        self._order_lots: dict[str, list[int]] = {}
        self._spendable_loaded: set[int] = set()
        #: The lots in memory of each member (``spendable`` looks only at these).
        self._member_lots: dict[int, list[LotState]] = {}
        self._new_lots: list[int] = []
        self._dirty_lots: set[int] = set()
        self._dirty_balances: set[int] = set()
        self._postings: list[dict[str, Any]] = []
        self._moves: list[dict[str, Any]] = []
        self._ids: dict[str, list[int]] = {}
        self._raw: RawReader | None = None

    @classmethod
    def of(cls, uow: UnitOfWork) -> Books:
        return uow.working_set("ledger.books", cls)

    # -- ids -------------------------------------------------------------------------------
    def _next_id(self, table: Any) -> int:
        pool = self._ids.setdefault(table.name, [])
        if not pool:
            pool.extend(reversed(allocate_ids(self.session, table, _ID_BLOCK)))
        return pool.pop()

    @property
    def _cursor(self) -> RawReader:
        """The unit's connection, for the working set's fixed statements."""
        if self._raw is None:
            self._raw = RawReader.on_session(self.session)
        return self._raw

    # -- balances --------------------------------------------------------------------------
    def lock(self, member_ids: Iterable[int], *, skip_locked: bool = False) -> list[int]:
        """Lock the members' balance rows in key order (creating missing ones); returns the
        members now held by this unit (fewer than asked only with ``skip_locked``)."""
        asked = list(member_ids)
        wanted = sorted(set(asked) - self.balances.keys())
        if wanted and not skip_locked:
            carried = _CARRIED.take(self.uow, _CARRY_KEY, wanted)
            self.balances.update(carried)
            wanted = [m for m in wanted if m not in carried]
        if wanted:
            cursor = self._cursor
            locking = ""
            if cursor.dialect == "postgresql":
                locking = " FOR UPDATE SKIP LOCKED" if skip_locked else " FOR UPDATE"
            columns = ", ".join(BALANCE_COLUMNS)
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                if not skip_locked:  # jobs only visit members that already have a row
                    insert_missing_keys(
                        self.session,
                        _MEMBER_POINTS,
                        "member_id",
                        chunk,
                        dict.fromkeys(BALANCE_COLUMNS, 0),
                    )
                for condition, params in chunks_in(cursor.dialect, chunk):
                    for row in cursor.all(
                        f"SELECT member_id, {columns} FROM member_points "  # noqa: S608
                        f"WHERE member_id {condition} ORDER BY member_id{locking}",
                        params,
                    ):
                        self.balances[row[0]] = Balance(*row)
        return [m for m in asked if m in self.balances]

    def balance(self, member_id: int) -> Balance:
        if member_id not in self.balances:
            self.lock([member_id])
        return self.balances[member_id]

    # -- lots ------------------------------------------------------------------------------
    def _select_lots(self, where: str, keys: Sequence[Any], *more: Any) -> list[LotState]:
        """Lots ``WHERE <where>`` (``{keys}`` stands for the IN-list of ``keys``), adopted."""
        cursor = self._cursor
        found: list[LotState] = []
        for condition, params in chunks_in(cursor.dialect, keys):
            for row in cursor.all(
                f"{_LOT_SELECT} WHERE {where.format(keys=condition)}", (*params, *more)
            ):
                lot = self.lots.get(row[0])
                if lot is None:
                    values = list(row)
                    for i in _LOT_TIMES:
                        values[i] = as_utc(values[i])
                    lot = LotState(*values)
                    self.lots[lot.id] = lot
                    self._member_lots.setdefault(lot.member_id, []).append(lot)
                found.append(lot)
        return found

    def _adopt(self, rows: Iterable[Any]) -> list[LotState]:
        found = []
        for row in rows:
            lot = self.lots.get(row.id)
            if lot is None:
                lot = LotState(*(getattr(row, name) for name in _LOT_FIELDS))
                self.lots[lot.id] = lot
                self._member_lots.setdefault(lot.member_id, []).append(lot)
            found.append(lot)
        return found

    def preload_orders(self, order_refs: Iterable[str]) -> None:
        """Load the lots of many orders in one query (batch paths call this first)."""
        wanted = [ref for ref in set(order_refs) if ref not in self._order_lots]
        for ref in wanted:
            self._order_lots[ref] = []
        for lot in self._select_lots("order_ref {keys}", wanted):
            if lot.order_ref is not None and lot.id not in self._order_lots[lot.order_ref]:
                self._order_lots[lot.order_ref].append(lot.id)

    def order_lots(self, order_ref: str) -> list[LotState]:
        if order_ref not in self._order_lots:
            self.preload_orders([order_ref])
        return [self.lots[i] for i in sorted(self._order_lots[order_ref])]

    def preload_spendable(self, member_ids: Iterable[int]) -> None:
        """Load many members' available lots in one query (batch paths call this first)."""
        wanted = sorted(set(member_ids) - self._spendable_loaded)
        self._select_lots(
            "member_id {keys} AND status = ? AND remaining > 0", wanted, LotStatus.AVAILABLE.value
        )
        self._spendable_loaded.update(wanted)

    def spendable(self, member_id: int) -> list[LotState]:
        """The member's available lots with points left (in memory and stored)."""
        if member_id not in self._spendable_loaded:
            self.preload_spendable([member_id])
        return [
            lot
            for lot in self._member_lots.get(member_id, ())
            if lot.status == LotStatus.AVAILABLE and lot.remaining > 0
        ]

    def load_lots(self, lot_ids: Iterable[int]) -> dict[int, LotState]:
        wanted = [i for i in set(lot_ids) if i not in self.lots]
        if wanted:
            self._select_lots("id {keys}", wanted)
        return {i: self.lots[i] for i in lot_ids}

    def adopt_rows(self, rows: Iterable[Any]) -> list[LotState]:
        """Take lots a caller selected (``select(_LOT)`` rows) into the working set."""
        return self._adopt(rows)

    def new_lot(self, **values: Any) -> LotState:
        lot = LotState(id=self._next_id(_LOT), **values)
        self.lots[lot.id] = lot
        self._member_lots.setdefault(lot.member_id, []).append(lot)
        self._new_lots.append(lot.id)
        if lot.order_ref is not None:
            self._order_lots.setdefault(lot.order_ref, []).append(lot.id)
        return lot

    def touch(self, lot: LotState) -> None:
        self._dirty_lots.add(lot.id)

    # -- postings and moves ----------------------------------------------------------------
    def post(
        self,
        balance: Balance,
        kind: str,
        debit: Account,
        credit: Account,
        amount: int,
        reason_code: str,
        reason_params: dict[str, Any],
        *,
        order_ref: str | None = None,
        hold_id: str | None = None,
        issuer: str | None = None,
        rule_version_id: int | None = None,
        effective_at: datetime | None = None,
    ) -> int:
        """Record a posting and apply it to the member's cached balances; returns its id.

        ``effective_at`` is when it happened in business terms (the payment, the scheduled
        maturity, the return); ``created_at`` is when it was recorded.
        """
        posting_id = self._next_id(_POSTING)
        self._postings.append(
            {
                "id": posting_id,
                "member_id": balance.member_id,
                "kind": kind,
                "debit_account": debit.value,
                "credit_account": credit.value,
                "amount": amount,
                "reason_code": reason_code,
                "reason_params": reason_params,
                "order_ref": order_ref,
                "hold_id": hold_id,
                "rule_version_id": rule_version_id,
                "issuer": issuer,
                "effective_at": min(effective_at or self.uow.now, self.uow.now),
                "created_at": self.uow.now,
            }
        )
        if debit in _MEMBER_FIELD:
            name = _MEMBER_FIELD[debit]
            setattr(balance, name, getattr(balance, name) - amount)
        if credit in _MEMBER_FIELD:
            name = _MEMBER_FIELD[credit]
            setattr(balance, name, getattr(balance, name) + amount)
        self._dirty_balances.add(balance.member_id)
        return posting_id

    def changed(self, balance: Balance) -> None:
        self._dirty_balances.add(balance.member_id)

    def move(
        self,
        lot: LotState,
        posting_id: int,
        src: Bucket,
        dst: Bucket,
        amount: int,
        hold_id: str | None = None,
    ) -> None:
        """Move points of a lot between buckets (the lot allocation record)."""
        setattr(lot, src.value, getattr(lot, src.value) - amount)
        setattr(lot, dst.value, getattr(lot, dst.value) + amount)
        if lot.remaining == 0 and lot.held == 0 and dst in _TERMINAL:
            lot.status = _TERMINAL[dst]
        elif dst in (Bucket.REMAINING, Bucket.HELD) and lot.status in _TERMINAL.values():
            lot.status = LotStatus.AVAILABLE
        self._dirty_lots.add(lot.id)
        self._moves.append(
            {
                "id": self._next_id(_LOT_MOVE),
                "posting_id": posting_id,
                "lot_id": lot.id,
                "member_id": lot.member_id,
                "from_bucket": src.value,
                "to_bucket": dst.value,
                "amount": amount,
                "hold_id": hold_id,
            }
        )

    # -- writing ---------------------------------------------------------------------------
    def flush(self) -> None:
        """Insert new postings, lots and moves, update changed lots and balances."""
        s = self.session
        if self._postings:
            insert_rows(s, _POSTING, self._postings)
            self._postings = []
        new = set(self._new_lots)
        if self._new_lots:
            insert_rows(
                s,
                _LOT,
                [
                    {name: getattr(self.lots[i], name) for name in _LOT_FIELDS}
                    for i in self._new_lots
                ],
            )
            self._new_lots = []
        dirty = [i for i in self._dirty_lots if i not in new]
        update_rows(
            s,
            _LOT,
            ["id"],
            _LOT_MUTABLE,
            [
                {"id": i, **{n: getattr(self.lots[i], n) for n in _LOT_MUTABLE}}
                for i in sorted(dirty)
            ],
        )
        self._dirty_lots = set()
        if self._moves:
            insert_rows(s, _LOT_MOVE, self._moves)
            self._moves = []
        if self._dirty_balances:
            update_rows(
                s,
                _MEMBER_POINTS,
                ["member_id"],
                BALANCE_COLUMNS,
                [
                    {"member_id": m, **{c: getattr(self.balances[m], c) for c in BALANCE_COLUMNS}}
                    for m in sorted(self._dirty_balances)
                ],
            )
            self._dirty_balances = set()
        _CARRIED.keep(self.uow, _CARRY_KEY, self.balances)
