"""messages: an index on (created_at, id) for the delivery log of all members, newest first

Without it the console's delivery log sorts every message on each view.

Revision ID: 0052
Revises: 0051
Create Date: 2026-12-07 13:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0052"
down_revision: str | None = "0051"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_messages_created", "messages", ["created_at", "id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_messages_created", table_name="messages")
