"""members: devices that take push messages (token encrypted, blind index)

Revision ID: 0025
Revises: 0021
Create Date: 2026-12-07 03:20:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0025"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "member_devices",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column(
            "member_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("token", sa.String(), nullable=False),
        sa.Column("token_index", sa.String(length=32), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_member_devices_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_member_devices")),
        sa.UniqueConstraint("token_index", name=op.f("uq_member_devices_token_index")),
    )
    op.create_index(
        "ix_member_devices_member", "member_devices", ["member_id", "registered_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_member_devices_member", table_name="member_devices")
    op.drop_table("member_devices")
