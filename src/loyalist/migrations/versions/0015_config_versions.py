"""configuration versions: a row per configuration, bumped by a trigger on each change

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 23:40:00

Processes cache the programs built from configuration and check these rows once per unit
of work (``loyalist.db.configs``). Each change to a configuration table sets its row to a
fresh random number in the same transaction, whatever wrote it (the ORM, a fixed
statement, an operator's SQL). On SQLite, ``batch_alter_table`` recreates a table without
its triggers: a later migration that batch-alters one of these tables must create its
triggers again (``tests/integration/test_config_cache.py`` checks every change bumps).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: configuration -> the table whose changes bump it
CONFIGS = {
    "rules": "rule_versions",
    "tiers": "tier_programs",
    "gamification": "game_definitions",
    "referrals": "referral_program",
}
#: The first version of each row: a random 63-bit number.
_SEED = {
    "postgresql": "INSERT INTO config_versions VALUES (:name, (random() * 9.2e18)::bigint)",
    "sqlite": "INSERT INTO config_versions VALUES (:name, random())",
}


def upgrade() -> None:
    op.create_table(
        "config_versions",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_config_versions")),
    )
    if op.get_bind().dialect.name == "postgresql":
        _upgrade_postgresql()
    else:
        _upgrade_sqlite()


def _seed(dialect: str) -> None:
    for name in CONFIGS:
        op.execute(sa.text(_SEED[dialect]).bindparams(name=name))


def _upgrade_postgresql() -> None:
    _seed("postgresql")
    op.execute(
        """
        CREATE FUNCTION config_changed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO config_versions (name, version)
            VALUES (TG_ARGV[0], (random() * 9.2e18)::bigint)
            ON CONFLICT (name) DO UPDATE SET version = excluded.version;
            RETURN NULL;
        END
        $$
        """
    )
    for name, table in CONFIGS.items():
        op.execute(
            f"CREATE TRIGGER {table}_config_changed "
            f"AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION config_changed('{name}')"
        )


def _upgrade_sqlite() -> None:
    _seed("sqlite")
    for name, table in CONFIGS.items():
        for action in ("insert", "update", "delete"):
            bump = f"INSERT OR REPLACE INTO config_versions VALUES ('{name}', random())"  # noqa: S608
            op.execute(
                f"CREATE TRIGGER {table}_{action}_config_changed "
                f"AFTER {action.upper()} ON {table} BEGIN {bump}; END"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in CONFIGS.values():
            op.execute(f"DROP TRIGGER {table}_config_changed ON {table}")
        op.execute("DROP FUNCTION config_changed()")
    else:
        for table in CONFIGS.values():
            for action in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER {table}_{action}_config_changed")
    op.drop_table("config_versions")
