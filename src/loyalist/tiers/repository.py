"""Tier queries: the program in force, member states in key order, credits, memberships."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, NamedTuple, cast

from sqlalchemy import Row, Table, func, select
from sqlalchemy.orm import Session

from loyalist.db import keyset
from loyalist.db.bulk import insert_missing_keys, replace_values
from loyalist.db.raw import RawReader, as_utc, chunks_in
from loyalist.tiers.models import (
    CreditKind,
    MembershipStatus,
    MemberTier,
    TierChange,
    TierCredit,
    TierMembership,
    TierProgramVersion,
)

MEMBER_TIER = cast(Table, MemberTier.__table__)
CREDIT = cast(Table, TierCredit.__table__)
MEMBERSHIP = cast(Table, TierMembership.__table__)
CHANGE = cast(Table, TierChange.__table__)
PROGRAM = cast(Table, TierProgramVersion.__table__)
_CHUNK = 500


def current_program(session: Session) -> dict[str, Any] | None:
    program = session.scalar(
        select(TierProgramVersion.program).order_by(TierProgramVersion.id.desc()).limit(1)
    )
    return program


def add_program(session: Session, program: dict[str, Any], now: datetime) -> None:
    session.execute(PROGRAM.insert().values(program=program, created_at=now))


def _chunks(ids: Sequence[int]) -> list[Sequence[int]]:
    return [ids[i : i + _CHUNK] for i in range(0, len(ids), _CHUNK)]


class StateRow(NamedTuple):
    member_id: int
    tier: str | None
    reached_at: datetime | None
    window_end: datetime | None
    review_at: datetime | None


class CreditRow(NamedTuple):
    member_id: int
    kind: str
    ref: str | None
    at: datetime
    spend: int
    points: int
    orders: int


def member_states(
    session: Session, ids: Sequence[int], now: datetime, *, lock: bool, skip_locked: bool = False
) -> list[StateRow]:
    """State rows of the members in key order; with ``lock``, created when missing (unless
    ``skip_locked``, which jobs use) and locked ``FOR UPDATE`` (PostgreSQL)."""
    cursor = RawReader.on_session(session)
    locking = ""
    if lock and cursor.dialect == "postgresql":
        locking = " FOR UPDATE SKIP LOCKED" if skip_locked else " FOR UPDATE"
    found: list[StateRow] = []
    for chunk in _chunks(sorted(ids)):
        if lock and not skip_locked:
            insert_missing_keys(session, MEMBER_TIER, "member_id", chunk, {"updated_at": now})
        for condition, params in chunks_in(cursor.dialect, chunk):
            rows = cursor.all(
                "SELECT member_id, tier, reached_at, window_end, review_at FROM member_tiers "  # noqa: S608
                f"WHERE member_id {condition} ORDER BY member_id{locking}",
                params,
            )
            found.extend(
                StateRow(m, t, as_utc(reached), as_utc(end), as_utc(review))
                for m, t, reached, end, review in rows
            )
    return found


def credits_since(session: Session, ids: Sequence[int], since: datetime) -> list[CreditRow]:
    cursor = RawReader.on_session(session)
    stamp = cursor.stamp(since)
    found: list[CreditRow] = []
    for condition, params in chunks_in(cursor.dialect, sorted(ids)):
        rows = cursor.all(
            "SELECT member_id, kind, ref, at, spend, points, orders FROM tier_credits "  # noqa: S608
            f"WHERE member_id {condition} AND at >= ?",
            (*params, stamp),
        )
        found.extend(
            CreditRow(m, kind, ref, as_utc(at), spend, points, orders)  # type: ignore[arg-type]
            for m, kind, ref, at, spend, points, orders in rows
        )
    return found


def credits_between(
    session: Session, member_id: int, start: datetime | None, end: datetime
) -> list[Row[Any]]:
    """Credits with ``start <= at < end`` (``start`` None: from the beginning)."""
    query = select(CREDIT).where(CREDIT.c.member_id == member_id, CREDIT.c.at < end)
    if start is not None:
        query = query.where(CREDIT.c.at >= start)
    return list(session.execute(query))


def credit_totals_before(
    session: Session, ids: Sequence[int], before: datetime
) -> dict[int, tuple[int, int, int]]:
    """Sum of spend, points and orders per member over credits dated before ``before``."""
    totals: dict[int, tuple[int, int, int]] = {}
    for chunk in _chunks(sorted(ids)):
        rows = session.execute(
            select(
                CREDIT.c.member_id,
                func.sum(CREDIT.c.spend),
                func.sum(CREDIT.c.points),
                func.sum(CREDIT.c.orders),
            )
            .where(CREDIT.c.member_id.in_(chunk), CREDIT.c.at < before)
            .group_by(CREDIT.c.member_id)
        )
        for member_id, spend, points, orders in rows:
            totals[member_id] = (int(spend or 0), int(points or 0), int(orders or 0))
    return totals


def order_credits(session: Session, member_id: int, ref: str) -> list[Row[Any]]:
    return list(
        session.execute(select(CREDIT).where(CREDIT.c.member_id == member_id, CREDIT.c.ref == ref))
    )


def points_credits(session: Session, member_id: int, refs: Sequence[str]) -> list[Row[Any]]:
    """The member's stored points credits under these references."""
    return list(
        session.execute(
            select(CREDIT).where(
                CREDIT.c.member_id == member_id,
                CREDIT.c.kind == CreditKind.POINTS.value,
                CREDIT.c.ref.in_(list(refs)),
            )
        )
    )


def memberships(session: Session, ids: Sequence[int]) -> list[Row[Any]]:
    found: list[Row[Any]] = []
    for chunk in _chunks(sorted(ids)):
        found.extend(session.execute(select(MEMBERSHIP).where(MEMBERSHIP.c.member_id.in_(chunk))))
    return found


def due_members(session: Session, now: datetime, limit: int) -> list[int]:
    """Members with a review due, or a paid plan that has run out, by ``now``."""
    reviews = session.scalars(
        select(MemberTier.member_id)
        .where(MemberTier.review_at <= now)
        .order_by(MemberTier.review_at)
        .limit(limit)
    )
    lapsed = session.scalars(
        select(TierMembership.member_id)
        .where(TierMembership.status != MembershipStatus.ENDED, TierMembership.ends_at <= now)
        .order_by(TierMembership.ends_at)
        .limit(limit)
    )
    return sorted({*reviews, *lapsed})[:limit]


def changes(session: Session, member_id: int, limit: int) -> Sequence[TierChange]:
    return session.scalars(
        select(TierChange)
        .where(TierChange.member_id == member_id)
        .order_by(TierChange.at.desc(), TierChange.id.desc())
        .limit(limit)
    ).all()


def changes_before(
    session: Session, member_id: int, *, limit: int, before: keyset.Bound | None
) -> Sequence[TierChange]:
    """The member's tier changes newest first, those after ``before`` (the timeline)."""
    query = select(TierChange).where(TierChange.member_id == member_id)
    if before is not None:
        query = query.where(keyset.condition(before, TierChange.at, TierChange.id))
    return session.scalars(
        query.order_by(TierChange.at.desc(), TierChange.id.desc()).limit(limit)
    ).all()


def members_reviewed_between(session: Session, start: datetime, end: datetime) -> list[int]:
    """Members whose next review is in ``(start, end]``."""
    return sorted(
        session.scalars(
            select(MemberTier.member_id).where(
                MemberTier.review_at > start, MemberTier.review_at <= end
            )
        )
    )


def plans_ending_between(
    session: Session, start: datetime, end: datetime
) -> Sequence[TierMembership]:
    """Active plans whose paid period ends in ``(start, end]``, by member."""
    return session.scalars(
        select(TierMembership)
        .where(
            TierMembership.status == MembershipStatus.ACTIVE,
            TierMembership.period_end > start,
            TierMembership.period_end <= end,
        )
        .order_by(TierMembership.member_id, TierMembership.membership_id)
    ).all()


def rename_credit_refs(session: Session, refs: dict[str, str]) -> None:
    replace_values(session, cast(Table, TierCredit.__table__), "ref", refs)


def qualified_counts(session: Session) -> dict[str, int]:
    """Members by the tier their activity qualified them for (members below every
    qualifiable tier left out)."""
    rows = session.execute(
        select(MemberTier.tier, func.count())
        .where(MemberTier.tier.is_not(None))
        .group_by(MemberTier.tier)
    ).all()
    return {tier: count for tier, count in rows if tier is not None}


def plan_counts(session: Session) -> dict[str, int]:
    """Members with an active paid plan, by the tier it grants."""
    rows = session.execute(
        select(TierMembership.tier, func.count(func.distinct(TierMembership.member_id)))
        .where(TierMembership.status == MembershipStatus.ACTIVE, TierMembership.tier.is_not(None))
        .group_by(TierMembership.tier)
    ).all()
    return {tier: count for tier, count in rows if tier is not None}
