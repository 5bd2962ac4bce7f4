"""Checkout SQL."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import cast

from sqlalchemy import Table, or_, select
from sqlalchemy.orm import Session

from loyalist.checkout.models import Checkout, CheckoutStatus
from loyalist.db.bulk import replace_values
from loyalist.db.raw import Cursor

_OPEN = (CheckoutStatus.ACTIVE, CheckoutStatus.CONFIRMED)


def member_of(cursor: Cursor, checkout_id: str) -> int | None:
    """The member a checkout belongs to (one fixed statement, to lock the member first)."""
    row = cursor.one("SELECT member_id FROM checkouts WHERE id = ?", (checkout_id,))
    return None if row is None else int(row[0])


def lock(session: Session, checkout_id: str) -> Checkout | None:
    return session.scalar(
        select(Checkout)
        .where(Checkout.id == checkout_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


def open_for_order(session: Session, order_id: str, *, besides: str | None = None) -> bool:
    query = select(Checkout.id).where(Checkout.order_id == order_id, Checkout.status.in_(_OPEN))
    if besides is not None:
        query = query.where(Checkout.id != besides)
    return session.scalar(query.limit(1)) is not None


def has_open(session: Session) -> bool:
    """Whether any checkout is active or confirmed, the only ones order facts act on
    (most shops' imports have none)."""
    return (
        session.scalar(select(Checkout.id).where(Checkout.status.in_(_OPEN)).limit(1)) is not None
    )


def for_orders(
    session: Session, order_ids: Iterable[str], checkout_ids: Iterable[str]
) -> dict[str, Checkout]:
    """Open checkouts by order id, and those named by id (under their id as well)."""
    orders, ids = sorted(set(order_ids)), sorted(set(checkout_ids))
    found: dict[str, Checkout] = {}
    for start in range(0, max(len(orders), len(ids)), 500):
        chunk_orders, chunk_ids = orders[start : start + 500], ids[start : start + 500]
        rows = session.scalars(
            select(Checkout).where(
                Checkout.status.in_(_OPEN),
                or_(Checkout.order_id.in_(chunk_orders), Checkout.id.in_(chunk_ids)),
            )
        )
        for row in rows:
            if row.order_id is not None:
                found.setdefault(row.order_id, row)
            found[row.id] = row
    return found


def due(session: Session, now: datetime, limit: int) -> list[tuple[str, int]]:
    """Active checkouts past their time-out, with their members. Not locked here: the
    caller locks the members, then each checkout, and checks it again."""
    rows = session.execute(
        select(Checkout.id, Checkout.member_id)
        .where(Checkout.status == CheckoutStatus.ACTIVE, Checkout.expires_at <= now)
        .order_by(Checkout.expires_at, Checkout.id)
        .limit(limit)
    )
    return [(row.id, row.member_id) for row in rows]


def of_members(session: Session, member_ids: Sequence[int]) -> list[Checkout]:
    """Every checkout of these members, in key order."""
    found: list[Checkout] = []
    for start in range(0, len(member_ids), 500):
        found.extend(
            session.scalars(
                select(Checkout)
                .where(Checkout.member_id.in_(member_ids[start : start + 500]))
                .order_by(Checkout.id)
            )
        )
    return found


def rename_orders(session: Session, refs: dict[str, str]) -> None:
    replace_values(session, cast(Table, Checkout.__table__), "order_id", refs)
