"""Ledger queries: member locks in key order, lots, holds, history, liability."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import case, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from loyalist.ledger.models import (
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


def lock_balances(
    session: Session, member_ids: Iterable[int], *, skip_locked: bool = False
) -> dict[int, MemberPoints]:
    """Lock the members' balance rows in primary-key order, creating missing ones.

    On PostgreSQL this is ``SELECT … FOR UPDATE`` (``SKIP LOCKED`` for jobs, so two workers
    share out the members); on SQLite the single writer already serialises writes.
    """
    ids = sorted(set(member_ids))
    if not ids:
        return {}
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    found: dict[int, MemberPoints] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        session.execute(
            insert(MemberPoints)
            .values([{"member_id": mid} for mid in chunk])
            .on_conflict_do_nothing(index_elements=["member_id"])
        )
        rows = session.scalars(
            select(MemberPoints)
            .where(MemberPoints.member_id.in_(chunk))
            .order_by(MemberPoints.member_id)
            .with_for_update(skip_locked=skip_locked)
            .execution_options(populate_existing=True)
        )
        found.update({row.member_id: row for row in rows})
    return found


def find_balance(session: Session, member_id: int) -> MemberPoints | None:
    return session.get(MemberPoints, member_id)


def spendable_lots(session: Session, member_id: int) -> Sequence[Lot]:
    return session.scalars(
        select(Lot).where(
            Lot.member_id == member_id, Lot.status == LotStatus.AVAILABLE, Lot.remaining > 0
        )
    ).all()


def lots_of_orders(session: Session, order_pks: Iterable[int]) -> dict[int, list[Lot]]:
    wanted = list(set(order_pks))
    found: dict[int, list[Lot]] = {pk: [] for pk in wanted}
    for start in range(0, len(wanted), 500):
        for lot in session.scalars(
            select(Lot).where(Lot.order_pk.in_(wanted[start : start + 500])).order_by(Lot.id)
        ):
            assert lot.order_pk is not None
            found[lot.order_pk].append(lot)
    return found


def lots_by_id(session: Session, lot_ids: Iterable[int]) -> dict[int, Lot]:
    wanted = list(set(lot_ids))
    return {lot.id: lot for lot in session.scalars(select(Lot).where(Lot.id.in_(wanted)))}


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


def due_members(session: Session, what: str, now: datetime, limit: int) -> list[int]:
    """Members with lots to mature or expire, or holds to time out, by ``now``."""
    if what == "mature":
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


def due_lots(session: Session, member_id: int, what: str, now: datetime) -> Sequence[Lot]:
    if what == "mature":
        cond = (Lot.status == LotStatus.PENDING) & (Lot.available_at <= now)
        order = (Lot.available_at, Lot.id)
    else:
        cond = (Lot.status == LotStatus.AVAILABLE) & (Lot.expires_at <= now) & (Lot.remaining > 0)
        order = (Lot.expires_at, Lot.id)  # type: ignore[assignment]
    return session.scalars(
        select(Lot).where(Lot.member_id == member_id, cond).order_by(*order)
    ).all()


def due_holds(session: Session, member_id: int, now: datetime) -> Sequence[Hold]:
    return session.scalars(
        select(Hold)
        .where(
            Hold.member_id == member_id, Hold.status == HoldStatus.ACTIVE, Hold.expires_at <= now
        )
        .order_by(Hold.id)
    ).all()


def next_expiry(session: Session, member_id: int) -> tuple[datetime, int] | None:
    first = session.scalar(
        select(func.min(Lot.expires_at)).where(
            Lot.member_id == member_id, Lot.status == LotStatus.AVAILABLE, Lot.remaining > 0
        )
    )
    if first is None:
        return None
    lots = session.scalars(
        select(Lot).where(
            Lot.member_id == member_id,
            Lot.status == LotStatus.AVAILABLE,
            Lot.remaining > 0,
            Lot.expires_at.is_not(None),
        )
    ).all()
    when = min(lot.expires_at for lot in lots if lot.expires_at is not None)
    return when, sum(lot.remaining for lot in lots if lot.expires_at == when)


def history(
    session: Session, member_id: int, *, limit: int, before_id: int | None
) -> Sequence[Posting]:
    query = select(Posting).where(Posting.member_id == member_id)
    if before_id is not None:
        query = query.where(Posting.id < before_id)
    return session.scalars(query.order_by(Posting.id.desc()).limit(limit)).all()


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
