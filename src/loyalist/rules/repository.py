"""Rule queries."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, cast

from sqlalchemy import Table, func, insert, select
from sqlalchemy.orm import Session

from loyalist.db.raw import RawReader, chunks_in, rows_in
from loyalist.rules.models import (
    MemberOrderStats,
    RuleCounter,
    RuleMemberCounter,
    RuleTrigger,
    RuleVersion,
)

COUNTERS = cast(Table, RuleCounter.__table__)
MEMBER_COUNTERS = cast(Table, RuleMemberCounter.__table__)
STATS = cast(Table, MemberOrderStats.__table__)
TRIGGERS = cast(Table, RuleTrigger.__table__)


def live_version_ids(session: Session) -> list[int]:
    return list(
        session.scalars(
            select(RuleVersion.id).where(RuleVersion.retired_at.is_(None)).order_by(RuleVersion.id)
        )
    )


def has_any_version(session: Session) -> bool:
    return session.scalar(select(func.count()).select_from(RuleVersion)) != 0


def versions_by_id(session: Session, ids: Iterable[int]) -> Sequence[RuleVersion]:
    return session.scalars(select(RuleVersion).where(RuleVersion.id.in_(list(ids)))).all()


def live_versions(session: Session) -> Sequence[RuleVersion]:
    return session.scalars(
        select(RuleVersion).where(RuleVersion.retired_at.is_(None)).order_by(RuleVersion.key)
    ).all()


def versions_of(session: Session, key: str) -> Sequence[RuleVersion]:
    return session.scalars(
        select(RuleVersion).where(RuleVersion.key == key).order_by(RuleVersion.version.desc())
    ).all()


def latest_versions(session: Session, keys: Iterable[str]) -> dict[str, RuleVersion]:
    """The newest version of each key (live or retired)."""
    wanted = list(set(keys))
    if not wanted:
        return {}
    newest = (
        select(RuleVersion.key, func.max(RuleVersion.version).label("version"))
        .where(RuleVersion.key.in_(wanted))
        .group_by(RuleVersion.key)
        .subquery()
    )
    rows = session.scalars(
        select(RuleVersion).join(
            newest,
            (RuleVersion.key == newest.c.key) & (RuleVersion.version == newest.c.version),
        )
    )
    return {row.key: row for row in rows}


def lock_counters(
    session: Session, keys: Sequence[str], *, lock: bool = True
) -> dict[str, tuple[int, int]]:
    """Counters of rules with a budget or uses limit, locked in key order (PostgreSQL)."""
    if not keys:
        return {}
    query = select(RuleCounter.key, RuleCounter.points, RuleCounter.uses).where(
        RuleCounter.key.in_(sorted(keys))
    )
    if lock and session.get_bind().dialect.name == "postgresql":
        query = query.order_by(RuleCounter.key).with_for_update()
    return {key: (points, uses) for key, points, uses in session.execute(query)}


def insert_counter(session: Session, key: str) -> None:
    """A rule's budget and uses counter, at zero."""
    session.execute(insert(COUNTERS), [{"key": key, "points": 0, "uses": 0}])


def member_counters(
    session: Session, keys: Sequence[str], member_ids: Sequence[int], periods: Sequence[str]
) -> dict[tuple[str, int, str], tuple[int, int]]:
    found: dict[tuple[str, int, str], tuple[int, int]] = {}
    if not keys or not member_ids or not periods:
        return found
    cursor = RawReader.on_session(session)
    key_list, period_list = sorted(set(keys)), sorted(set(periods))
    marks = ", ".join("?" * len(key_list))
    period_marks = ", ".join("?" * len(period_list))
    for condition, params in chunks_in(cursor.dialect, list(member_ids)):
        rows = cursor.all(
            "SELECT key, member_id, period, points, uses FROM rule_member_counters "  # noqa: S608
            f"WHERE member_id {condition} AND key IN ({marks}) AND period IN ({period_marks})",
            (*params, *key_list, *period_list),
        )
        found.update({(k, m, p): (pts, uses) for k, m, p, pts, uses in rows})
    return found


def order_stats(session: Session, member_ids: Sequence[int]) -> dict[int, tuple[Any, ...]]:
    rows = rows_in(
        RawReader.on_session(session),
        cast(Table, MemberOrderStats.__table__),
        ("member_id", "order_count", "spend", "first_order_at", "last_order_at"),
        "member_id",
        list(member_ids),
    )
    return {row[0]: row for row in rows}


def existing_triggers(session: Session, keys: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(keys), 500):
        found.update(
            session.scalars(
                select(RuleTrigger.trigger_key).where(
                    RuleTrigger.trigger_key.in_(list(keys[start : start + 500]))
                )
            )
        )
    return found


def version_ids_of(session: Session, keys: Iterable[str]) -> dict[str, list[int]]:
    """The ids of every version of these rules (retired ones too), by rule key."""
    found: dict[str, list[int]] = {}
    for key, id_ in session.execute(
        select(RuleVersion.key, RuleVersion.id).where(RuleVersion.key.in_(sorted(set(keys))))
    ):
        found.setdefault(str(key), []).append(int(id_))
    return found
