"""The checkouts' due work: time out checkouts nobody confirmed or released."""

from __future__ import annotations

from loyalist.checkout import repository
from loyalist.checkout.models import CheckoutStatus
from loyalist.checkout.service import lock_checkout, release_locked
from loyalist.db.uow import UnitOfWork
from loyalist.ledger import service as ledger
from loyalist.settings import ProgramPolicy


def time_out_due(uow: UnitOfWork, program: ProgramPolicy, *, limit: int = 200) -> int:
    """Release checkouts past their time-out (points and coupon uses go back); returns
    how many (call until 0)."""
    done = 0
    due = repository.due(uow.session, uow.now, limit)
    ledger.lock(uow, sorted({member_id for _, member_id in due}))  # key order, all at once
    for checkout_id, _ in due:
        checkout = lock_checkout(uow, checkout_id)
        if checkout.status == CheckoutStatus.ACTIVE and checkout.expires_at <= uow.now:
            release_locked(uow, checkout, "timed out", CheckoutStatus.TIMED_OUT)
            done += 1
    return done
