"""Audit use cases: record an act in the caller's transaction."""

from __future__ import annotations

from typing import Any

from loyalist.audit import repository
from loyalist.audit.models import Actor, AuditRecord
from loyalist.audit.policy import row_hash
from loyalist.db.uow import UnitOfWork


def record(
    uow: UnitOfWork,
    actor: Actor,
    action: str,
    *,
    target_type: str | None = None,
    target_id: str | None = None,
    member_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str | None = None,
) -> AuditRecord:
    """Append one row to the chain in ``uow``'s transaction: it commits or rolls back with
    the change it records."""
    head = repository.locked_head(uow.session)
    fields: dict[str, Any] = {
        "seq": head.seq + 1,
        "at": uow.now,
        "actor_kind": actor.kind.value,
        "actor_id": actor.id,
        "actor_label": actor.label,
        "action": action,
        "target_type": target_type,
        "target_id": target_id,
        "member_id": member_id,
        "before": before,
        "after": after,
        "reason": reason,
        "ip": actor.ip,
        "request_id": actor.request_id,
    }
    digest = row_hash(head.hash, fields)
    row = AuditRecord(**fields, prev_hash=head.hash, hash=digest)
    repository.append(uow.session, row)
    head.seq, head.hash = row.seq, digest
    return row
