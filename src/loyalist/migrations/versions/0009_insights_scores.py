"""insights_scores

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-23 15:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "insights_runs",
        sa.Column("job", sa.String(length=32), nullable=False),
        sa.Column("last_run_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("members_scored", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("job", name=op.f("pk_insights_runs")),
    )
    op.create_table(
        "member_scores",
        sa.Column(
            "member_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recency_days", sa.Integer(), nullable=True),
        sa.Column("frequency", sa.Integer(), nullable=True),
        sa.Column("monetary", sa.BigInteger(), nullable=True),
        sa.Column("r_score", sa.SmallInteger(), nullable=True),
        sa.Column("f_score", sa.SmallInteger(), nullable=True),
        sa.Column("m_score", sa.SmallInteger(), nullable=True),
        sa.Column("segment", sa.String(length=32), nullable=True),
        sa.Column("p_alive", sa.Double(), nullable=True),
        sa.Column("churn_risk", sa.Double(), nullable=True),
        sa.Column("expected_purchases_90", sa.Double(), nullable=True),
        sa.Column("expected_purchases_365", sa.Double(), nullable=True),
        sa.Column("expected_spend", sa.Double(), nullable=True),
        sa.Column("clv", sa.Double(), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.CheckConstraint(
            "churn_risk BETWEEN 0 AND 1", name=op.f("ck_member_scores_churn_risk_range")
        ),
        sa.CheckConstraint("f_score BETWEEN 1 AND 5", name=op.f("ck_member_scores_f_score_range")),
        sa.CheckConstraint("m_score BETWEEN 1 AND 5", name=op.f("ck_member_scores_m_score_range")),
        sa.CheckConstraint("p_alive BETWEEN 0 AND 1", name=op.f("ck_member_scores_p_alive_range")),
        sa.CheckConstraint("r_score BETWEEN 1 AND 5", name=op.f("ck_member_scores_r_score_range")),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_member_scores_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("member_id", name=op.f("pk_member_scores")),
    )


def downgrade() -> None:
    op.drop_table("member_scores")
    op.drop_table("insights_runs")
