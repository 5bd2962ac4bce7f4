"""The schema head commands check against is Alembic's own."""

from __future__ import annotations

from alembic.script import ScriptDirectory

from loyalist.bootstrap import SCHEMA_HEAD, alembic_config


def test_head_constant_is_alembics_head() -> None:
    scripts = ScriptDirectory.from_config(alembic_config("sqlite://"))
    assert scripts.get_current_head() == SCHEMA_HEAD
