"""messages: the staff outbox (security notices to staff users, content encrypted)

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-07 08:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0031"
down_revision: str | None = "0030"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BIG = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_AT = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "staff_messages",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("user_id", _BIG, nullable=False),
        sa.Column("template_key", sa.String(length=80), nullable=False),
        sa.Column("locale", sa.String(length=8), nullable=False),
        sa.Column("context", sa.String(), nullable=True),
        sa.Column("subject", sa.String(), nullable=True),
        sa.Column("body_text", sa.String(), nullable=True),
        sa.Column("body_html", sa.String(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", _AT, nullable=False),
        sa.Column("next_attempt_at", _AT, nullable=False),
        sa.Column("finished_at", _AT, nullable=True),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.CheckConstraint("attempts >= 0", name=op.f("ck_staff_messages_attempts_not_negative")),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["staff_users.id"],
            name=op.f("fk_staff_messages_user_id_staff_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_messages")),
    )
    op.create_index("ix_staff_messages_due", "staff_messages", ["status", "next_attempt_at"])


def downgrade() -> None:
    op.drop_index("ix_staff_messages_due", table_name="staff_messages")
    op.drop_table("staff_messages")
