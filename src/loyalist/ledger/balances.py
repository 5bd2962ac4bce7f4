"""Reading the ledger: a member's balances and history, and the program's liability."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from loyalist.db.raw import Cursor
from loyalist.db.uow import UnitOfWork
from loyalist.ledger import policy, reasons, repository
from loyalist.ledger.models import (
    BALANCE_COLUMNS,
    SYSTEM_ACCOUNTS,
    Account,
    LotStatus,
    Posting,
)
from loyalist.settings import ProgramPolicy

_DEFAULT_PROGRAM = ProgramPolicy()

_MEMBER_FIELD = {Account.AVAILABLE: "available", Account.PENDING: "pending", Account.HELD: "held"}


def points_summary(
    cursor: Cursor, member_id: int, program: ProgramPolicy | None = None
) -> dict[str, Any]:
    """Available, pending, held, debt, lifetime figures and the next expiry (in a unit of
    work or on the raw read path of the balance route)."""
    values = repository.balance_values(cursor, member_id)
    return summarize(values, repository.upcoming_expiries(cursor, member_id), program)


def summarize(
    values: tuple[int, ...] | None,
    upcoming: list[tuple[datetime, int]],
    program: ProgramPolicy | None,
) -> dict[str, Any]:
    """The summary from balance columns (``BALANCE_COLUMNS`` order) and upcoming expiries.

    The next expiry is the soonest expiry instant and the points expiring on that calendar
    day in the program's time zone.
    """
    v = dict(zip(BALANCE_COLUMNS, values or (0,) * len(BALANCE_COLUMNS), strict=True))
    zone = (program or _DEFAULT_PROGRAM).zone
    next_expiry = None
    if upcoming:
        first_day = upcoming[0][0].astimezone(zone).date()
        next_expiry = {
            "at": upcoming[0][0],
            "on": first_day.isoformat(),
            "points": sum(p for at, p in upcoming if at.astimezone(zone).date() == first_day),
        }
    return {
        "available": v["available"],
        "pending": v["pending"],
        "on_hold": v["held"],
        "debt": v["debt"],
        "lifetime_earned": policy.lifetime_earned(v["earned"], v["adjusted"], v["reversed"]),
        "spent": v["spent"],
        "expired": v["expired"],
        "reversed": v["reversed"],
        "next_expiry": next_expiry,
    }


@dataclass(frozen=True, slots=True)
class OpenLot:
    """Points a member holds from one award: ``points`` still in it, when they become
    available (pending) or became so, when they expire (None: never), and the order they
    were earned with (None: not an order's)."""

    is_pending: bool
    points: int
    available_at: datetime
    expires_at: datetime | None
    order_ref: str | None


def open_lots(cursor: Cursor, member_id: int, *, limit: int = 100) -> list[OpenLot]:
    """The member's pending and available lots with points left (at most ``limit``), by
    when they become available: what a member sees as "pending until …" and "expiring
    on …" (one query, in a unit of work or on the raw read path)."""
    return [
        OpenLot(status == LotStatus.PENDING, remaining, available_at, expires_at, order_ref)
        for status, remaining, available_at, expires_at, order_ref in repository.open_lots(
            cursor, member_id, limit
        )
    ]


def member_effect(posting: Posting) -> dict[str, int]:
    """How a posting changed each of the member's accounts."""
    delta = {"available": 0, "pending": 0, "held": 0}
    if posting.debit_account in _MEMBER_FIELD:
        delta[_MEMBER_FIELD[Account(posting.debit_account)]] -= posting.amount
    if posting.credit_account in _MEMBER_FIELD:
        delta[_MEMBER_FIELD[Account(posting.credit_account)]] += posting.amount
    return delta


def display_amount(posting: Posting) -> int:
    """The signed figure a member sees: the change in their points (available + pending).

    Holds show as −n and releases as +n; maturing and confirming a hold move points the
    member already counted, so they show 0. A member summing the history gets the balance.
    """
    delta = member_effect(posting)
    return delta["available"] + delta["pending"]


def posting_text(posting: Posting, locale: str | None) -> str:
    """Why the posting moved points, in the member's language, led by the signed change the
    member sees (``+100``, ``−70``; maturing or using a hold: the points moved)."""
    return reasons.render(
        posting.reason_code,
        posting.reason_params,
        display_amount(posting),
        locale,
        count=posting.amount,
    )


def history(
    uow: UnitOfWork,
    member_id: int,
    locale: str | None,
    *,
    limit: int = 50,
    before: tuple[datetime, int] | None = None,
) -> list[dict[str, Any]]:
    entries = []
    for posting in repository.history(uow.session, member_id, limit=limit, before=before):
        shown = display_amount(posting)
        entries.append(
            {
                "id": posting.id,
                "at": posting.effective_at,
                "recorded_at": posting.created_at,
                "kind": posting.kind,
                "points": shown,
                "change": member_effect(posting),
                "reason": {"code": posting.reason_code, "params": posting.reason_params},
                "text": posting_text(posting, locale),
                "hold_id": posting.hold_id,
                "issuer": posting.issuer,
                "rule_version_id": posting.rule_version_id,
            }
        )
    return entries


def liability(uow: UnitOfWork) -> dict[str, Any]:
    """Outstanding points = minus the sum of the system accounts (one aggregate query)."""
    balances = repository.system_balances(uow.session)
    return {
        "outstanding_points": -sum(balances[a.value] for a in SYSTEM_ACCOUNTS),
        "system_accounts": balances,
        "as_of": uow.now,
    }


def program_totals(uow: UnitOfWork) -> dict[str, int]:
    """Sums of every member's balance columns (available, pending, earned, spent …)."""
    return repository.balance_totals(uow.session)


def members_with_points(uow: UnitOfWork, *, minimum: int) -> list[tuple[int, int]]:
    """``(member_id, available)`` of members with at least ``minimum`` available, by id."""
    return repository.members_with_available(uow.session, minimum)


def earned_by_order(uow: UnitOfWork, order_refs: Sequence[str]) -> dict[str, int]:
    """Points earned per order from the program's rules (tier bonuses left out)."""
    return repository.earned_by_order(uow.session, order_refs)


def order_postings(uow: UnitOfWork, order_ref: str) -> Sequence[Posting]:
    """Every posting of an order, in the order they were written."""
    return repository.order_postings(uow.session, order_ref)


def available_points(cursor: Cursor, member_id: int) -> int:
    """The member's spendable points as stored (a quote's upper bound; a hold re-checks)."""
    values = repository.balance_values(cursor, member_id)
    return 0 if values is None else values[BALANCE_COLUMNS.index("available")]
