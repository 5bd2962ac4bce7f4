"""API keys: 401 without a valid key, 403 without the route's scope, open health check."""

from __future__ import annotations

from typing import Any

from starlette.testclient import TestClient

from loyalist.bootstrap import Loyalist
from loyalist.db.uow import UnitOfWork
from loyalist.staff.models import Scope
from loyalist.staff.service import revoke_api_key
from tests.api.conftest import (
    PROBLEM_JSON,
    Keys,
    api_routes,
    assert_problem,
    bearer,
    make_key,
    row_counts,
    summary,
)
from tests.conftest import START, event

#: Every API route: (method, path template, the scope it needs, a body).
ROUTES: list[tuple[str, str, Scope, Any]] = [
    ("POST", "/api/v1/events", Scope.EVENTS_WRITE, event("e1", "x.ping", "M1", START)),
    ("PUT", "/api/v1/members/{member_id}", Scope.MEMBERS_WRITE, {"first_name": "Ann"}),
    ("GET", "/api/v1/members/{member_id}", Scope.MEMBERS_READ, None),
    ("GET", "/api/v1/members", Scope.MEMBERS_READ, None),
    (
        "PUT",
        "/api/v1/members/{member_id}/consents/{purpose}",
        Scope.MEMBERS_WRITE,
        {"is_granted": True},
    ),
    ("GET", "/api/v1/members/{member_id}/consents", Scope.MEMBERS_READ, None),
    ("GET", "/api/v1/consent-purposes", Scope.MEMBERS_READ, None),
    ("POST", "/api/v1/consent-purposes", Scope.ADMIN, {"processor": "smsru", "title": "SMS.ru"}),
    ("GET", "/api/v1/consent-texts", Scope.MEMBERS_READ, None),
    (
        "POST",
        "/api/v1/consent-texts",
        Scope.ADMIN,
        {"purpose": "processing", "locale": "en", "text": "I agree."},
    ),
    (
        "POST",
        "/api/v1/members/{member_id}/devices",
        Scope.MEMBERS_WRITE,
        {"token": "t", "platform": "fcm"},
    ),
    ("GET", "/api/v1/members/{member_id}/devices", Scope.MEMBERS_READ, None),
    ("DELETE", "/api/v1/members/{member_id}/devices/{device_id}", Scope.MEMBERS_WRITE, None),
    ("GET", "/api/v1/members/{member_id}/timeline", Scope.MEMBERS_READ, None),
    ("GET", "/api/v1/members/{member_id}/points", Scope.POINTS_READ, None),
    ("GET", "/api/v1/members/{member_id}/points/history", Scope.POINTS_READ, None),
    ("POST", "/api/v1/members/{member_id}/points/redemptions", Scope.POINTS_WRITE, {"points": 1}),
    ("POST", "/api/v1/members/{member_id}/points/holds", Scope.POINTS_WRITE, {"points": 1}),
    ("GET", "/api/v1/points/holds/{hold_id}", Scope.POINTS_READ, None),
    ("POST", "/api/v1/points/holds/{hold_id}/confirm", Scope.POINTS_WRITE, None),
    ("POST", "/api/v1/points/holds/{hold_id}/release", Scope.POINTS_WRITE, None),
    (
        "POST",
        "/api/v1/members/{member_id}/points/adjustments",
        Scope.POINTS_WRITE,
        {"points": 5, "reason": "goodwill"},
    ),
    ("GET", "/api/v1/points/liability", Scope.ADMIN, None),
    ("GET", "/api/v1/members/{member_id}/tier", Scope.MEMBERS_READ, None),
    ("GET", "/api/v1/rules", Scope.PROGRAM_READ, None),
    ("GET", "/api/v1/rules/{key}", Scope.PROGRAM_READ, None),
    ("PUT", "/api/v1/rules/{key}", Scope.PROGRAM_WRITE, {"key": "x"}),
    ("DELETE", "/api/v1/rules/{key}", Scope.PROGRAM_WRITE, None),
    ("GET", "/api/v1/program", Scope.PROGRAM_READ, None),
    ("PUT", "/api/v1/program", Scope.PROGRAM_WRITE, {"rules": []}),
    ("POST", "/api/v1/rules/evaluate", Scope.PROGRAM_READ, {"event": {}}),
    ("GET", "/api/v1/orders/{order_id}/points", Scope.POINTS_READ, None),
    ("PUT", "/api/v1/coupon-campaigns/{key}", Scope.PROGRAM_WRITE, {}),
    ("GET", "/api/v1/coupon-campaigns", Scope.PROGRAM_READ, None),
    ("GET", "/api/v1/coupon-campaigns/{key}", Scope.PROGRAM_READ, None),
    (
        "POST",
        "/api/v1/coupon-campaigns/{key}/codes",
        Scope.PROGRAM_WRITE,
        {"count": 1, "request_key": "k"},
    ),
    ("GET", "/api/v1/coupon-campaigns/{key}/codes.csv", Scope.PROGRAM_READ, None),
    ("POST", "/api/v1/coupons/validate", Scope.CHECKOUT_READ, {}),
    ("POST", "/api/v1/coupons/redemptions", Scope.CHECKOUT_WRITE, {}),
    ("GET", "/api/v1/coupons/redemptions/{redemption_id}", Scope.CHECKOUT_READ, None),
    (
        "POST",
        "/api/v1/coupons/redemptions/{redemption_id}/rollback",
        Scope.CHECKOUT_WRITE,
        {"reason": "x"},
    ),
    ("GET", "/api/v1/members/{member_id}/coupons", Scope.CHECKOUT_READ, None),
    ("POST", "/api/v1/checkout/quote", Scope.CHECKOUT_READ, {}),
    ("POST", "/api/v1/checkout/holds", Scope.CHECKOUT_WRITE, {}),
    ("GET", "/api/v1/checkout/holds/{checkout_id}", Scope.CHECKOUT_READ, None),
    ("POST", "/api/v1/checkout/holds/{checkout_id}/confirm", Scope.CHECKOUT_WRITE, None),
    ("POST", "/api/v1/checkout/holds/{checkout_id}/release", Scope.CHECKOUT_WRITE, None),
    ("PUT", "/api/v1/rewards/{key}", Scope.PROGRAM_WRITE, {"cost_points": 1}),
    ("GET", "/api/v1/rewards", Scope.PROGRAM_READ, None),
    ("GET", "/api/v1/rewards/{key}", Scope.PROGRAM_READ, None),
    ("DELETE", "/api/v1/rewards/{key}", Scope.PROGRAM_WRITE, None),
    ("GET", "/api/v1/members/{member_id}/rewards", Scope.POINTS_READ, None),
    ("POST", "/api/v1/members/{member_id}/rewards/{key}/redemptions", Scope.POINTS_WRITE, None),
    ("GET", "/api/v1/members/{member_id}/reward-redemptions", Scope.POINTS_READ, None),
    ("GET", "/api/v1/insights/nps", Scope.INSIGHTS_READ, None),
    ("GET", "/api/v1/insights/kpis", Scope.INSIGHTS_READ, None),
    ("GET", "/api/v1/insights/cohorts", Scope.INSIGHTS_READ, None),
    ("GET", "/api/v1/insights/time-to-second-order", Scope.INSIGHTS_READ, None),
    ("GET", "/api/v1/insights/journey", Scope.INSIGHTS_READ, None),
    ("GET", "/api/v1/insights/segments", Scope.INSIGHTS_READ, None),
    ("GET", "/api/v1/members/{member_id}/scores", Scope.INSIGHTS_READ, None),
    ("POST", "/api/v1/insights/segments/recompute", Scope.ADMIN, None),
    ("PUT", "/api/v1/badges/{key}", Scope.PROGRAM_WRITE, {}),
    ("GET", "/api/v1/badges", Scope.PROGRAM_READ, None),
    ("GET", "/api/v1/badges/{key}", Scope.PROGRAM_READ, None),
    ("DELETE", "/api/v1/badges/{key}", Scope.PROGRAM_WRITE, None),
    ("PUT", "/api/v1/quests/{key}", Scope.PROGRAM_WRITE, {}),
    ("GET", "/api/v1/quests", Scope.PROGRAM_READ, None),
    ("GET", "/api/v1/quests/{key}", Scope.PROGRAM_READ, None),
    ("DELETE", "/api/v1/quests/{key}", Scope.PROGRAM_WRITE, None),
    ("PUT", "/api/v1/streaks/{key}", Scope.PROGRAM_WRITE, {}),
    ("GET", "/api/v1/streaks", Scope.PROGRAM_READ, None),
    ("GET", "/api/v1/streaks/{key}", Scope.PROGRAM_READ, None),
    ("DELETE", "/api/v1/streaks/{key}", Scope.PROGRAM_WRITE, None),
    ("PUT", "/api/v1/levels/{key}", Scope.PROGRAM_WRITE, {}),
    ("GET", "/api/v1/levels", Scope.PROGRAM_READ, None),
    ("GET", "/api/v1/levels/{key}", Scope.PROGRAM_READ, None),
    ("DELETE", "/api/v1/levels/{key}", Scope.PROGRAM_WRITE, None),
    ("GET", "/api/v1/members/{member_id}/gamification", Scope.MEMBERS_READ, None),
    ("GET", "/api/v1/members/{member_id}/quests", Scope.MEMBERS_READ, None),
    ("PUT", "/api/v1/referral-program", Scope.PROGRAM_WRITE, {}),
    ("GET", "/api/v1/referral-program", Scope.PROGRAM_READ, None),
    ("GET", "/api/v1/members/{member_id}/referral", Scope.REFERRALS_READ, None),
    ("GET", "/api/v1/referral-codes/{code}", Scope.REFERRALS_READ, None),
    ("GET", "/api/v1/referral-links/{token}", Scope.REFERRALS_READ, None),
    ("POST", "/api/v1/referral-links/{token}/clicks", Scope.EVENTS_WRITE, {"click_id": "c1"}),
    (
        "POST",
        "/api/v1/members/{member_id}/referral/shares",
        Scope.EVENTS_WRITE,
        {"channel": "email"},
    ),
    ("GET", "/api/v1/referrals/funnel", Scope.REFERRALS_READ, None),
    ("GET", "/api/v1/referrals/leaderboard", Scope.REFERRALS_READ, None),
    ("GET", "/api/v1/referrals", Scope.REFERRALS_READ, None),
    ("GET", "/api/v1/referrals/{referral_id}", Scope.REFERRALS_READ, None),
    ("POST", "/api/v1/referrals/{referral_id}/approve", Scope.REFERRALS_WRITE, {"note": "ok"}),
    ("POST", "/api/v1/referrals/{referral_id}/reject", Scope.REFERRALS_WRITE, {"note": "no"}),
    ("GET", "/api/v1/products/{sku}/also-bought", Scope.RECOMMENDATIONS_READ, None),
    ("GET", "/api/v1/members/{member_id}/recommendations", Scope.RECOMMENDATIONS_READ, None),
    ("GET", "/api/v1/members/{member_id}/favourites", Scope.RECOMMENDATIONS_READ, None),
    ("GET", "/api/v1/members/{member_id}/messages", Scope.MESSAGES_READ, None),
    ("GET", "/api/v1/members/{member_id}/inbox", Scope.MESSAGES_READ, None),
    ("POST", "/api/v1/members/{member_id}/inbox/{message_id}/read", Scope.MESSAGES_WRITE, None),
    (
        "POST",
        "/api/v1/members/{member_id}/messages/{message_id}/resend",
        Scope.MESSAGES_WRITE,
        None,
    ),
    ("GET", "/api/v1/journeys/skipped", Scope.MESSAGES_READ, None),
    ("POST", "/api/v1/templates/{key}/preview", Scope.MESSAGES_READ, {}),
    ("GET", "/api/v1/orders/{order_id}/packing-note", Scope.MESSAGES_READ, None),
    ("GET", "/api/v1/journeys", Scope.MESSAGES_READ, None),
    ("PUT", "/api/v1/journeys/{name}", Scope.MESSAGES_WRITE, {}),
    ("GET", "/api/v1/templates", Scope.MESSAGES_READ, None),
    ("GET", "/api/v1/templates/{key}/{locale}", Scope.MESSAGES_READ, None),
    ("GET", "/api/v1/templates/{key}/{locale}/versions", Scope.MESSAGES_READ, None),
    ("PUT", "/api/v1/templates/{key}/{locale}", Scope.MESSAGES_WRITE, {}),
    ("GET", "/api/v1/webhook-endpoints", Scope.MESSAGES_READ, None),
    (
        "POST",
        "/api/v1/webhook-endpoints",
        Scope.MESSAGES_WRITE,
        {"url": "http://169.254.169.254/", "event_types": ["points.awarded"]},
    ),
    ("PATCH", "/api/v1/webhook-endpoints/{endpoint_id}", Scope.MESSAGES_WRITE, {}),
    ("DELETE", "/api/v1/webhook-endpoints/{endpoint_id}", Scope.MESSAGES_WRITE, None),
    ("POST", "/api/v1/webhook-endpoints/{endpoint_id}/rotate-secret", Scope.MESSAGES_WRITE, {}),
    ("GET", "/api/v1/members/{member_id}/preferences", Scope.MESSAGES_READ, None),
    ("PUT", "/api/v1/members/{member_id}/preferences", Scope.MESSAGES_WRITE, {}),
    (
        "POST",
        "/api/v1/members/{member_id}/suppressions",
        Scope.MESSAGES_WRITE,
        {"channel": "email"},
    ),
    ("GET", "/api/v1/staff", Scope.ADMIN, None),
    ("POST", "/api/v1/staff", Scope.ADMIN, {}),
    ("PATCH", "/api/v1/staff/{user_id}", Scope.ADMIN, {}),
]
#: Routes without an API key: the unsubscribe, preferences and survey links are
#: authenticated by their sealed tokens, the providers' routes by their own credentials
#: (basic auth, Twilio's signature).
PUBLIC = {
    ("GET", "/unsubscribe/{token}"),
    ("POST", "/unsubscribe/{token}"),
    ("GET", "/preferences/{token}"),
    ("POST", "/preferences/{token}"),
    ("GET", "/surveys/{token}"),
    ("POST", "/surveys/{token}"),
    ("POST", "/api/v1/providers/ses/events"),
    ("POST", "/api/v1/providers/postmark/events"),
    ("POST", "/api/v1/providers/twilio/sms"),
}
#: The staff sign-in's own routes: the password step takes no credential, the others the
#: session cookie at the step they belong to (tests/api/test_staff_auth.py).
SIGN_IN = {
    ("POST", "/api/v1/auth/sign-in"),
    ("POST", "/api/v1/auth/two-factor"),
    ("POST", "/api/v1/auth/sign-out"),
    ("GET", "/api/v1/auth/me"),
    ("POST", "/api/v1/auth/two-factor/enrolment"),
    ("POST", "/api/v1/auth/two-factor/enrolment/confirm"),
}


def _url(template: str) -> str:
    url = template.format(
        member_id="M1",
        purpose="email",
        hold_id="hld_unknown",
        key="base",
        order_id="O1",
        redemption_id="cpr_unknown",
        checkout_id="chk_unknown",
        code="ANNA-7K2Q",
        token="tok_unknown",
        referral_id="1",
        sku="SKU-1",
        message_id="msg_unknown",
        endpoint_id="whe_unknown",
        device_id="dev_unknown",
        name="welcome",
        locale="en",
        user_id="1",
    )
    return url + "?email=ann@example.com" if url == "/api/v1/members" else url


def _call(
    client: TestClient, method: str, template: str, body: Any, headers: dict[str, str]
) -> Any:
    return client.request(method, _url(template), json=body, headers=headers)


class TestScopes:
    def test_route_table_lists_every_api_route(self) -> None:
        routes = {(method, path) for method, path, _, _ in ROUTES}
        assert api_routes() == routes | PUBLIC | SIGN_IN

    def test_refuses_keys_without_the_routes_scope_and_admits_the_one_with_it(
        self, client: TestClient, app: Loyalist, keys: Keys, admin: dict[str, str]
    ) -> None:
        client.put("/api/v1/members/M1", json={}, headers=admin)
        before = row_counts(app)
        refused = {
            (method, template, other): summary(
                _call(client, method, template, body, bearer(keys.of(other)))
            )
            for method, template, scope, body in ROUTES
            for other in Scope
            if other not in (scope, Scope.ADMIN)
        }
        assert refused == {
            (method, template, other): (403, PROBLEM_JSON, "scope_missing", [])
            for method, template, scope, _ in ROUTES
            for other in Scope
            if other not in (scope, Scope.ADMIN)
        }
        assert row_counts(app) == before
        admitted = {
            (method, template): _call(client, method, template, body, bearer(keys.of(scope)))
            for method, template, scope, body in ROUTES
        }
        assert {
            route: r.status_code for route, r in admitted.items() if r.status_code in (401, 403)
        } == {}


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
