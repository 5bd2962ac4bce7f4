"""Erasure in the books: an erased member's unspent points are closed, so liability drops by
exactly what they held and ``ledger verify`` stays clean.

The member's entries stay (the books are append-only and the member row becomes an opaque
shell); what they still had leaves through ``erasure`` postings into ``system.erased``.
"""

from __future__ import annotations

from collections.abc import Sequence

from loyalist.db.uow import UnitOfWork
from loyalist.ledger import repository, service
from loyalist.ledger.books import Books, LotState
from loyalist.ledger.models import Account, Bucket, LotStatus, PostingKind


def close_for_erasure(uow: UnitOfWork, member_ids: Sequence[int]) -> dict[int, int]:
    """Release the members' open holds, then close every point they still have with an
    ``erasure`` posting per account into ``system.erased``: pending points (from
    ``member.pending``) and available ones (from ``member.available``), each lot's
    remaining moving to its ``reversed`` bucket. A debt is written off the same way, from
    ``system.erased`` back to ``member.available``. No event is emitted: nobody is left to
    tell, and no other domain's state depends on it.

    Returns per member the net points closed: what the program's liability drops by (a
    debt written off counts negative). Idempotent: a second call finds nothing to close.
    """
    ids = sorted(set(member_ids))
    books = Books.of(uow)
    books.lock(ids)
    for hold_id in repository.active_hold_ids(uow.session, ids):
        service.release_hold(uow, hold_id)
    books.flush()  # released points are back in their lots before the lots are read
    lots: dict[int, list[LotState]] = {}
    for lot in books.adopt_rows(repository.unspent_lot_rows(uow.session, ids)):
        lots.setdefault(lot.member_id, []).append(lot)
    closed: dict[int, int] = {}
    for member_id in ids:
        balance = books.balance(member_id)
        total = 0
        for status, account in (
            (LotStatus.PENDING, Account.PENDING),
            (LotStatus.AVAILABLE, Account.AVAILABLE),
        ):
            unspent = [
                lot for lot in lots.get(member_id, ()) if lot.status == status and lot.remaining > 0
            ]
            amount = sum(lot.remaining for lot in unspent)
            if not amount:
                continue
            posting_id = books.post(
                balance, PostingKind.ERASURE, account, Account.ERASED, amount, "erasure", {}
            )
            for lot in unspent:
                books.move(lot, posting_id, Bucket.REMAINING, Bucket.REVERSED, lot.remaining)
            total += amount
        if balance.debt:
            books.post(
                balance,
                PostingKind.ERASURE,
                Account.ERASED,
                Account.AVAILABLE,
                balance.debt,
                "erasure_debt",
                {"debt": balance.debt},
            )
            total -= balance.debt
            balance.debt = 0
            books.changed(balance)
        closed[member_id] = total
    return closed
