"""Staff queries: API keys, roles, staff users, sessions, recovery codes."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql import Executable

from loyalist.staff.models import ApiKey, RecoveryCode, Role, StaffSession, StaffUser


def key_by_prefix(session: Session, prefix: str) -> ApiKey | None:
    return session.scalar(select(ApiKey).where(ApiKey.prefix == prefix))


def key_by_id(session: Session, key_id: int) -> ApiKey | None:
    return session.get(ApiKey, key_id)


def api_keys(session: Session) -> Sequence[ApiKey]:
    return session.scalars(select(ApiKey).order_by(ApiKey.id)).all()


def role_by_slug(session: Session, slug: str) -> Role | None:
    return session.get(Role, slug)


def roles(session: Session) -> Sequence[Role]:
    return session.scalars(select(Role).order_by(Role.is_builtin.desc(), Role.slug)).all()


def roles_by_slug(session: Session, slugs: Collection[str]) -> Sequence[Role]:
    return session.scalars(select(Role).where(Role.slug.in_(slugs))).all()


def active_keys_with_role(session: Session, slug: str) -> int:
    """How many keys that are not revoked act with the role."""
    found = session.scalar(
        select(func.count())
        .select_from(ApiKey)
        .where(ApiKey.role_slug == slug, ApiKey.revoked_at.is_(None))
    )
    return int(found or 0)


# -- staff users ---------------------------------------------------------------------------
def user_by_email_index(session: Session, index: str) -> StaffUser | None:
    return session.scalar(select(StaffUser).where(StaffUser.email_index == index))


def user_by_id(session: Session, user_id: int, *, lock: bool = False) -> StaffUser | None:
    """The user; ``lock``: row-locked until the transaction ends (two-factor counters)."""
    query = select(StaffUser).where(StaffUser.id == user_id)
    return session.scalar(query.with_for_update() if lock else query)


def users(session: Session) -> Sequence[StaffUser]:
    return session.scalars(select(StaffUser).order_by(StaffUser.id)).all()


def add(session: Session, row: ApiKey | Role | StaffUser | StaffSession | RecoveryCode) -> None:
    session.add(row)
    session.flush()


def remove(session: Session, row: Role) -> None:
    session.delete(row)
    session.flush()


# -- sessions ------------------------------------------------------------------------------
def session_by_hash(session: Session, id_hash: str) -> StaffSession | None:
    return session.get(StaffSession, id_hash)


def _changed(session: Session, statement: Executable) -> int:
    """Rows an UPDATE or DELETE changed."""
    return int(cast(Any, session.execute(statement)).rowcount)


def delete_session(session: Session, id_hash: str) -> int:
    return _changed(session, delete(StaffSession).where(StaffSession.id_hash == id_hash))


def delete_sessions_of(session: Session, user_id: int) -> int:
    return _changed(session, delete(StaffSession).where(StaffSession.user_id == user_id))


def delete_sessions_expired(session: Session, now: datetime, limit: int) -> int:
    doomed = select(StaffSession.id_hash).where(StaffSession.expires_at <= now).limit(limit)
    return _changed(session, delete(StaffSession).where(StaffSession.id_hash.in_(doomed)))


def touch_session(session: Session, id_hash: str, now: datetime) -> None:
    session.execute(
        update(StaffSession).where(StaffSession.id_hash == id_hash).values(last_seen_at=now)
    )


# -- recovery codes ------------------------------------------------------------------------
def replace_recovery_codes(session: Session, user_id: int, hashes: Sequence[str]) -> None:
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user_id))
    session.add_all(RecoveryCode(user_id=user_id, code_hash=h, used_at=None) for h in hashes)
    session.flush()


def use_recovery_code(session: Session, user_id: int, code_hash: str, now: datetime) -> bool:
    """Mark the code used if it is the user's and unused (one conditional update: two
    requests with the same code cannot both use it)."""
    statement = (
        update(RecoveryCode)
        .where(
            RecoveryCode.user_id == user_id,
            RecoveryCode.code_hash == code_hash,
            RecoveryCode.used_at.is_(None),
        )
        .values(used_at=now)
    )
    return _changed(session, statement) == 1


def recovery_codes_left(session: Session, user_id: int) -> int:
    found = session.scalar(
        select(func.count())
        .select_from(RecoveryCode)
        .where(RecoveryCode.user_id == user_id, RecoveryCode.used_at.is_(None))
    )
    return int(found or 0)
