"""Member input and output shapes."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator

from loyalist.members.models import Channel, Locale

PHONE_PATTERN = r"^\+?[0-9][0-9 ()\-.]{5,24}$"


class MemberProfile(BaseModel):
    """Profile fields; on update only the fields present are changed (``null`` clears one)."""

    model_config = ConfigDict(extra="forbid")

    email: EmailStr | None = None
    phone: str | None = Field(default=None, pattern=PHONE_PATTERN)
    first_name: str | None = Field(default=None, max_length=200)
    last_name: str | None = Field(default=None, max_length=200)
    birthday: date | None = None
    locale: Locale | None = None
    timezone: str | None = Field(default=None, max_length=64)
    consents: dict[Channel, bool] | None = None

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value


class ConsentRead(BaseModel):
    channel: Channel
    is_granted: bool
    changed_at: datetime
    source: str


class ConsentUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    is_granted: bool
    source: str = Field(default="api", max_length=64)


class MemberRead(BaseModel):
    id: str
    email: str | None
    phone: str | None
    first_name: str | None
    last_name: str | None
    birthday: date | None
    locale: Locale
    timezone: str | None
    enrolled_at: datetime | None
    created_at: datetime
    updated_at: datetime
    consents: list[ConsentRead]
