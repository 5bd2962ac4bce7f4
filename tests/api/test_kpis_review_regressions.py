"""Review regressions of ``GET /api/v1/insights/kpis``: ranges reaching the calendar's edges."""

from __future__ import annotations

import time

from starlette.testclient import TestClient

from tests.api.conftest import assert_problem

KPIS = "/api/v1/insights/kpis"


class TestKpiRangesAtTheCalendarEdges:
    def test_refuses_months_up_to_the_last_day_of_the_calendar_as_too_long(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        response = client.get(
            KPIS,
            params={"period": "month", "from": "2026-01-01", "to": "9999-12-31"},
            headers=admin,
        )
        assert_problem(response, 422, "date_range_too_long", "#query/from")

    def test_refuses_every_day_of_the_calendar_at_once_without_building_the_days(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        began = time.perf_counter()
        response = client.get(
            KPIS, params={"period": "day", "from": "0001-01-01", "to": "9999-12-31"}, headers=admin
        )
        assert_problem(response, 422, "date_range_too_long", "#query/from")
        assert time.perf_counter() - began < 3

    def test_answers_the_last_month_of_the_calendar(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        response = client.get(
            KPIS, params={"period": "week", "from": "9999-12-01", "to": "9999-12-31"}, headers=admin
        )
        assert response.status_code == 200, response.text
        body = response.json()
        assert [r["period_start"] for r in body["rows"]][-1] == "9999-12-27"
        assert body["to"] == "9999-12-31"
