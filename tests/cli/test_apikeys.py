"""``loyalist apikeys create|list|revoke``: a key is shown once, works, and can be revoked."""

from __future__ import annotations

import getpass

import pytest

from loyalist.bootstrap import Loyalist
from loyalist.errors import UnauthorizedError
from loyalist.staff.models import Permission
from loyalist.staff.policy import BUILTIN_ROLES
from loyalist.staff.service import authenticate, create_api_key
from tests.auditing import audit_rows
from tests.cli.conftest import Cli, sqlite_only

pytestmark = sqlite_only


def _create_key(app: Loyalist, name: str = "web-store") -> tuple[int, str, str]:
    """``(id, prefix, token)`` of a new key with scope ``events:write``."""
    key, token = app.db.write(lambda uow: create_api_key(uow, name, ["events:write"]))
    return key.id, key.prefix, token


class TestCreate:
    def test_prints_key_once_on_stdout_and_it_authenticates_with_its_scopes(
        self, cli: Cli, app: Loyalist
    ) -> None:
        result = cli.run(
            "apikeys", "create", "--name", "web-store", "--scope", "events:write",
            "--scope", "points:read",
        )  # fmt: skip

        assert result.code == 0, result.stderr
        token = result.stdout.strip()
        assert token.startswith("lk_")
        assert len(result.stdout.splitlines()) == 1
        assert token not in result.stderr
        principal = app.db.read(lambda uow: authenticate(uow, token))
        assert principal.name == "web-store"
        assert principal.permissions == {Permission.EVENTS_WRITE, Permission.POINTS_READ}

    def test_a_key_with_a_role_acts_with_the_roles_permissions_and_is_audited(
        self, cli: Cli, app: Loyalist
    ) -> None:
        result = cli.run("apikeys", "create", "--name", "helpdesk", "--role", "support")

        assert result.code == 0, result.stderr
        principal = app.db.read(lambda uow: authenticate(uow, result.stdout.strip()))
        assert principal.permissions == BUILTIN_ROLES["support"].permissions
        assert "with role support" in result.stderr
        [row] = audit_rows(app, "apikey.created")
        assert (row["actor_kind"], row["actor_label"]) == ("system", f"cli:{getpass.getuser()}")
        assert row["after"]["role"] == "support"
        assert row["after"]["owner"] == "helpdesk"

    def test_refuses_an_unknown_role_and_a_role_with_scopes(self, cli: Cli, app: Loyalist) -> None:
        unknown = cli.run("apikeys", "create", "--name", "x", "--role", "janitor")
        both = cli.run(
            "apikeys", "create", "--name", "x", "--role", "support", "--scope", "points:read"
        )
        neither = cli.run("apikeys", "create", "--name", "x")

        assert (unknown.code, both.code, neither.code) == (2, 2, 2)
        assert unknown.stderr.startswith("error[api_key_role_unknown]: ")
        assert both.stderr.startswith("error[api_key_scope_invalid]: ")
        assert neither.stderr.startswith("error[api_key_scope_invalid]: ")
        assert audit_rows(app) == []


class TestRotate:
    def test_prints_a_new_token_for_the_same_key_and_the_old_one_stops_working(
        self, cli: Cli, app: Loyalist
    ) -> None:
        key_id, prefix, old = _create_key(app)

        result = cli.run("apikeys", "rotate", prefix)

        assert result.code == 0, result.stderr
        new = result.stdout.strip()
        assert new.startswith(f"lk_{prefix}_")
        assert new != old
        assert f"key {key_id} 'web-store' has a new secret" in result.stderr
        assert app.db.read(lambda uow: authenticate(uow, new)).name == "web-store"
        with pytest.raises(UnauthorizedError):
            app.db.read(lambda uow: authenticate(uow, old))
        assert [r["target_id"] for r in audit_rows(app, "apikey.rotated")] == [str(key_id)]

    def test_a_revoked_key_cannot_be_rotated(self, cli: Cli, app: Loyalist) -> None:
        key_id, _prefix, _token = _create_key(app)
        cli.run("apikeys", "revoke", str(key_id))

        result = cli.run("apikeys", "rotate", str(key_id))

        assert result.code == 4
        assert result.stderr.startswith("error[api_key_revoked_already]: ")


class TestList:
    def test_shows_every_key_by_prefix_and_never_a_secret(self, cli: Cli, app: Loyalist) -> None:
        keys = [_create_key(app, name) for name in ("web-store", "pos-terminal")]

        result = cli.run("apikeys", "list")

        assert result.code == 0, result.stderr
        for _id, prefix, token in keys:
            assert prefix in result.stdout
            # The secret is everything after the prefix: it may itself contain "_".
            secret = token.split(f"{prefix}_", 1)[1]
            assert len(secret) >= 40
            assert secret[:8] not in result.stdout + result.stderr
        assert "web-store" in result.stdout
        assert "pos-terminal" in result.stdout


class TestRevoke:
    def test_revoked_key_no_longer_authenticates(self, cli: Cli, app: Loyalist) -> None:
        key_id, prefix, token = _create_key(app)

        result = cli.run("apikeys", "revoke", prefix)

        assert result.code == 0, result.stderr
        assert f"revoked key {key_id} 'web-store'" in result.stdout
        with pytest.raises(UnauthorizedError) as caught:
            app.db.read(lambda uow: authenticate(uow, token))
        assert caught.value.code == "api_key_revoked"

    def test_unknown_key_exits_3_and_changes_nothing(self, cli: Cli, app: Loyalist) -> None:
        _key_id, _prefix, token = _create_key(app)

        result = cli.run("apikeys", "revoke", "0123456789ab")

        assert result.code == 3
        assert result.stderr.startswith("error[api_key_not_found]: ")
        assert app.db.read(lambda uow: authenticate(uow, token)).name == "web-store"
