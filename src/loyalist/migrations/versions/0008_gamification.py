"""gamification

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23 11:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "game_definitions",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column(
            "spec",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('badge', 'quest', 'streak', 'level')",
            name=op.f("ck_game_definitions_kind_known"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_game_definitions")),
        sa.UniqueConstraint("kind", "key", name=op.f("uq_game_definitions_kind_key")),
    )
    op.create_table(
        "game_sweeps",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("after_member_id", sa.BigInteger(), nullable=False),
        sa.Column("finished_on", sa.String(length=10), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_game_sweeps")),
    )
    op.create_table(
        "member_badges",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "member_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("badge", sa.String(length=64), nullable=False),
        sa.Column("awarded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_member_badges_member_id_members")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_member_badges")),
        sa.UniqueConstraint("member_id", "badge", name=op.f("uq_member_badges_member_id_badge")),
    )
    op.create_table(
        "member_game_stats",
        sa.Column(
            "member_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("orders_count", sa.Integer(), nullable=False),
        sa.Column("spend", sa.BigInteger(), nullable=False),
        sa.Column(
            "categories",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "reviews",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "surveys",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("referrals_count", sa.Integer(), nullable=False),
        sa.Column("quests_count", sa.Integer(), nullable=False),
        sa.Column("badges_count", sa.Integer(), nullable=False),
        sa.Column("is_profile_complete", sa.Boolean(), nullable=False),
        sa.Column("last_order_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "badges_count >= 0", name=op.f("ck_member_game_stats_badges_not_negative")
        ),
        sa.CheckConstraint(
            "orders_count >= 0", name=op.f("ck_member_game_stats_orders_not_negative")
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_member_game_stats_member_id_members")
        ),
        sa.PrimaryKeyConstraint("member_id", name=op.f("pk_member_game_stats")),
    )
    op.create_table(
        "member_streaks",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "member_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("streak", sa.String(length=64), nullable=False),
        sa.Column("current", sa.Integer(), nullable=False),
        sa.Column("best", sa.Integer(), nullable=False),
        sa.Column("last_period", sa.String(length=32), nullable=False),
        sa.Column("last_index", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("current <= best", name=op.f("ck_member_streaks_current_within_best")),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_member_streaks_member_id_members")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_member_streaks")),
        sa.UniqueConstraint("member_id", "streak", name=op.f("uq_member_streaks_member_id_streak")),
    )
    op.create_table(
        "quest_progress",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "member_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("quest", sa.String(length=64), nullable=False),
        sa.Column("period", sa.String(length=32), nullable=False),
        sa.Column(
            "steps",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_quest_progress_member_id_members")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quest_progress")),
        sa.UniqueConstraint(
            "member_id", "quest", "period", name=op.f("uq_quest_progress_member_id_quest_period")
        ),
    )


def downgrade() -> None:
    op.drop_table("quest_progress")
    op.drop_table("member_streaks")
    op.drop_table("member_game_stats")
    op.drop_table("member_badges")
    op.drop_table("game_sweeps")
    op.drop_table("game_definitions")
