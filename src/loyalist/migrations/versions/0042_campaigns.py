"""campaigns: campaigns, their changes, send plan and conversions; members' offers;
messages.respects_quiet_hours; the campaigns permissions on the built-in roles

Revision ID: 0042
Revises: 0036
Create Date: 2026-12-07 09:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0042"
down_revision: str | None = "0036"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BIG = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_JSON = sa.JSON().with_variant(sa.dialects.postgresql.JSONB(), "postgresql")
_AT = sa.DateTime(timezone=True)
#: The permissions this revision adds, by built-in role (owner and admin hold everything).
_GRANTS = {
    "owner": ("campaigns.read", "campaigns.write"),
    "admin": ("campaigns.read", "campaigns.write"),
    "marketer": ("campaigns.read", "campaigns.write"),
    "analyst": ("campaigns.read",),
    "auditor": ("campaigns.read",),
}


def upgrade() -> None:
    op.create_table(
        "campaigns",
        sa.Column("id", _BIG, nullable=False),
        sa.Column("key", sa.String(length=32), nullable=False),
        sa.Column("name", _JSON, nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("spec", _JSON, nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("created_at", _AT, nullable=False),
        sa.Column("updated_at", _AT, nullable=False),
        sa.Column("updated_by", sa.String(length=120), nullable=False),
        sa.Column("launched_at", _AT, nullable=True),
        sa.Column("finished_at", _AT, nullable=True),
        sa.Column("ends_at", _AT, nullable=True),
        sa.Column("next_due_at", _AT, nullable=True),
        sa.Column("audience_cursor", sa.BigInteger(), nullable=True),
        sa.Column("audience_size", sa.BigInteger(), nullable=True),
        sa.Column("winner", sa.String(length=16), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaigns")),
        sa.UniqueConstraint("key", name=op.f("uq_campaigns_key")),
    )
    op.create_index("ix_campaigns_due", "campaigns", ["state", "next_due_at"])
    op.create_table(
        "campaign_changes",
        sa.Column("campaign_id", _BIG, nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("spec", _JSON, nullable=True),
        sa.Column("detail", sa.String(length=500), nullable=True),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("at", _AT, nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaigns.id"],
            name=op.f("fk_campaign_changes_campaign_id_campaigns"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("campaign_id", "revision", name=op.f("pk_campaign_changes")),
    )
    op.create_table(
        "campaign_sends",
        sa.Column("campaign_id", _BIG, nullable=False),
        sa.Column("step", sa.String(length=16), nullable=False),
        sa.Column("member_id", _BIG, nullable=False),
        sa.Column("arm", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("due_at", _AT, nullable=False),
        sa.Column("done_at", _AT, nullable=True),
        sa.Column("reason", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_campaign_sends_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("campaign_id", "step", "member_id", name=op.f("pk_campaign_sends")),
    )
    op.create_index("ix_campaign_sends_due", "campaign_sends", ["campaign_id", "status", "due_at"])
    op.create_table(
        "campaign_conversions",
        sa.Column("campaign_id", _BIG, nullable=False),
        sa.Column("member_id", _BIG, nullable=False),
        sa.Column("arm", sa.String(length=16), nullable=False),
        sa.Column("event_id", sa.String(length=128), nullable=False),
        sa.Column("converted_at", _AT, nullable=False),
        sa.Column("revenue_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaigns.id"],
            name=op.f("fk_campaign_conversions_campaign_id_campaigns"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_campaign_conversions_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("campaign_id", "member_id", name=op.f("pk_campaign_conversions")),
    )
    op.create_table(
        "member_offers",
        sa.Column("member_id", _BIG, nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("starts_at", _AT, nullable=False),
        sa.Column("ends_at", _AT, nullable=True),
        sa.Column("granted_at", _AT, nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_member_offers_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("member_id", "key", name=op.f("pk_member_offers")),
    )
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "respects_quiet_hours", sa.Boolean(), nullable=False, server_default=sa.true()
            )
        )
    roles = sa.table("roles", sa.column("slug", sa.String), sa.column("permissions", _JSON))
    bind = op.get_bind()
    for slug, permissions in bind.execute(sa.select(roles.c.slug, roles.c.permissions)):
        added = _GRANTS.get(slug)
        if added:
            bind.execute(
                roles.update()
                .where(roles.c.slug == slug)
                .values(permissions=sorted(set(permissions) | set(added)))
            )


def downgrade() -> None:
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.drop_column("respects_quiet_hours")
    op.drop_table("member_offers")
    op.drop_table("campaign_conversions")
    op.drop_index("ix_campaign_sends_due", table_name="campaign_sends")
    op.drop_table("campaign_sends")
    op.drop_table("campaign_changes")
    op.drop_index("ix_campaigns_due", table_name="campaigns")
    op.drop_table("campaigns")
