"""messages: journey settings (a row per configured journey) and templates' short text

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-07 02:45:00

``journey_settings`` is configuration cached per process: its changes bump the
``journeys`` row of ``config_versions`` by a trigger, as migration 0015 does for the others.
``message_templates`` gains ``body_short``, the SMS/push text of a stored version.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_NAME = "journeys"
_TABLE = "journey_settings"
_ACTIONS = ("insert", "update", "delete")


def upgrade() -> None:
    op.create_table(
        _TABLE,
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column(
            "settings",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=120), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_journey_settings")),
    )
    with op.batch_alter_table("message_templates", schema=None) as batch_op:
        batch_op.add_column(sa.Column("body_short", sa.String(), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"INSERT INTO config_versions VALUES ('{_NAME}', (random() * 9.2e18)::bigint)"  # noqa: S608
        )
        op.execute(
            f"CREATE TRIGGER {_TABLE}_config_changed "
            f"AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {_TABLE} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION config_changed('{_NAME}')"
        )
    else:
        bump = f"INSERT OR REPLACE INTO config_versions VALUES ('{_NAME}', random())"  # noqa: S608
        op.execute(bump)
        for action in _ACTIONS:
            op.execute(
                f"CREATE TRIGGER {_TABLE}_{action}_config_changed "
                f"AFTER {action.upper()} ON {_TABLE} BEGIN {bump}; END"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP TRIGGER {_TABLE}_config_changed ON {_TABLE}")
    else:
        for action in _ACTIONS:
            op.execute(f"DROP TRIGGER {_TABLE}_{action}_config_changed")
    op.execute(f"DELETE FROM config_versions WHERE name = '{_NAME}'")  # noqa: S608
    with op.batch_alter_table("message_templates", schema=None) as batch_op:
        batch_op.drop_column("body_short")
    op.drop_table(_TABLE)
