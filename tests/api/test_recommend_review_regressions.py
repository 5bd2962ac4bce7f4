"""Regressions found in review of the recommendation routes."""

from __future__ import annotations

from starlette.testclient import TestClient

from loyalist.bootstrap import Loyalist
from loyalist.staff.models import Scope
from tests.api.conftest import Keys, bearer


def test_also_bought_answers_for_a_sku_with_a_slash(
    client: TestClient, app: Loyalist, keys: Keys
) -> None:
    # SKUs such as "TS/RED" are valid; %2F is decoded before routing, so the route must
    # take the rest of the path as the SKU instead of answering 404.
    response = client.get(
        "/api/v1/products/TS%2FRED/also-bought",
        headers=bearer(keys.of(Scope.RECOMMENDATIONS_READ)),
    )
    assert response.status_code == 200, response.text
    assert response.json()["sku"] == "TS/RED"
