"""Journey settings and template versions over HTTP, alone and in the program file: absent
sections untouched, problems with pointers and nothing written, export → apply idempotent."""

from __future__ import annotations

from typing import Any

from starlette.testclient import TestClient

from loyalist.bootstrap import Loyalist
from loyalist.messages.journeyconf import JourneysConfig
from loyalist.staff.models import Scope
from tests.api.conftest import Keys, assert_problem, bearer, row_counts

MATURED = {
    "subject": "{{ matured_points|points }} ready",
    "text": "Hi {{ member.first_name }}, {{ matured_points|points }} are yours. {{ portal_url }}",
    "html": "<p>{{ matured_points|points }} are yours, {{ member.first_name }}.</p>",
}
BASE_RULE = {
    "key": "base",
    "name": {"en": "Base", "ru": "База"},
    "on": "order.paid",
    "effects": [{"type": "per_unit", "base": True, "rates": {"EUR": "1"}}],
}


def _headers(keys: Keys, scope: Scope) -> dict[str, str]:
    return bearer(keys.of(scope))


class TestJourneys:
    def test_defaults_then_one_journey_replaced(self, client: TestClient, keys: Keys) -> None:
        read, write = _headers(keys, Scope.MESSAGES_READ), _headers(keys, Scope.MESSAGES_WRITE)
        listed = client.get("/api/v1/journeys", headers=read)
        assert listed.status_code == 200, listed.text
        assert listed.json() == JourneysConfig().model_dump(mode="json")
        assert listed.json()["order_confirmation"]["enabled"] is True

        put = client.put(
            "/api/v1/journeys/welcome", json={"enabled": True, "delay_hours": 2}, headers=write
        )
        assert put.status_code == 200, put.text
        assert put.json() == {"enabled": True, "channels": ["email"], "delay_hours": 2}
        after = client.get("/api/v1/journeys", headers=read).json()
        assert after["welcome"] == put.json()
        assert after["shipping"] == listed.json()["shipping"]

    def test_unknown_name_is_404_and_bad_settings_422_with_pointers(
        self, app: Loyalist, client: TestClient, keys: Keys
    ) -> None:
        write = _headers(keys, Scope.MESSAGES_WRITE)
        before = row_counts(app)
        missing = client.put("/api/v1/journeys/newsletter", json={}, headers=write)
        assert_problem(missing, 404, "journey_not_found")
        bad = client.put(
            "/api/v1/journeys/post_purchase",
            json={"enabled": True, "nps_url": "https://s.example/{order}", "colour": 1},
            headers=write,
        )
        assert_problem(bad, 422, "request_invalid", "/nps_url", "/colour")
        gift = client.put("/api/v1/journeys/birthday", json={"gift_rule": "nope"}, headers=write)
        assert_problem(gift, 422, "journey_settings_invalid", "/gift_rule")
        assert row_counts(app) == before

    def test_a_link_placeholder_with_a_conversion_or_format_is_a_422(
        self, app: Loyalist, client: TestClient, keys: Keys
    ) -> None:
        """str.format() would refuse these for each delivered order (``:d`` of a text,
        a width naming the order id), failing the order.delivered event's ingestion."""
        write = _headers(keys, Scope.MESSAGES_WRITE)
        before = row_counts(app)
        for link in ("https://s.example/{sku:d}", "https://s.example/{sku:>{order_id}}"):
            bad = client.put(
                "/api/v1/journeys/post_purchase",
                json={"enabled": True, "review_url": link, "nps_url": "https://s/{survey_id!r}"},
                headers=write,
            )
            assert_problem(bad, 422, "request_invalid", "/review_url", "/nps_url")
        assert row_counts(app) == before

    def test_writing_needs_messages_write(self, client: TestClient, keys: Keys) -> None:
        denied = client.put(
            "/api/v1/journeys/welcome", json={}, headers=_headers(keys, Scope.MESSAGES_READ)
        )
        assert denied.status_code == 403


class TestTemplates:
    def test_a_version_is_stored_listed_and_live(self, client: TestClient, keys: Keys) -> None:
        read, write = _headers(keys, Scope.MESSAGES_READ), _headers(keys, Scope.MESSAGES_WRITE)
        shipped = client.get("/api/v1/templates/points_matured/en", headers=read).json()
        assert shipped["version"] == 0
        assert "matured_points" in shipped["subject"]
        assert shipped["short"] is None

        created = client.put("/api/v1/templates/points_matured/en", json=MATURED, headers=write)
        assert created.status_code == 201, created.text
        assert created.json()["version"] == 1
        assert created.json()["created_by"] == "only messages:write"
        again = client.put("/api/v1/templates/points_matured/en", json=MATURED, headers=write)
        assert (again.status_code, again.json()["version"]) == (200, 1)
        changed = {**MATURED, "subject": "Ready: {{ matured_points|points }}"}
        second = client.put("/api/v1/templates/points_matured/en", json=changed, headers=write)
        assert (second.status_code, second.json()["version"]) == (201, 2)

        live = client.get("/api/v1/templates/points_matured/en", headers=read).json()
        assert (live["version"], live["subject"]) == (2, changed["subject"])
        versions = client.get("/api/v1/templates/points_matured/en/versions", headers=read)
        assert [v["version"] for v in versions.json()["items"]] == [2, 1, 0]
        listed = {
            i["key"]: i for i in client.get("/api/v1/templates", headers=read).json()["items"]
        }
        assert listed["points_matured"]["locales"]["en"]["version"] == 2
        assert listed["points_matured"]["locales"]["ru"]["version"] == 0
        assert listed["shipped"]["parts"] == ["subject", "text", "html", "short"]
        assert listed["packing_note"]["parts"] == ["html"]

    def test_a_version_that_cannot_render_its_sample_is_refused_with_the_part(
        self, app: Loyalist, client: TestClient, keys: Keys
    ) -> None:
        write = _headers(keys, Scope.MESSAGES_WRITE)
        url = "/api/v1/templates/points_matured/ru"
        before = row_counts(app)
        unknown = client.put(
            url, json={**MATURED, "html": "<p>{{ member.nickname }}</p>"}, headers=write
        )
        body = assert_problem(unknown, 422, "template_variable_undefined", "/html")
        assert body["variable"] == "nickname"
        syntax = client.put(url, json={**MATURED, "text": "{% if %}"}, headers=write)
        assert_problem(syntax, 422, "template_syntax_invalid", "/text")
        parts = client.put(url, json={"subject": "x", "text": "y", "short": "z"}, headers=write)
        assert_problem(parts, 422, "template_parts_invalid", "/html", "/short")
        assert_problem(
            client.put("/api/v1/templates/newsletter/en", json=MATURED, headers=write),
            404,
            "template_not_found",
        )
        assert_problem(
            client.put("/api/v1/templates/points_matured/de", json=MATURED, headers=write),
            404,
            "template_not_found",
        )
        assert row_counts(app) == before


class TestProgramFile:
    def test_a_file_of_journeys_only_leaves_rules_and_templates_alone(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        client.put("/api/v1/rules/base", json=BASE_RULE, headers=admin)
        client.put("/api/v1/templates/points_matured/en", json=MATURED, headers=admin)
        response = client.put(
            "/api/v1/program",
            json={"version": 1, "journeys": {"points": {"enabled": True}}},
            headers=admin,
        )
        assert response.status_code == 200, response.text
        assert response.json() == {
            "created": [],
            "unchanged": [],
            "retired": [],
            "tiers_changed": False,
            "orders_backfilled": 0,
            "journeys_changed": ["points"],
            "templates_created": [],
            "campaigns_changed": [],
            "changes": {},
        }
        program = client.get("/api/v1/program", headers=admin).json()
        assert [r["key"] for r in program["rules"]] == ["base"]
        assert program["journeys"]["points"]["enabled"] is True
        assert program["templates"] == {"points_matured": {"en": MATURED}}

    def test_an_explicit_empty_rule_list_still_retires_every_rule(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        client.put("/api/v1/rules/base", json=BASE_RULE, headers=admin)
        response = client.put("/api/v1/program", json={"rules": []}, headers=admin)
        assert response.json()["retired"] == ["base"]
        null = client.put("/api/v1/program", json={"rules": None}, headers=admin)
        assert_problem(null, 422, "request_invalid", "/rules")

    def test_bad_journeys_or_templates_apply_nothing(
        self, app: Loyalist, client: TestClient, admin: dict[str, str]
    ) -> None:
        before = row_counts(app)
        bad_journeys = {
            "rules": [BASE_RULE],
            "journeys": {"welcome": {"enabled": True, "delay_hours": -1}},
        }
        response = client.put("/api/v1/program", json=bad_journeys, headers=admin)
        assert_problem(response, 422, "request_invalid", "/journeys/welcome/delay_hours")
        missing_rule = {
            "rules": [BASE_RULE],
            "journeys": {"welcome": {"enabled": True}, "birthday": {"gift_rule": "gift"}},
        }
        response = client.put("/api/v1/program", json=missing_rule, headers=admin)
        assert_problem(response, 422, "journey_settings_invalid", "/journeys/birthday/gift_rule")
        bad_template = {
            "rules": [BASE_RULE],
            "templates": {"points_matured": {"ru": {**MATURED, "subject": "{{ nope }}"}}},
        }
        response = client.put("/api/v1/program", json=bad_template, headers=admin)
        assert_problem(response, 422, "templates_invalid", "/templates/points_matured/ru/subject")
        assert row_counts(app) == before

    def test_a_gift_rule_applied_in_the_same_file_is_found(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        program = {"rules": [BASE_RULE], "journeys": {"birthday": {"gift_rule": "base"}}}
        response = client.put("/api/v1/program", json=program, headers=admin)
        assert response.status_code == 200, response.text
        assert response.json()["journeys_changed"] == ["birthday"]

    def test_export_then_apply_changes_nothing(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        program: dict[str, Any] = {
            "rules": [BASE_RULE],
            "journeys": {"win_back": {"enabled": True, "cooldown_days": 30}},
            "templates": {"points_matured": {"en": MATURED, "ru": MATURED}},
        }
        first = client.put("/api/v1/program", json=program, headers=admin).json()
        assert first["templates_created"] == [
            {"key": "points_matured", "locale": "en", "version": 1},
            {"key": "points_matured", "locale": "ru", "version": 1},
        ]
        exported = client.get("/api/v1/program", headers=admin).json()
        again = client.put("/api/v1/program", json=exported, headers=admin)
        assert again.status_code == 200, again.text
        assert again.json() == {
            "created": [],
            "unchanged": ["base"],
            "retired": [],
            "tiers_changed": False,
            "orders_backfilled": 0,
            "journeys_changed": [],
            "templates_created": [],
            "campaigns_changed": [],
            "changes": {},
        }
        assert client.get("/api/v1/program", headers=admin).json() == exported
