"""What the API shows of messages: a member's messages with their status history, and the
in-app inbox."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from loyalist.messages.models import (
    MessageChannel,
    MessageKind,
    MessageStatus,
    SuppressionReason,
)


class StatusChangeRead(BaseModel):
    status: MessageStatus
    reason: str | None = Field(description="why it was held, retried or not delivered")
    changed_at: datetime


class MessageRead(BaseModel):
    id: str = Field(description="stable across retries (the email's Message-ID)")
    kind: MessageKind
    channel: MessageChannel
    journey: str
    natural_key: str = Field(description="what the journey fires once per (an order id …)")
    template_key: str
    template_version: int = Field(description="0: the shipped default")
    locale: str
    subject: str
    status: MessageStatus
    reason: str | None
    attempts: int
    created_at: datetime
    due_at: datetime
    next_attempt_at: datetime | None = Field(description="while queued or held")
    released_at: datetime | None = Field(description="when the send-time check let it go")
    finished_at: datetime | None
    history: list[StatusChangeRead]


class InboxItemRead(BaseModel):
    id: str
    kind: MessageKind
    journey: str
    subject: str
    text: str
    html: str | None
    received_at: datetime
    read_at: datetime | None


class InboxRead(BaseModel):
    unread_count: int
    items: list[InboxItemRead]


class SuppressionIn(BaseModel):
    """Stop messages to a member's channel (``unsubscribe`` is recorded by the one-click
    link and by withdrawing consent, not here)."""

    channel: MessageChannel
    reason: SuppressionReason = Field(
        default=SuppressionReason.MANUAL,
        description="manual, hard_bounce, complaint (for the member's current address) or sms_stop",
    )
