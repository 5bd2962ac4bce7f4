"""Member input and output shapes."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, EmailStr, Field, StringConstraints, field_validator

from loyalist.members.models import Channel, Locale

PHONE_PATTERN = r"^\+?[0-9][0-9 ()\-.]{5,24}$"


AttributeKey = Annotated[str, StringConstraints(pattern=r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")]
AttributeValue = Annotated[str, StringConstraints(max_length=500)] | bool | int | float | None


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
    attributes: dict[AttributeKey, AttributeValue] | None = Field(
        default=None,
        max_length=100,
        description="The shop's own member attributes; rules read them as `member.attributes`. "
        "On update the keys sent replace the stored ones; `null` for a key removes it.",
    )

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
    attributes: dict[str, Any]
    segments: list[str]
