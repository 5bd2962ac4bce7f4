"""messages: queued as a context, rendered when sent

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-08 18:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("time_zone", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("context", sa.String(), nullable=True))
        batch_op.alter_column("subject", existing_type=sa.String(), nullable=True)
        batch_op.alter_column("body_text", existing_type=sa.String(), nullable=True)


def downgrade() -> None:
    # Messages not rendered yet have no content to keep: they go (they were never sent).
    op.execute(
        "DELETE FROM message_status_changes WHERE message_id IN "
        "(SELECT id FROM messages WHERE body_text IS NULL)"
    )
    op.execute("DELETE FROM messages WHERE body_text IS NULL")
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.alter_column("body_text", existing_type=sa.String(), nullable=False)
        batch_op.alter_column("subject", existing_type=sa.String(), nullable=False)
        batch_op.drop_column("context")
        batch_op.drop_column("time_zone")
