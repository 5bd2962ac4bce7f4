"""Audit use cases: record an act in the caller's transaction; read the trail."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import orjson

from loyalist.audit import repository
from loyalist.audit.models import Actor, AuditRecord
from loyalist.audit.policy import row_hash, truncated_ip
from loyalist.audit.schemas import AuditFilter
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
    the change it records. ``before`` and ``after`` are stored as JSON (times as ISO 8601
    text, anything else JSON lacks as its text), and hashed as stored."""
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
        "before": _plain(before),
        "after": _plain(after),
        "reason": reason,
        "ip": actor.ip,
        "request_id": actor.request_id,
    }
    digest = row_hash(head.hash, fields)
    row = AuditRecord(**fields, prev_hash=head.hash, hash=digest)
    repository.append(uow.session, row)
    head.seq, head.hash = row.seq, digest
    return row


def _plain(value: dict[str, Any] | None) -> dict[str, Any] | None:
    """``value`` as JSON gives it back, so the hash covers what is stored."""
    if value is None:
        return None
    plain: dict[str, Any] = orjson.loads(
        orjson.dumps(value, default=str, option=orjson.OPT_NON_STR_KEYS)
    )
    return plain


def list_records(
    uow: UnitOfWork, wanted: AuditFilter, *, limit: int, before_seq: int | None = None
) -> Sequence[AuditRecord]:
    """The newest rows matching ``wanted``, newest first; ``before_seq`` pages on."""
    return repository.records(uow.session, wanted, limit=limit, before_seq=before_seq)


def record_view(row: AuditRecord) -> dict[str, Any]:
    """A row as staff read it: the address truncated to its network (IPv4 /24, IPv6
    /48), no hashes; ``member_id`` is the member's own key (the caller names it)."""
    return {
        "seq": row.seq,
        "at": row.at,
        "actor": {"kind": row.actor_kind, "id": row.actor_id, "label": row.actor_label},
        "action": row.action,
        "target_type": row.target_type,
        "target_id": row.target_id,
        "member_id": row.member_id,
        "before": row.before,
        "after": row.after,
        "reason": row.reason,
        "ip": truncated_ip(row.ip),
        "request_id": row.request_id,
    }
