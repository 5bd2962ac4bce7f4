"""Who may call what: 401 without a valid key; every API route but the few public ones is
guarded by one permission, refused with 403 ``permission_denied`` naming it and audited as
``permission.denied``, checked cell by cell for every built-in role and every scope."""

from __future__ import annotations

from typing import Any, cast

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from sqlalchemy import select
from starlette.testclient import TestClient

from loyalist.api.app import create_app
from loyalist.api.deps import GuardedRoute
from loyalist.audit.models import AuditRecord
from loyalist.bootstrap import Loyalist
from loyalist.db.uow import UnitOfWork
from loyalist.staff.models import Permission, Scope
from loyalist.staff.policy import BUILTIN_ROLES, SCOPE_PERMISSIONS
from loyalist.staff.service import create_api_key, revoke_api_key
from tests.api.conftest import (
    PROBLEM_JSON,
    Keys,
    assert_problem,
    bearer,
    make_key,
    route_permissions,
    row_counts,
    summary,
)
from tests.auditing import audit_rows
from tests.conftest import START, event

#: The scope each route needed before routes were guarded by permissions: a key with that
#: scope still reaches it (no key lost a route).
FORMER_SCOPES: dict[tuple[str, str], Scope] = {
    ("POST", "/api/v1/events"): Scope.EVENTS_WRITE,
    ("PUT", "/api/v1/members/{member_id}"): Scope.MEMBERS_WRITE,
    ("GET", "/api/v1/members/{member_id}"): Scope.MEMBERS_READ,
    ("GET", "/api/v1/members"): Scope.MEMBERS_READ,
    ("PUT", "/api/v1/members/{member_id}/consents/{purpose}"): Scope.MEMBERS_WRITE,
    ("GET", "/api/v1/members/{member_id}/consents"): Scope.MEMBERS_READ,
    ("GET", "/api/v1/consent-purposes"): Scope.MEMBERS_READ,
    ("POST", "/api/v1/consent-purposes"): Scope.ADMIN,
    ("GET", "/api/v1/consent-texts"): Scope.MEMBERS_READ,
    ("POST", "/api/v1/consent-texts"): Scope.ADMIN,
    ("GET", "/api/v1/staff"): Scope.ADMIN,
    ("POST", "/api/v1/staff"): Scope.ADMIN,
    ("PATCH", "/api/v1/staff/{user_id}"): Scope.ADMIN,
    ("POST", "/api/v1/members/{member_id}/devices"): Scope.MEMBERS_WRITE,
    ("GET", "/api/v1/members/{member_id}/devices"): Scope.MEMBERS_READ,
    ("DELETE", "/api/v1/members/{member_id}/devices/{device_id}"): Scope.MEMBERS_WRITE,
    ("GET", "/api/v1/members/{member_id}/timeline"): Scope.MEMBERS_READ,
    ("GET", "/api/v1/members/{member_id}/points"): Scope.POINTS_READ,
    ("GET", "/api/v1/members/{member_id}/points/history"): Scope.POINTS_READ,
    ("POST", "/api/v1/members/{member_id}/points/redemptions"): Scope.POINTS_WRITE,
    ("POST", "/api/v1/members/{member_id}/points/holds"): Scope.POINTS_WRITE,
    ("GET", "/api/v1/points/holds/{hold_id}"): Scope.POINTS_READ,
    ("POST", "/api/v1/points/holds/{hold_id}/confirm"): Scope.POINTS_WRITE,
    ("POST", "/api/v1/points/holds/{hold_id}/release"): Scope.POINTS_WRITE,
    ("POST", "/api/v1/members/{member_id}/points/adjustments"): Scope.POINTS_WRITE,
    ("GET", "/api/v1/points/liability"): Scope.ADMIN,
    ("POST", "/api/v1/members/{member_id}/privacy/export"): Scope.ADMIN,
    ("POST", "/api/v1/members/{member_id}/privacy/erasure"): Scope.ADMIN,
    ("GET", "/api/v1/privacy/destruction-records"): Scope.ADMIN,
    ("GET", "/api/v1/members/{member_id}/tier"): Scope.MEMBERS_READ,
    ("GET", "/api/v1/rules"): Scope.PROGRAM_READ,
    ("GET", "/api/v1/rules/{key}"): Scope.PROGRAM_READ,
    ("PUT", "/api/v1/rules/{key}"): Scope.PROGRAM_WRITE,
    ("DELETE", "/api/v1/rules/{key}"): Scope.PROGRAM_WRITE,
    ("GET", "/api/v1/program"): Scope.PROGRAM_READ,
    ("PUT", "/api/v1/program"): Scope.PROGRAM_WRITE,
    ("POST", "/api/v1/rules/evaluate"): Scope.PROGRAM_READ,
    ("GET", "/api/v1/orders/{order_id}/points"): Scope.POINTS_READ,
    ("PUT", "/api/v1/coupon-campaigns/{key}"): Scope.PROGRAM_WRITE,
    ("GET", "/api/v1/coupon-campaigns"): Scope.PROGRAM_READ,
    ("GET", "/api/v1/coupon-campaigns/{key}"): Scope.PROGRAM_READ,
    ("POST", "/api/v1/coupon-campaigns/{key}/codes"): Scope.PROGRAM_WRITE,
    ("GET", "/api/v1/coupon-campaigns/{key}/codes.csv"): Scope.PROGRAM_READ,
    ("POST", "/api/v1/coupons/validate"): Scope.CHECKOUT_READ,
    ("POST", "/api/v1/coupons/redemptions"): Scope.CHECKOUT_WRITE,
    ("GET", "/api/v1/coupons/redemptions/{redemption_id}"): Scope.CHECKOUT_READ,
    ("POST", "/api/v1/coupons/redemptions/{redemption_id}/rollback"): Scope.CHECKOUT_WRITE,
    ("GET", "/api/v1/members/{member_id}/coupons"): Scope.CHECKOUT_READ,
    ("POST", "/api/v1/checkout/quote"): Scope.CHECKOUT_READ,
    ("POST", "/api/v1/checkout/holds"): Scope.CHECKOUT_WRITE,
    ("GET", "/api/v1/checkout/holds/{checkout_id}"): Scope.CHECKOUT_READ,
    ("POST", "/api/v1/checkout/holds/{checkout_id}/confirm"): Scope.CHECKOUT_WRITE,
    ("POST", "/api/v1/checkout/holds/{checkout_id}/release"): Scope.CHECKOUT_WRITE,
    ("PUT", "/api/v1/rewards/{key}"): Scope.PROGRAM_WRITE,
    ("GET", "/api/v1/rewards"): Scope.PROGRAM_READ,
    ("GET", "/api/v1/rewards/{key}"): Scope.PROGRAM_READ,
    ("DELETE", "/api/v1/rewards/{key}"): Scope.PROGRAM_WRITE,
    ("GET", "/api/v1/members/{member_id}/rewards"): Scope.POINTS_READ,
    ("POST", "/api/v1/members/{member_id}/rewards/{key}/redemptions"): Scope.POINTS_WRITE,
    ("GET", "/api/v1/members/{member_id}/reward-redemptions"): Scope.POINTS_READ,
    ("GET", "/api/v1/insights/nps"): Scope.INSIGHTS_READ,
    ("GET", "/api/v1/insights/kpis"): Scope.INSIGHTS_READ,
    ("GET", "/api/v1/insights/cohorts"): Scope.INSIGHTS_READ,
    ("GET", "/api/v1/insights/time-to-second-order"): Scope.INSIGHTS_READ,
    ("GET", "/api/v1/insights/journey"): Scope.INSIGHTS_READ,
    ("GET", "/api/v1/insights/segments"): Scope.INSIGHTS_READ,
    ("GET", "/api/v1/members/{member_id}/scores"): Scope.INSIGHTS_READ,
    ("POST", "/api/v1/insights/segments/recompute"): Scope.ADMIN,
    ("PUT", "/api/v1/badges/{key}"): Scope.PROGRAM_WRITE,
    ("GET", "/api/v1/badges"): Scope.PROGRAM_READ,
    ("GET", "/api/v1/badges/{key}"): Scope.PROGRAM_READ,
    ("DELETE", "/api/v1/badges/{key}"): Scope.PROGRAM_WRITE,
    ("PUT", "/api/v1/quests/{key}"): Scope.PROGRAM_WRITE,
    ("GET", "/api/v1/quests"): Scope.PROGRAM_READ,
    ("GET", "/api/v1/quests/{key}"): Scope.PROGRAM_READ,
    ("DELETE", "/api/v1/quests/{key}"): Scope.PROGRAM_WRITE,
    ("PUT", "/api/v1/streaks/{key}"): Scope.PROGRAM_WRITE,
    ("GET", "/api/v1/streaks"): Scope.PROGRAM_READ,
    ("GET", "/api/v1/streaks/{key}"): Scope.PROGRAM_READ,
    ("DELETE", "/api/v1/streaks/{key}"): Scope.PROGRAM_WRITE,
    ("PUT", "/api/v1/levels/{key}"): Scope.PROGRAM_WRITE,
    ("GET", "/api/v1/levels"): Scope.PROGRAM_READ,
    ("GET", "/api/v1/levels/{key}"): Scope.PROGRAM_READ,
    ("DELETE", "/api/v1/levels/{key}"): Scope.PROGRAM_WRITE,
    ("GET", "/api/v1/members/{member_id}/gamification"): Scope.MEMBERS_READ,
    ("GET", "/api/v1/members/{member_id}/quests"): Scope.MEMBERS_READ,
    ("PUT", "/api/v1/referral-program"): Scope.PROGRAM_WRITE,
    ("GET", "/api/v1/referral-program"): Scope.PROGRAM_READ,
    ("GET", "/api/v1/members/{member_id}/referral"): Scope.REFERRALS_READ,
    ("GET", "/api/v1/referral-codes/{code}"): Scope.REFERRALS_READ,
    ("GET", "/api/v1/referral-links/{token}"): Scope.REFERRALS_READ,
    ("POST", "/api/v1/referral-links/{token}/clicks"): Scope.EVENTS_WRITE,
    ("POST", "/api/v1/members/{member_id}/referral/shares"): Scope.EVENTS_WRITE,
    ("GET", "/api/v1/referrals/funnel"): Scope.REFERRALS_READ,
    ("GET", "/api/v1/referrals/leaderboard"): Scope.REFERRALS_READ,
    ("GET", "/api/v1/referrals"): Scope.REFERRALS_READ,
    ("GET", "/api/v1/referrals/{referral_id}"): Scope.REFERRALS_READ,
    ("POST", "/api/v1/referrals/{referral_id}/approve"): Scope.REFERRALS_WRITE,
    ("POST", "/api/v1/referrals/{referral_id}/reject"): Scope.REFERRALS_WRITE,
    ("GET", "/api/v1/products/{sku}/also-bought"): Scope.RECOMMENDATIONS_READ,
    ("GET", "/api/v1/members/{member_id}/recommendations"): Scope.RECOMMENDATIONS_READ,
    ("GET", "/api/v1/members/{member_id}/favourites"): Scope.RECOMMENDATIONS_READ,
    ("GET", "/api/v1/members/{member_id}/messages"): Scope.MESSAGES_READ,
    ("GET", "/api/v1/members/{member_id}/inbox"): Scope.MESSAGES_READ,
    ("POST", "/api/v1/members/{member_id}/inbox/{message_id}/read"): Scope.MESSAGES_WRITE,
    ("POST", "/api/v1/members/{member_id}/messages/{message_id}/resend"): Scope.MESSAGES_WRITE,
    ("GET", "/api/v1/journeys/skipped"): Scope.MESSAGES_READ,
    ("POST", "/api/v1/templates/{key}/preview"): Scope.MESSAGES_READ,
    ("GET", "/api/v1/orders/{order_id}/packing-note"): Scope.MESSAGES_READ,
    ("GET", "/api/v1/journeys"): Scope.MESSAGES_READ,
    ("PUT", "/api/v1/journeys/{name}"): Scope.MESSAGES_WRITE,
    ("GET", "/api/v1/templates"): Scope.MESSAGES_READ,
    ("GET", "/api/v1/templates/{key}/{locale}"): Scope.MESSAGES_READ,
    ("GET", "/api/v1/templates/{key}/{locale}/versions"): Scope.MESSAGES_READ,
    ("PUT", "/api/v1/templates/{key}/{locale}"): Scope.MESSAGES_WRITE,
    ("GET", "/api/v1/webhook-endpoints"): Scope.MESSAGES_READ,
    ("POST", "/api/v1/webhook-endpoints"): Scope.MESSAGES_WRITE,
    ("PATCH", "/api/v1/webhook-endpoints/{endpoint_id}"): Scope.MESSAGES_WRITE,
    ("DELETE", "/api/v1/webhook-endpoints/{endpoint_id}"): Scope.MESSAGES_WRITE,
    ("POST", "/api/v1/webhook-endpoints/{endpoint_id}/rotate-secret"): Scope.MESSAGES_WRITE,
    ("GET", "/api/v1/members/{member_id}/preferences"): Scope.MESSAGES_READ,
    ("PUT", "/api/v1/members/{member_id}/preferences"): Scope.MESSAGES_WRITE,
    ("POST", "/api/v1/members/{member_id}/suppressions"): Scope.MESSAGES_WRITE,
}
#: Routes without an API key: the health and readiness checks, the metrics (behind their
#: own token when one is set); the unsubscribe, preferences and survey links are
#: authenticated by their sealed tokens, the providers' routes by their own credentials
#: (basic auth, Twilio's signature).
PUBLIC = {
    ("GET", "/healthz"),
    ("GET", "/readyz"),
    ("GET", "/metrics"),
    ("GET", "/unsubscribe/{token}"),
    ("POST", "/unsubscribe/{token}"),
    ("GET", "/preferences/{token}"),
    ("POST", "/preferences/{token}"),
    ("GET", "/surveys/{token}"),
    ("POST", "/surveys/{token}"),
    ("POST", "/api/v1/providers/ses/events"),
    ("POST", "/api/v1/providers/postmark/events"),
    ("POST", "/api/v1/providers/twilio/sms"),
    # A shop platform's webhooks: authenticated by the platform's signature (connectors).
    ("POST", "/api/v1/connectors/{platform}/{connector_key}"),
    # Swagger UI (its start-up script is a file, for the CSP) and ReDoc; /openapi.json is
    # public too. The problems' pages, where a problem's type links.
    ("GET", "/docs"),
    ("GET", "/docs/swagger-init.js"),
    ("GET", "/redoc"),
    ("GET", "/problems/"),
    ("GET", "/problems/{code}"),
    # The staff sign-in's own routes: the password step takes no credential, the others
    # the session cookie at the step they belong to (tests/api/test_staff_auth.py).
    ("POST", "/api/v1/auth/sign-in"),
    ("POST", "/api/v1/auth/two-factor"),
    ("POST", "/api/v1/auth/sign-out"),
    ("GET", "/api/v1/auth/me"),
    ("POST", "/api/v1/auth/two-factor/enrolment"),
    ("POST", "/api/v1/auth/two-factor/enrolment/confirm"),
}
#: A value for every path parameter: none names an existing thing, so an admitted request
#: reads or changes nothing that matters (404 or 422 are fine answers).
PATH_VALUES = {
    "member_id": "M1",
    "channel": "email",
    "purpose": "email",
    "user_id": "999999",
    "hold_id": "hld_unknown",
    "key": "base",
    "order_id": "O1",
    "redemption_id": "cpr_unknown",
    "checkout_id": "chk_unknown",
    "code": "ANNA-7K2Q",
    "token": "tok_unknown",
    "referral_id": "999999",
    "sku": "SKU-1",
    "message_id": "msg_unknown",
    "endpoint_id": "whe_unknown",
    "device_id": "dev_unknown",
    "name": "welcome",
    "locale": "en",
    "key_id": "999999",
    "slug": "no_such_role",
    "request_id": "999999",
    "season": "new_year",
    "connector_key": "no-such-connector",
    "platform": "shopify",
}


def _call(client: TestClient, method: str, template: str, token: str) -> Any:
    """The route with an empty JSON object as the body of a write: the guard answers
    before the body is validated."""
    url = template.format(**PATH_VALUES)
    body: dict[str, Any] | None = {} if method in ("POST", "PUT", "PATCH") else None
    return client.request(method, url, json=body, headers=bearer(token))


def _api(client: TestClient) -> FastAPI:
    return cast(FastAPI, client.app)


def _guarded(client: TestClient) -> dict[tuple[str, str], Permission]:
    table = route_permissions(_api(client))
    return {route: p for route, p in table.items() if p is not None}


def _denials(app: Loyalist) -> set[tuple[str | None, str | None]]:
    """``(actor id, permission)`` of every ``permission.denied`` row."""

    def op(uow: UnitOfWork) -> set[tuple[str | None, str | None]]:
        query = select(AuditRecord).where(AuditRecord.action == "permission.denied")
        return {(row.actor_id, row.target_id) for row in uow.session.scalars(query)}

    return app.db.read(op)


class TestGuards:
    def test_every_route_but_the_public_ones_requires_a_permission(
        self, client: TestClient
    ) -> None:
        table = route_permissions(_api(client))

        unguarded = {route for route, permission in table.items() if permission is None}

        assert unguarded == PUBLIC
        assert len(table) > 120

    def test_a_route_added_without_a_guard_is_found_unguarded(self, client: TestClient) -> None:
        api = FastAPI()
        api.router.routes.extend(_api(client).routes)

        @api.get("/api/v1/forgotten")
        async def forgotten() -> dict[str, str]:
            return {}

        table = route_permissions(api)

        assert table[("GET", "/api/v1/forgotten")] is None
        assert {route for route, p in table.items() if p is None} - PUBLIC == {
            ("GET", "/api/v1/forgotten")
        }

    def test_every_guarded_route_checks_its_permission_before_fastapi_solves_the_rest(
        self, client: TestClient
    ) -> None:
        routes = {
            (method, route.path_format): route
            for context in iter_route_contexts(_api(client).routes)
            if isinstance(route := context.original_route, APIRoute)
            for method in route.methods or ()
        }

        unguarded_by_the_route = {
            route for route in _guarded(client) if not isinstance(routes[route], GuardedRoute)
        }

        assert unguarded_by_the_route == set()

    def test_refuses_a_malformed_body_the_same_way_for_every_caller(
        self, client: TestClient
    ) -> None:
        # The edge (api.faults) checks a JSON body before any route runs (issue 20): a
        # caller learns nothing about keys from it, and no route parses a body too deep.
        response = client.put(
            "/api/v1/rules/base",
            content=b'{"not json',
            headers={"content-type": "application/json", **bearer("lk_000000000000_wrong")},
        )

        assert_problem(response, 422, "json_malformed")

    def test_refuses_an_unknown_key_before_validating_the_body(self, client: TestClient) -> None:
        response = client.put(
            "/api/v1/rules/base",
            json={"not": "a rule"},
            headers=bearer("lk_000000000000_wrong"),
        )

        assert_problem(response, 401, "api_key_invalid")

    def test_every_scope_still_reaches_the_routes_it_reached(self, client: TestClient) -> None:
        guarded = _guarded(client)

        lost = {
            route: scope
            for route, scope in FORMER_SCOPES.items()
            if guarded[route] not in SCOPE_PERMISSIONS[scope]
        }

        assert lost == {}


class TestRoleMatrix:
    def test_a_key_with_a_builtin_role_is_refused_exactly_where_the_role_lacks_the_permission(
        self, client: TestClient, app: Loyalist, admin: dict[str, str]
    ) -> None:
        client.put("/api/v1/members/M1", json={}, headers=admin)
        guarded = _guarded(client)

        def make(uow: UnitOfWork) -> dict[str, tuple[str, str]]:
            made = {}
            for slug in BUILTIN_ROLES:
                key, token = create_api_key(uow, f"as {slug}", [], role=slug)
                made[slug] = (str(key.id), token)
            return made

        keys = app.db.write(make)
        answers = {
            (slug, route): _call(client, *route, keys[slug][1])
            for slug in BUILTIN_ROLES
            for route in guarded
        }

        denied = {cell: r for cell, r in answers.items() if r.status_code in (401, 403)}
        expected = {
            (slug, route)
            for slug, spec in BUILTIN_ROLES.items()
            for route, permission in guarded.items()
            if permission not in spec.permissions
        }
        assert set(denied) == expected
        assert {cell: (*summary(r), r.json().get("permission")) for cell, r in denied.items()} == {
            (slug, route): (403, PROBLEM_JSON, "permission_denied", [], guarded[route].value)
            for slug, route in expected
        }
        assert _denials(app) == {(keys[slug][0], guarded[route].value) for slug, route in expected}


class TestScopeMatrix:
    def test_a_key_with_one_scope_is_refused_exactly_where_the_scope_grants_no_permission(
        self, client: TestClient, app: Loyalist, keys: Keys, admin: dict[str, str]
    ) -> None:
        client.put("/api/v1/members/M1", json={}, headers=admin)
        guarded = _guarded(client)

        answers = {
            (scope, route): _call(client, *route, keys.of(scope))
            for scope in Scope
            for route in guarded
        }

        refused = {cell for cell, r in answers.items() if r.status_code in (401, 403)}
        assert refused == {
            (scope, route)
            for scope in Scope
            for route, permission in guarded.items()
            if permission not in SCOPE_PERMISSIONS[scope]
        }
        assert {answers[cell].json()["code"] for cell in refused} == {"permission_denied"}


class TestDenialAudit:
    def test_records_one_row_a_minute_per_caller_and_permission_with_address_and_request_id(
        self, client: TestClient, app: Loyalist, keys: Keys
    ) -> None:
        token = keys.of(Scope.EVENTS_WRITE)
        before = row_counts(app)

        # From a real address (the default test client's host, "testclient", is not one).
        with TestClient(
            create_app(app, embedded_worker=False), client=("198.51.100.9", 50000)
        ) as c:
            for _ in range(5):
                assert_problem(
                    c.get("/api/v1/audit", headers=bearer(token) | {"X-Request-ID": "req-7"}),
                    403,
                    "permission_denied",
                )

        [row] = audit_rows(app, "permission.denied")
        assert (row["target_type"], row["target_id"], row["after"]) == (
            "permission", "audit.read", {"route": "GET /api/v1/audit"},
        )  # fmt: skip
        assert (row["actor_kind"], row["actor_label"]) == ("api_key", "only events:write")
        assert (row["request_id"], row["ip"]) == ("req-7", "198.51.100.9")
        after = row_counts(app)
        assert {t: n - before[t] for t, n in after.items() if n != before[t]} == {"audit_log": 1}


@pytest.mark.parametrize("header", ["x" * 65, "bad id", "a/b"])
def test_replaces_a_request_id_that_does_not_look_like_one(
    client: TestClient, app: Loyalist, keys: Keys, header: str
) -> None:
    client.get(
        "/api/v1/audit", headers=bearer(keys.of(Scope.EVENTS_WRITE)) | {"X-Request-ID": header}
    )

    [request_id] = [row["request_id"] for row in audit_rows(app, "permission.denied")]
    assert request_id is not None
    assert len(request_id) == 32
    assert request_id != header


class TestAuthentication:
    def test_answers_401_with_bearer_challenge_without_a_key_and_writes_nothing(
        self, client: TestClient, app: Loyalist
    ) -> None:
        before = row_counts(app)
        response = client.post("/api/v1/events", json=event("e1", "x.ping", "M1", START))
        assert_problem(response, 401, "api_key_missing")
        assert response.headers["www-authenticate"] == "Bearer"
        assert row_counts(app) == before

    def test_answers_401_for_another_scheme_an_empty_or_an_unknown_key(
        self, client: TestClient
    ) -> None:
        headers = {
            "Basic dXNlcjpwYXNz": "api_key_missing",
            "Bearer": "api_key_missing",
            "Bearer ": "api_key_missing",
            "Bearer junk": "api_key_invalid",
            "Bearer lk_abc": "api_key_invalid",
            "Bearer lk_000000000000_wrongsecret": "api_key_invalid",
        }
        answers = {}
        for header in headers:
            response = client.get("/api/v1/members/M1", headers={"Authorization": header})
            answers[header] = (*summary(response), response.headers.get("www-authenticate"))
        assert answers == {
            header: (401, PROBLEM_JSON, code, [], "Bearer") for header, code in headers.items()
        }

    def test_answers_401_for_a_known_prefix_with_a_wrong_secret(
        self, client: TestClient, keys: Keys
    ) -> None:
        prefix, _, _secret = keys.admin.rpartition("_")
        response = client.get("/api/v1/points/liability", headers=bearer(prefix + "_forged"))
        assert_problem(response, 401, "api_key_invalid")

    def test_answers_401_for_a_revoked_key(self, client: TestClient, app: Loyalist) -> None:
        token = make_key(app, "old till", Scope.ADMIN)
        prefix = token.split("_")[1]

        def revoke(uow: UnitOfWork) -> None:
            revoke_api_key(uow, prefix)

        app.db.write(revoke)
        response = client.get("/api/v1/points/liability", headers=bearer(token))
        assert_problem(response, 401, "api_key_revoked")
        assert response.headers["www-authenticate"] == "Bearer"

    def test_serves_health_check_without_a_key(self, client: TestClient) -> None:
        response = client.get("/healthz")
        assert response.status_code == 200
        assert response.json()["status"] == "ok"
