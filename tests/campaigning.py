"""Helpers for campaign tests: many members at once, a campaign row as the core's
``put_campaign`` would store it (a draft), its sends and its messages."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select

from loyalist.bootstrap import Loyalist
from loyalist.campaigns.models import Campaign, CampaignSend, CampaignState
from loyalist.campaigns.schemas import CampaignSpec
from loyalist.db.uow import UnitOfWork
from loyalist.members import service as members
from loyalist.members.models import Channel
from loyalist.members.schemas import MemberProfile
from loyalist.messages.models import Message

SPEC: dict[str, Any] = {
    "name": {"en": "Winter sale", "ru": "Зимняя распродажа"},
    "subject": {"en": "Hello {{ member.first_name }}", "ru": "Привет"},
    "body": {"en": "Our winter sale is on.", "ru": "Распродажа началась."},
    "control_percent": 0,
}


def enrol_many(
    app: Loyalist,
    count: int,
    *,
    prefix: str = "m",
    zones: Sequence[str | None] = (None,),
    consent: bool = True,
    attributes: dict[str, Any] | None = None,
) -> list[int]:
    """``count`` members with an email address (and email consent unless told), their time
    zones taken in turn from ``zones``; their ids, ascending."""
    changes = [
        members.ProfileChange(
            f"{prefix}{i}",
            MemberProfile(
                email=f"{prefix}{i}@example.com",
                timezone=zones[i % len(zones)],
                consents={Channel.EMAIL: consent},
                attributes=attributes,
            ),
            source="test",
        )
        for i in range(count)
    ]
    ids: list[int] = []
    for start in range(0, count, 1000):
        part = changes[start : start + 1000]

        def op(uow: UnitOfWork, part: list[members.ProfileChange] = part) -> dict[str, int]:
            return members.upsert_members(uow, part)

        ids.extend(app.db.write(op).values())
    return sorted(ids)


def put_campaign(app: Loyalist, key: str, **fields: Any) -> CampaignSpec:
    """A draft campaign ``key`` (``SPEC`` with ``fields``), stored as the core stores it."""
    spec = CampaignSpec.model_validate({**SPEC, **fields})

    def op(uow: UnitOfWork) -> None:
        uow.session.add(
            Campaign(
                key=key,
                name=spec.name.model_dump(),
                state=CampaignState.DRAFT,
                spec=spec.model_dump(mode="json"),
                revision=1,
                created_at=uow.now,
                updated_at=uow.now,
                updated_by="test",
            )
        )

    app.db.write(op)
    return spec


def campaign(app: Loyalist, key: str) -> Campaign:
    def op(uow: UnitOfWork) -> Campaign:
        found = uow.session.scalars(select(Campaign).where(Campaign.key == key)).one()
        uow.session.expunge(found)
        return found

    return app.db.read(op)


def sends(app: Loyalist, key: str, step: str | None = None) -> list[CampaignSend]:
    """The campaign's send rows (of ``step``), by member."""

    def op(uow: UnitOfWork) -> list[CampaignSend]:
        query = (
            select(CampaignSend)
            .join(Campaign, Campaign.id == CampaignSend.campaign_id)
            .where(Campaign.key == key)
            .order_by(CampaignSend.member_id, CampaignSend.step)
        )
        if step is not None:
            query = query.where(CampaignSend.step == step)
        found = list(uow.session.scalars(query))
        uow.session.expunge_all()
        return found

    return app.db.read(op)


def messages_per_member(app: Loyalist, key: str, step: str = "main") -> Counter[int]:
    """How many campaign messages of ``step`` each member has."""

    def op(uow: UnitOfWork) -> Counter[int]:
        rows = uow.session.scalars(
            select(Message.member_id).where(
                Message.journey == "campaign", Message.natural_key == f"{key}:{step}"
            )
        )
        return Counter(int(m) for m in rows)

    return app.db.read(op)


def set_state(app: Loyalist, key: str, state: CampaignState) -> None:
    """Move the campaign to ``state`` as the core's pause/resume/cancel do (camp-core's
    ``service.pause|resume|cancel``; this branch has only the broadcast)."""

    def op(uow: UnitOfWork) -> None:
        found = uow.session.scalars(
            select(Campaign).where(Campaign.key == key).with_for_update()
        ).one()
        found.state = state

    app.db.write(op)
