"""Audit queries: the chain's head (locked), appending a row."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from loyalist.audit.models import AuditHead, AuditRecord


def locked_head(session: Session) -> AuditHead:
    """The chain's head (seeded by the migration), locked until the transaction ends."""
    return session.scalars(select(AuditHead).where(AuditHead.id == 1).with_for_update()).one()


def append(session: Session, record: AuditRecord) -> None:
    session.add(record)
    session.flush()
