"""``loyalist apikeys create|list|revoke``: a key is shown once, works, and can be revoked."""

from __future__ import annotations

import pytest

from loyalist.bootstrap import Loyalist
from loyalist.errors import UnauthorizedError
from loyalist.staff.models import Permission
from loyalist.staff.service import authenticate, create_api_key
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
