"""Activity and order queries."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, func, select, tuple_
from sqlalchemy.orm import Session, selectinload

from loyalist.activities.models import Activity, Order
from loyalist.db.bulk import insert_rows


def stored_events(
    session: Session, event_ids: Iterable[str]
) -> dict[str, tuple[str, dict[str, Any]]]:
    """``event_id -> (request_hash, result)`` for the ids already stored."""
    wanted = list(set(event_ids))
    found: dict[str, tuple[str, dict[str, Any]]] = {}
    for start in range(0, len(wanted), 500):
        rows = session.execute(
            select(Activity.event_id, Activity.request_hash, Activity.result).where(
                Activity.event_id.in_(wanted[start : start + 500])
            )
        )
        found.update({eid: (h, result) for eid, h, result in rows})
    return found


def insert_activities(session: Session, rows: list[dict[str, Any]]) -> None:
    if rows:
        insert_rows(session, cast(Table, Activity.__table__), rows)


def timeline(
    session: Session, member_id: int, *, limit: int, before: tuple[datetime, int] | None
) -> Sequence[Activity]:
    query = select(Activity).where(Activity.member_id == member_id)
    if before is not None:
        query = query.where(tuple_(Activity.occurred_at, Activity.id) < before)
    return session.scalars(
        query.order_by(Activity.occurred_at.desc(), Activity.id.desc()).limit(limit)
    ).all()


def find_order(session: Session, order_id: str) -> Order | None:
    return session.scalar(
        select(Order)
        .where(Order.order_id == order_id)
        .options(selectinload(Order.lines), selectinload(Order.returns))
    )


def count_orders(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(Order)) or 0)
