"""The audit trail's due work: deleting rows older than the retention period."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from loyalist.audit import repository
from loyalist.audit.models import SYSTEM
from loyalist.audit.service import record
from loyalist.audit.verification import RETENTION
from loyalist.db.uow import UnitOfWork

#: Rows deleted per pass for each unit of the pass's limit (5,000 at the default 200).
_ROWS_PER_LIMIT = 25


def retention(days: int) -> Callable[..., int]:
    """The retention step, ``(uow, program, limit=…) -> rows deleted``: with ``days`` > 0,
    delete the oldest rows recorded more than ``days`` ago (0: keep every row)."""

    def prune(uow: UnitOfWork, _program: Any, *, limit: int) -> int:
        return prune_audit(uow, days, limit * _ROWS_PER_LIMIT) if days > 0 else 0

    return prune


def prune_audit(uow: UnitOfWork, days: int, most: int) -> int:
    """Delete up to ``most`` of the oldest rows recorded before ``now - days``, from the
    front of the chain only (so what is kept is one unbroken chain), and record
    ``audit.retention`` naming the first kept row and its ``prev_hash`` (the anchor
    ``loyalist audit verify`` starts from). Rows are numbered in the order they were
    appended, which may differ from their times by the length of a transaction: deletion
    stops at the first row recorded since the cutoff.

    Returns the rows deleted (0: nothing is due, and nothing is recorded).
    """
    session = uow.session
    cutoff = uow.now - timedelta(days=days)
    if not repository.has_row_before(session, cutoff):
        return 0
    head = repository.locked_head(session)  # no row is appended while the front moves
    oldest = repository.oldest_seq(session) or head.seq + 1
    first_kept = repository.first_seq_since(session, cutoff) or head.seq + 1
    upto = min(first_kept, oldest + most)
    anchor = repository.hash_of(session, upto - 1)
    if upto <= oldest or anchor is None:
        return 0
    deleted = repository.delete_before(session, upto)
    record(
        uow,
        SYSTEM,
        RETENTION,
        target_type="audit_log",
        after={
            "first_kept_seq": upto,
            "anchor": anchor,
            "deleted_count": deleted,
            "retention_days": days,
        },
    )
    return deleted
