"""Audit queries: the chain's head (locked), appending a row, reading rows by filter or in
chain order, and the retention job's deletion (the only one the trail allows)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, func, select, text
from sqlalchemy.orm import Session

from loyalist.audit.models import AuditHead, AuditRecord
from loyalist.audit.schemas import AuditFilter


def locked_head(session: Session) -> AuditHead:
    """The chain's head (seeded by the migration), locked until the transaction ends."""
    return session.scalars(select(AuditHead).where(AuditHead.id == 1).with_for_update()).one()


def head(session: Session) -> AuditHead:
    return session.scalars(select(AuditHead).where(AuditHead.id == 1)).one()


def append(session: Session, record: AuditRecord) -> None:
    session.add(record)
    session.flush()


def records(
    session: Session, wanted: AuditFilter, *, limit: int, before_seq: int | None
) -> Sequence[AuditRecord]:
    """The newest rows matching ``wanted`` (older than ``before_seq``), newest first."""
    query = select(AuditRecord)
    equal = {
        AuditRecord.actor_kind: wanted.actor_kind,
        AuditRecord.actor_id: wanted.actor_id,
        AuditRecord.action: wanted.action,
        AuditRecord.member_id: wanted.member_id,
        AuditRecord.target_type: wanted.target_type,
        AuditRecord.target_id: wanted.target_id,
    }
    for column, value in equal.items():
        if value is not None:
            query = query.where(column == value)
    if wanted.since is not None:
        query = query.where(AuditRecord.at >= wanted.since)
    if wanted.until is not None:
        query = query.where(AuditRecord.at < wanted.until)
    if before_seq is not None:
        query = query.where(AuditRecord.seq < before_seq)
    return session.scalars(query.order_by(AuditRecord.seq.desc()).limit(limit)).all()


def chain_after(session: Session, seq: int, limit: int) -> Sequence[AuditRecord]:
    """Up to ``limit`` rows after ``seq``, in chain order."""
    query = select(AuditRecord).where(AuditRecord.seq > seq).order_by(AuditRecord.seq)
    return session.scalars(query.limit(limit)).all()


def newest_with_action(session: Session, action: str) -> AuditRecord | None:
    query = select(AuditRecord).where(AuditRecord.action == action)
    return session.scalars(query.order_by(AuditRecord.seq.desc()).limit(1)).first()


def has_row_before(session: Session, cutoff: datetime) -> bool:
    query = select(AuditRecord.seq).where(AuditRecord.at < cutoff).limit(1)
    return session.scalar(query) is not None


def oldest_seq(session: Session) -> int | None:
    return session.scalar(select(func.min(AuditRecord.seq)))


def first_seq_since(session: Session, cutoff: datetime) -> int | None:
    return session.scalar(select(func.min(AuditRecord.seq)).where(AuditRecord.at >= cutoff))


def hash_of(session: Session, seq: int) -> str | None:
    return session.scalar(select(AuditRecord.hash).where(AuditRecord.seq == seq))


def delete_before(session: Session, seq: int) -> int:
    """Delete the rows before ``seq``. On PostgreSQL the trail's trigger lets a DELETE
    through only with ``loyalist.audit_retention`` on, for this transaction alone."""
    postgres = session.get_bind().dialect.name == "postgresql"
    if postgres:
        session.execute(text("SELECT set_config('loyalist.audit_retention', 'on', true)"))
    result = session.execute(delete(AuditRecord).where(AuditRecord.seq < seq))
    if postgres:
        session.execute(text("SELECT set_config('loyalist.audit_retention', 'off', true)"))
    return int(getattr(result, "rowcount", 0) or 0)
