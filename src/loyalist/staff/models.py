"""API keys: stored as a SHA-256 digest of a high-entropy secret, never in clear."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from loyalist.db.base import Base, BigId


class Scope(StrEnum):
    EVENTS_WRITE = "events:write"
    MEMBERS_READ = "members:read"
    MEMBERS_WRITE = "members:write"
    POINTS_READ = "points:read"
    POINTS_WRITE = "points:write"
    PROGRAM_READ = "program:read"
    PROGRAM_WRITE = "program:write"
    CHECKOUT_READ = "checkout:read"
    CHECKOUT_WRITE = "checkout:write"
    REFERRALS_READ = "referrals:read"
    REFERRALS_WRITE = "referrals:write"
    INSIGHTS_READ = "insights:read"
    RECOMMENDATIONS_READ = "recommendations:read"
    MESSAGES_READ = "messages:read"
    MESSAGES_WRITE = "messages:write"
    ADMIN = "admin"


class ApiKey(Base):
    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    prefix: Mapped[str] = mapped_column(String(16), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(64))
    scopes: Mapped[list[Any]]
    created_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
