"""The campaigns' SQL: campaigns and their history, the send plan, conversions, the
report's aggregates."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, and_, delete, func, or_, select, update
from sqlalchemy.orm import Session

from loyalist.campaigns.models import (
    Campaign,
    CampaignChange,
    CampaignConversion,
    CampaignSend,
    CampaignState,
    SendStatus,
)
from loyalist.db.bulk import insert_new_rows, update_rows

_SEND = cast(Table, CampaignSend.__table__)


# -- campaigns and their history (core) ---------------------------------------------------
def campaign_by_key(session: Session, key: str, *, lock: bool = False) -> Campaign | None:
    """The campaign with ``key``; with ``lock``, its row locked for the transaction."""
    query = select(Campaign).where(Campaign.key == key)
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    return session.scalar(query)


def campaigns(session: Session) -> Sequence[Campaign]:
    return session.scalars(select(Campaign).order_by(Campaign.key)).all()


def add_campaign(session: Session, campaign: Campaign) -> None:
    session.add(campaign)
    session.flush()


def delete_campaign(session: Session, campaign: Campaign) -> None:
    """The campaign, its history and its send plan (a draft has neither sends nor
    conversions; its history goes with it)."""
    session.execute(delete(CampaignSend).where(CampaignSend.campaign_id == campaign.id))
    session.execute(delete(CampaignChange).where(CampaignChange.campaign_id == campaign.id))
    session.delete(campaign)
    session.flush()


def add_change(session: Session, change: CampaignChange) -> None:
    session.add(change)
    session.flush()


def changes(session: Session, campaign_id: int) -> Sequence[CampaignChange]:
    """The campaign's history, oldest first."""
    return session.scalars(
        select(CampaignChange)
        .where(CampaignChange.campaign_id == campaign_id)
        .order_by(CampaignChange.revision)
    ).all()


def sends_by_status(session: Session, campaign_ids: Sequence[int]) -> dict[int, dict[str, int]]:
    """Per campaign, its send-plan rows by status (every step)."""
    wanted = sorted(set(campaign_ids))
    found: dict[int, dict[str, int]] = {cid: {} for cid in wanted}
    if not wanted:
        return found
    query = (
        select(CampaignSend.campaign_id, CampaignSend.status, func.count())
        .where(CampaignSend.campaign_id.in_(wanted))
        .group_by(CampaignSend.campaign_id, CampaignSend.status)
    )
    for campaign_id, status, count in session.execute(query):
        found[int(campaign_id)][str(status)] = int(count)
    return found


def drop_pending_sends(session: Session, campaign_id: int) -> int:
    """Forget the campaign's send plan that is still pending (its spec changed before the
    first send: the audience is written again)."""
    result = session.execute(
        delete(CampaignSend)
        .where(CampaignSend.campaign_id == campaign_id, CampaignSend.status == SendStatus.PENDING)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


def cancel_pending_sends(session: Session, campaign_id: int, at: datetime) -> int:
    """Mark the campaign's pending sends ``cancelled``; how many."""
    result = session.execute(
        update(CampaignSend)
        .where(CampaignSend.campaign_id == campaign_id, CampaignSend.status == SendStatus.PENDING)
        .values(status=SendStatus.CANCELLED, done_at=at, reason="campaign cancelled")
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


# -- broadcasts ---------------------------------------------------------------------------
_WORKING = (CampaignState.SCHEDULED.value, CampaignState.RUNNING.value)


def due_campaigns(session: Session, now: datetime, limit: int) -> list[str]:
    """Keys of campaigns with broadcast work due: scheduled or running ones whose
    ``next_due_at`` has come, and paused ones whose deadline has passed."""
    rows = session.scalars(
        select(Campaign.key)
        .where(
            or_(
                and_(Campaign.state.in_(_WORKING), Campaign.next_due_at <= now),
                and_(Campaign.state == CampaignState.PAUSED.value, Campaign.ends_at <= now),
            )
        )
        .order_by(Campaign.next_due_at, Campaign.id)
        .limit(limit)
    )
    return list(rows)


def insert_sends(session: Session, rows: Sequence[dict[str, Any]]) -> set[tuple[int, str]]:
    """Insert the send rows not written yet; returns the ``(member, step)`` inserted."""
    found = insert_new_rows(session, _SEND, rows, ("member_id", "step"))
    return {(int(member_id), str(step)) for member_id, step in found}


def due_sends(
    session: Session, campaign_id: int, now: datetime, limit: int
) -> list[tuple[str, int, str, datetime]]:
    """``(step, member, arm, due_at)`` of up to ``limit`` pending sends due by ``now``, the
    earliest first (in no particular order among those due at the same moment)."""
    rows = session.execute(
        select(CampaignSend.step, CampaignSend.member_id, CampaignSend.arm, CampaignSend.due_at)
        .where(
            CampaignSend.campaign_id == campaign_id,
            CampaignSend.status == SendStatus.PENDING.value,
            CampaignSend.due_at <= now,
        )
        # The index's order (campaign, status, due_at): no sort of every pending row.
        .order_by(CampaignSend.due_at)
        .limit(limit)
    )
    return [(str(s), int(m), str(a), d) for s, m, a, d in rows]


def settle_sends(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Set ``status``, ``done_at`` and ``reason`` of sends (keyed by campaign, step, member)."""
    update_rows(
        session, _SEND, ("campaign_id", "step", "member_id"), ("status", "done_at", "reason"), rows
    )


def next_pending(session: Session, campaign_id: int) -> datetime | None:
    """When the campaign's earliest pending send is due (None: none is pending)."""
    found: datetime | None = session.scalar(
        select(func.min(CampaignSend.due_at)).where(
            CampaignSend.campaign_id == campaign_id,
            CampaignSend.status == SendStatus.PENDING.value,
        )
    )
    return found


def count_step(session: Session, campaign_id: int, step: str) -> int:
    return int(
        session.scalar(
            select(func.count()).where(
                CampaignSend.campaign_id == campaign_id, CampaignSend.step == step
            )
        )
        or 0
    )


def stop_pending(session: Session, campaign_id: int, reason: str, at: datetime) -> int:
    """Every pending send of the campaign → ``skipped`` with ``reason``; returns how many."""
    done = session.execute(
        update(CampaignSend)
        .where(
            CampaignSend.campaign_id == campaign_id,
            CampaignSend.status == SendStatus.PENDING.value,
        )
        .values(status=SendStatus.SKIPPED.value, done_at=at, reason=reason)
        .execution_options(synchronize_session=False)
    )
    return int(done.rowcount or 0)  # type: ignore[attr-defined]


def converted(session: Session, campaign_id: int, member_ids: Iterable[int]) -> set[int]:
    """The members of ``member_ids`` with a conversion attributed to the campaign."""
    wanted = sorted(set(member_ids))
    found: set[int] = set()
    for start in range(0, len(wanted), 500):
        found.update(
            int(m)
            for m in session.scalars(
                select(CampaignConversion.member_id).where(
                    CampaignConversion.campaign_id == campaign_id,
                    CampaignConversion.member_id.in_(wanted[start : start + 500]),
                )
            )
        )
    return found
