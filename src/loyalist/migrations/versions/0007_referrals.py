"""referrals

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23 11:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
_AT = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "referral_program",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("config", _JSON, nullable=False),
        sa.Column("updated_at", _AT, nullable=False),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referral_program")),
    )
    op.create_table(
        "referral_clicks",
        sa.Column("id", _ID, nullable=False),
        sa.Column("referrer_id", _ID, nullable=False),
        sa.Column("click_id", sa.String(length=128), nullable=False),
        sa.Column("ip_index", sa.String(length=32), nullable=True),
        sa.Column("device_index", sa.String(length=32), nullable=True),
        sa.Column("clicked_at", _AT, nullable=False),
        sa.ForeignKeyConstraint(
            ["referrer_id"],
            ["members.id"],
            name=op.f("fk_referral_clicks_referrer_id_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referral_clicks")),
        sa.UniqueConstraint(
            "referrer_id", "click_id", name=op.f("uq_referral_clicks_referrer_id_click_id")
        ),
    )
    op.create_index("ix_referral_clicks_referrer", "referral_clicks", ["referrer_id", "clicked_at"])
    op.create_table(
        "referral_codes",
        sa.Column("member_id", _ID, nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("display", sa.String(length=16), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("created_at", _AT, nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_referral_codes_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("member_id", name=op.f("pk_referral_codes")),
        sa.UniqueConstraint("code", name=op.f("uq_referral_codes_code")),
        sa.UniqueConstraint("token", name=op.f("uq_referral_codes_token")),
    )
    op.create_table(
        "referral_shares",
        sa.Column("id", _ID, nullable=False),
        sa.Column("member_id", _ID, nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("shared_at", _AT, nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_referral_shares_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referral_shares")),
    )
    op.create_index("ix_referral_shares_member", "referral_shares", ["member_id", "shared_at"])
    op.create_table(
        "referral_signals",
        sa.Column("member_id", _ID, nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("digest", sa.String(length=32), nullable=False),
        sa.Column("first_seen_at", _AT, nullable=False),
        sa.Column("last_seen_at", _AT, nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_referral_signals_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("member_id", "kind", "digest", name=op.f("pk_referral_signals")),
    )
    op.create_index("ix_referral_signals_digest", "referral_signals", ["kind", "digest"])
    op.create_table(
        "referrals",
        sa.Column("id", _ID, nullable=False),
        sa.Column("friend_id", _ID, nullable=False),
        sa.Column("referrer_id", _ID, nullable=False),
        sa.Column("via", sa.String(length=8), nullable=False),
        sa.Column("attributed_on", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("checks", _JSON, nullable=False),
        sa.Column("history", _JSON, nullable=False),
        sa.Column("ip_index", sa.String(length=32), nullable=True),
        sa.Column("device_index", sa.String(length=32), nullable=True),
        sa.Column("attributed_at", _AT, nullable=False),
        sa.Column("order_id", sa.String(length=128), nullable=True),
        sa.Column("order_currency", sa.String(length=3), nullable=True),
        sa.Column("matures_at", _AT, nullable=True),
        sa.Column("is_friend_rewarded", sa.Boolean(), nullable=False),
        sa.Column("converted_at", _AT, nullable=True),
        sa.Column("is_rewarded", sa.Boolean(), nullable=True),
        sa.Column("reward", _JSON, nullable=True),
        sa.Column("decided_by", sa.String(length=100), nullable=True),
        sa.Column("decided_at", _AT, nullable=True),
        sa.Column("decision_note", sa.String(length=500), nullable=True),
        sa.CheckConstraint(
            "friend_id <> referrer_id OR status = 'blocked'",
            name=op.f("ck_referrals_self_blocked"),
        ),
        sa.CheckConstraint(
            "status IN ('pending', 'review', 'blocked', 'rejected', 'qualifying', 'converted')",
            name=op.f("ck_referrals_status_known"),
        ),
        sa.ForeignKeyConstraint(
            ["friend_id"], ["members.id"], name=op.f("fk_referrals_friend_id_members")
        ),
        sa.ForeignKeyConstraint(
            ["referrer_id"], ["members.id"], name=op.f("fk_referrals_referrer_id_members")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referrals")),
        sa.UniqueConstraint("friend_id", name=op.f("uq_referrals_friend_id")),
    )
    op.create_index("ix_referrals_converted", "referrals", ["converted_at"])
    op.create_index("ix_referrals_device", "referrals", ["device_index", "attributed_at"])
    op.create_index("ix_referrals_due", "referrals", ["status", "matures_at"])
    op.create_index("ix_referrals_ip", "referrals", ["ip_index", "attributed_at"])
    op.create_index("ix_referrals_referrer", "referrals", ["referrer_id", "status"])
    with op.batch_alter_table("orders") as batch_op:
        batch_op.add_column(sa.Column("referral", _JSON, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("orders") as batch_op:
        batch_op.drop_column("referral")
    op.drop_table("referrals")
    op.drop_table("referral_signals")
    op.drop_table("referral_shares")
    op.drop_table("referral_codes")
    op.drop_table("referral_clicks")
    op.drop_table("referral_program")
