"""messages: the first status (``queued``, revision 1) is implied by the message row

Revision ID: 0055
Revises: 0054
Create Date: 2026-12-07 23:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0055"
down_revision: str | None = "0054"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Every revision-1 row was the message's ``queued`` at its ``created_at``, with no
    # reason: what the readers now make of the message row.
    op.execute("DELETE FROM message_status_changes WHERE revision = 1")


def downgrade() -> None:
    op.execute(
        "INSERT INTO message_status_changes "
        "(member_id, message_id, revision, status, reason, changed_at) "
        "SELECT member_id, id, 1, 'queued', NULL, created_at FROM messages"
    )
