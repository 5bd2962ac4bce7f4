"""Gamification SQL: definitions, the statistics lock rows, badges, progress, streaks."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.orm import Session

from loyalist.db import bulk
from loyalist.gamification.models import (
    DefinitionKind,
    GameDefinition,
    GameSweep,
    MemberBadge,
    MemberGameStats,
    MemberStreak,
    QuestProgress,
)

STATS: Table = MemberGameStats.__table__  # type: ignore[assignment]
BADGES: Table = MemberBadge.__table__  # type: ignore[assignment]
PROGRESS: Table = QuestProgress.__table__  # type: ignore[assignment]
STREAKS: Table = MemberStreak.__table__  # type: ignore[assignment]
SWEEPS: Table = GameSweep.__table__  # type: ignore[assignment]


# -- definitions --------------------------------------------------------------------------
def active_versions(session: Session) -> list[tuple[int, int]]:
    """``(id, version)`` of every active definition, by id (the compiled set's cache key)."""
    rows = session.execute(
        select(GameDefinition.id, GameDefinition.version)
        .where(GameDefinition.is_active.is_(True))
        .order_by(GameDefinition.id)
    )
    return [(int(i), int(v)) for i, v in rows]


def has_active_reactions(session: Session) -> bool:
    """Whether an active badge, quest or streak exists (levels need no statistics)."""
    found = session.scalar(
        select(GameDefinition.id)
        .where(
            GameDefinition.is_active.is_(True),
            GameDefinition.kind.in_(
                [DefinitionKind.BADGE, DefinitionKind.QUEST, DefinitionKind.STREAK]
            ),
        )
        .limit(1)
    )
    return found is not None


def definitions_by_id(session: Session, ids: Sequence[int]) -> Sequence[GameDefinition]:
    return session.scalars(
        select(GameDefinition).where(GameDefinition.id.in_(sorted(ids))).order_by(GameDefinition.id)
    ).all()


def definition(session: Session, kind: str, key: str) -> GameDefinition | None:
    return session.scalar(
        select(GameDefinition).where(GameDefinition.kind == kind, GameDefinition.key == key)
    )


def definitions(session: Session, kind: str) -> Sequence[GameDefinition]:
    return session.scalars(
        select(GameDefinition).where(GameDefinition.kind == kind).order_by(GameDefinition.key)
    ).all()


# -- statistics (the per-member lock rows) -------------------------------------------------
STATS_COLUMNS = (
    "orders_count",
    "spend",
    "categories",
    "reviews",
    "surveys",
    "referrals_count",
    "quests_count",
    "badges_count",
    "is_profile_complete",
    "last_order_at",
    "updated_at",
)


@dataclass(slots=True)
class StatsRow:
    """A member's statistics as read under its lock; written back once, at the end."""

    member_id: int
    orders_count: int
    spend: int
    categories: list[Any]
    reviews: list[Any]
    surveys: list[Any]
    referrals_count: int
    quests_count: int
    badges_count: int
    is_profile_complete: bool
    last_order_at: datetime | None
    updated_at: datetime | None
    dirty: bool = False


def lock_stats(
    session: Session, member_ids: Sequence[int], *, skip_locked: bool = False
) -> dict[int, StatsRow]:
    """The members' statistics rows, created when missing and locked in key order (on
    PostgreSQL; SQLite has one writer). With ``skip_locked`` rows another unit holds are
    left out (and none are created)."""
    wanted = sorted(set(member_ids))
    if not wanted:
        return {}
    if not skip_locked:
        bulk.insert_missing_keys(
            session,
            STATS,
            "member_id",
            wanted,
            {
                "orders_count": 0,
                "spend": 0,
                "categories": [],
                "reviews": [],
                "surveys": [],
                "referrals_count": 0,
                "quests_count": 0,
                "badges_count": 0,
                "is_profile_complete": False,
            },
        )
    query = (
        select(STATS.c.member_id, *(STATS.c[c] for c in STATS_COLUMNS))
        .where(STATS.c.member_id.in_(wanted))
        .order_by(STATS.c.member_id)
        .with_for_update(skip_locked=skip_locked)
    )
    found: dict[int, StatsRow] = {}
    for row in session.execute(query):
        stats = StatsRow(*row)
        stats.categories = list(stats.categories or [])
        stats.reviews = list(stats.reviews or [])
        stats.surveys = list(stats.surveys or [])
        found[stats.member_id] = stats
    return found


def write_stats(session: Session, rows: Iterable[StatsRow]) -> None:
    """Update the changed rows (and mark them written)."""
    changed = []
    for r in rows:
        if r.dirty:
            changed.append({"member_id": r.member_id, **{c: getattr(r, c) for c in STATS_COLUMNS}})
            r.dirty = False
    bulk.update_rows(session, STATS, ["member_id"], STATS_COLUMNS, changed)


def stats_of(session: Session, member_id: int) -> MemberGameStats | None:
    return session.get(MemberGameStats, member_id)


def stats_members_after(session: Session, after: int, limit: int) -> list[int]:
    return [
        int(m)
        for m in session.scalars(
            select(MemberGameStats.member_id)
            .where(MemberGameStats.member_id > after)
            .order_by(MemberGameStats.member_id)
            .limit(limit)
        )
    ]


# -- badges -------------------------------------------------------------------------------
def badges_of(session: Session, member_ids: Sequence[int]) -> dict[int, set[str]]:
    held: dict[int, set[str]] = {m: set() for m in member_ids}
    rows = session.execute(
        select(BADGES.c.member_id, BADGES.c.badge).where(
            BADGES.c.member_id.in_(sorted(set(member_ids)))
        )
    )
    for member_id, badge in rows:
        held.setdefault(int(member_id), set()).add(badge)
    return held


def member_badges(session: Session, member_id: int) -> Sequence[MemberBadge]:
    return session.scalars(
        select(MemberBadge)
        .where(MemberBadge.member_id == member_id)
        .order_by(MemberBadge.awarded_at, MemberBadge.id)
    ).all()


def insert_badges(
    session: Session, awards: Sequence[tuple[int, str, str]], at: datetime
) -> set[tuple[int, str]]:
    """Award once: ``INSERT … ON CONFLICT DO NOTHING RETURNING`` of ``(member_id, badge,
    source)`` rows; returns the ``(member_id, badge)`` pairs this statement inserted (a
    concurrent award waits on the unique key and then inserts nothing)."""
    if not awards:
        return set()
    values = [
        {"member_id": m, "badge": b, "awarded_at": at, "source": source[:200]}
        for m, b, source in awards
    ]
    returning = (BADGES.c.member_id, BADGES.c.badge)
    keys = ["member_id", "badge"]
    statement = bulk.insert_on_conflict(session, BADGES).on_conflict_do_nothing(index_elements=keys)
    rows = session.execute(statement.returning(*returning), values)
    return {(int(m), str(b)) for m, b in rows}


# -- quest progress -----------------------------------------------------------------------
@dataclass(slots=True)
class ProgressRow:
    member_id: int
    quest: str
    period: str
    steps: list[int]
    completed_at: datetime | None
    is_new: bool = False
    dirty: bool = False


def progress_of(
    session: Session, member_ids: Sequence[int], quests: Sequence[str], periods: Sequence[str]
) -> dict[tuple[int, str, str], ProgressRow]:
    """The progress rows of these members in these quests and periods, in one query."""
    if not member_ids or not quests or not periods:
        return {}
    rows = session.execute(
        select(
            PROGRESS.c.member_id,
            PROGRESS.c.quest,
            PROGRESS.c.period,
            PROGRESS.c.steps,
            PROGRESS.c.completed_at,
        ).where(
            PROGRESS.c.member_id.in_(sorted(set(member_ids))),
            PROGRESS.c.quest.in_(sorted(set(quests))),
            PROGRESS.c.period.in_(sorted(set(periods))),
        )
    )
    return {
        (int(m), q, p): ProgressRow(int(m), q, p, list(steps or []), done)
        for m, q, p, steps, done in rows
    }


def member_progress(session: Session, member_id: int) -> Sequence[QuestProgress]:
    return session.scalars(
        select(QuestProgress)
        .where(QuestProgress.member_id == member_id)
        .order_by(QuestProgress.quest, QuestProgress.period)
    ).all()


def complete_progress(session: Session, rows: Sequence[ProgressRow], at: datetime) -> int:
    """Store the rows as complete unless they already are, two statements at most: the
    exactly-once gate of quests' rewards. New rows are inserted complete (``ON CONFLICT DO
    NOTHING``), stored ones updated ``WHERE completed_at IS NULL``. Returns how many rows
    this call completed (fewer than given: another unit completed one first)."""
    new = [r for r in rows if r.is_new]
    stored = [r for r in rows if not r.is_new]
    done = 0
    if new:
        values = [
            {
                "member_id": r.member_id,
                "quest": r.quest,
                "period": r.period,
                "steps": r.steps,
                "completed_at": at,
                "updated_at": at,
            }
            for r in new
        ]
        keys = ["member_id", "quest", "period"]
        insert = bulk.insert_on_conflict(session, PROGRESS).on_conflict_do_nothing(
            index_elements=keys
        )
        done += len(session.execute(insert.returning(PROGRESS.c.member_id), values).all())
    if stored:
        change = (
            update(PROGRESS)
            .where(
                PROGRESS.c.member_id == bindparam("m"),
                PROGRESS.c.quest == bindparam("q"),
                PROGRESS.c.period == bindparam("p"),
                PROGRESS.c.completed_at.is_(None),
            )
            .values(steps=bindparam("s"), completed_at=at, updated_at=at)
        )
        params = [{"m": r.member_id, "q": r.quest, "p": r.period, "s": r.steps} for r in stored]
        result = session.execute(change, params)
        done += int(cast(Any, result).rowcount)
    for r in rows:
        r.is_new = r.dirty = False
    return done


def write_progress(session: Session, rows: Iterable[ProgressRow], at: datetime) -> None:
    new: list[dict[str, Any]] = []
    changed: list[dict[str, Any]] = []
    for r in rows:
        values = {
            "member_id": r.member_id,
            "quest": r.quest,
            "period": r.period,
            "steps": r.steps,
            "completed_at": r.completed_at,
            "updated_at": at,
        }
        if r.is_new:
            new.append(values)
        elif r.dirty:
            changed.append(values)
        r.is_new = r.dirty = False
    bulk.insert_rows(session, PROGRESS, new)
    bulk.update_rows(
        session, PROGRESS, ["member_id", "quest", "period"], ["steps", "updated_at"], changed
    )


# -- streaks ------------------------------------------------------------------------------
@dataclass(slots=True)
class StreakRow:
    member_id: int
    streak: str
    current: int
    best: int
    last_period: str
    last_index: int
    is_new: bool = False
    dirty: bool = False


def streaks_of(session: Session, member_ids: Sequence[int]) -> dict[tuple[int, str], StreakRow]:
    if not member_ids:
        return {}
    rows = session.execute(
        select(
            STREAKS.c.member_id,
            STREAKS.c.streak,
            STREAKS.c.current,
            STREAKS.c.best,
            STREAKS.c.last_period,
            STREAKS.c.last_index,
        ).where(STREAKS.c.member_id.in_(sorted(set(member_ids))))
    )
    return {(int(r[0]), r[1]): StreakRow(int(r[0]), *r[1:]) for r in rows}


def write_streaks(session: Session, rows: Iterable[StreakRow], at: datetime) -> None:
    columns = ("current", "best", "last_period", "last_index", "updated_at")
    new: list[dict[str, Any]] = []
    changed: list[dict[str, Any]] = []
    for r in rows:
        values = {
            "member_id": r.member_id,
            "streak": r.streak,
            "current": r.current,
            "best": r.best,
            "last_period": r.last_period,
            "last_index": r.last_index,
            "updated_at": at,
        }
        if r.is_new:
            new.append(values)
        elif r.dirty:
            changed.append(values)
        r.is_new = r.dirty = False
    bulk.insert_rows(session, STREAKS, new)
    bulk.update_rows(session, STREAKS, ["member_id", "streak"], columns, changed)


# -- the sweep ----------------------------------------------------------------------------
def restart_sweep(session: Session, name: str, now: datetime) -> None:
    """Start the pass over again from the first member (at once, not on the next day)."""
    cursor = sweep(session, name, now)
    cursor.after_member_id = 0
    cursor.finished_on = None
    cursor.updated_at = now


def sweep(session: Session, name: str, now: datetime) -> GameSweep:
    """The sweep's cursor row, locked (created at the start when missing; concurrent
    workers both insert nothing more than one row)."""
    values = {"name": name, "after_member_id": 0, "finished_on": None, "updated_at": now}
    session.execute(
        bulk.insert_on_conflict(session, SWEEPS).values(values).on_conflict_do_nothing()
    )
    found = session.scalar(
        select(GameSweep)
        .where(GameSweep.name == name)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    assert found is not None
    return found


def clear_member_lists(session: Session, member_ids: Sequence[int]) -> None:
    """Empty the lists the members' statistics keep (categories bought, reviews and surveys
    counted); the counts stay."""
    wanted = sorted(set(member_ids))
    for start in range(0, len(wanted), 500):
        session.execute(
            update(MemberGameStats)
            .where(MemberGameStats.member_id.in_(wanted[start : start + 500]))
            .values(categories=[], reviews=[], surveys=[])
            .execution_options(synchronize_session=False)
        )
