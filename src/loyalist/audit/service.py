"""Audit use cases: record an act in the caller's transaction."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from loyalist.audit import repository
from loyalist.audit.models import Actor, AuditRecord
from loyalist.audit.policy import row_hash
from loyalist.db.uow import UnitOfWork


def _fields(uow: UnitOfWork, actor: Actor, action: str, seq: int, **entry: Any) -> dict[str, Any]:
    return {
        "seq": seq,
        "at": uow.now,
        "actor_kind": actor.kind.value,
        "actor_id": actor.id,
        "actor_label": actor.label,
        "action": action,
        "target_type": entry.get("target_type"),
        "target_id": entry.get("target_id"),
        "member_id": entry.get("member_id"),
        "before": entry.get("before"),
        "after": entry.get("after"),
        "reason": entry.get("reason"),
        "ip": actor.ip,
        "request_id": actor.request_id,
    }


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
    fields = _fields(
        uow,
        actor,
        action,
        head.seq + 1,
        target_type=target_type,
        target_id=target_id,
        member_id=member_id,
        before=before,
        after=after,
        reason=reason,
    )
    digest = row_hash(head.hash, fields)
    row = AuditRecord(**fields, prev_hash=head.hash, hash=digest)
    repository.append(uow.session, row)
    head.seq, head.hash = row.seq, digest
    return row


def record_many(
    uow: UnitOfWork, actor: Actor, action: str, entries: Sequence[dict[str, Any]]
) -> list[int]:
    """Append a row per entry (a dict of :func:`record`'s keywords) by one actor for one
    action, chained in order and written in one statement (a batch of erasures); returns
    their sequence numbers."""
    head = repository.locked_head(uow.session)
    rows: list[dict[str, Any]] = []
    seq, prev = head.seq, head.hash
    for entry in entries:
        seq += 1
        fields = _fields(uow, actor, action, seq, **entry)
        digest = row_hash(prev, fields)
        rows.append({**fields, "prev_hash": prev, "hash": digest})
        prev = digest
    repository.append_rows(uow.session, rows)
    head.seq, head.hash = seq, prev
    return [row["seq"] for row in rows]
