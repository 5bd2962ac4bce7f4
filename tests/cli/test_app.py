"""``loyalist init`` and what any command says before it has run."""

from __future__ import annotations

import stat

from sqlalchemy import create_engine, inspect, text

from tests.cli.conftest import Cli, needs_sqlite

pytestmark = needs_sqlite


class TestInit:
    def test_creates_private_key_file_and_migrated_database_and_can_run_again(
        self, bare_cli: Cli
    ) -> None:
        first = bare_cli.run("init")
        assert first.code == 0, first.stderr
        key_file = bare_cli.home / "secret.key"
        assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
        key = key_file.read_text()
        assert len(key.strip()) >= 43  # 32 random bytes in base64
        assert "created secret key" in first.stderr

        again = bare_cli.run("init")

        assert again.code == 0, again.stderr
        assert "created secret key" not in again.stderr
        assert key_file.read_text() == key  # never overwritten: that would lose the data
        engine = create_engine(f"sqlite:///{bare_cli.home / 'loyalist.db'}")
        try:
            tables = set(inspect(engine).get_table_names())
            with engine.connect() as conn:
                versions = conn.execute(text("SELECT version_num FROM alembic_version")).all()
        finally:
            engine.dispose()
        assert {"members", "activities", "member_points", "api_keys"} <= tables
        assert len(versions) == 1


class TestBeforeInit:
    def test_command_without_key_says_key_missing_and_exits_1(self, bare_cli: Cli) -> None:
        result = bare_cli.run("apikeys", "list")

        assert result.code == 1
        assert result.stderr.startswith("error[key_missing]: ")
        assert "loyalist init" in result.stderr
        assert "Traceback" not in result.stderr
        assert not (bare_cli.home / "secret.key").exists()
