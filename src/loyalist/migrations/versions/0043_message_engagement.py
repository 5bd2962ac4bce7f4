"""messages: when a provider reported a message opened and clicked; an index of messages by
journey and natural key (a campaign's messages)

Revision ID: 0043
Revises: 0042
Create Date: 2026-12-07 09:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0043"
down_revision: str | None = "0042"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_AT = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("opened_at", _AT, nullable=True))
        batch_op.add_column(sa.Column("clicked_at", _AT, nullable=True))
    op.create_index("ix_messages_journey_key", "messages", ["journey", "natural_key"])


def downgrade() -> None:
    op.drop_index("ix_messages_journey_key", table_name="messages")
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.drop_column("clicked_at")
        batch_op.drop_column("opened_at")
