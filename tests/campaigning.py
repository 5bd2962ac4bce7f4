"""Helpers for campaign tests: many members at once, a draft campaign, a coupon campaign
for its offer, its sends, its messages and its codes."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select

from loyalist.audit.models import SYSTEM
from loyalist.bootstrap import Loyalist
from loyalist.campaigns import service
from loyalist.campaigns.models import Campaign, CampaignSend
from loyalist.campaigns.schemas import CampaignSpec
from loyalist.coupons import service as coupons
from loyalist.coupons.models import CouponCode
from loyalist.coupons.schemas import CampaignIn
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
    """A draft campaign ``key`` (``SPEC`` with ``fields``), put as the API puts it."""
    spec = CampaignSpec.model_validate({**SPEC, **fields})
    app.db.write(lambda uow: service.put_campaign(uow, key, spec, SYSTEM))
    return spec


def put_coupon_campaign(app: Loyalist, key: str) -> None:
    """A coupon campaign (15% off) whose personal codes a campaign's offer issues."""
    body = CampaignIn.model_validate(
        {
            "name": {"en": key, "ru": key},
            "discount": {"type": "percent", "percent": "15"},
            "code_valid_days": 90,
        }
    )
    app.db.write(lambda uow: coupons.put_campaign(uow, key, body))


def codes_per_member(app: Loyalist, key: str) -> Counter[int]:
    """How many personal codes campaign ``key`` issued each member."""

    def op(uow: UnitOfWork) -> Counter[int]:
        rows = uow.session.scalars(
            select(CouponCode.member_id).where(CouponCode.source.startswith(f"campaign:{key}:"))
        )
        return Counter(int(m) for m in rows if m is not None)

    return app.db.read(op)


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
