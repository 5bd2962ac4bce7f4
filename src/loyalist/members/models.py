"""Member rows: profile fields sealed under the member's data key (envelope encryption),
blind indexes for exact lookup, and the consent registry (purposes, versioned consent
texts, consents with their evidence)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from loyalist.db.base import Base, BigId, JsonDoc
from loyalist.db.crypto import Field, SealedString


class Channel(StrEnum):
    EMAIL = "email"
    SMS = "sms"
    PUSH = "push"


class PersonalField(StrEnum):
    """A personal field of the profile that staff may reveal one at a time."""

    EMAIL = "email"
    PHONE = "phone"
    NAME = "name"
    BIRTHDAY = "birthday"


class LookupKey(StrEnum):
    """What staff may find a member by: exactly (the shop's id, or an e-mail address or a
    phone number through their blind index), never by part of a personal value."""

    MEMBER_ID = "member_id"
    EMAIL = "email"
    PHONE = "phone"


class PushPlatform(StrEnum):
    """The push service a device token belongs to (the configured provider sends to its
    own: FCM to ``fcm``, RuStore to ``rustore``, the generic JSON provider to any)."""

    FCM = "fcm"
    RUSTORE = "rustore"
    OTHER = "other"


class Locale(StrEnum):
    EN = "en"
    RU = "ru"


#: The member's personal fields, each sealed under the member's data key with the table,
#: the field and the member's id as associated data.
EMAIL = Field("members", "email", "member.email")
PHONE = Field("members", "phone", "member.phone")
FIRST_NAME = Field("members", "first_name", "member.first_name")
LAST_NAME = Field("members", "last_name", "member.last_name")
BIRTHDAY = Field("members", "birthday", "member.birthday")
PROFILE_FIELDS = (EMAIL, PHONE, FIRST_NAME, LAST_NAME, BIRTHDAY)
DEVICE_TOKEN = Field("member_devices", "token", "member.device_token")
#: The member's IP address in a consent's evidence (the current consent and the trail).
CONSENT_IP = Field("member_consents", "ip", "member.consent_ip")
CONSENT_CHANGE_IP = Field("member_consent_changes", "ip", "member.consent_ip")


class Member(Base):
    """A member. ``email``, ``phone``, ``first_name``, ``last_name`` and ``birthday`` are
    stored sealed (``members.service`` opens them); ``data_key`` is the member's data key
    wrapped by the master key (None: no personal data yet, or erased: see
    ``members.service.destroy_data_key``)."""

    __tablename__ = "members"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    external_id: Mapped[str] = mapped_column(String(128), unique=True)
    email: Mapped[str | None] = mapped_column(SealedString())
    email_index: Mapped[str | None] = mapped_column(String(32), index=True)
    phone: Mapped[str | None] = mapped_column(SealedString())
    phone_index: Mapped[str | None] = mapped_column(String(32), index=True)
    first_name: Mapped[str | None] = mapped_column(SealedString())
    last_name: Mapped[str | None] = mapped_column(SealedString())
    birthday: Mapped[str | None] = mapped_column(SealedString())
    data_key: Mapped[str | None] = mapped_column(String(100))
    birthday_index: Mapped[str | None] = mapped_column(String(32), index=True)
    attributes: Mapped[dict[str, Any] | None] = mapped_column(JsonDoc)
    segments: Mapped[list[str] | None] = mapped_column(JsonDoc)
    locale: Mapped[str] = mapped_column(String(8), default=Locale.EN)
    timezone: Mapped[str | None] = mapped_column(String(64))
    enrolled_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    #: When the member's personal data was erased (on request or by retention): the row is
    #: then an opaque shell keeping the books, its ``external_id`` an opaque marker.
    erased_at: Mapped[datetime | None]


class PurposeKind(StrEnum):
    """What a consent is for: the processing of personal data itself (152-FZ art. 9),
    marketing on one channel, or the transfer of personal data to a named processor."""

    PROCESSING = "processing"
    MARKETING = "marketing"
    TRANSFER = "transfer"


class ConsentPurpose(Base):
    """A purpose the operator added (a transfer to a named processor); the built-in ones
    (processing, marketing per channel) are code constants (``policy.BUILTIN_PURPOSES``)."""

    __tablename__ = "consent_purposes"

    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[PurposeKind] = mapped_column(String(16))
    processor: Mapped[str | None] = mapped_column(String(48))
    title: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]


class ConsentText(Base):
    """One version of the text a member is shown for a purpose in one language, with the
    SHA-256 of its UTF-8 bytes. Never changed once published (both databases refuse an
    UPDATE by trigger): a new wording is a new version."""

    __tablename__ = "consent_texts"
    __table_args__ = (CheckConstraint("version >= 1", name="version_positive"),)

    purpose: Mapped[str] = mapped_column(String(64), primary_key=True)
    locale: Mapped[str] = mapped_column(String(8), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    published_at: Mapped[datetime]
    published_by: Mapped[str | None] = mapped_column(String(200))


class Consent(Base):
    """The current consent of one member for one purpose (a marketing purpose's code is its
    channel: ``email``, ``sms``, ``push``), with the evidence of the change that set it."""

    __tablename__ = "member_consents"

    member_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("members.id", ondelete="CASCADE"), primary_key=True
    )
    purpose: Mapped[str] = mapped_column(String(64), primary_key=True)
    is_granted: Mapped[bool]
    changed_at: Mapped[datetime]
    source: Mapped[str] = mapped_column(String(64))
    ip: Mapped[str | None] = mapped_column(SealedString())
    text_locale: Mapped[str | None] = mapped_column(String(8))
    text_version: Mapped[int | None] = mapped_column(Integer)
    text_sha256: Mapped[str | None] = mapped_column(String(64))


class ConsentChange(Base):
    """The consent trail: one row per recorded grant or withdrawal of a member's consent,
    whatever made it (the API, an event or import, an unsubscribe link, the preference
    centre, an SMS STOP), with its evidence. ``seq`` numbers a member's rows in the order
    they were recorded."""

    __tablename__ = "member_consent_changes"
    __table_args__ = (
        Index("ix_member_consent_changes_member", "member_id", "changed_at", "seq"),
        UniqueConstraint("member_id", "seq"),
    )

    member_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("members.id", ondelete="CASCADE"), primary_key=True
    )
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    purpose: Mapped[str] = mapped_column(String(64))
    is_granted: Mapped[bool]
    changed_at: Mapped[datetime]
    source: Mapped[str] = mapped_column(String(64))
    ip: Mapped[str | None] = mapped_column(SealedString())
    text_locale: Mapped[str | None] = mapped_column(String(8))
    text_version: Mapped[int | None] = mapped_column(Integer)
    text_sha256: Mapped[str | None] = mapped_column(String(64))


class Device(Base):
    """A device of a member that takes push messages: its token (encrypted; the blind
    index finds it, and a token belongs to one member at a time: the one who registered it
    last) and the push service it belongs to. Goes with its member."""

    __tablename__ = "member_devices"
    __table_args__ = (Index("ix_member_devices_member", "member_id", "registered_at"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    member_id: Mapped[int] = mapped_column(BigId, ForeignKey("members.id", ondelete="CASCADE"))
    token: Mapped[str] = mapped_column(SealedString())
    token_index: Mapped[str] = mapped_column(String(32), unique=True)
    platform: Mapped[PushPlatform] = mapped_column(String(16))
    registered_at: Mapped[datetime]


#: The personal fields of a member row an erasure clears (and reports which held a value).
ERASED_FIELDS = (
    "email",
    "phone",
    "first_name",
    "last_name",
    "birthday",
    "timezone",
    "attributes",
    "segments",
)


class MemberOffer(Base):
    """An offer a member holds (``campaign:<key>/<arm>``) from ``starts_at`` until
    ``ends_at`` (None: open-ended): rules may target it (``targeting.offers``), so a
    campaign's bonus points reach exactly the members it offered them to."""

    __tablename__ = "member_offers"
    __table_args__ = (Index("ix_member_offers_key", "key"),)

    member_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("members.id", ondelete="CASCADE"), primary_key=True
    )
    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime | None]
    granted_at: Mapped[datetime]


class SignInMethod(StrEnum):
    """How a member's portal session began: the shop's signed link or an emailed link."""

    LINK = "link"
    EMAIL = "email"


class MemberSession(Base):
    """A member's portal session: the cookie carries the id, the table only its SHA-256
    digest. The CSRF token must come back on every unsafe request. Ends at ``expires_at``
    (absolute) or after the idle timeout since ``last_seen_at``, as staff sessions do."""

    __tablename__ = "member_sessions"
    __table_args__ = (Index("ix_member_sessions_member", "member_id"),)

    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    member_id: Mapped[int] = mapped_column(BigId, ForeignKey("members.id", ondelete="CASCADE"))
    method: Mapped[SignInMethod] = mapped_column(String(8))
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    expires_at: Mapped[datetime]


class SignInToken(Base):
    """An emailed sign-in link's token (its SHA-256 digest: the token carries 256 random
    bits): works once (``used_at``), until ``expires_at``."""

    __tablename__ = "member_sign_in_tokens"
    __table_args__ = (Index("ix_member_sign_in_tokens_member", "member_id"),)

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    member_id: Mapped[int] = mapped_column(BigId, ForeignKey("members.id", ondelete="CASCADE"))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
