"""Member rows: profile fields encrypted at rest, blind indexes for exact lookup, consent."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from loyalist.db.base import Base, BigId, JsonDoc
from loyalist.db.crypto import EncryptedString


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


class PushPlatform(StrEnum):
    """The push service a device token belongs to (the configured provider sends to its
    own: FCM to ``fcm``, RuStore to ``rustore``, the generic JSON provider to any)."""

    FCM = "fcm"
    RUSTORE = "rustore"
    OTHER = "other"


class Locale(StrEnum):
    EN = "en"
    RU = "ru"


class Member(Base):
    __tablename__ = "members"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    external_id: Mapped[str] = mapped_column(String(128), unique=True)
    email: Mapped[str | None] = mapped_column(EncryptedString("member.email"))
    email_index: Mapped[str | None] = mapped_column(String(32), index=True)
    phone: Mapped[str | None] = mapped_column(EncryptedString("member.phone"))
    phone_index: Mapped[str | None] = mapped_column(String(32), index=True)
    first_name: Mapped[str | None] = mapped_column(EncryptedString("member.first_name"))
    last_name: Mapped[str | None] = mapped_column(EncryptedString("member.last_name"))
    birthday: Mapped[str | None] = mapped_column(EncryptedString("member.birthday"))
    birthday_index: Mapped[str | None] = mapped_column(String(32), index=True)
    attributes: Mapped[dict[str, Any] | None] = mapped_column(JsonDoc)
    segments: Mapped[list[str] | None] = mapped_column(JsonDoc)
    locale: Mapped[str] = mapped_column(String(8), default=Locale.EN)
    timezone: Mapped[str | None] = mapped_column(String(64))
    enrolled_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class Consent(Base):
    """The current consent of one member for one channel; every change is audited."""

    __tablename__ = "member_consents"

    member_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("members.id", ondelete="CASCADE"), primary_key=True
    )
    channel: Mapped[Channel] = mapped_column(String(16), primary_key=True)
    is_granted: Mapped[bool]
    changed_at: Mapped[datetime]
    source: Mapped[str] = mapped_column(String(64))


class ConsentChange(Base):
    """The audit trail of consents: one row per change of a member's channel consent,
    whatever made it (the API, an import, an unsubscribe link, the preference centre)."""

    __tablename__ = "member_consent_changes"
    __table_args__ = (Index("ix_member_consent_changes_member", "member_id", "changed_at"),)

    member_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("members.id", ondelete="CASCADE"), primary_key=True
    )
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    channel: Mapped[Channel] = mapped_column(String(16))
    is_granted: Mapped[bool]
    changed_at: Mapped[datetime]
    source: Mapped[str] = mapped_column(String(64))


class Device(Base):
    """A device of a member that takes push messages: its token (encrypted; the blind
    index finds it, and a token belongs to one member at a time: the one who registered it
    last) and the push service it belongs to. Goes with its member."""

    __tablename__ = "member_devices"
    __table_args__ = (Index("ix_member_devices_member", "member_id", "registered_at"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    member_id: Mapped[int] = mapped_column(BigId, ForeignKey("members.id", ondelete="CASCADE"))
    token: Mapped[str] = mapped_column(EncryptedString("member.device_token"))
    token_index: Mapped[str] = mapped_column(String(32), unique=True)
    platform: Mapped[PushPlatform] = mapped_column(String(16))
    registered_at: Mapped[datetime]
