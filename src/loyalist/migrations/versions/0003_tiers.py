"""tiers and paid memberships

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 06:28:10.952000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def _member_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["member_id"],
        ["members.id"],
        name=op.f(f"fk_{table}_member_id_members"),
        ondelete="CASCADE",
    )


def upgrade() -> None:
    op.create_table(
        "tier_programs",
        sa.Column("id", _ID, nullable=False),
        sa.Column("program", _JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tier_programs")),
    )
    op.create_table(
        "member_tiers",
        sa.Column("member_id", _ID, nullable=False),
        sa.Column("tier", sa.String(length=64), nullable=True),
        sa.Column("reached_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("window_end", sa.DateTime(timezone=True), nullable=True),
        sa.Column("review_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        _member_fk("member_tiers"),
        sa.PrimaryKeyConstraint("member_id", name=op.f("pk_member_tiers")),
    )
    with op.batch_alter_table("member_tiers", schema=None) as batch_op:
        batch_op.create_index("ix_member_tiers_review_at", ["review_at"], unique=False)

    op.create_table(
        "tier_changes",
        sa.Column("id", _ID, nullable=False),
        sa.Column("member_id", _ID, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("from_tier", sa.String(length=64), nullable=True),
        sa.Column("to_tier", sa.String(length=64), nullable=True),
        sa.Column("qualified_tier", sa.String(length=64), nullable=True),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=32), nullable=False),
        sa.Column("details", _JSON, nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        _member_fk("tier_changes"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tier_changes")),
    )
    with op.batch_alter_table("tier_changes", schema=None) as batch_op:
        batch_op.create_index("ix_tier_changes_member", ["member_id", "at", "id"], unique=False)

    op.create_table(
        "tier_credits",
        sa.Column("id", _ID, nullable=False),
        sa.Column("member_id", _ID, nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("ref", sa.String(length=200), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("spend", sa.BigInteger(), nullable=False),
        sa.Column("points", sa.BigInteger(), nullable=False),
        sa.Column("orders", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        _member_fk("tier_credits"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tier_credits")),
    )
    with op.batch_alter_table("tier_credits", schema=None) as batch_op:
        batch_op.create_index("ix_tier_credits_member_at", ["member_id", "at"], unique=False)
        batch_op.create_index("ix_tier_credits_member_ref", ["member_id", "ref"], unique=False)

    op.create_table(
        "tier_memberships",
        sa.Column("member_id", _ID, nullable=False),
        sa.Column("membership_id", sa.String(length=128), nullable=False),
        sa.Column("plan", sa.String(length=128), nullable=False),
        sa.Column("tier", sa.String(length=128), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("period_end", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_event_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status IN ('active', 'cancelled', 'ended')",
            name=op.f("ck_tier_memberships_status_known"),
        ),
        _member_fk("tier_memberships"),
        sa.PrimaryKeyConstraint("member_id", "membership_id", name=op.f("pk_tier_memberships")),
    )
    with op.batch_alter_table("tier_memberships", schema=None) as batch_op:
        batch_op.create_index("ix_tier_memberships_due", ["status", "ends_at"], unique=False)


def downgrade() -> None:
    op.drop_table("tier_memberships")
    op.drop_table("tier_credits")
    op.drop_table("tier_changes")
    op.drop_table("member_tiers")
    op.drop_table("tier_programs")
