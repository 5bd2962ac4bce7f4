"""Message rows: the outbox (one row per message), its status history, suppressions, stored
template versions, the journeys' settings and their skipped-fact counts; the staff outbox
(security notices to staff users)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    UniqueConstraint,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column

from loyalist.db.base import Base, BigId
from loyalist.db.crypto import EncryptedString, Field, SealedString


class MessageKind(StrEnum):
    """``transactional`` needs no consent and is never held or capped; ``marketing`` is."""

    TRANSACTIONAL = "transactional"
    MARKETING = "marketing"


class MessageChannel(StrEnum):
    EMAIL = "email"
    SMS = "sms"
    PUSH = "push"
    WEBHOOK = "webhook"


class MessageStatus(StrEnum):
    """``queued`` and ``held`` wait for the worker; the others are where a message ends
    (``sent`` may still become ``delivered`` when the provider says so)."""

    QUEUED = "queued"
    HELD = "held"
    SENT = "sent"
    DELIVERED = "delivered"
    FAILED = "failed"
    SUPPRESSED = "suppressed"
    CAPPED = "capped"
    NOT_CONFIGURED = "not_configured"


#: The statuses the worker still acts on.
WAITING = (MessageStatus.QUEUED, MessageStatus.HELD)


class WebhookEvent(StrEnum):
    """What a webhook endpoint can subscribe to (the ``type`` of the webhook's body)."""

    POINTS_AWARDED = "points.awarded"
    POINTS_MATURED = "points.matured"
    POINTS_EXPIRING = "points.expiring"
    TIER_UPGRADED = "tier.upgraded"
    TIER_DOWNGRADED = "tier.downgraded"
    REWARD_GRANTED = "reward.granted"
    REFERRAL_CONVERTED = "referral.converted"
    #: A member's message reached one of these statuses (never a webhook's own: no loops).
    MESSAGE_SENT = "message.sent"
    MESSAGE_DELIVERED = "message.delivered"
    MESSAGE_FAILED = "message.failed"
    MESSAGE_SUPPRESSED = "message.suppressed"
    MESSAGE_CAPPED = "message.capped"
    MESSAGE_NOT_CONFIGURED = "message.not_configured"


class Topic(StrEnum):
    """What a marketing message is about; a member may switch each topic off (``statement``
    is opt-in: off until the member switches it on). ``policy.topic_of`` maps journeys."""

    OFFERS = "offers"
    POINTS = "points"
    TIPS = "tips"
    REVIEWS = "reviews"
    BIRTHDAY = "birthday"
    STATEMENT = "statement"


class SuppressionReason(StrEnum):
    UNSUBSCRIBE = "unsubscribe"
    HARD_BOUNCE = "hard_bounce"
    COMPLAINT = "complaint"
    MANUAL = "manual"
    SMS_STOP = "sms_stop"


#: A message's content, sealed under its member's data key (the table, the field and the
#: member's id bound as associated data).
CONTEXT = Field("messages", "context", "message.context")
SUBJECT = Field("messages", "subject", "message.subject")
TEXT = Field("messages", "body_text", "message.text")
HTML = Field("messages", "body_html", "message.html")
CONTENT_FIELDS = (CONTEXT, SUBJECT, TEXT, HTML)
#: Webhook endpoints' signing secrets belong to no member: sealed under the master key.
SECRETS_PURPOSE = "webhook.secrets"


class Message(Base):
    """One message to one member on one channel: the outbox row.

    Queued in the same transaction as the fact that caused it; at most one per
    ``(member, journey, natural_key, channel)``, so a journey fires once per its key however
    often the fact arrives. It is queued as a ``context`` (the template key's context as
    JSON, encrypted) with the template version live then, the member's ``locale`` and
    ``time_zone``; the delivery job renders it when it first releases it (outside any
    transaction) and stores the rendered ``subject``/``body_text``/``body_html`` (encrypted,
    ``None`` until then) with that attempt's outcome, dropping the context. A webhook has no
    template: its event type and JSON body are stored as its subject and text when queued.
    The address is read from the member when sent.
    ``revision`` counts status changes (the history's sequence). ``attempts`` counts sends;
    a claimed message's ``next_attempt_at`` is the end of its lease (a worker that dies
    mid-send leaves it due again then). ``released_at`` is when the send-time check let it
    go (caps count it, the inbox shows it).
    """

    __tablename__ = "messages"
    __table_args__ = (
        UniqueConstraint("member_id", "journey", "natural_key", "channel"),
        CheckConstraint("attempts >= 0", name="attempts_not_negative"),
        Index("ix_messages_due", "status", "next_attempt_at"),
        Index("ix_messages_member_released", "member_id", "channel", "released_at"),
        Index("ix_messages_member_created", "member_id", "created_at"),
        # A campaign's messages (journey ``campaign``, natural keys ``<campaign>:<step>``).
        Index("ix_messages_journey_key", "journey", "natural_key"),
        # An endpoint's delivery log (the console's webhooks page).
        Index("ix_messages_endpoint", "endpoint_id", "created_at"),
        # The delivery log of all members, newest first (the console's messages page).
        Index("ix_messages_created", "created_at", "id"),
    )

    member_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("members.id", ondelete="CASCADE"), primary_key=True
    )
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    kind: Mapped[MessageKind] = mapped_column(String(16))
    channel: Mapped[MessageChannel] = mapped_column(String(16))
    journey: Mapped[str] = mapped_column(String(40))
    natural_key: Mapped[str] = mapped_column(String(200))
    template_key: Mapped[str] = mapped_column(String(80))
    template_version: Mapped[int] = mapped_column(Integer)
    locale: Mapped[str] = mapped_column(String(8))
    #: The IANA zone the message is rendered for (``None`` for a webhook).
    time_zone: Mapped[str | None] = mapped_column(String(64))
    #: What the template is rendered with, until it is rendered (JSON). It and the
    #: rendered content are sealed under the member's data key (``CONTEXT`` … ``HTML``).
    context: Mapped[str | None] = mapped_column(SealedString())
    subject: Mapped[str | None] = mapped_column(SealedString())
    body_text: Mapped[str | None] = mapped_column(SealedString())
    body_html: Mapped[str | None] = mapped_column(SealedString())
    is_in_inbox: Mapped[bool]
    #: False: released at once even inside the member's quiet hours (a campaign's choice).
    respects_quiet_hours: Mapped[bool] = mapped_column(server_default=true())
    status: Mapped[MessageStatus] = mapped_column(String(16))
    revision: Mapped[int] = mapped_column(Integer)
    attempts: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime]
    due_at: Mapped[datetime]
    next_attempt_at: Mapped[datetime]
    released_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    read_at: Mapped[datetime | None]
    #: When the email provider first reported the message opened, and a link in it clicked
    #: (a click counts as an open too); None: not reported (SMTP reports neither).
    opened_at: Mapped[datetime | None]
    clicked_at: Mapped[datetime | None]
    provider_id: Mapped[str | None] = mapped_column(String(200))
    reason: Mapped[str | None] = mapped_column(String(500))
    #: The webhook endpoint a ``webhook`` message goes to (its URL and secrets are read
    #: when it is sent).
    endpoint_id: Mapped[str | None] = mapped_column(String(40))


class MessageStatusChange(Base):
    """The status history of a message: one row per change, with the reason for each
    non-delivery (and for each hold and retry). Its first status, ``queued`` at
    ``created_at`` (revision 1), is implied by the message and not stored
    (``policy.status_history``)."""

    __tablename__ = "message_status_changes"
    __table_args__ = (
        ForeignKeyConstraint(
            ["member_id", "message_id"], ["messages.member_id", "messages.id"], ondelete="CASCADE"
        ),
    )

    member_id: Mapped[int] = mapped_column(BigId, primary_key=True)
    message_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    revision: Mapped[int] = mapped_column(Integer, primary_key=True)
    status: Mapped[MessageStatus] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(String(500))
    changed_at: Mapped[datetime]


class Suppression(Base):
    """A member's channel is suppressed for a reason (hard bounces and complaints only for
    the address they came from, by its blind index). ``unsubscribe`` rows record one-click
    unsubscribes (the consent they withdrew is what stops marketing)."""

    __tablename__ = "message_suppressions"

    member_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("members.id", ondelete="CASCADE"), primary_key=True
    )
    channel: Mapped[MessageChannel] = mapped_column(String(16), primary_key=True)
    reason: Mapped[SuppressionReason] = mapped_column(String(16), primary_key=True)
    address_index: Mapped[str | None] = mapped_column(String(32))
    message_id: Mapped[str | None] = mapped_column(String(40))
    source: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]


class MessageTemplate(Base):
    """A stored version of a template in one locale; the newest version is live: a message
    records it when queued and is rendered with it when sent (version 0: the shipped
    default)."""

    __tablename__ = "message_templates"
    __table_args__ = (CheckConstraint("version >= 1", name="version_positive"),)

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    locale: Mapped[str] = mapped_column(String(8), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    subject: Mapped[str] = mapped_column(String(1000))
    body_text: Mapped[str]
    body_html: Mapped[str | None]
    #: The SMS/push text (``None`` when the template has no short part).
    body_short: Mapped[str | None]
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(120))


class JourneySetting(Base):
    """One journey's settings (``journeyconf``), stored once it was configured; a journey
    without a row runs with its defaults. A trigger bumps ``config_versions`` (journeys)."""

    __tablename__ = "journey_settings"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    settings: Mapped[dict[str, Any]]
    updated_at: Mapped[datetime]
    updated_by: Mapped[str] = mapped_column(String(120))


class JourneySkip(Base):
    """Facts a journey let pass because they were older than the freshness window."""

    __tablename__ = "journey_skips"

    journey: Mapped[str] = mapped_column(String(40), primary_key=True)
    skipped_count: Mapped[int] = mapped_column(BigInteger)
    last_skipped_at: Mapped[datetime]


class WebhookEndpoint(Base):
    """Where webhooks go: a URL (checked by the SSRF guard), the event types it takes, its
    signing secrets (encrypted; newest first, rotated-out ones with their expiry) and its
    health: ``first_failure_at`` starts an unbroken run of failures, and an endpoint
    failing for too long (or answering 410) is disabled until it is enabled again."""

    __tablename__ = "webhook_endpoints"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    url: Mapped[str] = mapped_column(String(2000))
    description: Mapped[str] = mapped_column(String(200))
    event_types: Mapped[list[Any]]
    secrets: Mapped[str] = mapped_column(EncryptedString(SECRETS_PURPOSE))
    is_enabled: Mapped[bool]
    first_failure_at: Mapped[datetime | None]
    disabled_at: Mapped[datetime | None]
    disabled_reason: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class TopicPreference(Base):
    """A member's choice for one topic (no row: the topic's default)."""

    __tablename__ = "message_topic_preferences"

    member_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("members.id", ondelete="CASCADE"), primary_key=True
    )
    topic: Mapped[Topic] = mapped_column(String(32), primary_key=True)
    is_subscribed: Mapped[bool]
    changed_at: Mapped[datetime]
    source: Mapped[str] = mapped_column(String(64))


class TopicPreferenceChange(Base):
    """The audit trail of topic choices: one row per change, with its source and time."""

    __tablename__ = "message_topic_changes"
    __table_args__ = (Index("ix_message_topic_changes_member", "member_id", "changed_at"),)

    member_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("members.id", ondelete="CASCADE"), primary_key=True
    )
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    topic: Mapped[Topic] = mapped_column(String(32))
    is_subscribed: Mapped[bool]
    changed_at: Mapped[datetime]
    source: Mapped[str] = mapped_column(String(64))


class StaffMessage(Base):
    """One email to a staff user (a security notice such as a two-factor lockout): the
    staff outbox, queued in the transaction of the fact that caused it and sent by the
    worker (``staff_messages_delivered``), at-least-once with this id as its Message-ID.
    Queued with its ``context`` (JSON, encrypted), rendered from the shipped template in
    ``locale`` when first sent (the content then replaces the context); the address is read
    from the staff user when sent. No consent, quiet hours or caps: it is about the
    account's security."""

    __tablename__ = "staff_messages"
    __table_args__ = (
        CheckConstraint("attempts >= 0", name="attempts_not_negative"),
        Index("ix_staff_messages_due", "status", "next_attempt_at"),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    user_id: Mapped[int] = mapped_column(BigId, ForeignKey("staff_users.id", ondelete="CASCADE"))
    template_key: Mapped[str] = mapped_column(String(80))
    locale: Mapped[str] = mapped_column(String(8))
    context: Mapped[str | None] = mapped_column(EncryptedString("staff_message.context"))
    subject: Mapped[str | None] = mapped_column(EncryptedString("staff_message.subject"))
    body_text: Mapped[str | None] = mapped_column(EncryptedString("staff_message.text"))
    body_html: Mapped[str | None] = mapped_column(EncryptedString("staff_message.html"))
    status: Mapped[MessageStatus] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime]
    next_attempt_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    reason: Mapped[str | None] = mapped_column(String(500))
