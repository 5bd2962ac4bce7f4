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
        "before": _plain(entry.get("before")),
        "after": _plain(entry.get("after")),
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
    the change it records. ``before`` and ``after`` are stored as JSON (times as ISO 8601
    text, anything else JSON lacks as its text), and hashed as stored."""
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
