"""API keys (stored as a SHA-256 digest of a high-entropy secret, never in clear), the
permissions they and staff act with, and roles: named sets of permissions, stored as data."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, String
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


class Permission(StrEnum):
    """What a staff user or API key may do: code constants; roles (data) group them.

    Every API route and console page is guarded by one of these.
    """

    MEMBERS_READ = "members.read"
    MEMBERS_READ_PII = "members.read_pii"
    MEMBERS_REVEAL = "members.reveal"
    MEMBERS_WRITE = "members.write"
    EVENTS_WRITE = "events.write"
    POINTS_READ = "points.read"
    POINTS_ADJUST = "points.adjust"
    POINTS_APPROVE = "points.approve"
    CHECKOUT_READ = "checkout.read"
    CHECKOUT = "checkout.use"
    PROGRAM_READ = "program.read"
    RULES_WRITE = "rules.write"
    COUPONS_WRITE = "coupons.write"
    COUPONS_EXPORT = "coupons.export"
    REFERRALS_READ = "referrals.read"
    REFERRALS_REVIEW = "referrals.review"
    RECOMMENDATIONS_READ = "recommendations.read"
    MESSAGES_READ = "messages.read"
    MESSAGES_SEND = "messages.send"
    MESSAGES_WRITE = "messages.write"
    ANALYTICS_READ = "analytics.read"
    PRIVACY_REQUESTS = "privacy.requests"
    AUDIT_READ = "audit.read"
    STAFF_MANAGE = "staff.manage"
    KEYS_MANAGE = "keys.manage"


class Role(Base):
    """A named set of permissions: the built-in ones (seeded from ``policy.BUILTIN_ROLES``,
    never changed or deleted through the API) and custom ones."""

    __tablename__ = "roles"

    slug: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    #: Permission values, sorted.
    permissions: Mapped[list[Any]]
    is_builtin: Mapped[bool]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class ApiKey(Base):
    """A machine's credential. It acts with its role's permissions when it has a role, else
    with those its scopes map to. Owned by a staff user (``owner_staff_id``) or a named
    integration (``owner``); exactly one of the two is set."""

    __tablename__ = "api_keys"
    __table_args__ = (CheckConstraint("(owner IS NULL) <> (owner_staff_id IS NULL)", name="owner"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    prefix: Mapped[str] = mapped_column(String(16), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(64))
    scopes: Mapped[list[Any]]
    role_slug: Mapped[str | None] = mapped_column(
        String(40), ForeignKey("roles.slug", ondelete="SET NULL")
    )
    owner: Mapped[str | None] = mapped_column(String(100))
    owner_staff_id: Mapped[int | None] = mapped_column(BigId)
    created_at: Mapped[datetime]
    rotated_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
