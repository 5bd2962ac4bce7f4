"""Rule and program routes over HTTP: versions, problems with pointers, dry runs, order
points explained rule by rule."""

from __future__ import annotations

from typing import Any

from starlette.testclient import TestClient

from loyalist.bootstrap import Loyalist
from tests.api.conftest import assert_problem, row_counts
from tests.conftest import START, event, order_body

BASE: dict[str, Any] = {
    "key": "base",
    "name": {"en": "Base points", "ru": "Базовые баллы"},
    "on": "order.paid",
    "effects": [{"type": "per_unit", "base": True, "rates": {"EUR": 1}}],
}
WEEKEND: dict[str, Any] = {
    "key": "weekend",
    "name": {"en": "Double points weekend", "ru": "Двойные баллы по выходным"},
    "on": ["order.paid"],
    "validity": {"days_of_week": ["sat", "sun"]},
    "effects": [{"type": "multiplier", "factor": 2}],
}
SATURDAY = START.replace(day=17)


class TestRuleVersions:
    def test_put_creates_a_version_then_answers_200_for_the_same_body(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        first = client.put("/api/v1/rules/base", json=BASE, headers=admin)
        same = client.put("/api/v1/rules/base", json=BASE, headers=admin)
        changed = client.put(
            "/api/v1/rules/base",
            json={**BASE, "effects": [{**BASE["effects"][0], "rates": {"EUR": 2}}]},
            headers=admin,
        )
        assert (first.status_code, same.status_code, changed.status_code) == (201, 200, 201)
        assert (first.json()["version"], changed.json()["version"]) == (1, 2)
        versions = client.get("/api/v1/rules/base", headers=admin).json()["versions"]
        assert [(v["version"], v["retired_at"] is None) for v in versions] == [
            (2, True),
            (1, False),
        ]
        assert versions[0]["created_by"] == "shop admin"

    def test_bad_cel_is_a_problem_pointing_at_the_condition(
        self, app: Loyalist, client: TestClient, admin: dict[str, str]
    ) -> None:
        before = row_counts(app)
        response = client.put(
            "/api/v1/rules/base", json={**BASE, "condition": "order.total >"}, headers=admin
        )
        body = assert_problem(response, 422, "rule_invalid", "/condition")
        assert "`order.total >`" in body["errors"][0]["detail"]
        assert row_counts(app) == before

    def test_schema_errors_carry_field_pointers(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        bad = {**BASE, "effects": [{"type": "fixed", "points": 0}], "on": "order.exploded"}
        response = client.put("/api/v1/rules/base", json=bad, headers=admin)
        assert_problem(response, 422, "request_invalid", "/on", "/effects/0/fixed/points")

    def test_key_in_body_must_match_the_path(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        response = client.put("/api/v1/rules/other", json=BASE, headers=admin)
        assert_problem(response, 422, "request_invalid", "/key")

    def test_retired_rule_stops_earning_and_unknown_rule_is_404(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        client.put("/api/v1/rules/base", json=BASE, headers=admin)
        assert client.delete("/api/v1/rules/base", headers=admin).status_code == 200
        assert client.get("/api/v1/rules", headers=admin).json() == {"items": []}
        assert_problem(client.delete("/api/v1/rules/base", headers=admin), 404, "rule_not_found")


class TestProgram:
    def test_put_program_replaces_rules_in_one_go_and_get_returns_it(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        client.put("/api/v1/rules/old", json={**BASE, "key": "old"}, headers=admin)
        response = client.put("/api/v1/program", json={"rules": [BASE, WEEKEND]}, headers=admin)
        assert response.json() == {
            "created": ["base", "weekend"],
            "unchanged": [],
            "retired": ["old"],
            "tiers_changed": False,
            "orders_backfilled": 0,
            "journeys_changed": [],
            "templates_created": [],
            "campaigns_changed": [],
            "changes": {},
        }
        program = client.get("/api/v1/program", headers=admin).json()
        assert [r["key"] for r in program["rules"]] == ["base", "weekend"]

    def test_one_bad_rule_applies_nothing(
        self, app: Loyalist, client: TestClient, admin: dict[str, str]
    ) -> None:
        before = row_counts(app)
        bad = {**WEEKEND, "condition": "member.nope == 1"}
        response = client.put("/api/v1/program", json={"rules": [BASE, bad]}, headers=admin)
        assert_problem(response, 422, "rule_invalid", "/rules/1/condition")
        assert row_counts(app) == before


class TestEvaluateAndExplain:
    def test_dry_run_lists_what_fires_and_why_the_rest_does_not(
        self, app: Loyalist, client: TestClient, admin: dict[str, str]
    ) -> None:
        client.put("/api/v1/program", json={"rules": [BASE, WEEKEND]}, headers=admin)
        before = row_counts(app)
        paid = event("p1", "order.paid", "M1", START, **order_body("o1", ("boot", 1, 9900)))

        response = client.post("/api/v1/rules/evaluate", json={"event": paid}, headers=admin)

        assert response.status_code == 200, response.text
        body = response.json()
        assert body["points"] == 99
        assert body["member_known"] is False
        assert [r["rule"] for r in body["rules"]] == ["base"]
        assert body["not_fired"] == [{"rule": "weekend", "reason": "not on this day of the week"}]
        assert row_counts(app) == before

    def test_dry_run_of_candidate_rules_and_bad_event_pointers(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        paid = event("p1", "order.paid", "M1", SATURDAY, **order_body("o1", ("boot", 1, 9900)))
        response = client.post(
            "/api/v1/rules/evaluate", json={"event": paid, "rules": [BASE, WEEKEND]}, headers=admin
        )
        assert response.json()["points"] == 198
        broken = {**paid, "data": {**paid["data"], "total": -1}}
        bad = client.post("/api/v1/rules/evaluate", json={"event": broken}, headers=admin)
        assert_problem(bad, 422, "event_invalid", "/event/data/total")

    def test_order_points_explain_each_rule_in_the_members_language(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        client.put("/api/v1/program", json={"rules": [BASE, WEEKEND]}, headers=admin)
        paid = event("p1", "order.paid", "M1", SATURDAY, **order_body("o1", ("boot", 1, 10000)))
        client.post("/api/v1/events", json=paid, headers=admin)

        en = client.get("/api/v1/orders/o1/points", headers=admin).json()
        ru = client.get("/api/v1/orders/o1/points?locale=ru", headers=admin).json()

        assert en["earned"] == 200
        assert [(e["rule"], e["rule_version"], e["points"], e["text"]) for e in en["entries"]] == [
            ("base", 1, 100, "+100 points: Base points"),
            ("weekend", 1, 100, "+100 points: Double points weekend"),
        ]
        assert [e["text"] for e in ru["entries"]] == [
            "+100 баллов: Базовые баллы",
            "+100 баллов: Двойные баллы по выходным",
        ]
        assert_problem(
            client.get("/api/v1/orders/nope/points", headers=admin), 404, "order_not_found"
        )

    def test_order_points_show_reversals_with_a_minus_sign(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        client.put("/api/v1/program", json={"rules": [BASE]}, headers=admin)
        body = order_body("o1", ("boot", 1, 7000), ("sock", 1, 3000))
        returned = {"order_id": "o1", "lines": [{"sku": "boot", "quantity": 1}]}
        batch = [
            event("p1", "order.paid", "M1", SATURDAY, **body),
            event("r1", "order.returned", "M1", SATURDAY, **returned),
        ]
        client.post("/api/v1/events", json=batch, headers=admin)

        en = client.get("/api/v1/orders/o1/points", headers=admin).json()
        ru = client.get("/api/v1/orders/o1/points?locale=ru", headers=admin).json()

        assert (en["earned"], en["reversed"]) == (100, 70)
        assert [(e["kind"], e["points"], e["text"]) for e in en["entries"]] == [
            ("earn", 100, "+100 points: Base points"),
            ("reverse", -70, "−70 points: returned items from order o1"),
        ]
        assert [e["text"] for e in ru["entries"]] == [
            "+100 баллов: Базовые баллы",
            "−70 баллов: возврат товаров из заказа o1",
        ]

    def test_dry_run_with_tiers_reads_the_members_tier_and_writes_nothing(
        self, app: Loyalist, client: TestClient, admin: dict[str, str]
    ) -> None:
        tiers = {
            "levels": [
                {"key": "member", "name": {"en": "Member", "ru": "Участник"}},
                {
                    "key": "gold",
                    "name": {"en": "Gold", "ru": "Золото"},
                    "threshold": {"orders": 1},
                    "perks": {"earning_multiplier": "2"},
                },
            ]
        }
        client.put("/api/v1/program", json={"rules": [BASE], "tiers": tiers}, headers=admin)
        first = event("p0", "order.paid", "M1", START, **order_body("o0", ("boot", 1, 1000)))
        assert client.post("/api/v1/events", json=first, headers=admin).status_code == 202
        before = row_counts(app)
        paid = event("p1", "order.paid", "M1", START, **order_body("o1", ("boot", 1, 9900)))

        body = client.post("/api/v1/rules/evaluate", json={"event": paid}, headers=admin).json()

        assert (body["tier"], body["points"], body["tier_bonus"]) == ("gold", 198, 99)
        assert row_counts(app) == before

    def test_a_bad_tier_program_is_a_problem_and_applies_nothing(
        self, app: Loyalist, client: TestClient, admin: dict[str, str]
    ) -> None:
        before = row_counts(app)
        body = {"rules": [BASE], "tiers": {"levels": [{"key": "gold"}]}}
        response = client.put("/api/v1/program", json=body, headers=admin)
        assert_problem(response, 422, "request_invalid", "/tiers/levels/0/name")
        assert row_counts(app) == before
