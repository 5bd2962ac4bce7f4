"""Ledger queries: member locks in key order, lots, holds, history, liability."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import case, func, select, tuple_
from sqlalchemy.orm import Session

from loyalist.db.raw import Cursor, as_utc
from loyalist.ledger.models import (
    BALANCE_COLUMNS,
    SYSTEM_ACCOUNTS,
    Bucket,
    Hold,
    HoldStatus,
    Lot,
    LotMove,
    LotStatus,
    MemberPoints,
    Posting,
)


def find_hold(session: Session, hold_id: str) -> Hold | None:
    return session.scalar(
        select(Hold).where(Hold.id == hold_id).execution_options(populate_existing=True)
    )


def held_by_lot(session: Session, hold_id: str) -> dict[int, int]:
    """Points a hold still keeps in each lot's ``held`` bucket."""
    into = func.sum(case((LotMove.to_bucket == Bucket.HELD, LotMove.amount), else_=0))
    out = func.sum(case((LotMove.from_bucket == Bucket.HELD, LotMove.amount), else_=0))
    rows = session.execute(
        select(LotMove.lot_id, into - out)
        .where(LotMove.hold_id == hold_id)
        .group_by(LotMove.lot_id)
    )
    return {lot_id: int(amount) for lot_id, amount in rows if amount}


def due_members(
    session: Session, what: str, now: datetime, limit: int, *, after: datetime | None = None
) -> list[int]:
    """Members with lots to mature or expire, or holds to time out, by ``now``; with
    ``notice``, lots expiring after ``after`` and by ``now`` not yet announced."""
    if what == "notice":
        query = select(Lot.member_id).where(
            Lot.status == LotStatus.AVAILABLE,
            Lot.expires_at <= now,
            Lot.expires_at > after,
            Lot.remaining > 0,
            Lot.expiry_noticed_at.is_(None),
        )
    elif what == "mature":
        query = select(Lot.member_id).where(
            Lot.status == LotStatus.PENDING, Lot.available_at <= now
        )
    elif what == "expire":
        query = select(Lot.member_id).where(
            Lot.status == LotStatus.AVAILABLE, Lot.expires_at <= now, Lot.remaining > 0
        )
    else:
        query = select(Hold.member_id).where(
            Hold.status == HoldStatus.ACTIVE, Hold.expires_at <= now
        )
    return sorted(set(session.scalars(query.limit(limit * 4))))[:limit]


def due_lot_rows(
    session: Session, member_id: int, what: str, now: datetime, *, after: datetime | None = None
) -> Any:
    """Rows (``Lot.__table__``) of the member's lots due to mature or expire by ``now``, or
    (``notice``) expiring after ``after`` and by ``now`` and not announced yet."""
    table = Lot.__table__
    if what == "notice":
        cond = (
            (table.c.status == LotStatus.AVAILABLE)
            & (table.c.expires_at <= now)
            & (table.c.expires_at > after)
            & (table.c.remaining > 0)
            & table.c.expiry_noticed_at.is_(None)
        )
    elif what == "mature":
        cond = (table.c.status == LotStatus.PENDING) & (table.c.available_at <= now)
    else:
        cond = (
            (table.c.status == LotStatus.AVAILABLE)
            & (table.c.expires_at <= now)
            & (table.c.remaining > 0)
        )
    return session.execute(
        select(table).where(table.c.member_id == member_id, cond).order_by(table.c.id)
    ).all()


def due_holds(session: Session, member_id: int, now: datetime) -> Sequence[Hold]:
    return session.scalars(
        select(Hold)
        .where(
            Hold.member_id == member_id, Hold.status == HoldStatus.ACTIVE, Hold.expires_at <= now
        )
        .order_by(Hold.id)
    ).all()


def history(
    session: Session, member_id: int, *, limit: int, before: tuple[datetime, int] | None
) -> Sequence[Posting]:
    """The member's postings, latest business time first."""
    query = select(Posting).where(Posting.member_id == member_id)
    if before is not None:
        query = query.where(tuple_(Posting.effective_at, Posting.id) < before)
    return session.scalars(
        query.order_by(Posting.effective_at.desc(), Posting.id.desc()).limit(limit)
    ).all()


def system_balances(session: Session) -> dict[str, int]:
    """Balance of every system account: one aggregate over the postings that touch them."""
    credit = select(Posting.credit_account.label("account"), func.sum(Posting.amount).label("s"))
    credit = credit.where(Posting.credit_account.in_(SYSTEM_ACCOUNTS)).group_by(
        Posting.credit_account
    )
    debit = select(Posting.debit_account.label("account"), (-func.sum(Posting.amount)).label("s"))
    debit = debit.where(Posting.debit_account.in_(SYSTEM_ACCOUNTS)).group_by(Posting.debit_account)
    balances = {account.value: 0 for account in SYSTEM_ACCOUNTS}
    for account, amount in session.execute(credit.union_all(debit)):
        balances[account] += int(amount)
    return balances


_BALANCE_SQL = (
    "SELECT available, pending, held, debt, earned, spent, expired, reversed, adjusted "
    "FROM member_points WHERE member_id = ?"
)
_EXPIRIES_SQL = (
    "SELECT expires_at, remaining FROM point_lots WHERE member_id = ? AND status = 'available' "
    "AND remaining > 0 AND expires_at IS NOT NULL ORDER BY expires_at LIMIT 64"
)


def balance_values(cursor: Cursor, member_id: int) -> tuple[int, ...] | None:
    """The member's balance columns (``BALANCE_COLUMNS`` order), or None before any."""
    row = cursor.one(_BALANCE_SQL, (member_id,))
    return None if row is None else tuple(int(v) for v in row)


def upcoming_expiries(cursor: Cursor, member_id: int) -> list[tuple[datetime, int]]:
    """``(expires_at, remaining)`` of the member's available lots, soonest first (64)."""
    rows = cursor.all(_EXPIRIES_SQL, (member_id,))
    return [(at, int(amount)) for raw_at, amount in rows if (at := as_utc(raw_at))]


def balance_totals(session: Session) -> dict[str, int]:
    names = BALANCE_COLUMNS
    row = session.execute(
        select(*[func.coalesce(func.sum(getattr(MemberPoints, n)), 0) for n in names])
    ).one()
    return {name: int(value) for name, value in zip(names, row, strict=True)}


def members_with_available(session: Session, minimum: int) -> list[tuple[int, int]]:
    rows = session.execute(
        select(MemberPoints.member_id, MemberPoints.available)
        .where(MemberPoints.available >= minimum)
        .order_by(MemberPoints.member_id)
    )
    return [(int(m), int(a)) for m, a in rows]
