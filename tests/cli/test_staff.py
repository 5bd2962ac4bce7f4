"""``loyalist staff create``: the first owner from the command line (password from standard
input), refused on a weak password or unknown role."""

from __future__ import annotations

import subprocess

from loyalist.bootstrap import Loyalist
from loyalist.staff import users
from tests.cli.conftest import Cli, sqlite_only

pytestmark = sqlite_only


def _create(cli: Cli, password: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 (our own program, fixed arguments)
        cli.argv("staff", "create", "--password-stdin", *args),
        env=cli.env,
        input=password + "\n",
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
    )


def test_creates_the_first_owner_with_an_argon2id_hash(cli: Cli, app: Loyalist) -> None:
    done = _create(
        cli,
        "correct horse battery staple",
        "--email", "owner@shop.example", "--name", "Olga", "--role", "owner",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "created staff user" in done.stdout
    assert "correct horse" not in done.stdout + done.stderr
    created = app.db.read(users.list_users)
    assert [(u.email, u.roles, u.is_active) for u in created] == [
        ("owner@shop.example", ["owner"], True)
    ]
    stored = app.db.read(lambda uow: users.get_user(uow, created[0].id).password_hash)
    assert stored.startswith("$argon2id$")


def test_refuses_a_common_password_and_an_unknown_role(cli: Cli, app: Loyalist) -> None:
    weak = _create(
        cli, "password123", "--email", "a@shop.example", "--name", "A", "--role", "admin"
    )
    assert weak.returncode == 2
    assert "error[password_too_common]" in weak.stderr
    unknown = _create(
        cli, "correct horse battery staple",
        "--email", "a@shop.example", "--name", "A", "--role", "wizard",
    )  # fmt: skip
    assert unknown.returncode == 2
    assert "error[staff_role_unknown]" in unknown.stderr
    bad = _create(
        cli, "correct horse battery staple", "--email", "nope", "--name", "A", "--role", "owner"
    )
    assert bad.returncode == 2
    assert "error[request_invalid]" in bad.stderr
    assert app.db.read(users.list_users) == []
