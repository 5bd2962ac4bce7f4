"""``loyalist audit verify``: walk the hash chain and find the first row that was edited,
deleted or inserted.

Each row's hash covers its fields and the previous row's hash, and the head holds the last
row's number and hash. The walk starts at the oldest row: row 1 chains from the genesis
hash; after retention deleted older rows, the oldest kept row's ``prev_hash`` is the
anchor, and the newest ``audit.retention`` row (itself in the chain) must name that row
and that anchor, so rows deleted from the front by anyone but the retention job are found
too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from loyalist.audit import repository
from loyalist.audit.models import AuditRecord
from loyalist.audit.policy import GENESIS, row_hash
from loyalist.db.uow import UnitOfWork

#: What the retention job records (the first row it kept and that row's ``prev_hash``).
RETENTION = "audit.retention"
_CHUNK = 5_000
_FIELDS = (
    *("seq", "at", "actor_kind", "actor_id", "actor_label", "action", "target_type"),
    *("target_id", "member_id", "before", "after", "reason", "ip", "request_id"),
)


@dataclass(frozen=True, slots=True)
class ChainBreak:
    """The first row where the chain does not hold, and what was done there."""

    seq: int
    #: ``edited``, ``deleted`` or ``inserted``
    kind: str
    detail: str


@dataclass(frozen=True, slots=True)
class ChainReport:
    verified: int
    first_seq: int | None
    last_seq: int | None
    broken: ChainBreak | None


def _fields(row: AuditRecord) -> dict[str, Any]:
    return {name: getattr(row, name) for name in _FIELDS}


def _front(uow: UnitOfWork, first: AuditRecord) -> ChainBreak | None:
    """Whether the oldest row is where the chain may start."""
    if first.seq == 1:
        if first.prev_hash == GENESIS:
            return None
        return ChainBreak(1, "edited", "row 1 does not chain from the genesis hash")
    claim = repository.newest_with_action(uow.session, RETENTION)
    after = (claim.after or {}) if claim is not None else {}
    if after.get("first_kept_seq") == first.seq and after.get("anchor") == first.prev_hash:
        return None
    return ChainBreak(
        first.seq,
        "deleted",
        f"rows before {first.seq} are missing and no retention record vouches for it",
    )


def verify_chain(uow: UnitOfWork) -> ChainReport:
    """Walk every row in chain order (in chunks) and return the first break, if any."""
    session = uow.session
    head = repository.head(session)
    verified = 0
    first: AuditRecord | None = None
    last: AuditRecord | None = None
    broken: ChainBreak | None = None
    while broken is None:
        chunk = repository.chain_after(session, last.seq if last else 0, _CHUNK)
        if not chunk:
            break
        for row in chunk:
            broken = _step(uow, last, row)
            if broken is not None:
                break
            first = first or row
            last = row
            verified += 1
        session.expunge_all()
    if broken is None:
        broken = _tail(head.seq, head.hash, last)
    return ChainReport(
        verified=verified,
        first_seq=first.seq if first else None,
        last_seq=last.seq if last else None,
        broken=broken,
    )


def _step(uow: UnitOfWork, last: AuditRecord | None, row: AuditRecord) -> ChainBreak | None:
    if last is None:
        found = _front(uow, row)
        if found is not None:
            return found
    elif row.seq != last.seq + 1:
        gap = f"{last.seq + 1}" if row.seq == last.seq + 2 else f"{last.seq + 1}–{row.seq - 1}"
        return ChainBreak(row.seq, "deleted", f"row {gap} before it is missing")
    elif row.prev_hash != last.hash:
        return ChainBreak(
            row.seq,
            "inserted",
            f"it does not chain from row {last.seq} (a row was replaced or put in between)",
        )
    if row_hash(row.prev_hash, _fields(row)) != row.hash:
        return ChainBreak(row.seq, "edited", "its content does not match its hash")
    return None


def _tail(head_seq: int, head_hash: str, last: AuditRecord | None) -> ChainBreak | None:
    """Whether the last row is the one the head names."""
    last_seq = last.seq if last is not None else 0
    if last_seq > head_seq:
        return ChainBreak(head_seq + 1, "inserted", f"rows after the head ({head_seq}) exist")
    if last_seq < head_seq:
        return ChainBreak(
            last_seq + 1,
            "deleted",
            f"rows after {last_seq} up to the head ({head_seq}) are missing",
        )
    if last is not None and last.hash != head_hash:
        return ChainBreak(last.seq, "edited", "its hash is not the one the head recorded")
    return None
