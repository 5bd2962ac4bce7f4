"""Audit queries: the chain's head (locked), appending a row."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from loyalist.audit.models import AuditHead, AuditRecord
from loyalist.db.bulk import insert_rows


def locked_head(session: Session) -> AuditHead:
    """The chain's head (seeded by the migration), locked until the transaction ends."""
    return session.scalars(select(AuditHead).where(AuditHead.id == 1).with_for_update()).one()


def append(session: Session, record: AuditRecord) -> None:
    session.add(record)
    session.flush()


def append_rows(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Append rows (every column given) in one statement."""
    session.flush()  # the head's change and earlier rows go first
    insert_rows(session, cast(Table, AuditRecord.__table__), rows)
