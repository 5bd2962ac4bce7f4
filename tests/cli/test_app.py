"""``loyalist init``, what any command says before it has run, and the lazy command table."""

from __future__ import annotations

import inspect as pyinspect
import json
import stat
import subprocess
import sys

from sqlalchemy import create_engine, inspect, text

from loyalist.cli.app import COMMANDS, load_command
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


#: Prints which ``loyalist.cli`` modules and heavy libraries a command line imported.
_IMPORTED_BY = """
import json, sys
from loyalist.cli.app import main
sys.argv = ["loyalist", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
names = ("loyalist.bootstrap", "sqlalchemy", "psycopg", "cel")
print(json.dumps({
    "cli": sorted(m for m in sys.modules if m.startswith("loyalist.cli.")),
    "heavy": sorted(m for m in names if m in sys.modules),
}), file=sys.stderr)
"""


class TestCommandTable:
    def test_listing_shows_the_first_paragraph_of_each_commands_own_help(self) -> None:
        for name, entry in COMMANDS.items():
            command = load_command(name)

            own = pyinspect.cleandoc(command.short_help or command.help or "").split("\n\n")[0]
            assert (command.name, entry.summary) == (name, own)
            assert not command.hidden
            assert not command.deprecated

    def test_top_level_help_imports_no_command_and_not_the_application(self, bare_cli: Cli) -> None:
        shown, imported = _run_and_list_imports(bare_cli, "--help")

        assert "apikeys" in shown
        assert imported == {"cli": ["loyalist.cli.app"], "heavy": []}

    def test_command_help_imports_that_command_only(self, bare_cli: Cli) -> None:
        shown, imported = _run_and_list_imports(bare_cli, "apikeys", "--help")

        assert "list" in shown
        assert imported["cli"] == [
            "loyalist.cli.apikeys",
            "loyalist.cli.app",
            "loyalist.cli.context",
            "loyalist.cli.errors",
        ]


def _run_and_list_imports(cli: Cli, *args: str) -> tuple[str, dict[str, list[str]]]:
    """The command line's stdout, and what ``_IMPORTED_BY`` reports it imported."""
    done = subprocess.run(  # noqa: S603 (our own program, fixed arguments)
        [sys.executable, "-c", _IMPORTED_BY, *args],
        env=cli.env,
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
    )
    imported: dict[str, list[str]] = json.loads(done.stderr.strip().splitlines()[-1])
    return done.stdout, imported
