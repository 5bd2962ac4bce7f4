"""Referral queries; inserts that may race are ``INSERT … ON CONFLICT DO NOTHING`` and
status changes are conditional updates."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, and_, case, delete, func, or_, select, update
from sqlalchemy.engine import Row
from sqlalchemy.orm import Session

from loyalist.db.bulk import insert_on_conflict, replace_values
from loyalist.db.raw import RawReader
from loyalist.referrals.models import (
    AttributedOn,
    Referral,
    ReferralClick,
    ReferralCode,
    ReferralProgram,
    ReferralShare,
    ReferralSignal,
    ReferralStatus,
)

REFERRALS = cast(Table, Referral.__table__)
CODES = cast(Table, ReferralCode.__table__)
SIGNALS = cast(Table, ReferralSignal.__table__)
CLICKS = cast(Table, ReferralClick.__table__)
SHARES = cast(Table, ReferralShare.__table__)
PROGRAM = cast(Table, ReferralProgram.__table__)


# -- the program --------------------------------------------------------------------------
def program_head(session: Session) -> tuple[int, str] | None:
    row = session.execute(select(PROGRAM.c.version, PROGRAM.c.digest)).first()
    return None if row is None else (int(row.version), str(row.digest))


def program_row(session: Session) -> Row[Any] | None:
    return session.execute(select(PROGRAM)).first()


def save_program(
    session: Session, config: dict[str, Any], digest: str, now: datetime, who: str
) -> int:
    """Replace the configuration; returns the new version (concurrent saves serialise on
    the row: each gets its own version)."""
    values = {"config": config, "digest": digest, "updated_at": now, "updated_by": who}
    session.execute(
        insert_on_conflict(session, PROGRAM)
        .values(id=1, version=0, **values)
        .on_conflict_do_nothing(index_elements=["id"])
    )
    version = session.execute(
        update(PROGRAM)
        .where(PROGRAM.c.id == 1)
        .values(version=PROGRAM.c.version + 1, **values)
        .returning(PROGRAM.c.version)
    ).scalar_one()
    return int(version)


# -- codes --------------------------------------------------------------------------------
def code_of(session: Session, member_id: int) -> Row[Any] | None:
    return session.execute(select(CODES).where(CODES.c.member_id == member_id)).first()


def codes_of(session: Session, member_ids: Sequence[int]) -> dict[int, Row[Any]]:
    found: dict[int, Row[Any]] = {}
    wanted = sorted(set(member_ids))
    for start in range(0, len(wanted), 500):
        rows = session.execute(
            select(CODES).where(CODES.c.member_id.in_(wanted[start : start + 500]))
        )
        found.update((row.member_id, row) for row in rows)
    return found


def insert_codes(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Insert each unless its member has a code or its code or token is taken."""
    if rows:
        session.execute(insert_on_conflict(session, CODES).on_conflict_do_nothing(), list(rows))


def insert_code(session: Session, values: dict[str, Any]) -> None:
    """Insert unless the member has a code or the code or token is taken."""
    session.execute(insert_on_conflict(session, CODES).values(**values).on_conflict_do_nothing())


def codes_by_code(session: Session, codes: Collection[str]) -> dict[str, Row[Any]]:
    """The stored codes among ``codes`` (normalised), by code."""
    return _codes_by(session, CODES.c.code, codes)


def codes_by_token(session: Session, tokens: Collection[str]) -> dict[str, Row[Any]]:
    """The codes whose share-link token is among ``tokens``, by token."""
    return _codes_by(session, CODES.c.token, tokens)


def _codes_by(session: Session, column: Any, values: Collection[str]) -> dict[str, Row[Any]]:
    found: dict[str, Row[Any]] = {}
    wanted = sorted(set(values))
    for start in range(0, len(wanted), 500):
        rows = session.execute(select(CODES).where(column.in_(wanted[start : start + 500])))
        found.update((row._mapping[column.name], row) for row in rows)
    return found


def code_by_code(session: Session, code: str) -> Row[Any] | None:
    return session.execute(select(CODES).where(CODES.c.code == code)).first()


def code_by_token(session: Session, token: str) -> Row[Any] | None:
    return session.execute(select(CODES).where(CODES.c.token == token)).first()


# -- referrals ----------------------------------------------------------------------------
def insert_referral(session: Session, values: dict[str, Any]) -> Row[Any] | None:
    """The new referral, or None when the friend already has one (also when another
    transaction inserted it a moment ago: the insert waits for it and does nothing)."""
    statement = (
        insert_on_conflict(session, REFERRALS)
        .on_conflict_do_nothing(index_elements=["friend_id"])
        .returning(*REFERRALS.c)
    )
    return session.execute(statement, values).first()


def any_referral(session: Session) -> bool:
    return session.scalar(select(REFERRALS.c.id).limit(1)) is not None


def referrals_of_friends(session: Session, friend_ids: Collection[int]) -> list[Row[Any]]:
    if not friend_ids:
        return []
    return list(
        session.execute(select(REFERRALS).where(REFERRALS.c.friend_id.in_(sorted(friend_ids))))
    )


def referral(session: Session, referral_id: int) -> Row[Any] | None:
    return session.execute(select(REFERRALS).where(REFERRALS.c.id == referral_id)).first()


def change(
    session: Session,
    referral_id: int,
    expected: Iterable[ReferralStatus],
    values: dict[str, Any],
    *,
    extra: Any = None,
) -> bool:
    """Update the referral only if its status is still one of ``expected`` (and ``extra``
    holds); True when it changed."""
    condition = and_(REFERRALS.c.id == referral_id, REFERRALS.c.status.in_(list(expected)))
    if extra is not None:
        condition = and_(condition, extra)
    result = session.execute(update(REFERRALS).where(condition).values(**values))
    return bool(cast(Any, result).rowcount == 1)


def set_friend_rewarded(session: Session, referral_id: int) -> bool:
    result = session.execute(
        update(REFERRALS)
        .where(REFERRALS.c.id == referral_id, REFERRALS.c.is_friend_rewarded.is_(False))
        .values(is_friend_rewarded=True)
    )
    return bool(cast(Any, result).rowcount == 1)


def velocity_count(
    session: Session, ip: str | None, device: str | None, since: datetime, until: datetime
) -> int:
    """Referrals attributed in ``[since, until]`` from this hashed IP or device."""
    matches = []
    if ip:
        matches.append(REFERRALS.c.ip_index == ip)
    if device:
        matches.append(REFERRALS.c.device_index == device)
    if not matches:
        return 0
    query = select(func.count()).where(
        or_(*matches), REFERRALS.c.attributed_at >= since, REFERRALS.c.attributed_at <= until
    )
    return int(session.scalar(query) or 0)


def due(session: Session, now: datetime, limit: int) -> list[tuple[int, int]]:
    """``(id, referrer_id)`` of qualifying referrals whose order matured, oldest first."""
    rows = session.execute(
        select(REFERRALS.c.id, REFERRALS.c.referrer_id)
        .where(
            REFERRALS.c.status == ReferralStatus.QUALIFYING,
            REFERRALS.c.matures_at <= now,
        )
        .order_by(REFERRALS.c.matures_at, REFERRALS.c.id)
        .limit(limit)
    )
    return [(int(r.id), int(r.referrer_id)) for r in rows]


def rewarded_count(session: Session, referrer_id: int, since: datetime | None) -> int:
    query = select(func.count()).where(
        REFERRALS.c.referrer_id == referrer_id,
        REFERRALS.c.status == ReferralStatus.CONVERTED,
        REFERRALS.c.is_rewarded.is_(True),
    )
    if since is not None:
        query = query.where(REFERRALS.c.converted_at >= since)
    return int(session.scalar(query) or 0)


def converted_counts(session: Session, referrer_ids: Sequence[int]) -> dict[int, int]:
    """Converted referrals per referrer (referrers without one are left out)."""
    rows = session.execute(
        select(REFERRALS.c.referrer_id, func.count())
        .where(
            REFERRALS.c.referrer_id.in_(sorted(set(referrer_ids))),
            REFERRALS.c.status == ReferralStatus.CONVERTED,
        )
        .group_by(REFERRALS.c.referrer_id)
    )
    return {int(m): int(n) for m, n in rows}


def list_referrals(
    session: Session,
    *,
    status: str | None,
    referrer_id: int | None,
    after_id: int | None,
    limit: int,
) -> list[Row[Any]]:
    query = select(REFERRALS).order_by(REFERRALS.c.id).limit(limit)
    if status is not None:
        query = query.where(REFERRALS.c.status == status)
    if referrer_id is not None:
        query = query.where(REFERRALS.c.referrer_id == referrer_id)
    if after_id is not None:
        query = query.where(REFERRALS.c.id > after_id)
    return list(session.execute(query))


# -- signals, clicks and shares -----------------------------------------------------------
def signals_of(session: Session, member_ids: Collection[int]) -> list[Row[Any]]:
    return list(session.execute(select(SIGNALS).where(SIGNALS.c.member_id.in_(member_ids))))


def record_signals(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Insert each ``(member_id, kind, digest)`` or move its ``last_seen_at`` forward."""
    cursor = RawReader.on_session(session)
    for row in rows:
        first, last = cursor.stamp(row["first_seen_at"]), cursor.stamp(row["last_seen_at"])
        cursor.change(
            "INSERT INTO referral_signals (member_id, kind, digest, first_seen_at, "
            "last_seen_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (member_id, kind, digest) "
            "DO UPDATE SET last_seen_at = excluded.last_seen_at "
            "WHERE referral_signals.last_seen_at < excluded.last_seen_at",
            (row["member_id"], row["kind"], row["digest"], first, last),
        )


def insert_click(session: Session, values: dict[str, Any]) -> bool:
    """False when this click id was reported before."""
    found = session.execute(
        insert_on_conflict(session, CLICKS)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["referrer_id", "click_id"])
        .returning(CLICKS.c.id)
    ).scalar_one_or_none()
    return found is not None


def clicks_since(session: Session, referrer_id: int, since: datetime) -> int:
    return int(
        session.scalar(
            select(func.count()).where(
                CLICKS.c.referrer_id == referrer_id, CLICKS.c.clicked_at >= since
            )
        )
        or 0
    )


def insert_share(session: Session, values: dict[str, Any]) -> int:
    return int(
        session.execute(
            insert_on_conflict(session, SHARES).values(**values).returning(SHARES.c.id)
        ).scalar_one()
    )


def last_touch(session: Session, referrer_id: int, at: datetime) -> datetime | None:
    """The referrer's latest click or share at or before ``at``."""
    clicked = session.scalar(
        select(func.max(CLICKS.c.clicked_at)).where(
            CLICKS.c.referrer_id == referrer_id, CLICKS.c.clicked_at <= at
        )
    )
    shared = session.scalar(
        select(func.max(SHARES.c.shared_at)).where(
            SHARES.c.member_id == referrer_id, SHARES.c.shared_at <= at
        )
    )
    found = [t for t in (clicked, shared) if t is not None]
    return max(_aware(t) for t in found) if found else None


def _aware(value: Any) -> datetime:
    """``max()`` over a UTC column comes back as text on SQLite."""
    from loyalist.db.base import UtcDateTime

    if isinstance(value, datetime) and value.tzinfo is not None:
        return value
    parsed = UtcDateTime().process_result_value(value, cast(Any, None))
    assert parsed is not None
    return parsed


# -- figures ------------------------------------------------------------------------------
def _between(column: Any, start: datetime | None, end: datetime | None) -> Any:
    conditions = []
    if start is not None:
        conditions.append(column >= start)
    if end is not None:
        conditions.append(column < end)
    return and_(*conditions) if conditions else None


def funnel(
    session: Session, referrer_id: int | None, start: datetime | None, end: datetime | None
) -> dict[str, int]:
    """Counts of the funnel's stages; shares and clicks by when they happened, referrals by
    when they were attributed, conversions by when they converted."""

    def where(query: Any, column: Any, member_column: Any) -> Any:
        if referrer_id is not None:
            query = query.where(member_column == referrer_id)
        period = _between(column, start, end)
        return query if period is None else query.where(period)

    shares = session.scalar(
        where(select(func.count()).select_from(SHARES), SHARES.c.shared_at, SHARES.c.member_id)
    )
    clicks = session.scalar(
        where(select(func.count()).select_from(CLICKS), CLICKS.c.clicked_at, CLICKS.c.referrer_id)
    )
    r = REFERRALS.c
    attributed = session.execute(
        where(
            select(
                func.count(),
                func.sum(case((r.attributed_on == AttributedOn.ENROLLED, 1), else_=0)),
                *(func.sum(case((r.status == status, 1), else_=0)) for status in ReferralStatus),
            ).select_from(REFERRALS),
            r.attributed_at,
            r.referrer_id,
        )
    ).one()
    converted = session.execute(
        where(
            select(
                func.count(),
                func.sum(case((r.is_rewarded.is_(True), 1), else_=0)),
                func.count(func.distinct(r.referrer_id)),
            ).where(r.status == ReferralStatus.CONVERTED),
            r.converted_at,
            r.referrer_id,
        )
    ).one()
    by_status = {
        status.value: int(n or 0) for status, n in zip(ReferralStatus, attributed[2:], strict=True)
    }
    return {
        "shares": int(shares or 0),
        "clicks": int(clicks or 0),
        "attributed": int(attributed[0] or 0),
        "enrolled": int(attributed[1] or 0),
        "pending": by_status["pending"],
        "review": by_status["review"],
        "qualifying": by_status["qualifying"],
        "blocked": by_status["blocked"],
        "rejected": by_status["rejected"],
        "converted": int(converted[0] or 0),
        "rewarded": int(converted[1] or 0),
        "ambassadors": int(converted[2] or 0),
    }


def leaderboard(
    session: Session, start: datetime | None, end: datetime | None, limit: int
) -> list[tuple[int, int, datetime]]:
    """``(referrer_id, converted, last conversion)``: most conversions first, then who
    got there first."""
    r = REFERRALS.c
    query = (
        select(r.referrer_id, func.count(), func.max(r.converted_at))
        .where(r.status == ReferralStatus.CONVERTED)
        .group_by(r.referrer_id)
        .order_by(func.count().desc(), func.max(r.converted_at), r.referrer_id)
        .limit(limit)
    )
    period = _between(r.converted_at, start, end)
    if period is not None:
        query = query.where(period)
    return [(int(m), int(n), _aware(last)) for m, n, last in session.execute(query)]


# -- erasure and retention ------------------------------------------------------------------
def erase_members(session: Session, member_ids: Sequence[int]) -> dict[int, int]:
    """Delete the members' personal codes (made from their names) and the keyed hashes of
    their signals, and clear the signals' hashes kept with their referrals and the clicks
    on their links; returns the rows deleted per member."""
    deleted: dict[int, int] = {}
    wanted = sorted(set(member_ids))
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        for model in (ReferralCode, ReferralSignal):
            for (member_id,) in session.execute(
                delete(model)
                .where(model.member_id.in_(chunk))
                .returning(model.member_id)
                .execution_options(synchronize_session=False)
            ):
                deleted[int(member_id)] = deleted.get(int(member_id), 0) + 1
        session.execute(
            update(Referral)
            .where(Referral.friend_id.in_(chunk))
            .values(ip_index=None, device_index=None)
            .execution_options(synchronize_session=False)
        )
        session.execute(
            update(ReferralClick)
            .where(ReferralClick.referrer_id.in_(chunk))
            .values(ip_index=None, device_index=None)
            .execution_options(synchronize_session=False)
        )
    return deleted


def rename_orders(session: Session, refs: dict[str, str]) -> None:
    replace_values(session, REFERRALS, "order_id", refs)
