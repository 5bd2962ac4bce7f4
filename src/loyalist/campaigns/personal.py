"""STAND-IN (camp-send only): H3 (camp-offers) writes the personalised campaign context;
take theirs when merging. This one has the member block and the campaign block only."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from loyalist.campaigns.models import Campaign
from loyalist.campaigns.schemas import CampaignSpec
from loyalist.db.uow import UnitOfWork
from loyalist.members import service as members
from loyalist.settings import ProgramPolicy


def contexts(
    uow: UnitOfWork,
    campaign: Campaign,
    spec: CampaignSpec,
    members_arms: Sequence[tuple[int, str]],
    program: ProgramPolicy,
    *,
    step: str,
) -> dict[int, dict[str, Any]]:
    del program
    found = members.contacts(uow, [m for m, _ in members_arms])
    return {
        member_id: {
            "member": {"first_name": contact.first_name or "", "points_balance": 0, "tier": None},
            "campaign": {"name": spec.name.en, "ends_at": campaign.ends_at, "step": step},
        }
        for member_id, contact in found.items()
    }
