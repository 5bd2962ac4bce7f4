"""privacy: destruction records, retention scans; members.erased_at; orders.retired_at

Revision ID: 0036
Revises: 0033
Create Date: 2026-12-08 09:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0036"
down_revision: str | None = "0033"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BIG = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_JSON = sa.JSON().with_variant(sa.dialects.postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.add_column(sa.Column("erased_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.add_column(sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "privacy_destruction_records",
        sa.Column("id", _BIG, nullable=False),
        sa.Column("member_id", _BIG, nullable=False),
        sa.Column("subject", sa.String(length=128), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("legal_basis", sa.String(length=32), nullable=False),
        sa.Column("reference", sa.String(length=200), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("categories", _JSON, nullable=False),
        sa.Column("method", sa.Text(), nullable=False),
        sa.Column("points_closed", sa.Integer(), nullable=False),
        sa.Column("actor_kind", sa.String(length=16), nullable=False),
        sa.Column("actor_id", sa.String(length=64), nullable=True),
        sa.Column("actor_label", sa.String(length=200), nullable=True),
        sa.Column("audit_seq", _BIG, nullable=True),
        sa.Column("performed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_privacy_destruction_records_member_id_members"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_privacy_destruction_records")),
        sa.UniqueConstraint("member_id", name=op.f("uq_privacy_destruction_records_member_id")),
    )
    op.create_index(
        "ix_privacy_destruction_records_at",
        "privacy_destruction_records",
        ["performed_at", "id"],
    )
    op.create_table(
        "privacy_retention_scans",
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("after_id", _BIG, nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("kind", name=op.f("pk_privacy_retention_scans")),
    )


def downgrade() -> None:
    op.drop_table("privacy_retention_scans")
    op.drop_index("ix_privacy_destruction_records_at", table_name="privacy_destruction_records")
    op.drop_table("privacy_destruction_records")
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_column("retired_at")
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.drop_column("erased_at")
