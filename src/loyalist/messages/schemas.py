"""What the API shows of messages: a member's messages with their status history, and the
in-app inbox."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from loyalist.members.models import Channel
from loyalist.messages.models import (
    MessageChannel,
    MessageKind,
    MessageStatus,
    SuppressionReason,
    Topic,
    WebhookEvent,
)


class StatusChangeRead(BaseModel):
    status: MessageStatus
    reason: str | None = Field(description="why it was held, retried or not delivered")
    changed_at: datetime


class MessageRead(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "msg_2f31438044f45d3b8b729487",
                    "member_id": "M1",
                    "kind": "transactional",
                    "channel": "email",
                    "journey": "order_confirmation",
                    "natural_key": "A-1",
                    "template_key": "order_confirmation",
                    "template_version": 0,
                    "locale": "en",
                    "subject": "Order A-1 confirmed: 110\xa0points on the way",
                    "status": "not_configured",
                    "reason": "no email provider is configured",
                    "attempts": 0,
                    "created_at": "2026-01-15T12:00:00Z",
                    "due_at": "2026-01-15T12:00:00Z",
                    "next_attempt_at": None,
                    "released_at": "2026-01-15T12:00:00Z",
                    "finished_at": "2026-01-15T12:00:00Z",
                    "history": [
                        {"status": "queued", "reason": None, "changed_at": "2026-01-15T12:00:00Z"}
                    ],
                }
            ]
        }
    )

    id: str = Field(description="stable across retries and resends (the email's Message-ID)")
    member_id: str = Field(description="the member's id")
    kind: MessageKind
    channel: MessageChannel
    journey: str
    natural_key: str = Field(description="what the journey fires once per (an order id …)")
    template_key: str
    template_version: int = Field(
        description="the version live when it was queued, rendered when sent; 0: the shipped "
        "default"
    )
    locale: str
    subject: str | None = Field(description="none until the delivery job renders it")
    status: MessageStatus
    reason: str | None
    attempts: int
    created_at: datetime
    due_at: datetime
    next_attempt_at: datetime | None = Field(description="while queued or held")
    released_at: datetime | None = Field(description="when the send-time check let it go")
    finished_at: datetime | None
    history: list[StatusChangeRead]


class ResendIn(BaseModel):
    """Why a message is sent again (recorded in its status history with who resent it)."""

    model_config = ConfigDict(extra="forbid")

    reason: str | None = Field(default=None, max_length=300, description="why it is resent")


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
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "unread_count": 1,
                    "items": [
                        {
                            "id": "msg_2f31438044f45d3b8b729487",
                            "kind": "marketing",
                            "journey": "tier",
                            "subject": "Welcome to Gold",
                            "text": "You reached Gold: free shipping on every order.",
                            "html": None,
                            "received_at": "2026-03-08T10:16:00Z",
                            "read_at": None,
                        }
                    ],
                }
            ]
        }
    )

    unread_count: int
    items: list[InboxItemRead]


class SuppressionIn(BaseModel):
    """Stop messages to a member's channel (``unsubscribe`` is recorded by the one-click
    link and by withdrawing consent, not here)."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"channel": "email", "reason": "hard_bounce"}]}
    )

    channel: MessageChannel
    reason: SuppressionReason = Field(
        default=SuppressionReason.MANUAL,
        description="manual, hard_bounce, complaint (for the member's current address) or sms_stop",
    )


class PreviewIn(BaseModel):
    """What to render a template with; an empty body renders the shipped sample data."""

    model_config = ConfigDict(extra="forbid")

    member_id: str | None = Field(
        default=None,
        min_length=1,
        max_length=128,
        description="a member whose name, balance, tier and time zone replace the sample's "
        "(or the given context's) member and time zone",
    )
    context: dict[str, Any] | None = Field(
        default=None,
        description="the template's whole context (its shape: GET the OpenAPI schema of "
        "the key's context in docs, messages/contexts.py); dates as ISO text. Absent: the "
        "shipped sample data of each locale",
    )


class RenderedRead(BaseModel):
    subject: str
    text: str
    html: str | None = Field(description="the email's HTML in the brand layout, CSS inlined")
    short: str | None = Field(description="the SMS/push text, for templates that have one")


class PreviewRead(BaseModel):
    template: str
    member_id: str | None
    time_zone: str = Field(description="the zone dates and times are shown in")
    renderings: dict[str, RenderedRead] = Field(description="per locale (en, ru)")


_URL_DOC = (
    "http(s); loopback and private addresses are refused unless the server allows them "
    "(LOYALIST_MESSAGES__WEBHOOK_ALLOW_PRIVATE)"
)


class EndpointIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: str = Field(min_length=8, max_length=2000, pattern=r"^https?://", description=_URL_DOC)
    description: str = Field(default="", max_length=200)
    event_types: list[WebhookEvent] = Field(min_length=1)


class EndpointUpdate(BaseModel):
    """Only the fields given change; ``is_enabled: true`` on a disabled endpoint replays,
    once, what it missed."""

    model_config = ConfigDict(extra="forbid")

    url: str | None = Field(
        default=None, min_length=8, max_length=2000, pattern=r"^https?://", description=_URL_DOC
    )
    description: str | None = Field(default=None, max_length=200)
    event_types: list[WebhookEvent] | None = Field(default=None, min_length=1)
    is_enabled: bool | None = None


class EndpointRead(BaseModel):
    id: str
    url: str
    description: str
    event_types: list[WebhookEvent]
    is_enabled: bool
    failing_since: datetime | None = Field(
        description="the first of an unbroken run of failed deliveries"
    )
    disabled_at: datetime | None
    disabled_reason: str | None
    created_at: datetime


class SecretRead(BaseModel):
    """The endpoint and its new signing secret: shown this once, never again."""

    endpoint: EndpointRead
    secret: str = Field(description="whsec_… (Standard Webhooks); keep it, it is not shown again")


class RotateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    overlap_hours: int = Field(
        default=24, ge=0, le=720, description="how long the old secret keeps signing too"
    )


class TemplateIn(BaseModel):
    """A template's source in one locale: each part the template has (the others absent).
    Email templates have ``subject``, ``text`` and ``html``; a few also ``short`` (SMS and
    push); the packing note only ``html``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    subject: str | None = Field(default=None, max_length=1000)
    text: str | None = Field(default=None, max_length=100_000)
    html: str | None = Field(default=None, max_length=200_000)
    short: str | None = Field(default=None, max_length=2000)


class TemplateVersionRead(BaseModel):
    key: str
    locale: str
    version: int = Field(description="0: the shipped default (no version stored)")
    subject: str | None
    text: str | None
    html: str | None
    short: str | None
    created_at: datetime | None
    created_by: str | None


class TemplateLocaleRead(BaseModel):
    version: int = Field(description="the live version; 0: the shipped default")
    created_at: datetime | None


class TemplateListItem(BaseModel):
    key: str
    parts: list[str]
    locales: dict[str, TemplateLocaleRead] = Field(description="per locale (en, ru)")


class ChannelPreferenceRead(BaseModel):
    channel: Channel
    is_granted: bool = Field(description="marketing consent on the channel")
    changed_at: datetime | None = Field(description="None: never recorded (not granted)")
    source: str | None


class TopicPreferenceRead(BaseModel):
    topic: Topic
    is_subscribed: bool
    is_opt_in: bool = Field(description="off until the member switches it on (statement)")
    changed_at: datetime | None = Field(description="None: the topic's default")
    source: str | None


class PreferenceChangeRead(BaseModel):
    """One change in the audit trail: a channel's consent or a topic."""

    channel: Channel | None = None
    topic: Topic | None = None
    value: bool
    changed_at: datetime
    source: str


class PreferencesRead(BaseModel):
    """What a member receives: marketing consent per channel and their choice per topic
    (transactional messages have no topic and are always sent)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "member_id": "M1",
                    "channels": [
                        {
                            "channel": "email",
                            "is_granted": False,
                            "changed_at": None,
                            "source": None,
                        }
                    ],
                    "topics": [
                        {
                            "topic": "offers",
                            "is_subscribed": True,
                            "is_opt_in": False,
                            "changed_at": None,
                            "source": None,
                        }
                    ],
                    "history": [],
                }
            ]
        }
    )

    member_id: str
    channels: list[ChannelPreferenceRead]
    topics: list[TopicPreferenceRead]
    history: list[PreferenceChangeRead] = Field(description="newest first, up to 100")


class PreferencesUpdate(BaseModel):
    """Channels and topics to change (the ones left out keep their value)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "channels": {"email": True, "sms": False},
                    "topics": {"offers": False},
                    "source": "shop account page",
                }
            ]
        },
        extra="forbid",
    )

    channels: dict[Channel, bool] = Field(default_factory=dict)
    topics: dict[Topic, bool] = Field(default_factory=dict)
    source: str = Field(default="api", min_length=1, max_length=64)
