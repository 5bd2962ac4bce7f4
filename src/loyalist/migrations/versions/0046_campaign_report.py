"""campaigns' report: the campaigns' configuration version (attribution's cache) and the
ledger's lots by rule version (points a campaign's rules awarded)

Revision ID: 0046
Revises: 0044
Create Date: 2026-12-07 09:30:00

Attribution asks, for every batch of goal events, which campaigns collect conversions; the
answer is cached per process while the ``campaigns`` row of ``config_versions`` holds. A
trigger bumps it on inserts and deletes of campaigns and on changes of the columns the
answer depends on (state, spec, launch and finish), not on a launch's progress.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0046"
down_revision: str | None = "0044"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_NAME = "campaigns"
_TABLE = "campaigns"
_COLUMNS = "state, spec, launched_at, finished_at"
_ACTIONS = {"insert": "INSERT", "update": f"UPDATE OF {_COLUMNS}", "delete": "DELETE"}


def upgrade() -> None:
    op.create_index("ix_point_lots_rule_version", "point_lots", ["rule_version_id"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"INSERT INTO config_versions VALUES ('{_NAME}', (random() * 9.2e18)::bigint)"  # noqa: S608
        )
        op.execute(
            f"CREATE TRIGGER {_TABLE}_config_changed "
            f"AFTER INSERT OR UPDATE OF {_COLUMNS} OR DELETE ON {_TABLE} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION config_changed('{_NAME}')"
        )
        op.execute(
            f"CREATE TRIGGER {_TABLE}_truncate_config_changed AFTER TRUNCATE ON {_TABLE} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION config_changed('{_NAME}')"
        )
    else:
        bump = f"INSERT OR REPLACE INTO config_versions VALUES ('{_NAME}', random())"  # noqa: S608
        op.execute(bump)
        for action, event in _ACTIONS.items():
            op.execute(
                f"CREATE TRIGGER {_TABLE}_{action}_config_changed "
                f"AFTER {event} ON {_TABLE} BEGIN {bump}; END"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP TRIGGER {_TABLE}_config_changed ON {_TABLE}")
        op.execute(f"DROP TRIGGER {_TABLE}_truncate_config_changed ON {_TABLE}")
    else:
        for action in _ACTIONS:
            op.execute(f"DROP TRIGGER {_TABLE}_{action}_config_changed")
    op.execute(f"DELETE FROM config_versions WHERE name = '{_NAME}'")  # noqa: S608
    op.drop_index("ix_point_lots_rule_version", table_name="point_lots")
