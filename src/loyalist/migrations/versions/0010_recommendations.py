"""recommendations

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-23 15:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "item_neighbours",
        sa.Column("sku", sa.String(length=128), nullable=False),
        sa.Column("neighbour_sku", sa.String(length=128), nullable=False),
        sa.Column("support", sa.Integer(), nullable=False),
        sa.Column("lift", sa.Double(), nullable=False),
        sa.Column("cosine", sa.Double(), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "lift > 0 AND cosine > 0", name=op.f("ck_item_neighbours_scores_positive")
        ),
        sa.CheckConstraint("support > 0", name=op.f("ck_item_neighbours_support_positive")),
        sa.PrimaryKeyConstraint("sku", "neighbour_sku", name=op.f("pk_item_neighbours")),
    )
    op.create_table(
        "item_popularity",
        sa.Column("sku", sa.String(length=128), nullable=False),
        sa.Column("buyers", sa.Integer(), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("buyers > 0", name=op.f("ck_item_popularity_buyers_positive")),
        sa.PrimaryKeyConstraint("sku", name=op.f("pk_item_popularity")),
    )
    op.create_index("ix_item_popularity_rank", "item_popularity", ["rank"], unique=False)
    op.create_table(
        "recommendation_runs",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("token", sa.String(length=32), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("line_count", sa.Integer(), nullable=False),
        sa.Column("basket_count", sa.Integer(), nullable=False),
        sa.Column("member_count", sa.Integer(), nullable=False),
        sa.Column("item_count", sa.Integer(), nullable=False),
        sa.Column("pair_count", sa.Integer(), nullable=False),
        sa.Column("seconds", sa.Double(), nullable=False),
        sa.Column(
            "settings",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("als_model", sa.LargeBinary(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recommendation_runs")),
        sa.UniqueConstraint("token", name=op.f("uq_recommendation_runs_token")),
    )
    op.create_index(
        "ix_recommendation_runs_computed_at",
        "recommendation_runs",
        ["computed_at"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_recommendation_runs_computed_at", table_name="recommendation_runs")
    op.drop_table("recommendation_runs")
    op.drop_index("ix_item_popularity_rank", table_name="item_popularity")
    op.drop_table("item_popularity")
    op.drop_table("item_neighbours")
