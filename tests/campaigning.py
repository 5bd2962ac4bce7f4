"""Campaigns and their send plans as rows, for the tests of what is measured (the launch
that writes them for real is the campaigns' broadcast)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import Table

from loyalist.campaigns.models import (
    MAIN_STEP,
    Campaign,
    CampaignSend,
    CampaignState,
    SendStatus,
)
from loyalist.campaigns.schemas import CampaignSpec
from loyalist.db import bulk
from loyalist.db.uow import UnitOfWork

#: ``(member_id, arm, status, due_at)`` of one main send.
Send = tuple[int, str, SendStatus, datetime]


def spec(
    *variants: str, event: str = "order.paid", days: int = 7, control: int = 10
) -> CampaignSpec:
    """A campaign with inline content, ``variants`` (none: one ``default`` arm) and a goal."""
    return CampaignSpec.model_validate(
        {
            "name": {"en": "Sale", "ru": "Распродажа"},
            "subject": {"en": "Sale", "ru": "Распродажа"},
            "body": {"en": "Come in", "ru": "Заходите"},
            "variants": [{"key": v} for v in variants],
            "control_percent": Decimal(control),
            "goal": {"event": event, "days": days},
        }
    )


def add_campaign(
    uow: UnitOfWork,
    key: str,
    campaign_spec: CampaignSpec,
    *,
    launched_at: datetime,
    state: CampaignState = CampaignState.RUNNING,
    finished_at: datetime | None = None,
) -> int:
    """A launched campaign's row; returns its id."""
    row = Campaign(
        key=key,
        name=campaign_spec.name.model_dump(),
        state=state,
        spec=campaign_spec.model_dump(mode="json"),
        revision=1,
        created_at=launched_at,
        updated_at=finished_at or launched_at,
        updated_by="test",
        launched_at=launched_at,
        finished_at=finished_at,
    )
    uow.session.add(row)
    uow.session.flush()
    return row.id


def add_sends(uow: UnitOfWork, campaign_id: int, sends: Sequence[Send]) -> None:
    """Main sends as the broadcast records them (``done_at``: when queued or held out)."""
    rows: list[dict[str, Any]] = [
        {
            "campaign_id": campaign_id,
            "step": MAIN_STEP,
            "member_id": member_id,
            "arm": arm,
            "status": status.value,
            "due_at": due_at,
            "done_at": None if status == SendStatus.PENDING else due_at,
            "reason": None,
        }
        for member_id, arm, status, due_at in sends
    ]
    uow.session.flush()
    bulk.insert_rows(uow.session, cast(Table, CampaignSend.__table__), rows)
