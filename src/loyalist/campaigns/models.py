"""Campaign rows: the campaign (its spec as sent, its state and progress), its history, the
send plan (one row per member and step: who was assigned to which arm and what became of
their message) and the conversions attributed to it."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from loyalist.db.base import Base, BigId, JsonDoc


class CampaignState(StrEnum):
    """draft → scheduled → running → finished; paused and cancelled on the way. A
    campaign launched with a future ``send_at`` is ``scheduled`` until its first send is
    due."""

    DRAFT = "draft"
    SCHEDULED = "scheduled"
    RUNNING = "running"
    PAUSED = "paused"
    FINISHED = "finished"
    CANCELLED = "cancelled"


class ChangeAction(StrEnum):
    CREATED = "created"
    CHANGED = "changed"
    LAUNCHED = "launched"
    STARTED = "started"
    PAUSED = "paused"
    RESUMED = "resumed"
    CANCELLED = "cancelled"
    FINISHED = "finished"
    WINNER = "winner"


class SendStatus(StrEnum):
    """``pending`` waits for its ``due_at``; ``queued``: its message is in the outbox;
    ``held_out``: a control-group member's "would have sent" entry (recorded when the
    message would have been queued); ``skipped``: not sent (the reason says why: no
    consent any more, local time passed, a follow-up for a member who converted);
    ``cancelled``: the campaign was cancelled before it was due."""

    PENDING = "pending"
    QUEUED = "queued"
    HELD_OUT = "held_out"
    SKIPPED = "skipped"
    CANCELLED = "cancelled"


#: The arm of the control group (a variant may never use this key).
CONTROL = "control"
#: The one treatment arm of a campaign without variants.
DEFAULT_ARM = "default"
#: The first send of a campaign; follow-ups have their own step keys.
MAIN_STEP = "main"


class Campaign(Base):
    """A campaign: ``spec`` is the validated ``CampaignSpec`` as JSON (what the API and the
    program file give); ``revision`` counts its changes (``campaign_changes``).

    Progress of a launch: the audience is written to ``campaign_sends`` in chunks by
    member id; ``audience_cursor`` is the last member id written (None: not started) and
    ``audience_size`` is set when the whole audience is written. ``ends_at`` is the offer's
    deadline (codes expire, the campaign's rule retires); ``next_due_at`` the earliest
    moment the campaign's job has work (None: nothing planned)."""

    __tablename__ = "campaigns"
    __table_args__ = (Index("ix_campaigns_due", "state", "next_due_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    key: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[dict[str, Any]] = mapped_column(JsonDoc)
    state: Mapped[CampaignState] = mapped_column(String(16))
    spec: Mapped[dict[str, Any]] = mapped_column(JsonDoc)
    revision: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    updated_by: Mapped[str] = mapped_column(String(120))
    launched_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    ends_at: Mapped[datetime | None]
    next_due_at: Mapped[datetime | None]
    audience_cursor: Mapped[int | None] = mapped_column(BigInteger)
    audience_size: Mapped[int | None] = mapped_column(BigInteger)
    winner: Mapped[str | None] = mapped_column(String(16))


class CampaignChange(Base):
    """Every change of a campaign: its spec after a change, each state move, the winner."""

    __tablename__ = "campaign_changes"

    campaign_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True
    )
    revision: Mapped[int] = mapped_column(Integer, primary_key=True)
    action: Mapped[ChangeAction] = mapped_column(String(16))
    state: Mapped[CampaignState] = mapped_column(String(16))
    spec: Mapped[dict[str, Any] | None] = mapped_column(JsonDoc)
    detail: Mapped[str | None] = mapped_column(String(500))
    actor: Mapped[str] = mapped_column(String(120))
    at: Mapped[datetime]


class CampaignSend(Base):
    """One member and one step of a campaign: the arm the member is in (stable: a hash of
    the campaign and the member) and what became of the message. The primary key makes a
    member's message per step exactly one, whatever crashes or overlaps; the message
    itself is ``messages`` row ``(member, journey "campaign", natural key
    "<campaign>:<step>", channel)``."""

    __tablename__ = "campaign_sends"
    __table_args__ = (Index("ix_campaign_sends_due", "campaign_id", "status", "due_at"),)

    campaign_id: Mapped[int] = mapped_column(BigId, primary_key=True)
    step: Mapped[str] = mapped_column(String(16), primary_key=True)
    member_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("members.id", ondelete="CASCADE"), primary_key=True
    )
    arm: Mapped[str] = mapped_column(String(16))
    status: Mapped[SendStatus] = mapped_column(String(16))
    due_at: Mapped[datetime]
    done_at: Mapped[datetime | None]
    reason: Mapped[str | None] = mapped_column(String(200))


class CampaignConversion(Base):
    """A member's first goal event within the campaign's window after their main send (or
    "would have sent"): one per member and campaign. Every campaign whose window holds the
    event counts it (each measures its own arms against its own control group)."""

    __tablename__ = "campaign_conversions"

    campaign_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True
    )
    member_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("members.id", ondelete="CASCADE"), primary_key=True
    )
    arm: Mapped[str] = mapped_column(String(16))
    event_id: Mapped[str] = mapped_column(String(128))
    converted_at: Mapped[datetime]
    revenue_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str | None] = mapped_column(String(3))
