"""messages: the outbox, status history, suppressions, template versions, journey skips

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 23:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "journey_skips",
        sa.Column("journey", sa.String(length=40), nullable=False),
        sa.Column("skipped_count", sa.BigInteger(), nullable=False),
        sa.Column("last_skipped_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("journey", name=op.f("pk_journey_skips")),
    )
    op.create_table(
        "message_templates",
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("locale", sa.String(length=8), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(length=1000), nullable=False),
        sa.Column("body_text", sa.String(), nullable=False),
        sa.Column("body_html", sa.String(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.CheckConstraint("version >= 1", name=op.f("ck_message_templates_version_positive")),
        sa.PrimaryKeyConstraint("key", "locale", "version", name=op.f("pk_message_templates")),
    )
    op.create_table(
        "message_suppressions",
        sa.Column(
            "member_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=16), nullable=False),
        sa.Column("address_index", sa.String(length=32), nullable=True),
        sa.Column("message_id", sa.String(length=40), nullable=True),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_message_suppressions_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "member_id", "channel", "reason", name=op.f("pk_message_suppressions")
        ),
    )
    op.create_table(
        "messages",
        sa.Column(
            "member_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("journey", sa.String(length=40), nullable=False),
        sa.Column("natural_key", sa.String(length=200), nullable=False),
        sa.Column("template_key", sa.String(length=80), nullable=False),
        sa.Column("template_version", sa.Integer(), nullable=False),
        sa.Column("locale", sa.String(length=8), nullable=False),
        sa.Column("subject", sa.String(), nullable=False),
        sa.Column("body_text", sa.String(), nullable=False),
        sa.Column("body_html", sa.String(), nullable=True),
        sa.Column("is_in_inbox", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("released_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("provider_id", sa.String(length=200), nullable=True),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.CheckConstraint("attempts >= 0", name=op.f("ck_messages_attempts_not_negative")),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_messages_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("member_id", "id", name=op.f("pk_messages")),
        sa.UniqueConstraint(
            "member_id",
            "journey",
            "natural_key",
            "channel",
            name=op.f("uq_messages_member_id_journey_natural_key_channel"),
        ),
    )
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.create_index("ix_messages_due", ["status", "next_attempt_at"], unique=False)
        batch_op.create_index(
            "ix_messages_member_created", ["member_id", "created_at"], unique=False
        )
        batch_op.create_index(
            "ix_messages_member_released", ["member_id", "channel", "released_at"], unique=False
        )

    op.create_table(
        "message_status_changes",
        sa.Column(
            "member_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("message_id", sa.String(length=40), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id", "message_id"],
            ["messages.member_id", "messages.id"],
            name=op.f("fk_message_status_changes_member_id_messages"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "member_id", "message_id", "revision", name=op.f("pk_message_status_changes")
        ),
    )


def downgrade() -> None:
    op.drop_table("message_status_changes")
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.drop_index("ix_messages_member_released")
        batch_op.drop_index("ix_messages_member_created")
        batch_op.drop_index("ix_messages_due")

    op.drop_table("messages")
    op.drop_table("message_suppressions")
    op.drop_table("message_templates")
    op.drop_table("journey_skips")
