"""STAND-IN (camp-send only): H1 (camp-core) writes the campaigns' use cases; take theirs
when merging. Only what the broadcast calls, with H1's signatures (CONTRACTS.md)."""

from __future__ import annotations

from loyalist.campaigns import repository
from loyalist.campaigns.errors import MarketingCampaignNotFoundError
from loyalist.campaigns.models import Campaign, CampaignChange, CampaignState, ChangeAction
from loyalist.campaigns.schemas import CampaignRead, CampaignSpec, LocaleText
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


def read(uow: UnitOfWork, campaign: Campaign) -> CampaignRead:
    return CampaignRead(
        key=campaign.key,
        name=LocaleText.model_validate(campaign.name),
        state=campaign.state,
        revision=campaign.revision,
        spec=spec_of(campaign),
        created_at=campaign.created_at,
        updated_at=campaign.updated_at,
        updated_by=campaign.updated_by,
        launched_at=campaign.launched_at,
        finished_at=campaign.finished_at,
        audience_size=campaign.audience_size,
        progress=repository.send_counts(uow.session, campaign.id),
        winner=campaign.winner,
    )
