"""messages: topic preferences with their audit trail; members: the consent audit trail

Revision ID: 0020
Revises: 0016
Create Date: 2026-12-08 18:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_STAMP = sa.DateTime(timezone=True)


def _member_id() -> sa.Column[int]:
    return sa.Column(
        "member_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
    )


def _member_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["member_id"],
        ["members.id"],
        name=op.f(f"fk_{table}_member_id_members"),
        ondelete="CASCADE",
    )


def upgrade() -> None:
    op.create_table(
        "message_topic_preferences",
        _member_id(),
        sa.Column("topic", sa.String(length=32), nullable=False),
        sa.Column("is_subscribed", sa.Boolean(), nullable=False),
        sa.Column("changed_at", _STAMP, nullable=False),
        sa.Column("source", sa.String(length=64), nullable=False),
        _member_fk("message_topic_preferences"),
        sa.PrimaryKeyConstraint("member_id", "topic", name=op.f("pk_message_topic_preferences")),
    )
    for table, name in (
        ("message_topic_changes", "topic"),
        ("member_consent_changes", "channel"),
    ):
        op.create_table(
            table,
            _member_id(),
            sa.Column("id", sa.String(length=40), nullable=False),
            sa.Column(name, sa.String(length=32 if name == "topic" else 16), nullable=False),
            sa.Column(
                "is_subscribed" if name == "topic" else "is_granted", sa.Boolean(), nullable=False
            ),
            sa.Column("changed_at", _STAMP, nullable=False),
            sa.Column("source", sa.String(length=64), nullable=False),
            _member_fk(table),
            sa.PrimaryKeyConstraint("member_id", "id", name=op.f(f"pk_{table}")),
        )
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(f"ix_{table}_member", ["member_id", "changed_at"], unique=False)


def downgrade() -> None:
    for table in ("member_consent_changes", "message_topic_changes"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(f"ix_{table}_member")
        op.drop_table(table)
    op.drop_table("message_topic_preferences")
