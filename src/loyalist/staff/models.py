"""Staff rows: API keys (a SHA-256 digest of a high-entropy secret, never in clear), the
permissions they and staff act with, roles (named sets of permissions, stored as data),
staff users (email encrypted with a blind index, an argon2id password hash, the TOTP
state), their server-side sessions (only a digest of the session id is stored) and their
single-use recovery codes (digests)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from loyalist.db.base import Base, BigId
from loyalist.db.crypto import EncryptedString


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
    CAMPAIGNS_READ = "campaigns.read"
    CAMPAIGNS_WRITE = "campaigns.write"
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


class SessionStage(StrEnum):
    """How far a session's sign-in went: ``two_factor``: the password passed, a code is
    due; ``enrolment``: the password passed and the user's roles need two factors that are
    not enrolled yet; ``complete``: signed in."""

    TWO_FACTOR = "two_factor"
    ENROLMENT = "enrolment"
    COMPLETE = "complete"


class StaffUser(Base):
    """A person who signs in to the console. ``roles`` are role slugs; the email is found by
    its blind index. The TOTP secret is encrypted; ``totp_pending_secret`` is an enrolment
    not confirmed yet. ``totp_last_step`` is the last time step accepted (a code of that
    step or an earlier one is refused: no replay); ``totp_failure_count`` counts failed
    codes since the last good one, and past the limit ``totp_locked_until`` is set."""

    __tablename__ = "staff_users"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    email: Mapped[str] = mapped_column(EncryptedString("staff.email"))
    email_index: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    roles: Mapped[list[Any]]
    locale: Mapped[str] = mapped_column(String(8))
    is_active: Mapped[bool]
    password_hash: Mapped[str] = mapped_column(String(200))
    totp_secret: Mapped[str | None] = mapped_column(EncryptedString("staff.totp_secret"))
    totp_pending_secret: Mapped[str | None] = mapped_column(
        EncryptedString("staff.totp_pending_secret")
    )
    totp_enabled_at: Mapped[datetime | None]
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)
    totp_failure_count: Mapped[int] = mapped_column(Integer)
    totp_locked_until: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class StaffSession(Base):
    """A browser session: the cookie carries the id, the table only its SHA-256 digest (a
    copy of the table signs nobody in). The CSRF token must come back on every unsafe
    request. Ends at ``expires_at`` (absolute) or after the idle timeout since
    ``last_seen_at``."""

    __tablename__ = "staff_sessions"
    __table_args__ = (Index("ix_staff_sessions_user", "user_id"),)

    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(BigId, ForeignKey("staff_users.id", ondelete="CASCADE"))
    stage: Mapped[SessionStage] = mapped_column(String(16))
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    ip: Mapped[str | None] = mapped_column(String(45))


class RecoveryCode(Base):
    """One of a user's single-use recovery codes (its SHA-256 digest: the codes carry 80
    random bits, so a fast hash is enough); ``used_at`` once used."""

    __tablename__ = "staff_recovery_codes"

    user_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("staff_users.id", ondelete="CASCADE"), primary_key=True
    )
    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    used_at: Mapped[datetime | None]
