"""API keys over the API: listed by prefix (never a secret), created with scopes or a role
(the token shown once), rotated (the old secret stops working) and revoked, each audited;
nobody hands out or learns a key holding more than they do."""

from __future__ import annotations

from starlette.testclient import TestClient

from loyalist.bootstrap import Loyalist
from loyalist.db.uow import UnitOfWork
from loyalist.staff.policy import BUILTIN_ROLES
from loyalist.staff.service import authenticate, create_api_key
from tests.api.conftest import assert_problem, bearer, row_counts
from tests.auditing import audit_rows

KEYS = "/api/v1/api-keys"


def _keymaster(client: TestClient, app: Loyalist, admin: dict[str, str]) -> dict[str, str]:
    """Headers of a key whose role may manage keys and read members, nothing else."""
    role = {
        "slug": "keymaster",
        "name": "Keymaster",
        "permissions": ["keys.manage", "members.read"],
    }
    assert client.post("/api/v1/roles", json=role, headers=admin).status_code == 201

    def op(uow: UnitOfWork) -> str:
        return create_api_key(uow, "keymaster", [], role="keymaster")[1]

    return bearer(app.db.write(op))


class TestCreate:
    def test_a_key_with_a_role_acts_with_its_permissions_and_shows_its_token_once(
        self, client: TestClient, app: Loyalist, admin: dict[str, str]
    ) -> None:
        response = client.post(KEYS, json={"name": "helpdesk", "role": "support"}, headers=admin)

        assert response.status_code == 201, response.text
        made = response.json()
        assert (made["role"], made["scopes"], made["owner"], made["owner_staff_id"]) == (
            "support", [], "helpdesk", None,
        )  # fmt: skip
        token = made["token"]
        assert token.startswith(f"lk_{made['prefix']}_")
        principal = app.db.read(lambda uow: authenticate(uow, token))
        assert principal.permissions == BUILTIN_ROLES["support"].permissions
        listed = client.get(KEYS, headers=admin)
        assert listed.status_code == 200
        assert token.split("_", 2)[2] not in listed.text
        assert "token" not in listed.json()["items"][-1]
        assert listed.json()["items"][-1]["prefix"] == made["prefix"]
        [row] = audit_rows(app, "apikey.created")[-1:]
        assert (row["target_id"], row["actor_label"], row["after"]["role"]) == (
            str(made["id"]), "shop admin", "support",
        )  # fmt: skip
        assert token.split("_", 2)[2] not in str(row)

    def test_a_key_belongs_to_a_staff_user_or_a_named_integration(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        by_staff = client.post(
            KEYS, json={"name": "ann's", "scopes": ["points:read"], "owner_staff_id": 7},
            headers=admin,
        )  # fmt: skip
        by_shop = client.post(
            KEYS, json={"name": "till 3", "scopes": ["checkout:write"], "owner": "pos"},
            headers=admin,
        )  # fmt: skip
        both = client.post(
            KEYS,
            json={"name": "x", "scopes": ["points:read"], "owner": "pos", "owner_staff_id": 7},
            headers=admin,
        )

        assert (by_staff.json()["owner"], by_staff.json()["owner_staff_id"]) == (None, 7)
        assert (by_shop.json()["owner"], by_shop.json()["owner_staff_id"]) == ("pos", None)
        assert_problem(both, 422, "api_key_owner_invalid", "/owner")

    def test_refuses_scopes_with_a_role_neither_an_unknown_scope_or_role(
        self, client: TestClient, app: Loyalist, admin: dict[str, str]
    ) -> None:
        before = row_counts(app)
        answers = [
            client.post(KEYS, json=body, headers=admin)
            for body in (
                {"name": "a", "scopes": ["points:read"], "role": "support"},
                {"name": "b"},
                {"name": "c", "scopes": ["points:eat"]},
                {"name": "d", "role": "janitor"},
                {"name": "  ", "scopes": ["points:read"]},
            )
        ]

        assert [(r.status_code, r.json()["code"]) for r in answers] == [
            (422, "api_key_scope_invalid"),
            (422, "api_key_scope_invalid"),
            (422, "api_key_scope_invalid"),
            (422, "api_key_role_unknown"),
            (422, "request_invalid"),
        ]
        assert row_counts(app) == before

    def test_nobody_creates_a_key_holding_more_than_they_do(
        self, client: TestClient, app: Loyalist, admin: dict[str, str]
    ) -> None:
        keymaster = _keymaster(client, app, admin)

        refused = [
            client.post(KEYS, json=body, headers=keymaster)
            for body in (
                {"name": "root", "scopes": ["admin"]},
                {"name": "boss", "role": "owner"},
                {"name": "pii", "scopes": ["members:read"]},  # also members.read_pii
            )
        ]
        allowed = client.post(KEYS, json={"name": "reader", "role": "keymaster"}, headers=keymaster)

        for response in refused:
            assert_problem(response, 403, "grant_beyond_own")
        assert allowed.status_code == 201, allowed.text


class TestRotate:
    def test_gives_a_new_secret_to_the_same_key_and_the_old_one_stops_working(
        self, client: TestClient, app: Loyalist, admin: dict[str, str]
    ) -> None:
        made = client.post(KEYS, json={"name": "till", "scopes": ["points:read"]}, headers=admin)
        client.put("/api/v1/members/M1", json={}, headers=admin)
        old = made.json()["token"]
        assert client.get("/api/v1/members/M1/points", headers=bearer(old)).status_code == 200

        rotated = client.post(f"{KEYS}/{made.json()['id']}/rotate", headers=admin)

        assert rotated.status_code == 200, rotated.text
        new = rotated.json()
        assert (new["id"], new["prefix"], new["scopes"]) == (
            made.json()["id"], made.json()["prefix"], ["points:read"],
        )  # fmt: skip
        assert new["token"] != old
        assert new["rotated_at"] is not None
        assert_problem(
            client.get("/api/v1/members/M1/points", headers=bearer(old)), 401, "api_key_invalid"
        )
        assert (
            client.get("/api/v1/members/M1/points", headers=bearer(new["token"])).status_code == 200
        )
        [row] = audit_rows(app, "apikey.rotated")
        assert (row["target_id"], row["after"]) == (str(new["id"]), {"prefix": new["prefix"]})

    def test_refuses_a_revoked_key_an_unknown_one_and_one_holding_more_than_the_caller(
        self, client: TestClient, app: Loyalist, admin: dict[str, str]
    ) -> None:
        keymaster = _keymaster(client, app, admin)
        made = client.post(KEYS, json={"name": "x", "scopes": ["admin"]}, headers=admin).json()

        beyond = client.post(f"{KEYS}/{made['id']}/rotate", headers=keymaster)
        client.delete(f"{KEYS}/{made['id']}", headers=keymaster)
        revoked = client.post(f"{KEYS}/{made['id']}/rotate", headers=admin)
        unknown = client.post(f"{KEYS}/999999/rotate", headers=admin)

        assert_problem(beyond, 403, "grant_beyond_own")
        assert_problem(revoked, 409, "api_key_revoked_already")
        assert_problem(unknown, 404, "api_key_not_found")


class TestRevoke:
    def test_a_revoked_key_stops_at_once_and_revoking_again_changes_nothing(
        self, client: TestClient, app: Loyalist, admin: dict[str, str]
    ) -> None:
        made = client.post(
            KEYS, json={"name": "old till", "scopes": ["points:read"]}, headers=admin
        ).json()
        client.put("/api/v1/members/M1", json={}, headers=admin)
        assert (
            client.get("/api/v1/members/M1/points", headers=bearer(made["token"])).status_code
            == 200
        )

        first = client.delete(f"{KEYS}/{made['id']}", headers=admin)
        again = client.delete(f"{KEYS}/{made['id']}", headers=admin)

        assert first.status_code == 200, first.text
        assert first.json()["revoked_at"] is not None
        assert again.json()["revoked_at"] == first.json()["revoked_at"]
        assert_problem(
            client.get("/api/v1/members/M1/points", headers=bearer(made["token"])),
            401,
            "api_key_revoked",
        )
        assert [r["target_id"] for r in audit_rows(app, "apikey.revoked")] == [str(made["id"])]
        assert_problem(client.delete(f"{KEYS}/999999", headers=admin), 404, "api_key_not_found")
