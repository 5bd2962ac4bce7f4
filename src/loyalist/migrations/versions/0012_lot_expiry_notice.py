"""lots remember when their coming expiry was announced

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 21:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("point_lots", schema=None) as batch_op:
        batch_op.add_column(sa.Column("expiry_noticed_at", sa.DateTime(timezone=True)))


def downgrade() -> None:
    with op.batch_alter_table("point_lots", schema=None) as batch_op:
        batch_op.drop_column("expiry_noticed_at")
