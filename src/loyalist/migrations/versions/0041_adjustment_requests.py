"""ledger: manual adjustments above the program's threshold wait for a second person's
approval (maker-checker)

Revision ID: 0041
Revises: 0029
Create Date: 2026-12-07 09:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0041"
down_revision: str | None = "0029"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "point_adjustment_requests",
        sa.Column("id", _BIG_ID, nullable=False),
        sa.Column("member_id", _BIG_ID, nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("requested_by", sa.String(length=120), nullable=False),
        sa.Column("requested_by_name", sa.String(length=200), nullable=False),
        sa.Column("idempotency_key", sa.String(length=255), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.String(length=120), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_reason", sa.String(length=500), nullable=True),
        sa.Column("posting_id", _BIG_ID, nullable=True),
        sa.CheckConstraint("points <> 0", name=op.f("ck_point_adjustment_requests_points_nonzero")),
        sa.CheckConstraint(
            "state IN ('pending', 'approved', 'rejected')",
            name=op.f("ck_point_adjustment_requests_state_known"),
        ),
        sa.CheckConstraint(
            "(state = 'approved') = (posting_id IS NOT NULL)",
            name=op.f("ck_point_adjustment_requests_booked_when_approved"),
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_point_adjustment_requests_member_id_members"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_point_adjustment_requests")),
    )
    op.create_index(
        "ix_point_adjustment_requests_state", "point_adjustment_requests", ["state", "id"]
    )


def downgrade() -> None:
    op.drop_index("ix_point_adjustment_requests_state", table_name="point_adjustment_requests")
    op.drop_table("point_adjustment_requests")
