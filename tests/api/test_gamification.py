"""Gamification over HTTP: definitions with CEL checked at PUT, a member's game in en/ru."""

from __future__ import annotations

from typing import Any

from starlette.testclient import TestClient

from loyalist.bootstrap import Loyalist
from tests.api.conftest import assert_problem, row_counts
from tests.conftest import START, event, order_body

NAME = {"en": "First order", "ru": "Первый заказ"}
BADGE = {
    "name": NAME,
    "description": {"en": "You ordered", "ru": "Вы заказали"},
    "criteria": "member.orders >= 1",
}
QUEST: dict[str, Any] = {
    "name": {"en": "Three orders", "ru": "Три заказа"},
    "steps": [
        {"event": "order.paid", "count": 3, "name": {"en": "Order", "ru": "Закажите"}},
        {"event": "review.published", "condition": "event.data.rating >= 4"},
    ],
    "period": {"type": "month"},
    "reward": {"points": 100},
}


def order(client: TestClient, admin: dict[str, str], n: int, member: str = "M1") -> None:
    body = event(f"e{n}", "order.paid", member, START, **order_body(f"o{n}", ("SKU", 1, 1000)))
    response = client.post("/api/v1/events", json=body, headers=admin)
    assert response.status_code < 300, response.text


class TestDefinitions:
    def test_put_creates_then_answers_unchanged_then_versions_a_change(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        created = client.put("/api/v1/badges/first-order", json=BADGE, headers=admin)
        same = client.put("/api/v1/badges/first-order", json=BADGE, headers=admin)
        changed = client.put(
            "/api/v1/badges/first-order",
            json={**BADGE, "criteria": "member.orders >= 2"},
            headers=admin,
        )
        assert [r.status_code for r in (created, same, changed)] == [201, 200, 200]
        assert [r.json()["version"] for r in (created, same, changed)] == [1, 1, 2]
        got = client.get("/api/v1/badges/first-order", headers=admin).json()
        assert (got["kind"], got["criteria"], got["is_active"]) == (
            "badge",
            "member.orders >= 2",
            True,
        )
        listed = client.get("/api/v1/badges", headers=admin).json()["items"]
        assert [i["key"] for i in listed] == ["first-order"]

    def test_delete_deactivates_and_the_badge_is_no_longer_awarded(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        client.put("/api/v1/badges/first-order", json=BADGE, headers=admin)
        stopped = client.delete("/api/v1/badges/first-order", headers=admin)
        assert (stopped.status_code, stopped.json()["is_active"]) == (200, False)
        order(client, admin, 1)
        view = client.get("/api/v1/members/M1/gamification", headers=admin).json()
        assert view["badges"] == []

    def test_a_bad_expression_is_422_with_its_pointer_and_nothing_is_written(
        self, client: TestClient, app: Loyalist, admin: dict[str, str]
    ) -> None:
        before = row_counts(app)
        cases: list[tuple[str, dict[str, Any], str]] = [
            ("/api/v1/badges/b", {**BADGE, "criteria": "member.orders >="}, "/criteria"),
            ("/api/v1/badges/b", {**BADGE, "criteria": "member.order >= 1"}, "/criteria"),
            ("/api/v1/badges/b", {**BADGE, "criteria": 'member.orders >= "1"'}, "/criteria"),
            ("/api/v1/badges/b", {**BADGE, "criteria": "order.total > 1"}, "/criteria"),
            (
                "/api/v1/quests/q",
                {
                    **QUEST,
                    "steps": [QUEST["steps"][0], {"event": "order.paid", "condition": "event.x"}],
                },
                "/steps/1/condition",
            ),
            (
                "/api/v1/streaks/s",
                {"name": NAME, "period": "week", "on": ["order.paid"], "condition": "(("},
                "/condition",
            ),
            ("/api/v1/quests/q", {**QUEST, "reward": {"coupon": "nope"}}, "/reward/coupon"),
        ]
        for url, body, pointer in cases:
            problem = assert_problem(
                client.put(url, json=body, headers=admin), 422, "gamification_invalid", pointer
            )
            assert pointer == "/reward/coupon" or "`" in problem["errors"][0]["detail"]
        assert row_counts(app) == before

    def test_shape_errors_are_request_invalid(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        bad_period = {**QUEST, "period": {"type": "fixed"}}
        assert_problem(
            client.put("/api/v1/quests/q", json=bad_period, headers=admin), 422, "request_invalid"
        )
        bad_type = {"name": NAME, "period": "week", "on": ["order.shipped"]}
        assert_problem(
            client.put("/api/v1/streaks/s", json=bad_type, headers=admin), 422, "request_invalid"
        )

    def test_unknown_keys_are_404_per_kind(self, client: TestClient, admin: dict[str, str]) -> None:
        for plural, code in [
            ("badges", "badge_not_found"),
            ("quests", "quest_not_found"),
            ("streaks", "streak_not_found"),
            ("levels", "level_not_found"),
        ]:
            assert_problem(client.get(f"/api/v1/{plural}/nope", headers=admin), 404, code)
            assert_problem(client.delete(f"/api/v1/{plural}/nope", headers=admin), 404, code)


class TestMemberView:
    def test_shows_badges_quests_streaks_and_level_in_russian(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        client.put("/api/v1/badges/first-order", json=BADGE, headers=admin)
        client.put("/api/v1/quests/three-orders", json=QUEST, headers=admin)
        client.put(
            "/api/v1/streaks/weekly",
            json={
                "name": {"en": "Weekly", "ru": "Каждую неделю"},
                "period": "week",
                "on": ["order.paid"],
            },
            headers=admin,
        )
        client.put(
            "/api/v1/levels/rookie",
            json={"name": {"en": "Rookie", "ru": "Новичок"}, "points": 0},
            headers=admin,
        )
        order(client, admin, 1)
        order(client, admin, 2)

        ru = client.get(
            "/api/v1/members/M1/gamification", headers=admin | {"Accept-Language": "ru-RU,ru;q=0.9"}
        )
        assert ru.status_code == 200
        body = ru.json()
        assert body["locale"] == "ru"
        assert [(b["key"], b["name"], b["description"]) for b in body["badges"]] == [
            ("first-order", "Первый заказ", "Вы заказали")
        ]
        assert body["badges"][0]["awarded_at"].startswith("2026-01-15T12:00:00")
        (quest,) = body["quests"]
        assert quest["name"] == "Три заказа"
        assert [(s["name"], s["done"], s["needed"]) for s in quest["steps"]] == [
            ("Закажите", 2, 3),
            (None, 0, 1),
        ]
        assert quest["period"]["key"] == "m2026-01"
        assert [(s["name"], s["current"], s["best"]) for s in body["streaks"]] == [
            ("Каждую неделю", 1, 1)
        ]
        assert body["level"]["current"]["name"] == "Новичок"

        en = client.get("/api/v1/members/M1/quests?locale=en", headers=admin).json()
        assert en["items"][0]["name"] == "Three orders"

    def test_an_unknown_member_is_404(self, client: TestClient, admin: dict[str, str]) -> None:
        assert_problem(
            client.get("/api/v1/members/nobody/gamification", headers=admin),
            404,
            "member_not_found",
        )
