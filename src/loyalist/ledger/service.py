"""Ledger use cases: award, mature, spend, hold, confirm, release, reverse, adjust, expire.

Every function takes the unit of work first, locks the member's balance row before it
touches the member's lots (so writes to one member are serialised and never overdraw),
writes postings and lot moves, and keeps the cached balances equal to the postings.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from loyalist.db.uow import UnitOfWork
from loyalist.errors import ConflictError, InvalidRequestError, NotFoundError
from loyalist.ledger import policy, repository
from loyalist.ledger.models import (
    Account,
    Bucket,
    Hold,
    HoldStatus,
    Lot,
    LotMove,
    LotStatus,
    MemberPoints,
    Posting,
    PostingKind,
)
from loyalist.settings import NegativeBalancePolicy, ProgramPolicy

_MEMBER_ACCOUNT_FIELD = {
    Account.AVAILABLE: "available",
    Account.PENDING: "pending",
    Account.HELD: "held",
}
_TERMINAL = {
    Bucket.SPENT: LotStatus.SPENT,
    Bucket.EXPIRED: LotStatus.EXPIRED,
    Bucket.REVERSED: LotStatus.REVERSED,
}


@dataclass(frozen=True, slots=True)
class Award:
    """Points to grant; the rules engine produces these (one per rule that fired).

    ``available_at`` None means at once; otherwise the points stay pending until then.
    """

    points: int
    reason_code: str
    reason_params: dict[str, Any] = field(default_factory=dict)
    available_at: datetime | None = None
    rule_version_id: int | None = None


def lock(uow: UnitOfWork, member_ids: Sequence[int]) -> dict[int, MemberPoints]:
    """Lock balance rows in key order; call first in any operation that touches several."""
    return repository.lock_balances(uow.session, member_ids)


def _balance(uow: UnitOfWork, member_id: int) -> MemberPoints:
    return repository.lock_balances(uow.session, [member_id])[member_id]


def _post(
    uow: UnitOfWork,
    balance: MemberPoints,
    kind: PostingKind,
    debit: Account,
    credit: Account,
    amount: int,
    reason_code: str,
    reason_params: dict[str, Any],
    *,
    order_pk: int | None = None,
    hold_id: str | None = None,
    issuer: str | None = None,
    rule_version_id: int | None = None,
) -> Posting:
    posting = Posting(
        member_id=balance.member_id,
        kind=kind,
        debit_account=debit,
        credit_account=credit,
        amount=amount,
        reason_code=reason_code,
        reason_params=reason_params,
        order_pk=order_pk,
        hold_id=hold_id,
        issuer=issuer,
        rule_version_id=rule_version_id,
        created_at=uow.now,
    )
    uow.session.add(posting)
    if debit in _MEMBER_ACCOUNT_FIELD:
        name = _MEMBER_ACCOUNT_FIELD[debit]
        setattr(balance, name, getattr(balance, name) - amount)
    if credit in _MEMBER_ACCOUNT_FIELD:
        name = _MEMBER_ACCOUNT_FIELD[credit]
        setattr(balance, name, getattr(balance, name) + amount)
    return posting


def _move(
    uow: UnitOfWork,
    lot: Lot,
    posting: Posting,
    src: Bucket,
    dst: Bucket,
    amount: int,
    hold_id: str | None = None,
) -> None:
    setattr(lot, src.value, getattr(lot, src.value) - amount)
    setattr(lot, dst.value, getattr(lot, dst.value) + amount)
    if lot.remaining == 0 and lot.held == 0 and dst in _TERMINAL:
        lot.status = _TERMINAL[dst]
    elif dst in (Bucket.REMAINING, Bucket.HELD) and lot.status in _TERMINAL.values():
        lot.status = LotStatus.AVAILABLE
    uow.session.add(
        LotMove(
            posting=posting,
            lot_id=lot.id,
            member_id=lot.member_id,
            from_bucket=src,
            to_bucket=dst,
            amount=amount,
            hold_id=hold_id,
        )
    )


# -- earning ------------------------------------------------------------------------------
def award_points(
    uow: UnitOfWork,
    member_id: int,
    awards: Sequence[Award],
    program: ProgramPolicy,
    *,
    order_pk: int | None = None,
) -> list[Lot]:
    """Grant each award as a lot: pending until ``available_at``, or available at once."""
    balance = _balance(uow, member_id)
    lots: list[Lot] = []
    for award in awards:
        if award.points <= 0:
            continue
        pending = award.available_at is not None and award.available_at > uow.now
        posting = _post(
            uow,
            balance,
            PostingKind.EARN,
            Account.ISSUED,
            Account.PENDING if pending else Account.AVAILABLE,
            award.points,
            award.reason_code,
            award.reason_params,
            order_pk=order_pk,
            rule_version_id=award.rule_version_id,
        )
        balance.earned += award.points
        available_at = award.available_at or uow.now
        lot = Lot(
            member_id=member_id,
            status=LotStatus.PENDING if pending else LotStatus.AVAILABLE,
            amount=award.points,
            remaining=award.points,
            held=0,
            spent=0,
            expired=0,
            reversed=0,
            reversal_due=0,
            order_pk=order_pk,
            origin_posting=posting,
            rule_version_id=award.rule_version_id,
            created_at=uow.now,
            available_at=available_at,
            matured_at=None if pending else uow.now,
            expires_at=None if pending else policy.expiry(available_at, program.expiry, program),
        )
        uow.session.add(lot)
        lots.append(lot)
    if any(lot.status != LotStatus.PENDING for lot in lots) and balance.debt:
        uow.session.flush()
        for lot in lots:
            if lot.status == LotStatus.AVAILABLE:
                _settle(uow, balance, lot, lot.origin_posting)
    return lots


def reschedule_order_maturity(
    uow: UnitOfWork, order_pk: int, available_at: datetime, program: ProgramPolicy
) -> None:
    """Delivery is known: pending lots of the order mature ``return_window`` after it."""
    for lot in repository.lots_of_orders(uow.session, [order_pk])[order_pk]:
        if lot.status == LotStatus.PENDING:
            lot.available_at = available_at
    if available_at <= uow.now:
        mature_member(uow, _member_of_order(uow, order_pk), program)


def _member_of_order(uow: UnitOfWork, order_pk: int) -> int:
    lots = repository.lots_of_orders(uow.session, [order_pk])[order_pk]
    return lots[0].member_id if lots else -1


def mature_member(uow: UnitOfWork, member_id: int, program: ProgramPolicy) -> int:
    """Make the member's pending lots that are due available; returns points matured."""
    if member_id < 0:
        return 0
    balance = _balance(uow, member_id)
    matured = 0
    for lot in repository.due_lots(uow.session, member_id, "mature", uow.now):
        matured += _mature(uow, balance, lot, program)
    return matured


def _mature(uow: UnitOfWork, balance: MemberPoints, lot: Lot, program: ProgramPolicy) -> int:
    lot.status = LotStatus.AVAILABLE
    lot.matured_at = uow.now
    lot.expires_at = policy.expiry(lot.available_at, program.expiry, program)
    if lot.remaining == 0:
        lot.status = LotStatus.REVERSED
        return 0
    amount = lot.remaining
    posting = _post(
        uow,
        balance,
        PostingKind.MATURE,
        Account.PENDING,
        Account.AVAILABLE,
        amount,
        "mature",
        _origin_params(uow, lot),
        order_pk=lot.order_pk,
    )
    _settle(uow, balance, lot, posting)
    return amount


def _origin_params(uow: UnitOfWork, lot: Lot) -> dict[str, Any]:
    posting = uow.session.get(Posting, lot.origin_posting_id)
    params = dict(posting.reason_params) if posting else {}
    params["source"] = posting.reason_code if posting else "unknown"
    return params


def _settle(uow: UnitOfWork, balance: MemberPoints, lot: Lot, posting: Posting) -> None:
    """Points just returned to a lot's ``remaining``: expire them if the lot has expired,
    else pay down the member's debt first."""
    if lot.status != LotStatus.AVAILABLE or lot.remaining == 0:
        return
    if lot.expires_at is not None and lot.expires_at <= uow.now:
        _expire_lot(uow, balance, lot)
        return
    if balance.debt > 0:
        repay = min(balance.debt, lot.remaining)
        balance.debt -= repay
        _move(uow, lot, posting, Bucket.REMAINING, Bucket.REVERSED, repay)


# -- reversals ----------------------------------------------------------------------------
def reverse_order_points(
    uow: UnitOfWork,
    member_id: int,
    order_pk: int,
    returned: int,
    whole: int,
    reason_code: str,
    reason_params: dict[str, Any],
    program: ProgramPolicy,
) -> int:
    """Reverse ``returned / whole`` of everything the order earned, cumulatively.

    Each lot of the order records how much of it is due for reversal, so a return
    reported again, or several partial returns, never reverse more than their share.
    Points still in the order's lot go first; what was already spent is taken from the
    member's other available points, and the rest becomes debt (``allow_debt``, repaid by
    future earnings) or is written off (``claw_back``). Returns the points reversed.
    """
    balance = _balance(uow, member_id)
    total = 0
    for lot in repository.lots_of_orders(uow.session, [order_pk])[order_pk]:
        target = policy.proportional_share(lot.amount, returned, whole)
        due = target - lot.reversal_due
        if due <= 0:
            continue
        lot.reversal_due = target
        total += _reverse(uow, balance, lot, due, reason_code, reason_params, program)
    return total


def _reverse(
    uow: UnitOfWork,
    balance: MemberPoints,
    lot: Lot,
    due: int,
    reason_code: str,
    params: dict[str, Any],
    program: ProgramPolicy,
) -> int:
    reversed_now = 0
    own = min(due, lot.remaining)
    if own:
        account = Account.PENDING if lot.status == LotStatus.PENDING else Account.AVAILABLE
        posting = _post(
            uow,
            balance,
            PostingKind.REVERSE,
            account,
            Account.REVERSED,
            own,
            reason_code,
            params,
            order_pk=lot.order_pk,
        )
        _move(uow, lot, posting, Bucket.REMAINING, Bucket.REVERSED, own)
        due -= own
        reversed_now += own
    if due == 0:
        balance.reversed += reversed_now
        return reversed_now
    others = [
        other
        for other in repository.spendable_lots(uow.session, balance.member_id)
        if other.id != lot.id
    ]
    from_others = min(due, sum(other.remaining for other in others))
    if from_others:
        posting = _post(
            uow,
            balance,
            PostingKind.REVERSE,
            Account.AVAILABLE,
            Account.REVERSED,
            from_others,
            reason_code,
            {**params, "spent_points_recovered": from_others},
            order_pk=lot.order_pk,
        )
        by_id = {other.id: other for other in others}
        for take in policy.allocate(others, from_others):
            _move(uow, by_id[take.lot_id], posting, Bucket.REMAINING, Bucket.REVERSED, take.amount)
        due -= from_others
        reversed_now += from_others
    if due and program.negative_balance == NegativeBalancePolicy.ALLOW_DEBT:
        _post(
            uow,
            balance,
            PostingKind.REVERSE,
            Account.AVAILABLE,
            Account.REVERSED,
            due,
            reason_code,
            {**params, "debt": due},
            order_pk=lot.order_pk,
        )
        balance.debt += due
        reversed_now += due
    balance.reversed += reversed_now
    return reversed_now


# -- spending and holds -------------------------------------------------------------------
def _take_available(uow: UnitOfWork, balance: MemberPoints, amount: int) -> list[tuple[Lot, int]]:
    if amount <= 0:
        raise InvalidRequestError(
            "amount must be a positive number of points", code="points_amount_invalid"
        )
    if balance.available < amount:
        raise ConflictError(
            f"not enough points: {balance.available} available, {amount} requested",
            code="insufficient_points",
            extra={"available": balance.available},
        )
    lots = list(repository.spendable_lots(uow.session, balance.member_id))
    by_id = {lot.id: lot for lot in lots}
    return [(by_id[t.lot_id], t.amount) for t in policy.allocate(lots, amount)]


def spend_points(
    uow: UnitOfWork,
    member_id: int,
    amount: int,
    *,
    reason_code: str = "redeem",
    reason_params: dict[str, Any] | None = None,
) -> Posting:
    """Redeem points at once, earliest-expiring lots first.

    Raises:
        ConflictError: fewer points available than asked (``insufficient_points``).
    """
    balance = _balance(uow, member_id)
    takes = _take_available(uow, balance, amount)
    posting = _post(
        uow,
        balance,
        PostingKind.SPEND,
        Account.AVAILABLE,
        Account.REDEEMED,
        amount,
        reason_code,
        reason_params or {},
    )
    for lot, take in takes:
        _move(uow, lot, posting, Bucket.REMAINING, Bucket.SPENT, take)
    balance.spent += amount
    return posting


def hold_points(
    uow: UnitOfWork,
    member_id: int,
    amount: int,
    *,
    timeout: timedelta,
    reference: str | None = None,
) -> Hold:
    """Reserve points for a checkout; they leave ``available`` until confirmed or released.

    Raises:
        ConflictError: fewer points available than asked.
    """
    balance = _balance(uow, member_id)
    takes = _take_available(uow, balance, amount)
    hold = Hold(
        id=f"hld_{secrets.token_hex(12)}",
        member_id=member_id,
        amount=amount,
        confirmed_amount=0,
        status=HoldStatus.ACTIVE,
        reference=reference,
        created_at=uow.now,
        expires_at=uow.now + timeout,
        settled_at=None,
    )
    uow.session.add(hold)
    posting = _post(
        uow,
        balance,
        PostingKind.HOLD,
        Account.AVAILABLE,
        Account.HELD,
        amount,
        "hold",
        {"reference": reference},
        hold_id=hold.id,
    )
    for lot, take in takes:
        _move(uow, lot, posting, Bucket.REMAINING, Bucket.HELD, take, hold_id=hold.id)
    return hold


def _locked_hold(uow: UnitOfWork, hold_id: str) -> tuple[Hold, MemberPoints]:
    hold = repository.find_hold(uow.session, hold_id)
    if hold is None:
        raise NotFoundError(f"hold {hold_id!r} does not exist", code="hold_not_found")
    balance = _balance(uow, hold.member_id)
    hold = repository.find_hold(uow.session, hold_id)  # re-read under the member's lock
    assert hold is not None
    return hold, balance


def confirm_hold(
    uow: UnitOfWork,
    hold_id: str,
    *,
    amount: int | None = None,
    program: ProgramPolicy,
) -> Hold:
    """Spend held points (all, or ``amount`` of them with the rest released).

    Confirming a confirmed hold again with the same amount is a no-op.

    Raises:
        NotFoundError: no such hold.
        ConflictError: the hold was released or timed out, or confirmed with another amount.
        InvalidRequestError: ``amount`` outside 1..held.
    """
    hold, balance = _locked_hold(uow, hold_id)
    amount = hold.amount if amount is None else amount
    if hold.status == HoldStatus.CONFIRMED and hold.confirmed_amount == amount:
        return hold
    if hold.status != HoldStatus.ACTIVE:
        raise ConflictError(
            f"hold {hold_id} is {hold.status}, it cannot be confirmed", code="hold_not_active"
        )
    if not 0 < amount <= hold.amount:
        raise InvalidRequestError(
            f"confirm between 1 and {hold.amount} points", code="points_amount_invalid"
        )
    per_lot = repository.held_by_lot(uow.session, hold_id)
    lots = repository.lots_by_id(uow.session, per_lot)
    posting = _post(
        uow,
        balance,
        PostingKind.CONFIRM,
        Account.HELD,
        Account.REDEEMED,
        amount,
        "hold_confirmed",
        {"reference": hold.reference},
        hold_id=hold_id,
    )
    left = amount
    ordered = sorted(
        lots.values(), key=lambda lot: (lot.expires_at is None, lot.expires_at or uow.now, lot.id)
    )
    for lot in ordered:
        take = min(left, per_lot[lot.id])
        if take:
            _move(uow, lot, posting, Bucket.HELD, Bucket.SPENT, take, hold_id=hold_id)
            per_lot[lot.id] -= take
            left -= take
    balance.spent += amount
    hold.confirmed_amount = amount
    hold.status = HoldStatus.CONFIRMED
    hold.settled_at = uow.now
    if amount < hold.amount:
        _return_held(uow, balance, hold, lots, per_lot, hold.amount - amount)
    return hold


def release_hold(
    uow: UnitOfWork, hold_id: str, *, status: HoldStatus = HoldStatus.RELEASED
) -> Hold:
    """Give held points back; releasing a released hold again is a no-op.

    Raises:
        NotFoundError: no such hold.
        ConflictError: the hold was confirmed.
    """
    hold, balance = _locked_hold(uow, hold_id)
    if hold.status in (HoldStatus.RELEASED, HoldStatus.TIMED_OUT):
        return hold
    if hold.status == HoldStatus.CONFIRMED:
        raise ConflictError(f"hold {hold_id} was confirmed", code="hold_not_active")
    per_lot = repository.held_by_lot(uow.session, hold_id)
    lots = repository.lots_by_id(uow.session, per_lot)
    hold.status = status
    hold.settled_at = uow.now
    _return_held(uow, balance, hold, lots, per_lot, hold.amount)
    return hold


def _return_held(
    uow: UnitOfWork,
    balance: MemberPoints,
    hold: Hold,
    lots: dict[int, Lot],
    per_lot: dict[int, int],
    amount: int,
) -> None:
    code = "hold_timed_out" if hold.status == HoldStatus.TIMED_OUT else "hold_released"
    posting = _post(
        uow,
        balance,
        PostingKind.RELEASE,
        Account.HELD,
        Account.AVAILABLE,
        amount,
        code,
        {"reference": hold.reference},
        hold_id=hold.id,
    )
    for lot_id, held in per_lot.items():
        if held:
            _move(uow, lots[lot_id], posting, Bucket.HELD, Bucket.REMAINING, held, hold_id=hold.id)
    for lot_id in per_lot:
        _settle(uow, balance, lots[lot_id], posting)


# -- expiry -------------------------------------------------------------------------------
def _expire_lot(uow: UnitOfWork, balance: MemberPoints, lot: Lot) -> int:
    amount = lot.remaining
    if amount <= 0:
        return 0
    posting = _post(
        uow,
        balance,
        PostingKind.EXPIRE,
        Account.AVAILABLE,
        Account.EXPIRED,
        amount,
        "expire",
        {"expired_on": lot.expires_at.isoformat() if lot.expires_at else None},
        order_pk=lot.order_pk,
    )
    _move(uow, lot, posting, Bucket.REMAINING, Bucket.EXPIRED, amount)
    balance.expired += amount
    return amount


def expire_member(uow: UnitOfWork, member_id: int) -> int:
    balance = _balance(uow, member_id)
    return sum(
        _expire_lot(uow, balance, lot)
        for lot in repository.due_lots(uow.session, member_id, "expire", uow.now)
    )


def time_out_member_holds(uow: UnitOfWork, member_id: int) -> int:
    _balance(uow, member_id)
    holds = repository.due_holds(uow.session, member_id, uow.now)
    for hold in holds:
        release_hold(uow, hold.id, status=HoldStatus.TIMED_OUT)
    return len(holds)


# -- adjustments --------------------------------------------------------------------------
def adjust_points(
    uow: UnitOfWork,
    member_id: int,
    amount: int,
    *,
    reason: str,
    issuer: str,
    program: ProgramPolicy,
) -> Posting:
    """A manual correction by staff: credit a new available lot, or debit available points.

    Raises:
        InvalidRequestError: zero amount or empty reason.
        ConflictError: a debit larger than the available balance.
    """
    if amount == 0 or not reason.strip():
        raise InvalidRequestError(
            "an adjustment needs a non-zero amount and a reason", code="adjustment_invalid"
        )
    balance = _balance(uow, member_id)
    params = {"note": reason.strip()}
    if amount > 0:
        posting = _post(
            uow,
            balance,
            PostingKind.ADJUST,
            Account.ADJUSTED,
            Account.AVAILABLE,
            amount,
            "adjust",
            params,
            issuer=issuer,
        )
        lot = Lot(
            member_id=member_id,
            status=LotStatus.AVAILABLE,
            amount=amount,
            remaining=amount,
            held=0,
            spent=0,
            expired=0,
            reversed=0,
            reversal_due=0,
            order_pk=None,
            origin_posting=posting,
            created_at=uow.now,
            available_at=uow.now,
            matured_at=uow.now,
            expires_at=policy.expiry(uow.now, program.expiry, program),
        )
        uow.session.add(lot)
        uow.session.flush()
        _settle(uow, balance, lot, posting)
    else:
        takes = _take_available(uow, balance, -amount)
        posting = _post(
            uow,
            balance,
            PostingKind.ADJUST,
            Account.AVAILABLE,
            Account.ADJUSTED,
            -amount,
            "adjust",
            params,
            issuer=issuer,
        )
        for lot, take in takes:
            _move(uow, lot, posting, Bucket.REMAINING, Bucket.REVERSED, take)
    balance.adjusted += amount
    return posting


def get_hold(uow: UnitOfWork, hold_id: str) -> Hold:
    """Raises NotFoundError."""
    hold = repository.find_hold(uow.session, hold_id)
    if hold is None:
        raise NotFoundError(f"hold {hold_id!r} does not exist", code="hold_not_found")
    return hold
