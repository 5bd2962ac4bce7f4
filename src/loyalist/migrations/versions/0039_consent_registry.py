"""members: the consent registry: purposes, versioned consent texts (an UPDATE is refused by
trigger), and evidence with every consent and consent change (IP, text version and hash);
channel consents become purpose consents (a marketing purpose's code is its channel)

Revision ID: 0039
Revises: 0031
Create Date: 2026-12-07 09:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0039"
down_revision: str | None = "0031"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_STAMP = sa.DateTime(timezone=True)
_REFUSAL = "consent_texts are never changed: publish a new version"
_PG_GUARD = f"""
CREATE FUNCTION consent_texts_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '{_REFUSAL}' USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER consent_texts_immutable BEFORE UPDATE ON consent_texts
    FOR EACH ROW EXECUTE FUNCTION consent_texts_immutable();
"""
_SQLITE_GUARD = f"""
CREATE TRIGGER consent_texts_immutable BEFORE UPDATE ON consent_texts
BEGIN
    SELECT RAISE(ABORT, '{_REFUSAL}');
END
"""
#: A member's existing changes numbered in the order they happened (ties by id).
_NUMBER_CHANGES = """
UPDATE member_consent_changes SET seq = (
    SELECT count(*) FROM member_consent_changes AS earlier
    WHERE earlier.member_id = member_consent_changes.member_id
      AND (earlier.changed_at < member_consent_changes.changed_at
           OR (earlier.changed_at = member_consent_changes.changed_at
               AND earlier.id <= member_consent_changes.id))
)
"""


def _evidence() -> list[sa.Column[object]]:
    return [
        sa.Column("ip", sa.String(), nullable=True),
        sa.Column("text_locale", sa.String(length=8), nullable=True),
        sa.Column("text_version", sa.Integer(), nullable=True),
        sa.Column("text_sha256", sa.String(length=64), nullable=True),
    ]


def upgrade() -> None:
    op.create_table(
        "consent_purposes",
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("processor", sa.String(length=48), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("created_at", _STAMP, nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_consent_purposes")),
    )
    op.create_table(
        "consent_texts",
        sa.Column("purpose", sa.String(length=64), nullable=False),
        sa.Column("locale", sa.String(length=8), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("published_at", _STAMP, nullable=False),
        sa.Column("published_by", sa.String(length=200), nullable=True),
        sa.CheckConstraint("version >= 1", name=op.f("ck_consent_texts_version_positive")),
        sa.PrimaryKeyConstraint("purpose", "locale", "version", name=op.f("pk_consent_texts")),
    )
    op.execute(_PG_GUARD if op.get_bind().dialect.name == "postgresql" else _SQLITE_GUARD)

    with op.batch_alter_table("member_consents", schema=None) as batch_op:
        batch_op.alter_column(
            "channel",
            new_column_name="purpose",
            existing_type=sa.String(length=16),
            type_=sa.String(length=64),
            existing_nullable=False,
        )
        for column in _evidence():
            batch_op.add_column(column)

    with op.batch_alter_table("member_consent_changes", schema=None) as batch_op:
        batch_op.drop_index("ix_member_consent_changes_member")
        batch_op.alter_column(
            "channel",
            new_column_name="purpose",
            existing_type=sa.String(length=16),
            type_=sa.String(length=64),
            existing_nullable=False,
        )
        batch_op.add_column(sa.Column("seq", sa.Integer(), nullable=True))
        for column in _evidence():
            batch_op.add_column(column)
    op.execute(_NUMBER_CHANGES)
    with op.batch_alter_table("member_consent_changes", schema=None) as batch_op:
        batch_op.alter_column("seq", existing_type=sa.Integer(), nullable=False)
        batch_op.create_unique_constraint(
            op.f("uq_member_consent_changes_member_id_seq"), ["member_id", "seq"]
        )
        batch_op.create_index(
            "ix_member_consent_changes_member", ["member_id", "changed_at", "seq"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("member_consent_changes", schema=None) as batch_op:
        batch_op.drop_index("ix_member_consent_changes_member")
        batch_op.drop_constraint(op.f("uq_member_consent_changes_member_id_seq"), type_="unique")
        for name in ("text_sha256", "text_version", "text_locale", "ip", "seq"):
            batch_op.drop_column(name)
        batch_op.alter_column(
            "purpose",
            new_column_name="channel",
            existing_type=sa.String(length=64),
            type_=sa.String(length=16),
            existing_nullable=False,
        )
        batch_op.create_index(
            "ix_member_consent_changes_member", ["member_id", "changed_at"], unique=False
        )
    with op.batch_alter_table("member_consents", schema=None) as batch_op:
        for name in ("text_sha256", "text_version", "text_locale", "ip"):
            batch_op.drop_column(name)
        batch_op.alter_column(
            "purpose",
            new_column_name="channel",
            existing_type=sa.String(length=64),
            type_=sa.String(length=16),
            existing_nullable=False,
        )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER consent_texts_immutable ON consent_texts")
        op.execute("DROP FUNCTION consent_texts_immutable()")
    op.drop_table("consent_texts")
    op.drop_table("consent_purposes")
