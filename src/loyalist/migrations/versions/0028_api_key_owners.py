"""staff: API keys get an owner (a staff user or a named integration), an optional role
and the time of their last rotation

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-07 06:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0028"
down_revision: str | None = "0027"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("api_keys", schema=None) as batch_op:
        batch_op.add_column(sa.Column("role_slug", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("owner", sa.String(length=100), nullable=True))
        batch_op.add_column(
            sa.Column(
                "owner_staff_id",
                sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
                nullable=True,
            )
        )
        batch_op.add_column(sa.Column("rotated_at", sa.DateTime(timezone=True), nullable=True))
    # The keys made before owners existed belong to the integration they were named for.
    op.execute("UPDATE api_keys SET owner = name")
    with op.batch_alter_table("api_keys", schema=None) as batch_op:
        batch_op.create_foreign_key(
            op.f("fk_api_keys_role_slug_roles"),
            "roles",
            ["role_slug"],
            ["slug"],
            ondelete="SET NULL",
        )
        batch_op.create_check_constraint(
            op.f("ck_api_keys_owner"), "(owner IS NULL) <> (owner_staff_id IS NULL)"
        )


def downgrade() -> None:
    with op.batch_alter_table("api_keys", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_api_keys_owner"), type_="check")
        batch_op.drop_constraint(op.f("fk_api_keys_role_slug_roles"), type_="foreignkey")
        batch_op.drop_column("rotated_at")
        batch_op.drop_column("owner_staff_id")
        batch_op.drop_column("owner")
        batch_op.drop_column("role_slug")
