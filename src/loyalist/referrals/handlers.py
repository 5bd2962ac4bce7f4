"""Reactions to lower domains' facts: attribution on sign-up or first order, the qualifying
order, and returns or cancellations before it matures."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.engine import Row

from loyalist.activities.events import (
    ActivityRecorded,
    OrderCancelled,
    OrderDelivered,
    OrderPaid,
    OrderReturned,
)
from loyalist.db.uow import UnitOfWork
from loyalist.ledger import policy as ledger_policy
from loyalist.ledger import service as ledger
from loyalist.referrals import policy, repository, service
from loyalist.referrals.books import ReferralBook
from loyalist.referrals.models import AttributedOn, ReferralStatus
from loyalist.settings import ProgramPolicy

#: A referral whose friend's order may still qualify, mature, or come back.
_OPEN = (ReferralStatus.PENDING, ReferralStatus.REVIEW, ReferralStatus.QUALIFYING)


def on_order_paid(uow: UnitOfWork, events: Sequence[OrderPaid], program: ProgramPolicy) -> None:
    """A first order may carry a referral (attribution) and be the friend's qualifying order."""
    _on_facts(uow, events, program)


def on_order_delivered(
    uow: UnitOfWork, events: Sequence[OrderDelivered], program: ProgramPolicy
) -> None:
    """Delivery moves the qualifying order's maturity, like the ledger's."""
    _on_facts(uow, events, program)


def on_order_returned(
    uow: UnitOfWork, events: Sequence[OrderReturned], program: ProgramPolicy
) -> None:
    """A return before maturity may take the qualifying order below the minimum."""
    _on_facts(uow, events, program)


def on_order_cancelled(
    uow: UnitOfWork, events: Sequence[OrderCancelled], program: ProgramPolicy
) -> None:
    """A cancellation before maturity sends the referral back to waiting."""
    _on_facts(uow, events, program)


def on_activity_recorded(
    uow: UnitOfWork, events: Sequence[ActivityRecorded], program: ProgramPolicy
) -> None:
    """A sign-up may carry a referral code or link (attribution) and fraud signals."""
    _on_facts(uow, [e for e in events if e.type == "member.enrolled"], program)


def _on_facts(uow: UnitOfWork, facts: Sequence[Any], program: ProgramPolicy) -> None:
    """Facts of one kind, in the order they happened."""
    if not facts:
        return
    for fact in facts:
        signals = _signals(fact)
        if signals:
            service.record_signals(uow, fact.member_id, signals, _at(fact))
    config = service.current_config(uow)
    active = config is not None and config.is_active
    if not active and not service.any_referral(uow):
        return  # no program and nobody was ever referred: nothing to follow
    book = ReferralBook.of(uow)
    book.load(_round_members(uow))
    referred = book.referrals(f.member_id for f in facts)
    if not referred and not active:
        return
    wanted = [
        (f.member_id, ref)
        for f in facts
        if (ref := _referral(f)) is not None and f.member_id not in referred
    ]
    known = service.Attributions()
    if active and wanted:
        # Friends who may get a welcome now, locked at once in key order (one by one in
        # the order of the facts could deadlock with another batch holding the same two).
        ledger.lock(uow, sorted({friend for friend, _ in wanted}))
        known = service.prepare_attributions(uow, wanted)
    for fact in facts:
        ref = _referral(fact)
        if ref and fact.member_id not in referred:
            found = service.attribute(
                uow,
                program,
                known,
                friend_id=fact.member_id,
                ref=ref,
                signals=_signals(fact),
                at=_at(fact),
                on=AttributedOn.FIRST_ORDER
                if isinstance(fact, OrderPaid)
                else AttributedOn.ENROLLED,
                order_id=fact.order_id if isinstance(fact, OrderPaid) else None,
            )
            if found is not None:
                referred[fact.member_id] = found
        row = referred.get(fact.member_id)
        if row is None or row.status not in _OPEN or isinstance(fact, ActivityRecorded):
            continue
        if isinstance(fact, OrderPaid):
            changed = _order_paid(uow, program, row, fact)
        else:
            changed = row.order_id == fact.order_id and _order_changed(uow, program, row, fact)
        if changed:  # read again only what was written to
            referred[fact.member_id] = book.reread(row)


def _round_members(uow: UnitOfWork) -> set[int]:
    """The first time in a dispatch round, the members of every fact this handler follows
    in it (their referrals are read with the first wave's); afterwards nothing."""
    book = ReferralBook.of(uow)
    facts: list[Any] = []
    for kind in (OrderPaid, OrderDelivered, OrderReturned, OrderCancelled, ActivityRecorded):
        upcoming: list[Any] = uow.upcoming(kind)
        if upcoming and not any(seen is upcoming for seen in book.rounds):
            book.rounds.append(upcoming)
            facts.extend(upcoming)
    return {
        f.member_id
        for f in facts
        if not isinstance(f, ActivityRecorded) or f.type == "member.enrolled"
    }


def _order_paid(uow: UnitOfWork, program: ProgramPolicy, row: Row[Any], fact: OrderPaid) -> bool:
    """The friend's first qualifying order: the referral waits for it to mature. True when
    the referral was written to (or a write was tried: another unit may have changed it)."""
    config = service.current_config(uow)
    if row.order_id is not None or config is None:
        return False
    if not policy.qualifies(config, fact.currency, fact.net_amount):
        return False
    matures_at = ledger_policy.maturity(fact.paid_at, fact.delivered_at, program)
    status = ReferralStatus.QUALIFYING if row.status != ReferralStatus.REVIEW else row.status
    changed = repository.change(
        uow.session,
        row.id,
        [row.status],
        {
            "status": status,
            "order_id": fact.order_id,
            "order_currency": fact.currency,
            "matures_at": matures_at,
            "history": [
                *row.history,
                service.step(uow.now, "qualifying_order", order_id=fact.order_id),
            ],
        },
        extra=repository.REFERRALS.c.order_id.is_(None),
    )
    # A welcome given on sign-up (the row is current: read under the friend's lock) needs
    # no second, conditional statement to be refused.
    if changed and status == ReferralStatus.QUALIFYING and not row.is_friend_rewarded:
        service.reward_friend(
            uow,
            program,
            config,
            row.id,
            row.friend_id,
            order_id=fact.order_id,
            matures_at=matures_at,
        )
    return True


def _order_changed(
    uow: UnitOfWork,
    program: ProgramPolicy,
    row: Row[Any],
    fact: OrderDelivered | OrderReturned | OrderCancelled,
) -> bool:
    """Delivery moves the maturity like the ledger's; a return or cancellation before it
    that takes the order below the minimum sends the referral back to waiting for another
    qualifying order (the referrer's pending reward is cancelled). True when the referral
    was written to (or a write was tried)."""
    if isinstance(fact, OrderDelivered):
        matures_at = ledger_policy.maturity(fact.delivered_at, fact.delivered_at, program)
        repository.change(uow.session, row.id, [row.status], {"matures_at": matures_at})
        return True
    at = fact.occurred_at if isinstance(fact, OrderReturned) else fact.cancelled_at
    if row.matures_at is not None and at >= row.matures_at:
        return False  # the order had matured: the referral stands
    config = service.current_config(uow)
    left = 0
    if isinstance(fact, OrderReturned):
        left = fact.net_amount - fact.cumulative_returned_amount
        if config is not None and policy.qualifies(config, row.order_currency or "", left):
            return False  # what is kept still reaches the minimum
    back = ReferralStatus.PENDING if row.status == ReferralStatus.QUALIFYING else row.status
    # A first-order welcome went with this order and was reversed with all of it: the
    # next qualifying order carries it again.
    welcome_gone = (
        left <= 0
        and config is not None
        and config.friend_reward is not None
        and config.friend_reward.on == "first_order"
    )
    repository.change(
        uow.session,
        row.id,
        [row.status],
        {
            "status": back,
            "order_id": None,
            "order_currency": None,
            "matures_at": None,
            **({"is_friend_rewarded": False} if welcome_gone else {}),
            "history": [
                *row.history,
                service.step(
                    uow.now,
                    "order_returned" if isinstance(fact, OrderReturned) else "order_cancelled",
                    order_id=fact.order_id,
                ),
            ],
        },
    )
    return True


def _signals(fact: Any) -> dict[str, str] | None:
    if isinstance(fact, OrderPaid):
        return fact.signals
    if isinstance(fact, ActivityRecorded):
        found = fact.data.get("signals")
        return found if isinstance(found, dict) and found else None
    return None


def _referral(fact: Any) -> dict[str, str] | None:
    if isinstance(fact, OrderPaid):
        return fact.referral
    if isinstance(fact, ActivityRecorded):
        found = fact.data.get("referral")
        if isinstance(found, dict) and ("code" in found or "token" in found):
            return {k: str(v) for k, v in found.items() if k in ("code", "token") and v}
    return None


def _at(fact: Any) -> Any:
    if isinstance(fact, OrderPaid):
        return fact.paid_at
    if isinstance(fact, OrderDelivered):
        return fact.delivered_at
    if isinstance(fact, OrderCancelled):
        return fact.cancelled_at
    return fact.occurred_at
