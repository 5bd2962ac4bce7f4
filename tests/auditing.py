"""Reading the audit trail in tests: its rows as plain dicts, oldest first."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from loyalist.audit.models import AuditRecord
from loyalist.bootstrap import Loyalist
from loyalist.db.uow import UnitOfWork

_COLUMNS = (
    *("seq", "at", "actor_kind", "actor_id", "actor_label", "action", "target_type"),
    *("target_id", "member_id", "before", "after", "reason", "ip", "request_id"),
    *("prev_hash", "hash"),
)


def audit_rows(app: Loyalist, *actions: str) -> list[dict[str, Any]]:
    """Every row (of ``actions``, when given), oldest first."""

    def op(uow: UnitOfWork) -> list[dict[str, Any]]:
        query = select(AuditRecord).order_by(AuditRecord.seq)
        if actions:
            query = query.where(AuditRecord.action.in_(actions))
        return [
            {name: getattr(row, name) for name in _COLUMNS} for row in uow.session.scalars(query)
        ]

    return app.db.read(op)
