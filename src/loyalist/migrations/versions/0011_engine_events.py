"""engine events: review points credited under the review

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 20:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Tiers now credit a review's qualifying points under the review (``review:<id>``, the
    # ledger's reference) and withdraw them by it; they were credited under the review's
    # event (``event:<event id>``), with the figure kept on the review row.
    op.execute(
        "UPDATE tier_credits SET ref = 'review:' || ("
        "SELECT r.review_id FROM reviews r WHERE 'event:' || r.event_id = tier_credits.ref"
        ") WHERE kind = 'points' AND ref IN (SELECT 'event:' || event_id FROM reviews)"
    )
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.drop_column("qualifying_points")


def downgrade() -> None:
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("qualifying_points", sa.Integer(), nullable=False, server_default="0")
        )
    op.execute(
        "UPDATE tier_credits SET ref = 'event:' || ("
        "SELECT r.event_id FROM reviews r WHERE 'review:' || r.review_id = tier_credits.ref"
        ") WHERE kind = 'points' AND ref IN (SELECT 'review:' || review_id FROM reviews)"
    )
