"""Retention: members inactive beyond the program's period are erased (as on request, with
the ground ``retention_expired``), and orders past the accounting period lose their shop
ids and line details. Each call does one short chunk of a scan that walks the table in key
order at most once a day (``policy.scan_due``)."""

from __future__ import annotations

from datetime import timedelta
from typing import Final

from loyalist.activities import service as activities
from loyalist.audit.models import SYSTEM
from loyalist.checkout import service as checkout
from loyalist.coupons import service as coupons
from loyalist.db.uow import UnitOfWork
from loyalist.ledger import service as ledger
from loyalist.privacy import policy, repository, service
from loyalist.privacy.models import DestructionKind, LegalBasis, RetentionKind, RetentionScan
from loyalist.referrals import service as referrals
from loyalist.settings import ProgramPolicy
from loyalist.tiers import service as tiers

#: Members erased in one unit at most (an erasure writes to a dozen tables).
ERASE_CHUNK: Final = 50


def erase_inactive(uow: UnitOfWork, program: ProgramPolicy, *, limit: int) -> tuple[int, int]:
    """Visit up to ``limit`` members of the day's scan and erase the inactive ones among
    them (at most ``ERASE_CHUNK``); returns ``(visited, erased)``, ``(0, 0)`` when the
    setting is off or the day's scan is done."""
    days = program.privacy.inactive_after_days
    scan = None if days is None else _due_scan(uow, RetentionKind.MEMBERS)
    if days is None or scan is None:
        return 0, 0
    visited = repository.member_ids_after(uow.session, scan.after_id, limit)
    inactive = repository.inactive_among(uow.session, visited, uow.now - timedelta(days=days))
    finished = len(visited) < limit
    if len(inactive) > ERASE_CHUNK:
        inactive = inactive[:ERASE_CHUNK]
        visited = [m for m in visited if m <= inactive[-1]]
        finished = False
    if inactive:
        service.erase_members(
            uow,
            inactive,
            kind=DestructionKind.RETENTION,
            legal_basis=LegalBasis.RETENTION_EXPIRED,
            actor=SYSTEM,
        )
    _advance(uow, scan, visited, finished)
    return len(visited), len(inactive)


def retire_orders(uow: UnitOfWork, program: ProgramPolicy, *, limit: int) -> int:
    """Visit up to ``limit`` orders of the day's scan and retire those past the accounting
    period: the shop's order id becomes opaque in every domain that keeps it; returns the
    orders visited (0 when the setting is off or the day's scan is done)."""
    days = program.privacy.order_references_days
    scan = None if days is None else _due_scan(uow, RetentionKind.ORDERS)
    if days is None or scan is None:
        return 0
    visited = repository.order_ids_after(uow.session, scan.after_id, limit)
    due = repository.orders_past(uow.session, visited, uow.now - timedelta(days=days))
    refs = activities.retire_orders(uow, due)
    if refs:
        ledger.retire_order_refs(uow, refs)
        tiers.retire_order_refs(uow, refs)
        coupons.retire_order_refs(uow, refs)
        checkout.retire_order_refs(uow, refs)
        referrals.retire_order_refs(uow, refs)
    _advance(uow, scan, visited, len(visited) < limit)
    return len(visited)


def _due_scan(uow: UnitOfWork, kind: RetentionKind) -> RetentionScan | None:
    """The scan of ``kind`` (locked), started again if a day has passed since the last
    one began; None while the day's scan is done."""
    scan = repository.locked_scan(uow.session, kind)
    if scan is None:
        scan = RetentionScan(kind=kind, after_id=0, started_at=uow.now, finished_at=None)
        repository.add_scan(uow.session, scan)
        return scan
    if not policy.scan_due(scan.started_at, scan.finished_at, uow.now):
        return None
    if scan.finished_at is not None:
        scan.after_id, scan.started_at, scan.finished_at = 0, uow.now, None
    return scan


def _advance(uow: UnitOfWork, scan: RetentionScan, visited: list[int], finished: bool) -> None:
    if visited:
        scan.after_id = visited[-1]
    if finished:
        scan.finished_at = uow.now
    uow.session.flush()
