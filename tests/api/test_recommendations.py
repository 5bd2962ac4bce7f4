"""Recommendation routes over HTTP: also bought, a member's picks and favourites."""

from __future__ import annotations

import math

import pytest
from starlette.testclient import TestClient

from loyalist.bootstrap import Loyalist
from loyalist.staff.models import Scope
from tests.api.conftest import Keys, assert_problem, bearer
from tests.integration.test_recommendations import FAST, load


@pytest.fixture
def headers(keys: Keys) -> dict[str, str]:
    return bearer(keys.of(Scope.RECOMMENDATIONS_READ))


@pytest.fixture
def refreshed(app: Loyalist) -> Loyalist:
    load(app)
    app.refresh_recommendations(FAST)
    return app


class TestAlsoBought:
    def test_lists_neighbours_with_both_scores(
        self, client: TestClient, refreshed: Loyalist, headers: dict[str, str]
    ) -> None:
        response = client.get(
            "/api/v1/products/A/also-bought", params={"score": "cosine"}, headers=headers
        )
        assert response.status_code == 200, response.text
        cosine = 4 / math.sqrt(8 * 4)
        assert response.json() == {
            "sku": "A",
            "score": "cosine",
            "computed_at": "2026-01-15T12:00:00Z",
            "items": [
                {
                    "sku": "B",
                    "score": pytest.approx(cosine),
                    "lift": pytest.approx(1.25),
                    "cosine": pytest.approx(cosine),
                    "support": 4,
                }
            ],
        }

    def test_an_unknown_sku_has_no_neighbours(
        self, client: TestClient, refreshed: Loyalist, headers: dict[str, str]
    ) -> None:
        response = client.get("/api/v1/products/NOPE/also-bought", headers=headers)
        assert response.status_code == 200
        assert (response.json()["score"], response.json()["items"]) == ("lift", [])

    def test_answers_null_computed_at_before_any_refresh(
        self, client: TestClient, app: Loyalist, headers: dict[str, str]
    ) -> None:
        body = client.get("/api/v1/products/A/also-bought", headers=headers).json()
        assert (body["computed_at"], body["items"]) == (None, [])

    @pytest.mark.parametrize(
        ("params", "pointer"),
        [
            ({"limit": "0"}, "#query/limit"),
            ({"limit": "101"}, "#query/limit"),
            ({"score": "jaccard"}, "#query/score"),
        ],
    )
    def test_refuses_bad_parameters_as_problems(
        self,
        client: TestClient,
        app: Loyalist,
        headers: dict[str, str],
        params: dict[str, str],
        pointer: str,
    ) -> None:
        response = client.get("/api/v1/products/A/also-bought", params=params, headers=headers)
        assert_problem(response, 422, "request_invalid", pointer)


class TestMemberRecommendations:
    def test_item_knn_then_popular_fill(
        self, client: TestClient, refreshed: Loyalist, headers: dict[str, str]
    ) -> None:
        response = client.get(
            "/api/v1/members/M8/recommendations",
            params={"method": "item_knn", "limit": 5},
            headers=headers,
        )
        assert response.status_code == 200, response.text
        body = response.json()
        assert (body["member_id"], body["method"]) == ("M8", "item_knn")
        assert [(i["sku"], i["source"]) for i in body["items"]] == [
            ("B", "item_knn"),
            ("F", "popular"),
        ]
        assert body["items"][1]["score"] == 2.0  # F's distinct buyers

    def test_unknown_member_is_a_404_problem(
        self, client: TestClient, refreshed: Loyalist, headers: dict[str, str]
    ) -> None:
        for route in ("recommendations", "favourites"):
            response = client.get(f"/api/v1/members/nobody/{route}", headers=headers)
            assert_problem(response, 404, "member_not_found")

    def test_refuses_an_unknown_method(
        self, client: TestClient, app: Loyalist, headers: dict[str, str]
    ) -> None:
        response = client.get(
            "/api/v1/members/M1/recommendations", params={"method": "magic"}, headers=headers
        )
        assert_problem(response, 422, "request_invalid", "#query/method")


class TestFavourites:
    def test_lists_products_and_categories(
        self, client: TestClient, refreshed: Loyalist, headers: dict[str, str]
    ) -> None:
        response = client.get(
            "/api/v1/members/M1/favourites", params={"half_life_days": 30}, headers=headers
        )
        assert response.status_code == 200, response.text
        body = response.json()
        assert (body["currency"], body["half_life_days"]) == ("EUR", 30.0)
        assert [(p["sku"], p["orders"], p["quantity"], p["spend"]) for p in body["products"]] == [
            ("B", 1, 2, 1000),  # same order and spend as A: more units first
            ("A", 1, 1, 1000),
        ]
        assert [(c["category"], c["orders"], c["spend"]) for c in body["categories"]] == [
            ("cat", 1, 2000)
        ]

    def test_refuses_a_non_positive_half_life(
        self, client: TestClient, app: Loyalist, headers: dict[str, str]
    ) -> None:
        response = client.get(
            "/api/v1/members/M1/favourites", params={"half_life_days": 0}, headers=headers
        )
        assert_problem(response, 422, "request_invalid", "#query/half_life_days")
