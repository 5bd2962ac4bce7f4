"""Roles over the API: built-in ones listed and untouchable, custom ones created, changed
and deleted (audited), unknown permissions pointed at, nothing granted beyond one's own; a
key acting with a custom role follows its changes."""

from __future__ import annotations

from starlette.testclient import TestClient

from loyalist.bootstrap import Loyalist
from loyalist.db.uow import UnitOfWork
from loyalist.staff.models import Permission
from loyalist.staff.policy import BUILTIN_ROLES
from loyalist.staff.service import create_api_key, permissions_of
from tests.api.conftest import assert_problem, bearer, row_counts
from tests.auditing import audit_rows

ROLES = "/api/v1/roles"
SHIFT_LEAD = {
    "slug": "shift_lead",
    "name": "Shift lead",
    "permissions": ["members.read", "checkout.use", "points.read"],
}
#: Its permissions as stored and shown: sorted.
THREE = ["checkout.use", "members.read", "points.read"]


def _role_key(app: Loyalist, role: str) -> str:
    def op(uow: UnitOfWork) -> str:
        return create_api_key(uow, f"as {role}", [], role=role)[1]

    return app.db.write(op)


class TestBuiltin:
    def test_lists_the_seeded_roles_with_the_permissions_of_the_code(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        response = client.get(ROLES, headers=admin)

        assert response.status_code == 200, response.text
        items = response.json()["items"]
        assert {item["slug"]: (item["name"], set(item["permissions"])) for item in items} == {
            slug: (spec.name, {p.value for p in spec.permissions})
            for slug, spec in BUILTIN_ROLES.items()
        }
        assert all(item["is_builtin"] for item in items)

    def test_cannot_be_changed_or_deleted(
        self, client: TestClient, app: Loyalist, admin: dict[str, str]
    ) -> None:
        before = row_counts(app)

        changed = client.put(
            f"{ROLES}/support", json={"name": "Support", "permissions": []}, headers=admin
        )
        deleted = client.delete(f"{ROLES}/owner", headers=admin)

        assert_problem(changed, 409, "role_builtin")
        assert_problem(deleted, 409, "role_builtin")
        assert row_counts(app) == before

    def test_permissions_of_several_roles_is_their_union(self, app: Loyalist) -> None:
        granted = app.db.read(lambda uow: permissions_of(uow, ["cashier", "auditor", "nobody"]))

        assert (
            granted == BUILTIN_ROLES["cashier"].permissions | BUILTIN_ROLES["auditor"].permissions
        )
        assert app.db.read(lambda uow: permissions_of(uow, [])) == frozenset()


class TestCustom:
    def test_creates_changes_and_deletes_a_role_each_audited_with_before_and_after(
        self, client: TestClient, app: Loyalist, admin: dict[str, str]
    ) -> None:
        created = client.post(ROLES, json=SHIFT_LEAD, headers=admin)
        changed = client.put(
            f"{ROLES}/shift_lead",
            json={"name": "Shift lead", "permissions": ["members.read", "checkout.use"]},
            headers=admin,
        )
        listed = client.get(ROLES, headers=admin).json()["items"]
        deleted = client.delete(f"{ROLES}/shift_lead", headers=admin)

        assert created.status_code == 201, created.text
        assert created.json()["permissions"] == THREE
        assert created.json()["is_builtin"] is False
        assert changed.status_code == 200, changed.text
        assert listed[-1]["slug"] == "shift_lead"
        assert deleted.status_code == 204
        assert "shift_lead" not in {
            i["slug"] for i in client.get(ROLES, headers=admin).json()["items"]
        }
        rows = audit_rows(app, "role.created", "role.changed", "role.deleted")
        assert [(r["action"], r["target_id"], r["before"], r["after"]) for r in rows] == [
            (
                "role.created",
                "shift_lead",
                None,
                {"name": "Shift lead", "permissions": THREE},
            ),
            (
                "role.changed",
                "shift_lead",
                {"name": "Shift lead", "permissions": THREE},
                {"name": "Shift lead", "permissions": ["checkout.use", "members.read"]},
            ),
            (
                "role.deleted",
                "shift_lead",
                {"name": "Shift lead", "permissions": ["checkout.use", "members.read"]},
                None,
            ),
        ]
        assert {r["actor_label"] for r in rows} == {"shop admin"}

    def test_an_unknown_permission_is_a_422_pointing_at_it(
        self, client: TestClient, app: Loyalist, admin: dict[str, str]
    ) -> None:
        before = row_counts(app)
        body = SHIFT_LEAD | {"permissions": ["members.read", "members.eat", "root"]}

        response = client.post(ROLES, json=body, headers=admin)

        problem = assert_problem(
            response, 422, "permission_unknown", "/permissions/1", "/permissions/2"
        )
        assert "members.eat" in problem["errors"][0]["detail"]
        assert row_counts(app) == before

    def test_a_taken_slug_or_a_bad_one_is_refused(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        assert_problem(
            client.post(ROLES, json=SHIFT_LEAD | {"slug": "support"}, headers=admin),
            409,
            "role_exists",
            "/slug",
        )
        assert_problem(
            client.post(ROLES, json=SHIFT_LEAD | {"slug": "Shift Lead"}, headers=admin),
            422,
            "request_invalid",
            "/slug",
        )
        assert_problem(
            client.put(f"{ROLES}/nobody", json={"name": "x", "permissions": []}, headers=admin),
            404,
            "role_not_found",
        )

    def test_nobody_grants_a_permission_they_do_not_hold(
        self, client: TestClient, app: Loyalist, admin: dict[str, str]
    ) -> None:
        body = {"slug": "staff_admin", "name": "Staff admin", "permissions": ["staff.manage"]}
        assert client.post(ROLES, json=body, headers=admin).status_code == 201
        delegate = bearer(_role_key(app, "staff_admin"))
        before = row_counts(app)

        refused = client.post(
            ROLES,
            json={
                "slug": "reader",
                "name": "Reader",
                "permissions": ["staff.manage", "audit.read"],
            },
            headers=delegate,
        )
        allowed = client.post(
            ROLES,
            json={"slug": "helper", "name": "Helper", "permissions": ["staff.manage"]},
            headers=delegate,
        )

        problem = assert_problem(refused, 403, "grant_beyond_own")
        assert "audit.read" in problem["detail"]
        assert allowed.status_code == 201, allowed.text
        assert {t: n - before[t] for t, n in row_counts(app).items() if n != before[t]} == {
            "roles": 1,
            "audit_log": 1,
        }

    def test_a_key_acting_with_a_role_follows_its_changes_and_keeps_it_from_deletion(
        self, client: TestClient, app: Loyalist, admin: dict[str, str]
    ) -> None:
        client.put("/api/v1/members/M1", json={}, headers=admin)
        client.post(ROLES, json=SHIFT_LEAD, headers=admin)
        lead = bearer(_role_key(app, "shift_lead"))

        first = client.get("/api/v1/members/M1/points", headers=lead)
        client.put(
            f"{ROLES}/shift_lead",
            json={"name": "Shift lead", "permissions": ["members.read"]},
            headers=admin,
        )
        then = client.get("/api/v1/members/M1/points", headers=lead)
        in_use = client.delete(f"{ROLES}/shift_lead", headers=admin)

        assert first.status_code == 200, first.text
        body = assert_problem(then, 403, "permission_denied")
        assert body["permission"] == Permission.POINTS_READ.value
        assert_problem(in_use, 409, "role_in_use")
