"""members' portal sessions (digest of the id) and emailed sign-in tokens (digests)

Revision ID: 0050
Revises: 0049
Create Date: 2026-12-07 12:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0050"
down_revision: str | None = "0049"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BIG = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_AT = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "member_sessions",
        sa.Column("id_hash", sa.String(length=64), nullable=False),
        sa.Column("member_id", _BIG, nullable=False),
        sa.Column("method", sa.String(length=8), nullable=False),
        sa.Column("csrf_token", sa.String(length=64), nullable=False),
        sa.Column("created_at", _AT, nullable=False),
        sa.Column("last_seen_at", _AT, nullable=False),
        sa.Column("expires_at", _AT, nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_member_sessions_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id_hash", name=op.f("pk_member_sessions")),
    )
    op.create_index("ix_member_sessions_member", "member_sessions", ["member_id"])
    op.create_table(
        "member_sign_in_tokens",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("member_id", _BIG, nullable=False),
        sa.Column("created_at", _AT, nullable=False),
        sa.Column("expires_at", _AT, nullable=False),
        sa.Column("used_at", _AT, nullable=True),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_member_sign_in_tokens_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_member_sign_in_tokens")),
    )
    op.create_index("ix_member_sign_in_tokens_member", "member_sign_in_tokens", ["member_id"])


def downgrade() -> None:
    op.drop_index("ix_member_sign_in_tokens_member", table_name="member_sign_in_tokens")
    op.drop_table("member_sign_in_tokens")
    op.drop_index("ix_member_sessions_member", table_name="member_sessions")
    op.drop_table("member_sessions")
