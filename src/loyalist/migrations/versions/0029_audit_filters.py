"""audit: indexes for reading the trail by actor and by target

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-07 06:20:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0029"
down_revision: str | None = "0028"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_audit_log_actor", "audit_log", ["actor_kind", "actor_id", "seq"])
    op.create_index("ix_audit_log_target", "audit_log", ["target_type", "target_id", "seq"])


def downgrade() -> None:
    op.drop_index("ix_audit_log_target", table_name="audit_log")
    op.drop_index("ix_audit_log_actor", table_name="audit_log")
