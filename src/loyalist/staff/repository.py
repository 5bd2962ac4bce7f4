"""API key and role queries."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from loyalist.staff.models import ApiKey, Role


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


def add(session: Session, row: ApiKey | Role) -> None:
    session.add(row)
    session.flush()


def remove(session: Session, row: Role) -> None:
    session.delete(row)
    session.flush()
