"""Ledger use cases: award, mature, spend, hold, confirm, release, reverse, adjust, expire.

Every function takes the unit of work first and locks the member's balance row before it
touches the member's lots (writes to one member are serialised and never overdraw). All
rows go through the unit's ``Books`` and are written when the unit finishes.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from loyalist.db.uow import UnitOfWork
from loyalist.ledger import policy, repository
from loyalist.ledger.books import Balance, Books, LotState
from loyalist.ledger.errors import (
    AdjustmentInvalidError,
    HoldExpiredError,
    HoldNotActiveError,
    HoldNotFoundError,
    InsufficientPointsError,
    PointsAmountInvalidError,
)
from loyalist.ledger.events import (
    PointsAdjusted,
    PointsAwarded,
    PointsExpired,
    PointsExpiring,
    PointsMatured,
    PointsRefunded,
    PointsReversed,
    PointsSpent,
)
from loyalist.ledger.models import Account, Bucket, Hold, HoldStatus, LotStatus, PostingKind
from loyalist.settings import NegativeBalancePolicy, ProgramPolicy


@dataclass(frozen=True, slots=True)
class Award:
    """Points to grant; the rules engine produces these (one per rule that fired).

    ``available_at`` None means at once; otherwise the points stay pending until then.
    ``qualifying`` points also count toward tier qualification (``PointsAwarded`` says so).
    """

    points: int
    reason_code: str
    reason_params: dict[str, Any] = field(default_factory=dict)
    available_at: datetime | None = None
    rule_version_id: int | None = None
    qualifying: bool = False


def lock(uow: UnitOfWork, member_ids: Sequence[int], *, skip_locked: bool = False) -> list[int]:
    """Lock balance rows in key order; call first in any operation that touches several.
    Returns the members now held (with ``skip_locked``, jobs skip those another unit holds)."""
    return Books.of(uow).lock(member_ids, skip_locked=skip_locked)


def load_orders(
    uow: UnitOfWork, order_refs: Sequence[str], *, spendable_of: Sequence[int] = ()
) -> None:
    """Load the lots of many orders in one query before working on them one by one, and
    (``spendable_of``) the available lots of members whose reversals may reach them."""
    books = Books.of(uow)
    books.preload_orders(order_refs)
    if spendable_of:
        books.preload_spendable(spendable_of)


# -- earning ------------------------------------------------------------------------------
def award_points(
    uow: UnitOfWork,
    member_id: int,
    awards: Sequence[Award],
    program: ProgramPolicy,
    *,
    order_ref: str | None = None,
    earned_at: datetime | None = None,
    source: str | None = None,
    trigger: str | None = None,
) -> list[LotState]:
    """Grant each award as a lot: pending until ``available_at``, or available at once
    (then it first pays down any debt). Emits one ``PointsAwarded`` for the call when any
    points were granted; ``source`` names the occurrence in it."""
    books = Books.of(uow)
    balance = books.balance(member_id)
    lots: list[LotState] = []
    total = pending_total = qualifying = 0
    for award in awards:
        if award.points <= 0:
            continue
        pending = award.available_at is not None and award.available_at > uow.now
        total += award.points
        if pending:
            pending_total += award.points
        if award.qualifying:
            qualifying += award.points
        posting_id = books.post(
            balance,
            PostingKind.EARN,
            Account.ISSUED,
            Account.PENDING if pending else Account.AVAILABLE,
            award.points,
            award.reason_code,
            award.reason_params,
            order_ref=order_ref,
            rule_version_id=award.rule_version_id,
            effective_at=earned_at,
        )
        balance.earned += award.points
        available_at = award.available_at or uow.now
        lot = books.new_lot(
            member_id=member_id,
            status=LotStatus.PENDING if pending else LotStatus.AVAILABLE,
            amount=award.points,
            remaining=award.points,
            held=0,
            spent=0,
            expired=0,
            reversed=0,
            reversal_due=0,
            order_ref=order_ref,
            origin_posting_id=posting_id,
            rule_version_id=award.rule_version_id,
            created_at=uow.now,
            available_at=available_at,
            matured_at=None if pending else uow.now,
            expires_at=None if pending else policy.expiry(available_at, program.expiry, program),
        )
        lots.append(lot)
        if not pending:
            _settle(books, balance, lot, posting_id, uow.now)
    if total:
        uow.emit(
            PointsAwarded(
                member_id=member_id,
                points=total,
                pending_points=pending_total,
                qualifying_points=qualifying,
                trigger=trigger,
                order_ref=order_ref,
                source=source,
                earned_at=min(earned_at or uow.now, uow.now),
            )
        )
    return lots


def refund_spent_points(
    uow: UnitOfWork,
    member_id: int,
    amount: int,
    program: ProgramPolicy,
    *,
    reason_code: str,
    reason_params: dict[str, Any],
    order_ref: str | None = None,
) -> int:
    """Give back points the member spent (a returned order paid with points): a REFUND
    posting from ``redeemed`` to ``available`` (so lifetime spending, not earning, changes)
    and a fresh available lot, which first pays down any debt. Returns the posting id."""
    books = Books.of(uow)
    balance = books.balance(member_id)
    posting_id = books.post(
        balance,
        PostingKind.REFUND,
        Account.REDEEMED,
        Account.AVAILABLE,
        amount,
        reason_code,
        reason_params,
        order_ref=order_ref,
    )
    balance.spent -= amount
    _credit_now(uow, books, balance, posting_id, amount, program, order_ref=order_ref)
    uow.emit(PointsRefunded(member_id, amount, reason_code, uow.now))
    return posting_id


def _credit_now(
    uow: UnitOfWork,
    books: Books,
    balance: Balance,
    posting_id: int,
    amount: int,
    program: ProgramPolicy,
    *,
    order_ref: str | None = None,
) -> None:
    """A lot available at once for points a posting just credited (it pays debt first)."""
    lot = books.new_lot(
        member_id=balance.member_id,
        status=LotStatus.AVAILABLE,
        amount=amount,
        remaining=amount,
        held=0,
        spent=0,
        expired=0,
        reversed=0,
        reversal_due=0,
        order_ref=order_ref,
        origin_posting_id=posting_id,
        rule_version_id=None,
        created_at=uow.now,
        available_at=uow.now,
        matured_at=uow.now,
        expires_at=policy.expiry(uow.now, program.expiry, program),
    )
    _settle(books, balance, lot, posting_id, uow.now)


def lifetime_points(uow: UnitOfWork, member_ids: Sequence[int]) -> dict[int, int]:
    """The members' lifetime earned points as of this unit, under its locks (badge
    criteria read them after the unit's own awards)."""
    books = Books.of(uow)
    books.lock(member_ids)
    return {
        m: policy.lifetime_earned(b.earned, b.adjusted, b.reversed)
        for m in member_ids
        if (b := books.balances.get(m)) is not None
    }


def available_now(uow: UnitOfWork, member_id: int) -> int:
    """The member's available points under the unit's lock (call ``lock`` first)."""
    return Books.of(uow).balance(member_id).available


def pending_of_orders(
    uow: UnitOfWork, order_refs: Sequence[str]
) -> dict[str, tuple[int, datetime]]:
    """Per order with points still pending (waiting for the return window): how many and
    when the last of them matures, from the unit's books (one read for all orders)."""
    books = Books.of(uow)
    books.preload_orders(order_refs)
    found: dict[str, tuple[int, datetime]] = {}
    for ref in order_refs:
        pending = [lot for lot in books.order_lots(ref) if lot.status == LotStatus.PENDING]
        if pending:
            found[ref] = (
                sum(lot.remaining for lot in pending),
                max(lot.available_at for lot in pending),
            )
    return found


def reschedule_order_maturity(
    uow: UnitOfWork,
    member_id: int,
    order_ref: str,
    available_at: datetime,
    program: ProgramPolicy,
) -> int:
    """Delivery is known: the order's pending lots mature at ``available_at`` (at once if
    that has passed). Returns points matured now."""
    books = Books.of(uow)
    balance = books.balance(member_id)
    matured = 0
    for lot in books.order_lots(order_ref):
        if lot.status == LotStatus.PENDING:
            lot.available_at = available_at
            books.touch(lot)
            if available_at <= uow.now:
                matured += _mature(books, balance, lot, program, uow.now)
    return matured


def mature_member(uow: UnitOfWork, member_id: int, program: ProgramPolicy) -> int:
    """Make the member's due pending lots available; returns points matured."""
    books = Books.of(uow)
    balance = books.balance(member_id)
    books.flush()
    rows = repository.due_lot_rows(uow.session, member_id, "mature", uow.now)
    return sum(
        _mature(books, balance, lot, program, uow.now)
        for lot in books.adopt_rows(rows)
        if lot.status == LotStatus.PENDING and lot.available_at <= uow.now
    )


def _mature(
    books: Books, balance: Balance, lot: LotState, program: ProgramPolicy, now: datetime
) -> int:
    lot.status = LotStatus.AVAILABLE
    lot.matured_at = now
    lot.expires_at = policy.expiry(lot.available_at, program.expiry, program)
    books.touch(lot)
    if lot.remaining == 0:
        lot.status = LotStatus.REVERSED
        return 0
    amount = lot.remaining
    posting_id = books.post(
        balance,
        PostingKind.MATURE,
        Account.PENDING,
        Account.AVAILABLE,
        amount,
        "mature",
        {"order_id": lot.order_ref} if lot.order_ref else {},
        order_ref=lot.order_ref,
        effective_at=lot.available_at,
    )
    _settle(books, balance, lot, posting_id, now)
    books.uow.emit(PointsMatured(balance.member_id, amount, lot.order_ref, now, lot.available_at))
    return amount


def _settle(books: Books, balance: Balance, lot: LotState, posting_id: int, now: datetime) -> None:
    """Points just arrived in a lot's ``remaining``: expire them if the lot has expired,
    else pay down the member's debt first."""
    if lot.status != LotStatus.AVAILABLE or lot.remaining == 0:
        return
    if lot.expires_at is not None and lot.expires_at <= now:
        _expire_lot(books, balance, lot)
        return
    if balance.debt > 0:
        repay = min(balance.debt, lot.remaining)
        balance.debt -= repay
        books.changed(balance)
        books.move(lot, posting_id, Bucket.REMAINING, Bucket.REVERSED, repay)


# -- reversals ----------------------------------------------------------------------------
def reverse_order_points(
    uow: UnitOfWork,
    member_id: int,
    order_ref: str,
    returned: int,
    whole: int,
    reason_code: str,
    reason_params: dict[str, Any],
    program: ProgramPolicy,
    *,
    at: datetime | None = None,
) -> int:
    """Reverse ``returned / whole`` of everything the order earned, cumulatively.

    Each lot of the order records how much of it is due for reversal, so a return
    reported again, or several partial returns, never reverse more than their share.
    Points still in the order's lot go first; what was already spent is taken from the
    member's other available points, and the rest becomes debt (``allow_debt``, repaid by
    future earnings) or is written off (``claw_back``). Returns the points reversed.
    """
    books = Books.of(uow)
    balance = books.balance(member_id)
    total = owed = 0
    debt_before = balance.debt
    for lot in books.order_lots(order_ref):
        target = policy.proportional_share(lot.amount, returned, whole)
        due = target - lot.reversal_due
        if due <= 0:
            continue
        lot.reversal_due = target
        books.touch(lot)
        owed += due
        total += _reverse(books, balance, lot, due, reason_code, reason_params, program, at)
    if owed:
        uow.emit(
            PointsReversed(
                member_id=member_id,
                points=total,
                order_ref=order_ref,
                reason_code=reason_code,
                debt=max(0, balance.debt - debt_before),
                written_off=owed - total,
                reversed_at=uow.now,
            )
        )
    return total


def _reverse(
    books: Books,
    balance: Balance,
    lot: LotState,
    due: int,
    reason_code: str,
    params: dict[str, Any],
    program: ProgramPolicy,
    at: datetime | None,
) -> int:
    """Take ``due`` points of the order's lot back: what remains in it, then what of it
    expired (reclassified, nobody is charged), then the member's other available points,
    cancelling the open holds on the lot if those fall short, then the spent share by the
    policy."""
    reversed_now = own = _reverse_remaining(books, balance, lot, due, reason_code, params, at)
    due -= own
    lapsed = min(due, lot.expired)
    if lapsed:
        # Expired points were never the member's to spend: the return only reclassifies
        # them (system to system), it charges nothing.
        posting_id = books.post(
            balance,
            PostingKind.REVERSE,
            Account.EXPIRED,
            Account.REVERSED,
            lapsed,
            reason_code,
            {**params, "expired": lapsed},
            order_ref=lot.order_ref,
            effective_at=at,
        )
        books.move(lot, posting_id, Bucket.EXPIRED, Bucket.REVERSED, lapsed)
        balance.expired -= lapsed
        due -= lapsed
        reversed_now += lapsed
    others_left = sum(o.remaining for o in books.spendable(balance.member_id) if o.id != lot.id)
    if due > others_left and lot.held:
        # Reserved points were never spent: rather than charge the policy for them, cancel
        # the holds that keep them, so no checkout can confirm points a return took back.
        freed = _revoke_holds(books, balance, lot, due - others_left, params)
        own = _reverse_remaining(books, balance, lot, due, reason_code, params, at)
        due -= own
        reversed_now += own
        for freed_lot, posting_id in freed:
            _settle(books, balance, freed_lot, posting_id, books.uow.now)
    if due:
        others = [o for o in books.spendable(balance.member_id) if o.id != lot.id]
        from_others = min(due, sum(o.remaining for o in others))
        if from_others:
            posting_id = books.post(
                balance,
                PostingKind.REVERSE,
                Account.AVAILABLE,
                Account.REVERSED,
                from_others,
                reason_code,
                {**params, "recovered_from_balance": from_others},
                order_ref=lot.order_ref,
                effective_at=at,
            )
            by_id = {o.id: o for o in others}
            for take in policy.allocate(others, from_others):
                books.move(
                    by_id[take.lot_id], posting_id, Bucket.REMAINING, Bucket.REVERSED, take.amount
                )
            due -= from_others
            reversed_now += from_others
    if due and program.negative_balance == NegativeBalancePolicy.ALLOW_DEBT:
        books.post(
            balance,
            PostingKind.REVERSE,
            Account.AVAILABLE,
            Account.REVERSED,
            due,
            reason_code,
            {**params, "debt": due},
            order_ref=lot.order_ref,
            effective_at=at,
        )
        balance.debt += due
        reversed_now += due
    balance.reversed += reversed_now
    books.changed(balance)
    return reversed_now


def _reverse_remaining(
    books: Books,
    balance: Balance,
    lot: LotState,
    due: int,
    reason_code: str,
    params: dict[str, Any],
    at: datetime | None,
) -> int:
    """Reverse up to ``due`` of what is still in the lot (pending or available)."""
    own = min(due, lot.remaining)
    if own:
        account = Account.PENDING if lot.status == LotStatus.PENDING else Account.AVAILABLE
        posting_id = books.post(
            balance,
            PostingKind.REVERSE,
            account,
            Account.REVERSED,
            own,
            reason_code,
            params,
            order_ref=lot.order_ref,
            effective_at=at,
        )
        books.move(lot, posting_id, Bucket.REMAINING, Bucket.REVERSED, own)
    return own


def _revoke_holds(
    books: Books, balance: Balance, lot: LotState, needed: int, params: dict[str, Any]
) -> list[tuple[LotState, int]]:
    """Release the open holds keeping points of ``lot``, oldest first, until ``needed`` of
    its points are back in ``remaining``; each hold is released whole (a checkout priced on
    all of its points cannot confirm part of them). Returns the lots whose points came back,
    with the release posting, for the caller to settle once it has taken what it needs."""
    uow = books.uow
    books.flush()
    freed: list[tuple[LotState, int]] = []
    for hold in repository.active_holds_on_lot(uow.session, lot.id):
        if needed <= 0:
            break
        held = _held_lots(uow, books, hold.id)
        hold.status = HoldStatus.RELEASED
        hold.settled_at = uow.now
        posting_id = books.post(
            balance,
            PostingKind.RELEASE,
            Account.HELD,
            Account.AVAILABLE,
            sum(points for _, points in held),
            "hold_revoked",
            {**params, "reference": hold.reference},
            hold_id=hold.id,
        )
        for held_lot, points in held:
            books.move(held_lot, posting_id, Bucket.HELD, Bucket.REMAINING, points, hold_id=hold.id)
            freed.append((held_lot, posting_id))
            if held_lot is lot:
                needed -= points
    return freed


# -- spending and holds -------------------------------------------------------------------
def _take_available(
    books: Books, balance: Balance, amount: int, now: datetime
) -> list[tuple[LotState, int]]:
    """Lots to take ``amount`` from, earliest expiry first.

    Lots whose expiry has passed are expired first, even if the worker has not got to them
    yet: points are never spent after their expiry.
    """
    if amount <= 0:
        raise PointsAmountInvalidError("amount must be a positive number of points")
    for lot in books.spendable(balance.member_id):
        if lot.expires_at is not None and lot.expires_at <= now:
            _expire_lot(books, balance, lot)
    if balance.available < amount:
        raise InsufficientPointsError(
            f"not enough points: {balance.available} available, {amount} requested",
            extra={"available": balance.available},
        )
    lots = books.spendable(balance.member_id)
    by_id = {lot.id: lot for lot in lots}
    return [(by_id[t.lot_id], t.amount) for t in policy.allocate(lots, amount)]


def spend_points(
    uow: UnitOfWork,
    member_id: int,
    amount: int,
    *,
    reason_code: str = "redeem",
    reason_params: dict[str, Any] | None = None,
) -> int:
    """Redeem points at once, earliest-expiring lots first; returns the posting id.

    Raises:
        ConflictError: fewer points available than asked (``insufficient_points``).
    """
    books = Books.of(uow)
    balance = books.balance(member_id)
    takes = _take_available(books, balance, amount, uow.now)
    posting_id = books.post(
        balance,
        PostingKind.SPEND,
        Account.AVAILABLE,
        Account.REDEEMED,
        amount,
        reason_code,
        reason_params or {},
    )
    for lot, take in takes:
        books.move(lot, posting_id, Bucket.REMAINING, Bucket.SPENT, take)
    balance.spent += amount
    uow.emit(PointsSpent(member_id, amount, reason_code, None, uow.now))
    return posting_id


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
    books = Books.of(uow)
    balance = books.balance(member_id)
    takes = _take_available(books, balance, amount, uow.now)
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
    posting_id = books.post(
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
        books.move(lot, posting_id, Bucket.REMAINING, Bucket.HELD, take, hold_id=hold.id)
    return hold


def get_hold(uow: UnitOfWork, hold_id: str) -> Hold:
    """Raises NotFoundError."""
    hold = repository.find_hold(uow.session, hold_id)
    if hold is None:
        raise HoldNotFoundError(f"hold {hold_id!r} does not exist")
    return hold


def _locked_hold(uow: UnitOfWork, hold_id: str) -> tuple[Hold, Books, Balance]:
    """The hold, read under its member's lock (taken first, as every ledger path does).

    Raises:
        NotFoundError: no such hold.
    """
    member_id = repository.hold_member(uow, hold_id)
    if member_id is None:
        raise HoldNotFoundError(f"hold {hold_id!r} does not exist")
    books = Books.of(uow)
    balance = books.balance(member_id)
    books.flush()
    locked = repository.find_hold(uow.session, hold_id)  # re-read under the member's lock
    assert locked is not None
    return locked, books, balance


def _held_lots(uow: UnitOfWork, books: Books, hold_id: str) -> list[tuple[LotState, int]]:
    """The lots a hold still keeps points in, earliest expiry first."""
    per_lot = repository.held_by_lot(uow, hold_id)
    lots = books.load_lots(per_lot)
    ordered = sorted(
        lots.values(),
        key=lambda lot: (lot.expires_at is None, lot.expires_at or policy.FAR_FUTURE, lot.id),
    )
    return [(lot, per_lot[lot.id]) for lot in ordered]


def confirm_hold(
    uow: UnitOfWork, hold_id: str, *, amount: int | None = None, program: ProgramPolicy
) -> Hold:
    """Spend held points (all, or ``amount`` of them with the rest released).

    Confirming a confirmed hold again with the same amount is a no-op.

    Raises:
        NotFoundError: no such hold.
        ConflictError: the hold was released or timed out, or confirmed with another amount.
        InvalidRequestError: ``amount`` outside 1..held.
    """
    hold, books, balance = _locked_hold(uow, hold_id)
    amount = hold.amount if amount is None else amount
    if hold.status == HoldStatus.CONFIRMED and hold.confirmed_amount == amount:
        return hold
    if hold.status != HoldStatus.ACTIVE:
        raise HoldNotActiveError(f"hold {hold_id} is {hold.status}, it cannot be confirmed")
    if hold.expires_at <= uow.now:
        # Timed out but not yet released by the worker: the points are no longer promised.
        raise HoldExpiredError(f"hold {hold_id} timed out at {hold.expires_at.isoformat()}")
    if not 0 < amount <= hold.amount:
        raise PointsAmountInvalidError(f"confirm between 1 and {hold.amount} points")
    held = _held_lots(uow, books, hold_id)
    posting_id = books.post(
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
    rest: list[tuple[LotState, int]] = []
    for lot, points in held:
        take = min(left, points)
        if take:
            books.move(lot, posting_id, Bucket.HELD, Bucket.SPENT, take, hold_id=hold_id)
            left -= take
        if points - take:
            rest.append((lot, points - take))
    balance.spent += amount
    uow.emit(PointsSpent(hold.member_id, amount, "hold_confirmed", hold_id, uow.now))
    hold.confirmed_amount = amount
    hold.status = HoldStatus.CONFIRMED
    hold.settled_at = uow.now
    if rest:
        _return_held(uow, books, balance, hold, rest, "hold_released")
    return hold


def release_hold(
    uow: UnitOfWork, hold_id: str, *, status: HoldStatus = HoldStatus.RELEASED
) -> Hold:
    """Give held points back; releasing a released hold again is a no-op.

    Raises:
        NotFoundError: no such hold.
        ConflictError: the hold was confirmed.
    """
    hold, books, balance = _locked_hold(uow, hold_id)
    if hold.status in (HoldStatus.RELEASED, HoldStatus.TIMED_OUT):
        return hold
    if hold.status == HoldStatus.CONFIRMED:
        raise HoldNotActiveError(f"hold {hold_id} was confirmed")
    held = _held_lots(uow, books, hold_id)
    hold.status = status
    hold.settled_at = uow.now
    code = "hold_timed_out" if status == HoldStatus.TIMED_OUT else "hold_released"
    _return_held(uow, books, balance, hold, held, code)
    return hold


def _return_held(
    uow: UnitOfWork,
    books: Books,
    balance: Balance,
    hold: Hold,
    held: list[tuple[LotState, int]],
    code: str,
) -> None:
    amount = sum(points for _, points in held)
    posting_id = books.post(
        balance,
        PostingKind.RELEASE,
        Account.HELD,
        Account.AVAILABLE,
        amount,
        code,
        {"reference": hold.reference},
        hold_id=hold.id,
    )
    for lot, points in held:
        books.move(lot, posting_id, Bucket.HELD, Bucket.REMAINING, points, hold_id=hold.id)
    for lot, _ in held:
        _settle(books, balance, lot, posting_id, uow.now)


# -- expiry -------------------------------------------------------------------------------
def _expire_lot(books: Books, balance: Balance, lot: LotState) -> int:
    amount = lot.remaining
    if amount <= 0:
        return 0
    posting_id = books.post(
        balance,
        PostingKind.EXPIRE,
        Account.AVAILABLE,
        Account.EXPIRED,
        amount,
        "expire",
        {"expired_on": lot.expires_at.isoformat() if lot.expires_at else None},
        order_ref=lot.order_ref,
        effective_at=lot.expires_at,
    )
    books.move(lot, posting_id, Bucket.REMAINING, Bucket.EXPIRED, amount)
    balance.expired += amount
    books.uow.emit(PointsExpired(balance.member_id, amount, books.uow.now))
    return amount


def expire_member(uow: UnitOfWork, member_id: int) -> int:
    """Expire the member's lots whose time has come; returns points expired."""
    books = Books.of(uow)
    balance = books.balance(member_id)
    books.flush()
    rows = repository.due_lot_rows(uow.session, member_id, "expire", uow.now)
    return sum(
        _expire_lot(books, balance, lot)
        for lot in books.adopt_rows(rows)
        if lot.status == LotStatus.AVAILABLE
        and lot.expires_at is not None
        and lot.expires_at <= uow.now
    )


def announce_expiring(uow: UnitOfWork, member_id: int, until: datetime) -> int:
    """Announce once each of the member's lots with points left that expires by ``until``
    (``PointsExpiring``); returns the lots announced."""
    books = Books.of(uow)
    books.balance(member_id)
    books.flush()
    rows = repository.due_lot_rows(uow.session, member_id, "notice", until, after=uow.now)
    announced = 0
    for lot in books.adopt_rows(rows):
        if lot.expiry_noticed_at is not None or lot.remaining <= 0 or lot.expires_at is None:
            continue
        lot.expiry_noticed_at = uow.now
        books.touch(lot)
        uow.emit(PointsExpiring(member_id, lot.remaining, lot.expires_at))
        announced += 1
    return announced


def time_out_member_holds(uow: UnitOfWork, member_id: int) -> int:
    Books.of(uow).balance(member_id)
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
) -> int:
    """A manual correction by staff: credit a new available lot, or debit available points.
    Returns the posting id.

    Raises:
        InvalidRequestError: zero amount or empty reason.
        ConflictError: a debit larger than the available balance.
    """
    if amount == 0 or not reason.strip():
        raise AdjustmentInvalidError("an adjustment needs a non-zero amount and a reason")
    books = Books.of(uow)
    balance = books.balance(member_id)
    params = {"note": reason.strip()}
    if amount > 0:
        posting_id = books.post(
            balance,
            PostingKind.ADJUST,
            Account.ADJUSTED,
            Account.AVAILABLE,
            amount,
            "adjust",
            params,
            issuer=issuer,
        )
        _credit_now(uow, books, balance, posting_id, amount, program)
    else:
        takes = _take_available(books, balance, -amount, uow.now)
        posting_id = books.post(
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
            books.move(lot, posting_id, Bucket.REMAINING, Bucket.REVERSED, take)
    balance.adjusted += amount
    books.changed(balance)
    uow.emit(PointsAdjusted(member_id, amount, issuer, uow.now))
    return posting_id


# -- retention ----------------------------------------------------------------------------
def retire_order_refs(uow: UnitOfWork, refs: dict[str, str]) -> int:
    """The accounting period of these orders ran out: their references in the ledger (the
    postings' and lots' ``order_ref``, the ``order_id`` the reasons name) become the
    opaque ones given (``old -> new``), so the entries stay grouped by order without the
    shop's order id. Amounts never change. Returns the postings renamed."""
    Books.of(uow).flush()
    return repository.rename_order_refs(uow.session, refs)


# -- what messages read -------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class ExpiringLot:
    """Available points of one lot that will expire: how many, when, and since when they
    were available (the fact's own time, for the freshness of a journey)."""

    member_id: int
    points: int
    expires_at: datetime
    available_at: datetime


def expiring_members(
    uow: UnitOfWork,
    bands: Sequence[tuple[datetime, datetime]],
    *,
    available_since: datetime,
    until: datetime,
) -> list[int]:
    """Members with available points in a lot expiring after now and by ``until``, and
    either inside one of ``bands`` (``(start, end]``) or available since
    ``available_since``."""
    return repository.expiring_members(
        uow.session, bands, uow.now, until, available_since=available_since
    )


def expiring_lots(uow: UnitOfWork, member_ids: Sequence[int], until: datetime) -> list[ExpiringLot]:
    """The members' available lots with points left expiring after now and by ``until``."""
    return [
        ExpiringLot(int(m), int(points), expires_at, available_at)
        for m, points, expires_at, available_at in repository.expiring_lots(
            uow.session, member_ids, uow.now, until
        )
    ]


@dataclass(frozen=True, slots=True)
class PeriodFlows:
    """A member's points over a period: the balance (available and held) at its start and
    end, and what came in (earned, matured, refunded, added by staff), was spent (redeemed)
    and expired in it. Reversals and staff debits are in the closing balance only."""

    opening: int
    earned: int
    spent: int
    expired: int
    closing: int


def period_flows(
    uow: UnitOfWork, member_ids: Sequence[int], start: datetime, end: datetime
) -> dict[int, PeriodFlows]:
    """Each member's :class:`PeriodFlows` over ``[start, end)``, by booking time (members
    without postings are left out)."""
    return {
        int(m): PeriodFlows(int(o), int(e), int(s), int(x), int(c))
        for m, o, e, s, x, c in repository.period_flows(uow.session, member_ids, start, end)
    }


def rule_points(
    uow: UnitOfWork, member_id: int, rule_key: str, start: datetime, end: datetime
) -> int:
    """Points rule ``rule_key`` granted the member for an occurrence in ``[start, end)``."""
    return repository.rule_points(uow.session, member_id, rule_key, start, end)


def points_by_rule_version(uow: UnitOfWork, version_ids: Sequence[int]) -> dict[int, int]:
    """Points rule versions awarded net of reversals (a campaign's cost), by version."""
    return repository.points_by_rule_version(uow.session, version_ids)
