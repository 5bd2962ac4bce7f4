"""The campaigns' SQL: campaigns and their history, the send plan, conversions, the
report's aggregates."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from loyalist.campaigns.models import Campaign, CampaignChange, CampaignSend, SendStatus


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
