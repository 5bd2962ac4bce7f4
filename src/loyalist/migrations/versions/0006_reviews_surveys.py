"""reviews_surveys

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 11:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "reviews",
        sa.Column("id", _ID, nullable=False),
        sa.Column("review_id", sa.String(length=128), nullable=False),
        sa.Column("member_id", _ID, nullable=False),
        sa.Column("sku", sa.String(length=128), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.Column("text_length", sa.Integer(), nullable=False),
        sa.Column("has_photo", sa.Boolean(), nullable=False),
        sa.Column("order_id", sa.String(length=128), nullable=True),
        sa.Column("event_id", sa.String(length=128), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("is_verified_purchase", sa.Boolean(), nullable=False),
        sa.Column("is_first_for_product", sa.Boolean(), nullable=False),
        sa.Column("verified_order_id", sa.String(length=128), nullable=True),
        sa.Column("holds_slot", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("removal_reason", sa.String(length=200), nullable=True),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("qualifying_points", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "NOT holds_slot OR status = 'live'", name=op.f("ck_reviews_slot_only_when_live")
        ),
        sa.CheckConstraint("status IN ('live', 'removed')", name=op.f("ck_reviews_status_known")),
        sa.CheckConstraint("rating BETWEEN 1 AND 5", name=op.f("ck_reviews_rating_in_range")),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_reviews_member_id_members")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reviews")),
        sa.UniqueConstraint("review_id", name=op.f("uq_reviews_review_id")),
    )
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.create_index("ix_reviews_member_sku", ["member_id", "sku"], unique=False)
        batch_op.create_index(
            "uq_reviews_slot",
            ["member_id", "sku"],
            unique=True,
            postgresql_where=sa.text("holds_slot"),
            sqlite_where=sa.text("holds_slot"),
        )

    op.create_table(
        "survey_answers",
        sa.Column("id", _ID, nullable=False),
        sa.Column("event_id", sa.String(length=128), nullable=False),
        sa.Column("member_id", _ID, nullable=False),
        sa.Column("survey_id", sa.String(length=128), nullable=False),
        sa.Column("score", sa.Integer(), nullable=True),
        sa.Column("channel", sa.String(length=8), nullable=True),
        sa.Column("comment_length", sa.Integer(), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("is_first", sa.Boolean(), nullable=False),
        sa.CheckConstraint(
            "comment_length >= 0", name=op.f("ck_survey_answers_comment_length_not_negative")
        ),
        sa.CheckConstraint(
            "score IS NULL OR score BETWEEN 0 AND 10",
            name=op.f("ck_survey_answers_score_in_range"),
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_survey_answers_member_id_members")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_answers")),
        sa.UniqueConstraint("event_id", name=op.f("uq_survey_answers_event_id")),
    )
    with op.batch_alter_table("survey_answers", schema=None) as batch_op:
        batch_op.create_index("ix_survey_answers_answered_at", ["answered_at"], unique=False)
        batch_op.create_index(
            "ix_survey_answers_member_survey", ["member_id", "survey_id"], unique=False
        )
        batch_op.create_index(
            "uq_survey_answers_first",
            ["member_id", "survey_id"],
            unique=True,
            postgresql_where=sa.text("is_first"),
            sqlite_where=sa.text("is_first"),
        )


def downgrade() -> None:
    op.drop_table("survey_answers")
    op.drop_table("reviews")
