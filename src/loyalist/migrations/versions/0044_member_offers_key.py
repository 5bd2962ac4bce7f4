"""members' offers by key: a campaign's offers are ended (and counted) by their key

Revision ID: 0044
Revises: 0043
Create Date: 2026-12-07 09:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0044"
down_revision: str | None = "0043"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(op.f("ix_member_offers_key"), "member_offers", ["key"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_member_offers_key"), table_name="member_offers")
