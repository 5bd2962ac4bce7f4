"""After the master key is rotated and the old one dropped, the API still finds members by
e-mail and phone and shows their profile, and birthdays still match."""

from __future__ import annotations

from datetime import date

from starlette.testclient import TestClient

from loyalist.api.app import create_app
from loyalist.bootstrap import Loyalist, bootstrap
from loyalist.db.crypto import Keyring, new_master_key
from loyalist.members import service as members
from tests.conftest import START, TEST_KEY, event

NEW_KEY = new_master_key()
PROFILE = {
    "email": "Zoe.Quartermaine@Example.org",
    "phone": "+7 (912) 345-67-89",
    "first_name": "Zoe",
    "birthday": date(1991, START.month, START.day).isoformat(),
}


def test_finds_members_by_email_and_birthday_after_rotation_without_the_old_key(
    client: TestClient, app: Loyalist, admin: dict[str, str]
) -> None:
    enrolled = event("enrol-z1", "member.enrolled", "Z1", START, **PROFILE)
    assert client.post("/api/v1/events", json=[enrolled], headers=admin).status_code == 202
    rotating = bootstrap(
        app.settings, clock=app.clock, keyring=Keyring.from_secrets(NEW_KEY, TEST_KEY)
    )
    try:
        assert rotating.rotate_keys()["member keys and profiles"] == 1
    finally:
        rotating.close()

    after = bootstrap(app.settings, clock=app.clock, keyring=Keyring.from_secrets(NEW_KEY))
    try:
        with TestClient(create_app(after, embedded_worker=False)) as rotated:
            by_email = rotated.get(
                "/api/v1/members", params={"email": "zoe.quartermaine@example.org"}, headers=admin
            )
            by_phone = rotated.get(
                "/api/v1/members", params={"phone": "+79123456789"}, headers=admin
            )
            one = rotated.get("/api/v1/members/Z1", headers=admin)
        born = after.db.read(lambda uow: members.members_with_birthday(uow, START.month, START.day))
    finally:
        after.close()

    assert by_email.status_code == 200, by_email.text
    assert [m["id"] for m in by_email.json()] == ["Z1"]
    assert [m["id"] for m in by_phone.json()] == ["Z1"]
    assert {k: one.json()[k] for k in PROFILE} == {
        **PROFILE,
        "email": "zoe.quartermaine@example.org",
    }
    assert len(born) == 1
