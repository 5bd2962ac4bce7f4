"""Reward SQL: lookups, the stock counter's conditional update, due coupon expiries."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Row, Table, func, or_, select, update
from sqlalchemy.orm import Session

from loyalist.db.bulk import among, insert_rows, key_chunks
from loyalist.db.keyset import Bound, condition
from loyalist.rewards.models import (
    Reward,
    RewardRedemption,
    RewardRedemptionStatus,
    RewardStatus,
)


def reward_by_key(session: Session, key: str, *, lock: bool = False) -> Reward | None:
    query = select(Reward).where(Reward.key == key)
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    return session.scalar(query)


def rewards(session: Session, *, status: RewardStatus | None = None) -> Sequence[Reward]:
    query = select(Reward).order_by(Reward.key)
    if status is not None:
        query = query.where(Reward.status == status)
    return session.scalars(query).all()


def rewards_by_id(session: Session, ids: Sequence[int]) -> dict[int, Reward]:
    wanted = sorted(set(ids))
    return {r.id: r for r in session.scalars(select(Reward).where(Reward.id.in_(wanted)))}


def current_issued(session: Session, reward_id: int) -> int:
    return int(session.scalar(select(Reward.issued).where(Reward.id == reward_id)) or 0)


def take_stock(session: Session, reward_id: int, count: int = 1) -> bool:
    """``count`` more rewards issued if that much stock is left (atomic on every backend:
    PostgreSQL re-checks the condition on the row after a concurrent update commits)."""
    result = session.execute(
        update(Reward)
        .where(
            Reward.id == reward_id,
            or_(Reward.stock.is_(None), Reward.issued + count <= Reward.stock),
        )
        .values(issued=Reward.issued + count)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def taken_by_member(
    session: Session, member_id: int, reward_id: int | None = None
) -> dict[int, int]:
    """Per reward, how many the member took and did not get refunded."""
    query = (
        select(RewardRedemption.reward_id, func.count())
        .where(
            RewardRedemption.member_id == member_id,
            RewardRedemption.status != RewardRedemptionStatus.REFUNDED,
        )
        .group_by(RewardRedemption.reward_id)
    )
    if reward_id is not None:
        query = query.where(RewardRedemption.reward_id == reward_id)
    return {int(rid): int(n) for rid, n in session.execute(query)}


def taken_by_members(session: Session, member_ids: Sequence[int], reward_id: int) -> dict[int, int]:
    """Per member, how many of the reward they took and did not get refunded."""
    found: dict[int, int] = {}
    for chunk in key_chunks(session, sorted(set(member_ids))):
        rows = session.execute(
            select(RewardRedemption.member_id, func.count())
            .where(
                among(session, RewardRedemption.member_id, chunk),
                RewardRedemption.reward_id == reward_id,
                RewardRedemption.status != RewardRedemptionStatus.REFUNDED,
            )
            .group_by(RewardRedemption.member_id)
        )
        found.update({int(m): int(n) for m, n in rows})
    return found


def redeemed_sources(session: Session, sources: Sequence[str]) -> set[str]:
    """Which of ``sources`` already made a redemption."""
    found: set[str] = set()
    for chunk in key_chunks(session, sorted(set(sources))):
        rows = session.execute(
            select(RewardRedemption.source).where(among(session, RewardRedemption.source, chunk))
        )
        found.update(str(source) for (source,) in rows)
    return found


def insert_redemptions(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Insert redemptions (their rows, all columns)."""
    insert_rows(session, cast(Table, RewardRedemption.__table__), rows)


def redemption_by_source(session: Session, source: str) -> RewardRedemption | None:
    return session.scalar(select(RewardRedemption).where(RewardRedemption.source == source))


def redemptions_by_source(
    session: Session, sources: Sequence[str]
) -> Sequence[Row[RewardRedemption, Reward]]:
    wanted = sorted(set(sources))
    return session.execute(
        select(RewardRedemption, Reward)
        .join(Reward, Reward.id == RewardRedemption.reward_id)
        .where(RewardRedemption.source.in_(wanted))
    ).all()


def member_redemptions(
    session: Session, member_id: int, limit: int
) -> Sequence[Row[RewardRedemption, Reward]]:
    return session.execute(
        select(RewardRedemption, Reward)
        .join(Reward, Reward.id == RewardRedemption.reward_id)
        .where(RewardRedemption.member_id == member_id)
        .order_by(RewardRedemption.created_at.desc(), RewardRedemption.id.desc())
        .limit(limit)
    ).all()


def member_redemptions_before(
    session: Session, member_id: int, *, limit: int, before: Bound | None
) -> Sequence[Row[RewardRedemption, Reward]]:
    """The member's rewards newest first, those after ``before`` (the timeline)."""
    query = (
        select(RewardRedemption, Reward)
        .join(Reward, Reward.id == RewardRedemption.reward_id)
        .where(RewardRedemption.member_id == member_id)
    )
    if before is not None:
        query = query.where(condition(before, RewardRedemption.created_at, RewardRedemption.id))
    return session.execute(
        query.order_by(RewardRedemption.created_at.desc(), RewardRedemption.id.desc()).limit(limit)
    ).all()


def due_redemptions(session: Session, now: datetime, limit: int) -> Sequence[RewardRedemption]:
    """Issued rewards whose coupon expired by ``now``, oldest expiry first. On PostgreSQL
    the rows are locked and rows another worker holds are skipped."""
    return session.scalars(
        select(RewardRedemption)
        .where(
            RewardRedemption.status == RewardRedemptionStatus.ISSUED,
            RewardRedemption.expires_at <= now,
        )
        .order_by(RewardRedemption.expires_at, RewardRedemption.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
        .execution_options(populate_existing=True)
    ).all()
