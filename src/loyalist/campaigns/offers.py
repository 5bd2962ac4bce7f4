"""STAND-IN (camp-send only): H3 (camp-offers) writes a campaign's offers (rules, personal
codes, member offers, gifts); take theirs when merging. These grant nothing."""

from __future__ import annotations

from collections.abc import Sequence

from loyalist.campaigns.models import Campaign
from loyalist.campaigns.schemas import CampaignSpec
from loyalist.db.uow import UnitOfWork


def prepare(uow: UnitOfWork, campaign: Campaign, spec: CampaignSpec) -> None:
    del uow, campaign, spec


def grant(
    uow: UnitOfWork, campaign: Campaign, spec: CampaignSpec, members: Sequence[tuple[int, str]]
) -> None:
    del uow, campaign, spec, members


def retire(uow: UnitOfWork, campaign: Campaign) -> None:
    del uow, campaign
