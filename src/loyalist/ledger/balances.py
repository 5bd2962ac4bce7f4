"""Reading the ledger: a member's balances and history, and the program's liability."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from loyalist.db.uow import UnitOfWork
from loyalist.ledger import reasons, repository
from loyalist.ledger.models import SYSTEM_ACCOUNTS, Account, MemberPoints, Posting, PostingKind

_MEMBER_FIELD = {Account.AVAILABLE: "available", Account.PENDING: "pending", Account.HELD: "held"}


def points_summary(uow: UnitOfWork, member_id: int) -> dict[str, Any]:
    """Available, pending, held, debt, lifetime figures and the next expiry."""
    balance = repository.find_balance(uow.session, member_id) or MemberPoints(
        member_id=member_id,
        available=0,
        pending=0,
        held=0,
        debt=0,
        earned=0,
        spent=0,
        expired=0,
        reversed=0,
        adjusted=0,
    )
    nxt = repository.next_expiry(uow.session, member_id)
    return {
        "available": balance.available,
        "pending": balance.pending,
        "on_hold": balance.held,
        "debt": balance.debt,
        "lifetime_earned": balance.earned + max(balance.adjusted, 0) - balance.reversed,
        "spent": balance.spent,
        "expired": balance.expired,
        "reversed": balance.reversed,
        "next_expiry": None if nxt is None else {"at": nxt[0], "points": nxt[1]},
    }


def member_effect(posting: Posting) -> dict[str, int]:
    """How a posting changed each of the member's accounts."""
    delta = {"available": 0, "pending": 0, "held": 0}
    if posting.debit_account in _MEMBER_FIELD:
        delta[_MEMBER_FIELD[Account(posting.debit_account)]] -= posting.amount
    if posting.credit_account in _MEMBER_FIELD:
        delta[_MEMBER_FIELD[Account(posting.credit_account)]] += posting.amount
    return delta


def display_amount(posting: Posting) -> int:
    """The signed figure a member sees: what the posting did to their points."""
    if posting.kind in (PostingKind.MATURE, PostingKind.CONFIRM):
        return posting.amount
    if posting.kind == PostingKind.HOLD:
        return -posting.amount
    if posting.kind == PostingKind.RELEASE:
        return posting.amount
    delta = member_effect(posting)
    return delta["available"] + delta["pending"] + delta["held"]


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
                "text": reasons.render(posting.reason_code, posting.reason_params, shown, locale),
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
