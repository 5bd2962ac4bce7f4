"""staff: roles as data (slug, name, permissions, built-in flag), seeded with the built-in
roles

Revision ID: 0027
Revises: 0039
Create Date: 2026-12-07 06:00:00
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from loyalist.staff.policy import BUILTIN_ROLES

revision: str = "0027"
down_revision: str | None = "0039"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_JSON = sa.JSON().with_variant(sa.dialects.postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    roles = op.create_table(
        "roles",
        sa.Column("slug", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("permissions", _JSON, nullable=False),
        sa.Column("is_builtin", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("slug", name=op.f("pk_roles")),
    )
    now = datetime.now(UTC)
    op.bulk_insert(
        roles,
        [
            {
                "slug": slug,
                "name": spec.name,
                "permissions": sorted(p.value for p in spec.permissions),
                "is_builtin": True,
                "created_at": now,
                "updated_at": now,
            }
            for slug, spec in BUILTIN_ROLES.items()
        ],
    )


def downgrade() -> None:
    op.drop_table("roles")
