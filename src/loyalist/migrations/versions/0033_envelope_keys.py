"""envelope encryption: the wrapped blind-index key (crypto_keys) and each member's wrapped
data key (members.data_key)

Revision ID: 0033
Revises: 0041
Create Date: 2026-12-08 09:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0033"
down_revision: str | None = "0041"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # The index key's row is stored by `loyalist init`/`migrate` (it needs the master key).
    op.create_table(
        "crypto_keys",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("wrapped", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("rotated_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_crypto_keys")),
    )
    op.add_column("members", sa.Column("data_key", sa.String(length=100), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.drop_column("data_key")
    op.drop_table("crypto_keys")
