"""Helpers for campaign tests: campaigns and their send plans as rows, for the tests of
what is measured; and, for the broadcast's tests, many members at once, a draft campaign
put as the API puts it, a coupon campaign for its offer, its sends, messages and codes."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import Table, select

from loyalist.audit.models import SYSTEM
from loyalist.bootstrap import Loyalist
from loyalist.campaigns import service
from loyalist.campaigns.models import (
    MAIN_STEP,
    Campaign,
    CampaignSend,
    CampaignState,
    SendStatus,
)
from loyalist.campaigns.schemas import CampaignSpec
from loyalist.coupons import service as coupons
from loyalist.coupons.models import CouponCode
from loyalist.coupons.schemas import CampaignIn
from loyalist.db import bulk
from loyalist.db.uow import UnitOfWork
from loyalist.members import service as members
from loyalist.members.models import Channel
from loyalist.members.schemas import MemberProfile
from loyalist.messages.models import Message

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


def add_unchecked_draft(app: Loyalist, key: str, **fields: Any) -> None:
    """A draft campaign ``key`` (``SPEC`` with ``fields``) stored as a row, past the checks
    a PUT makes (as one stored by an older version would be): what launch and the
    estimate must still refuse."""
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
