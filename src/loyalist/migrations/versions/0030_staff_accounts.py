"""staff: users (email encrypted, blind index, argon2id hash, TOTP state), sessions (digest
of the id) and recovery codes (digests)

Revision ID: 0030
Revises: 0026
Create Date: 2026-12-07 08:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0030"
down_revision: str | None = "0026"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BIG = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_JSON = sa.JSON().with_variant(sa.dialects.postgresql.JSONB(), "postgresql")
_AT = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "staff_users",
        sa.Column("id", _BIG, nullable=False),
        sa.Column("email", sa.String(), nullable=False),
        sa.Column("email_index", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("roles", _JSON, nullable=False),
        sa.Column("locale", sa.String(length=8), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("totp_secret", sa.String(), nullable=True),
        sa.Column("totp_pending_secret", sa.String(), nullable=True),
        sa.Column("totp_enabled_at", _AT, nullable=True),
        sa.Column("totp_last_step", sa.BigInteger(), nullable=True),
        sa.Column("totp_failure_count", sa.Integer(), nullable=False),
        sa.Column("totp_locked_until", _AT, nullable=True),
        sa.Column("created_at", _AT, nullable=False),
        sa.Column("updated_at", _AT, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_users")),
        sa.UniqueConstraint("email_index", name=op.f("uq_staff_users_email_index")),
    )
    op.create_table(
        "staff_sessions",
        sa.Column("id_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", _BIG, nullable=False),
        sa.Column("stage", sa.String(length=16), nullable=False),
        sa.Column("csrf_token", sa.String(length=64), nullable=False),
        sa.Column("created_at", _AT, nullable=False),
        sa.Column("last_seen_at", _AT, nullable=False),
        sa.Column("expires_at", _AT, nullable=False),
        sa.Column("ip", sa.String(length=45), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["staff_users.id"],
            name=op.f("fk_staff_sessions_user_id_staff_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id_hash", name=op.f("pk_staff_sessions")),
    )
    op.create_index("ix_staff_sessions_user", "staff_sessions", ["user_id"])
    op.create_table(
        "staff_recovery_codes",
        sa.Column("user_id", _BIG, nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("used_at", _AT, nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["staff_users.id"],
            name=op.f("fk_staff_recovery_codes_user_id_staff_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "code_hash", name=op.f("pk_staff_recovery_codes")),
    )


def downgrade() -> None:
    op.drop_table("staff_recovery_codes")
    op.drop_index("ix_staff_sessions_user", table_name="staff_sessions")
    op.drop_table("staff_sessions")
    op.drop_table("staff_users")
