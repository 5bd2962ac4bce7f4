"""Ledger queries: member locks in key order, lots, holds, history, liability."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, and_, case, func, or_, select, tuple_, update
from sqlalchemy.orm import Session

from loyalist.db.bulk import among, key_chunks, replace_values, update_rows
from loyalist.db.raw import Cursor, as_utc
from loyalist.ledger.models import (
    BALANCE_COLUMNS,
    SYSTEM_ACCOUNTS,
    Account,
    AdjustmentRequest,
    AdjustmentState,
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
from loyalist.members.models import Member


def find_hold(session: Session, hold_id: str) -> Hold | None:
    return session.scalar(
        select(Hold).where(Hold.id == hold_id).execution_options(populate_existing=True)
    )


def hold_member(cursor: Cursor, hold_id: str) -> int | None:
    """The member a hold belongs to (one fixed statement: the single-operation path reads
    this first, to lock the member before the hold)."""
    row = cursor.one("SELECT member_id FROM point_holds WHERE id = ?", (hold_id,))
    return None if row is None else int(row[0])


def held_by_lot(cursor: Cursor, hold_id: str) -> dict[int, int]:
    """Points a hold still keeps in each lot's ``held`` bucket."""
    rows = cursor.all(
        "SELECT lot_id, sum(CASE WHEN to_bucket = ? THEN amount ELSE 0 END)"
        " - sum(CASE WHEN from_bucket = ? THEN amount ELSE 0 END)"
        " FROM point_lot_moves WHERE hold_id = ? GROUP BY lot_id",
        (Bucket.HELD.value, Bucket.HELD.value, hold_id),
    )
    return {int(lot_id): int(amount) for lot_id, amount in rows if amount}


def active_holds_on_lot(session: Session, lot_id: int) -> Sequence[Hold]:
    """Open holds that keep points of a lot, oldest first."""
    holding = select(LotMove.hold_id).where(
        LotMove.lot_id == lot_id, LotMove.to_bucket == Bucket.HELD
    )
    return session.scalars(
        select(Hold)
        .where(Hold.status == HoldStatus.ACTIVE, Hold.id.in_(holding))
        .order_by(Hold.created_at, Hold.id)
        .execution_options(populate_existing=True)
    ).all()


def due_members(
    session: Session, what: str, now: datetime, limit: int, *, after: datetime | None = None
) -> list[int]:
    """Members with lots to mature or expire, or holds to time out, by ``now``; with
    ``notice``, lots expiring after ``after`` and by ``now`` not yet announced."""
    if what == "notice":
        query = select(Lot.member_id).where(
            Lot.status == LotStatus.AVAILABLE,
            Lot.expires_at <= now,
            Lot.expires_at > after,
            Lot.remaining > 0,
            Lot.expiry_noticed_at.is_(None),
        )
    elif what == "mature":
        query = select(Lot.member_id).where(
            Lot.status == LotStatus.PENDING, Lot.available_at <= now
        )
    elif what == "expire":
        query = select(Lot.member_id).where(
            Lot.status == LotStatus.AVAILABLE, Lot.expires_at <= now, Lot.remaining > 0
        )
    else:
        query = select(Hold.member_id).where(
            Hold.status == HoldStatus.ACTIVE, Hold.expires_at <= now
        )
    return sorted(set(session.scalars(query.limit(limit * 4))))[:limit]


def due_lot_rows(
    session: Session, member_id: int, what: str, now: datetime, *, after: datetime | None = None
) -> Any:
    """Rows (``Lot.__table__``) of the member's lots due to mature or expire by ``now``, or
    (``notice``) expiring after ``after`` and by ``now`` and not announced yet."""
    table = Lot.__table__
    if what == "notice":
        cond = (
            (table.c.status == LotStatus.AVAILABLE)
            & (table.c.expires_at <= now)
            & (table.c.expires_at > after)
            & (table.c.remaining > 0)
            & table.c.expiry_noticed_at.is_(None)
        )
    elif what == "mature":
        cond = (table.c.status == LotStatus.PENDING) & (table.c.available_at <= now)
    else:
        cond = (
            (table.c.status == LotStatus.AVAILABLE)
            & (table.c.expires_at <= now)
            & (table.c.remaining > 0)
        )
    return session.execute(
        select(table).where(table.c.member_id == member_id, cond).order_by(table.c.id)
    ).all()


def due_holds(session: Session, member_id: int, now: datetime) -> Sequence[Hold]:
    return session.scalars(
        select(Hold)
        .where(
            Hold.member_id == member_id, Hold.status == HoldStatus.ACTIVE, Hold.expires_at <= now
        )
        .order_by(Hold.id)
    ).all()


def history(
    session: Session, member_id: int, *, limit: int, before: tuple[datetime, int] | None
) -> Sequence[Posting]:
    """The member's postings, latest business time first."""
    query = select(Posting).where(Posting.member_id == member_id)
    if before is not None:
        query = query.where(tuple_(Posting.effective_at, Posting.id) < before)
    return session.scalars(
        query.order_by(Posting.effective_at.desc(), Posting.id.desc()).limit(limit)
    ).all()


def system_balances(session: Session) -> dict[str, int]:
    """Balance of every system account: one aggregate over the postings that touch them."""
    credit = select(Posting.credit_account.label("account"), func.sum(Posting.amount).label("s"))
    credit = credit.where(Posting.credit_account.in_(SYSTEM_ACCOUNTS)).group_by(
        Posting.credit_account
    )
    debit = select(Posting.debit_account.label("account"), (-func.sum(Posting.amount)).label("s"))
    debit = debit.where(Posting.debit_account.in_(SYSTEM_ACCOUNTS)).group_by(Posting.debit_account)
    balances = {account.value: 0 for account in SYSTEM_ACCOUNTS}
    for account, amount in session.execute(credit.union_all(debit)):
        balances[account] += int(amount)
    return balances


_BALANCE_SQL = (
    "SELECT available, pending, held, debt, earned, spent, expired, reversed, adjusted "
    "FROM member_points WHERE member_id = ?"
)
_EXPIRIES_SQL = (
    "SELECT expires_at, remaining FROM point_lots WHERE member_id = ? AND status = 'available' "
    "AND remaining > 0 AND expires_at IS NOT NULL ORDER BY expires_at LIMIT 64"
)

_OPEN_LOTS_SQL = (
    "SELECT status, remaining, available_at, expires_at, order_ref FROM point_lots "
    "WHERE member_id = ? AND status IN ('pending', 'available') AND remaining > 0 "
    "ORDER BY available_at, id LIMIT ?"
)


def open_lots(cursor: Cursor, member_id: int, limit: int) -> list[tuple[Any, ...]]:
    """``(status, remaining, available_at, expires_at, order_ref)`` of the member's pending
    and available lots with points left, by when they became (or become) available."""
    rows = cursor.all(_OPEN_LOTS_SQL, (member_id, limit))
    return [
        (status, int(remaining), as_utc(available_at), as_utc(expires_at), order_ref)
        for status, remaining, available_at, expires_at, order_ref in rows
    ]


def balance_values(cursor: Cursor, member_id: int) -> tuple[int, ...] | None:
    """The member's balance columns (``BALANCE_COLUMNS`` order), or None before any."""
    row = cursor.one(_BALANCE_SQL, (member_id,))
    return None if row is None else tuple(int(v) for v in row)


def upcoming_expiries(cursor: Cursor, member_id: int) -> list[tuple[datetime, int]]:
    """``(expires_at, remaining)`` of the member's available lots, soonest first (64)."""
    rows = cursor.all(_EXPIRIES_SQL, (member_id,))
    return [(at, int(amount)) for raw_at, amount in rows if (at := as_utc(raw_at))]


def balance_totals(session: Session) -> dict[str, int]:
    names = BALANCE_COLUMNS
    row = session.execute(
        select(*[func.coalesce(func.sum(getattr(MemberPoints, n)), 0) for n in names])
    ).one()
    return {name: int(value) for name, value in zip(names, row, strict=True)}


def members_with_available(session: Session, minimum: int) -> list[tuple[int, int]]:
    rows = session.execute(
        select(MemberPoints.member_id, MemberPoints.available)
        .where(MemberPoints.available >= minimum)
        .order_by(MemberPoints.member_id)
    )
    return [(int(m), int(a)) for m, a in rows]


def earned_by_order(session: Session, order_refs: Sequence[str]) -> dict[str, int]:
    """Points earned per order from the program's rules (tier bonuses left out)."""
    found: dict[str, int] = {}
    for start in range(0, len(order_refs), 500):
        rows = session.execute(
            select(Posting.order_ref, func.sum(Posting.amount))
            .where(
                Posting.order_ref.in_(list(order_refs[start : start + 500])),
                Posting.kind == PostingKind.EARN,
                Posting.reason_code != "earn_tier",
            )
            .group_by(Posting.order_ref)
        )
        found.update({ref: int(total) for ref, total in rows if ref is not None})
    return found


def order_postings(session: Session, order_ref: str) -> Sequence[Posting]:
    """The postings of an order, in the order they were written."""
    return session.scalars(
        select(Posting).where(Posting.order_ref == order_ref).order_by(Posting.id)
    ).all()


# -- verification: every posting, lot and balance, aggregated --------------------------------
_KIND_TOTALS = {
    "earned": case((Posting.kind == PostingKind.EARN, Posting.amount), else_=0),
    "spent": case(
        (Posting.kind.in_([PostingKind.SPEND, PostingKind.CONFIRM]), Posting.amount),
        (Posting.kind == PostingKind.REFUND, -Posting.amount),
        else_=0,
    ),
    # A return after expiry moves expired points on to ``reversed``.
    "expired": case(
        (Posting.credit_account == Account.EXPIRED, Posting.amount),
        (Posting.debit_account == Account.EXPIRED, -Posting.amount),
        else_=0,
    ),
    "reversed": case((Posting.kind == PostingKind.REVERSE, Posting.amount), else_=0),
    "adjusted": case(
        (
            (Posting.kind == PostingKind.ADJUST) & (Posting.credit_account == Account.AVAILABLE),
            Posting.amount,
        ),
        (Posting.kind == PostingKind.ADJUST, -Posting.amount),
        else_=0,
    ),
}


def posting_counts(session: Session) -> tuple[int, int]:
    """Postings, and those with a non-positive amount or one account on both sides."""
    total = session.scalar(select(func.count()).select_from(Posting)) or 0
    bad = session.scalar(
        select(func.count()).where(
            (Posting.amount <= 0) | (Posting.debit_account == Posting.credit_account)
        )
    )
    return int(total), int(bad or 0)


def account_sums(session: Session, account: Account, side: str) -> list[tuple[int, int]]:
    """``(member_id, sum)`` of the postings with ``account`` on ``side`` (credit or debit)."""
    column = Posting.credit_account if side == "credit" else Posting.debit_account
    rows = session.execute(
        select(Posting.member_id, func.sum(Posting.amount))
        .where(column == account)
        .group_by(Posting.member_id)
    )
    return [(int(member_id), int(amount)) for member_id, amount in rows]


def kind_totals(session: Session) -> list[tuple[int, dict[str, int]]]:
    """Per member, what the lifetime counters (earned, spent, expired, reversed, adjusted)
    should be according to the postings."""
    rows = session.execute(
        select(
            Posting.member_id, *[func.sum(expr).label(name) for name, expr in _KIND_TOTALS.items()]
        ).group_by(Posting.member_id)
    )
    names = list(_KIND_TOTALS)
    return [
        (int(row[0]), {name: int(v) for name, v in zip(names, row[1:], strict=True)})
        for row in rows
    ]


def lot_move_sums(session: Session) -> list[tuple[int, str, str, int]]:
    """``(lot_id, from_bucket, to_bucket, sum)`` over every lot move."""
    rows = session.execute(
        select(
            LotMove.lot_id, LotMove.from_bucket, LotMove.to_bucket, func.sum(LotMove.amount)
        ).group_by(LotMove.lot_id, LotMove.from_bucket, LotMove.to_bucket)
    )
    return [(int(lot), src, dst, int(amount)) for lot, src, dst, amount in rows]


def all_lots(session: Session) -> Iterator[Lot]:
    """Every lot by id, loaded in chunks."""
    yield from session.scalars(select(Lot).order_by(Lot.id)).yield_per(2000)


def active_holds_by_member(session: Session) -> dict[int, int]:
    rows = session.execute(
        select(Hold.member_id, func.sum(Hold.amount))
        .where(Hold.status == HoldStatus.ACTIVE)
        .group_by(Hold.member_id)
    )
    return {int(member_id): int(amount) for member_id, amount in rows}


def all_balances(session: Session) -> Iterator[MemberPoints]:
    """Every member's balance row by member, loaded in chunks."""
    yield from session.scalars(select(MemberPoints).order_by(MemberPoints.member_id)).yield_per(
        2000
    )


def balance_member_ids(session: Session) -> set[int]:
    return set(session.scalars(select(MemberPoints.member_id)))


# -- what messages read -------------------------------------------------------------------
def expiring_members(
    session: Session,
    bands: Sequence[tuple[datetime, datetime]],
    now: datetime,
    until: datetime,
    *,
    available_since: datetime,
) -> list[int]:
    """Members with an available lot with points left expiring in ``(now, until]`` and
    either in one of ``bands`` or available since ``available_since``."""
    # The outer range lets the ``(status, expires_at)`` index bound the scan.
    live = (
        (Lot.status == LotStatus.AVAILABLE)
        & (Lot.expires_at > now)
        & (Lot.expires_at <= until)
        & (Lot.remaining > 0)
    )
    in_bands = [(Lot.expires_at > lo) & (Lot.expires_at <= hi) for lo, hi in bands]
    fresh = Lot.available_at >= available_since
    query = select(Lot.member_id).where(live, or_(fresh, *in_bands)).distinct()
    return sorted(int(m) for m in session.scalars(query))


def expiring_lots(
    session: Session, member_ids: Sequence[int], now: datetime, until: datetime
) -> list[tuple[int, int, datetime, datetime]]:
    """``(member, points left, expires_at, available_at)`` of the members' available lots
    expiring in ``(now, until]``."""
    found: list[tuple[int, int, datetime, datetime]] = []
    for chunk in key_chunks(session, member_ids):
        rows = session.execute(
            select(Lot.member_id, Lot.remaining, Lot.expires_at, Lot.available_at).where(
                among(session, Lot.member_id, chunk),
                Lot.status == LotStatus.AVAILABLE,
                Lot.remaining > 0,
                Lot.expires_at > now,
                Lot.expires_at <= until,
            )
        )
        found.extend((int(m), int(r), e, a) for m, r, e, a in rows if e is not None)
    return found


def period_flows(
    session: Session, member_ids: Sequence[int], start: datetime, end: datetime
) -> list[tuple[int, int, int, int, int, int]]:
    """``(member, opening, earned, spent, expired, closing)`` over ``[start, end)`` by
    booking time, for the members' own points (available and held together)."""
    own = (Account.AVAILABLE.value, Account.HELD.value)
    into = Posting.credit_account.in_(own) & Posting.debit_account.not_in(own)
    out_of = Posting.debit_account.in_(own) & Posting.credit_account.not_in(own)
    signed = case((into, Posting.amount), (out_of, -Posting.amount), else_=0)
    before = Posting.created_at < start
    inside = (Posting.created_at >= start) & (Posting.created_at < end)

    def total(*cond: Any) -> Any:
        return func.coalesce(func.sum(case((and_(*cond), Posting.amount), else_=0)), 0)

    rows = session.execute(
        select(
            Posting.member_id,
            func.coalesce(func.sum(case((before, signed), else_=0)), 0),
            total(inside, into),
            total(inside, out_of, Posting.credit_account == Account.REDEEMED.value),
            total(inside, out_of, Posting.credit_account == Account.EXPIRED.value),
            func.coalesce(func.sum(case((Posting.created_at < end, signed), else_=0)), 0),
        )
        .where(Posting.member_id.in_(member_ids))
        .group_by(Posting.member_id)
    )
    return [tuple(int(v) for v in row) for row in rows]  # type: ignore[misc]


def rule_points(
    session: Session, member_id: int, rule_key: str, start: datetime, end: datetime
) -> int:
    """Points a rule's awards credited the member for occurrences in ``[start, end)``."""
    found = session.scalar(
        select(func.coalesce(func.sum(Posting.amount), 0)).where(
            Posting.member_id == member_id,
            Posting.kind == PostingKind.EARN,
            Posting.reason_code == "earn_rule",
            Posting.reason_params["rule"].as_string() == rule_key,
            Posting.effective_at >= start,
            Posting.effective_at < end,
        )
    )
    return int(found or 0)


# -- erasure and retention ---------------------------------------------------------------
def active_hold_ids(session: Session, member_ids: Sequence[int]) -> list[str]:
    """The open holds of these members, oldest first."""
    found: list[str] = []
    for start in range(0, len(member_ids), 500):
        found.extend(
            session.scalars(
                select(Hold.id)
                .where(
                    Hold.member_id.in_(member_ids[start : start + 500]),
                    Hold.status == HoldStatus.ACTIVE,
                )
                .order_by(Hold.created_at, Hold.id)
            )
        )
    return found


def unspent_lot_rows(session: Session, member_ids: Sequence[int]) -> list[Any]:
    """The lots of these members with points left in them (pending or available)."""
    found: list[Any] = []
    for start in range(0, len(member_ids), 500):
        found.extend(
            session.execute(
                select(Lot.__table__).where(
                    Lot.member_id.in_(member_ids[start : start + 500]),
                    Lot.status.in_([LotStatus.PENDING, LotStatus.AVAILABLE]),
                    Lot.remaining > 0,
                )
            )
        )
    return found


def rename_order_refs(session: Session, refs: dict[str, str]) -> int:
    """Replace order references (``old -> new``) in postings (``order_ref`` and the
    ``order_id`` their reasons name) and lots; returns the postings changed."""
    old = sorted(refs)
    changed = 0
    for start in range(0, len(old), 500):
        rows = [
            {
                "id": posting_id,
                "order_ref": refs[ref],
                "reason_params": {
                    k: refs[ref] if k == "order_id" and v == ref else v for k, v in params.items()
                },
            }
            for posting_id, ref, params in session.execute(
                select(Posting.id, Posting.order_ref, Posting.reason_params).where(
                    Posting.order_ref.in_(old[start : start + 500])
                )
            )
        ]
        update_rows(session, _POSTINGS, ["id"], ["order_ref", "reason_params"], rows)
        changed += len(rows)
    replace_values(session, _LOTS, "order_ref", refs)
    return changed


_POSTINGS = cast(Table, Posting.__table__)
_LOTS = cast(Table, Lot.__table__)


def find_adjustment_request(session: Session, request_id: int) -> AdjustmentRequest | None:
    return session.get(AdjustmentRequest, request_id)


def adjustment_requests(
    session: Session, state: AdjustmentState | None, limit: int
) -> Sequence[AdjustmentRequest]:
    query = select(AdjustmentRequest).order_by(AdjustmentRequest.id).limit(limit)
    if state is not None:
        query = query.where(AdjustmentRequest.state == state)
    return session.scalars(query).all()


def decide_adjustment_request(
    session: Session,
    request_id: int,
    state: AdjustmentState,
    decided_by: str,
    at: datetime,
    reason: str | None,
    posting_id: int | None,
) -> bool:
    """Move a pending request to ``state`` if it is still pending (a conditional update:
    of concurrent deciders exactly one gets True; the others' units roll back)."""
    result = session.execute(
        update(AdjustmentRequest)
        .where(
            AdjustmentRequest.id == request_id,
            AdjustmentRequest.state == AdjustmentState.PENDING,
        )
        .values(
            state=state,
            decided_by=decided_by,
            decided_at=at,
            decision_reason=reason,
            posting_id=posting_id,
        )
        .returning(AdjustmentRequest.id)
    )
    return result.first() is not None


def add_adjustment_request(session: Session, request: AdjustmentRequest) -> None:
    session.add(request)
    session.flush()


def points_by_rule_version(session: Session, version_ids: Sequence[int]) -> dict[int, int]:
    """Points the lots of these rule versions were awarded, less what reversals took back
    (returns, cancellations), by rule version."""
    if not version_ids:
        return {}
    rows = session.execute(
        select(Lot.rule_version_id, func.sum(Lot.amount - Lot.reversed))
        .where(Lot.rule_version_id.in_(sorted(version_ids)))
        .group_by(Lot.rule_version_id)
    )
    return {int(v or 0): int(points or 0) for v, points in rows}


# -- exports ---------------------------------------------------------------------------------
def export_postings(
    session: Session, start: datetime | None, end: datetime | None, *, after: int, limit: int
) -> list[tuple[Any, ...]]:
    """Up to ``limit`` postings above id ``after`` effective in ``[start, end)``, by id:
    ``(id, member external id, kind, debit account, credit account, amount, reason code,
    order ref, issuer, effective_at, created_at)``."""
    query = (
        select(
            Posting.id,
            Member.external_id,
            Posting.kind,
            Posting.debit_account,
            Posting.credit_account,
            Posting.amount,
            Posting.reason_code,
            Posting.order_ref,
            Posting.issuer,
            Posting.effective_at,
            Posting.created_at,
        )
        .join(Member, Member.id == Posting.member_id)
        .where(Posting.id > after)
    )
    if start is not None:
        query = query.where(Posting.effective_at >= start)
    if end is not None:
        query = query.where(Posting.effective_at < end)
    return [tuple(r) for r in session.execute(query.order_by(Posting.id).limit(limit))]


def balances_before(
    session: Session, end: datetime, *, after: int, limit: int
) -> list[tuple[Any, ...]]:
    """``(member id, external id, available, pending, held)`` of up to ``limit`` members
    above id ``after`` with a posting effective before ``end``: each account's credits less
    its debits over those postings, by member id."""
    members = (
        select(Member.id, Member.external_id)
        .where(Member.id > after)
        .order_by(Member.id)
        .limit(limit)
        .subquery()
    )

    def net(account: Account) -> Any:
        return func.sum(
            case((Posting.credit_account == account, Posting.amount), else_=0)
            - case((Posting.debit_account == account, Posting.amount), else_=0)
        )

    rows = session.execute(
        select(
            members.c.id,
            members.c.external_id,
            net(Account.AVAILABLE),
            net(Account.PENDING),
            net(Account.HELD),
        )
        .join(Posting, Posting.member_id == members.c.id)
        .where(Posting.effective_at < end)
        .group_by(members.c.id, members.c.external_id)
        .order_by(members.c.id)
    )
    return [tuple(r) for r in rows]


def last_member_id(session: Session, *, after: int, limit: int) -> int | None:
    """The id of the ``limit``-th member above ``after`` (the last one when fewer)."""
    ids = select(Member.id).where(Member.id > after).order_by(Member.id).limit(limit).subquery()
    found = session.scalar(select(func.max(ids.c.id)))
    return None if found is None else int(found)
