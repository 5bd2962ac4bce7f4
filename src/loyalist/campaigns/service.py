"""STAND-IN (camp-send only): H1 (camp-core) writes the campaigns' use cases; take theirs
when merging. Only what the broadcast calls, with H1's signatures (CONTRACTS.md)."""

from __future__ import annotations

from loyalist.campaigns import repository
from loyalist.campaigns.errors import MarketingCampaignNotFoundError
from loyalist.campaigns.models import Campaign, CampaignChange, CampaignState, ChangeAction
from loyalist.campaigns.schemas import CampaignSpec
from loyalist.db.uow import UnitOfWork


def get(uow: UnitOfWork, key: str) -> Campaign:
    found = repository.campaign_by_key(uow.session, key)
    if found is None:
        raise MarketingCampaignNotFoundError(f"no campaign has the key {key!r}")
    return found


def lock(uow: UnitOfWork, key: str) -> Campaign:
    found = repository.campaign_by_key(uow.session, key, lock=True)
    if found is None:
        raise MarketingCampaignNotFoundError(f"no campaign has the key {key!r}")
    return found


def spec_of(campaign: Campaign) -> CampaignSpec:
    return CampaignSpec.model_validate(campaign.spec)


def record_change(
    uow: UnitOfWork,
    campaign: Campaign,
    action: ChangeAction,
    actor: str,
    *,
    state: CampaignState | None = None,
    detail: str | None = None,
) -> None:
    campaign.revision += 1
    if state is not None:
        campaign.state = state
    campaign.updated_at = uow.now
    campaign.updated_by = actor
    repository.add_change(
        uow.session,
        CampaignChange(
            campaign_id=campaign.id,
            revision=campaign.revision,
            action=action,
            state=campaign.state,
            spec=None,
            detail=detail,
            actor=actor,
            at=uow.now,
        ),
    )


def pause(uow: UnitOfWork, key: str, actor: str) -> Campaign:
    campaign = lock(uow, key)
    if campaign.state in (CampaignState.SCHEDULED, CampaignState.RUNNING):
        record_change(uow, campaign, ChangeAction.PAUSED, actor, state=CampaignState.PAUSED)
    return campaign


def resume(uow: UnitOfWork, key: str, actor: str) -> Campaign:
    campaign = lock(uow, key)
    if campaign.state == CampaignState.PAUSED:
        record_change(uow, campaign, ChangeAction.RESUMED, actor, state=CampaignState.RUNNING)
    return campaign
