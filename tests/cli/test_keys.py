"""``loyalist keys rotate``: every key and sealed value moves under the new master key, with
counts; a rerun has nothing left; without the old key it stops with a clear error."""

from __future__ import annotations

from dataclasses import replace

from loyalist.bootstrap import Loyalist, bootstrap
from loyalist.db.crypto import Keyring, new_master_key
from loyalist.members import service as members
from tests.cli.conftest import Cli, Result
from tests.conftest import START, TEST_KEY, event
from tests.integration.helpers import send

NEW_KEY = new_master_key()


def test_rotates_every_member_key_and_the_index_key_then_has_nothing_left(
    cli: Cli, app: Loyalist
) -> None:
    send(
        app,
        *(
            event(f"e{n}", "member.enrolled", f"M{n}", START, email=f"m{n}@example.org")
            for n in range(3)
        ),
    )
    rotating = replace(
        cli, extra_env={"LOYALIST_SECRET_KEY": NEW_KEY, "LOYALIST_RETIRED_KEYS": TEST_KEY}
    )

    first = rotating.run("keys", "rotate", "--chunk-size", "2")
    again = replace(cli, extra_env={"LOYALIST_SECRET_KEY": NEW_KEY}).run("keys", "rotate")

    assert first.code == 0, first.stdout + first.stderr
    rows = {line.split("│")[1].strip(): line.split("│")[2].strip() for line in _table(first)}
    assert rows["index key"] == "1"
    assert rows["member keys and profiles"] == "3"
    assert "the retired keys may now be removed" in first.stdout
    assert again.code == 0, again.stdout + again.stderr
    assert {line.split("│")[2].strip() for line in _table(again)} == {"0"}
    after = bootstrap(app.settings, keyring=Keyring.from_secrets(NEW_KEY))
    try:
        found = after.db.read(
            lambda uow: [
                m.external_id for m in members.find_members_by_email(uow, "m1@example.org")
            ]
        )
        assert found == ["M1"]
    finally:
        after.close()


def test_stops_with_a_clear_error_when_the_old_key_is_not_kept(cli: Cli, app: Loyalist) -> None:
    send(app, event("e1", "member.enrolled", "M1", START, email="m1@example.org"))

    result = replace(cli, extra_env={"LOYALIST_SECRET_KEY": NEW_KEY}).run("keys", "rotate")

    assert result.code == 1
    assert "error[master_key_missing]" in result.stderr
    assert "LOYALIST_RETIRED_KEYS" in result.stderr


def _table(result: Result) -> list[str]:
    """The body rows of the printed table (its header left out)."""
    rows = [line for line in result.stdout.splitlines() if line.startswith("│")]
    return [line for line in rows if line.split("│")[1].strip() != "step"]
