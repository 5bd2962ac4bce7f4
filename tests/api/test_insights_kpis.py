"""``GET /api/v1/insights/{kpis,cohorts,time-to-second-order,journey}`` over HTTP, on the shop
of ``tests/integration/test_insights_export.py`` (figures computed by hand there)."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from loyalist.bootstrap import Loyalist
from loyalist.clock import ManualClock
from loyalist.settings import ProgramPolicy
from loyalist.staff.models import Scope
from tests.api.conftest import Keys, assert_problem, bearer
from tests.integration.test_insights_export import load_shop, shop_program

BASE = "/api/v1/insights"


@pytest.fixture
def program() -> ProgramPolicy:
    return shop_program()


class TestInsightsReports:
    def test_answers_kpis_cohorts_journey_and_time_to_second_order(
        self, client: TestClient, app: Loyalist, clock: ManualClock, keys: Keys
    ) -> None:
        load_shop(app, clock)
        headers = bearer(keys.of(Scope.INSIGHTS_READ))
        kpis = client.get(
            f"{BASE}/kpis", params={"by": "tier", "from": "2026-01-01"}, headers=headers
        )
        assert kpis.status_code == 200, kpis.text
        body = kpis.json()
        assert (body["period"], body["by"], body["from"], body["to"]) == (
            "month",
            "tier",
            "2026-01-01",
            "2026-03-20",
        )
        assert (body["currency"], body["liability_currency"], body["churn_days"]) == (
            "EUR",
            "EUR",
            180,
        )
        rows = [
            (r["period"], r["group"], r["members"], r["orders"], r["revenue"]) for r in body["rows"]
        ]
        assert rows == [
            ("2026-01", "gold", 1, 1, 10000),
            ("2026-01", "member", 2, 1, 3000),
            ("2026-02", "gold", 1, 1, 1500),
            ("2026-02", "member", 3, 0, 0),
            ("2026-03", "gold", 1, 0, 0),
            ("2026-03", "member", 3, 1, 5000),
        ]
        assert [
            (t["period"], t["liability_points"], t["liability_money"]) for t in body["totals"]
        ] == [
            ("2026-01", 130, 130),
            ("2026-02", 105, 105),
            ("2026-03", 102, 102),
        ]
        cohorts = client.get(f"{BASE}/cohorts", headers=headers).json()
        assert [
            (c["cohort"], c["size"], [(m["members"], m["share"]) for m in c["months"]])
            for c in cohorts["cohorts"]
        ] == [("2026-01", 2, [(2, 1.0), (1, 0.5), (0, 0.0)]), ("2026-03", 1, [(1, 1.0)])]
        second = client.get(f"{BASE}/time-to-second-order", headers=headers).json()
        assert (second["customers"], second["repeat_customers"], second["median_days"]) == (
            3,
            1,
            36.0,
        )
        journey = client.get(f"{BASE}/journey", headers=headers).json()
        assert [
            (
                c["cohort"],
                c["enrolled"],
                c["first_order"],
                c["days_to_first_order"],
                c["second_order"],
            )
            for c in journey["cohorts"]
        ] == [("2026-01", 3, 3, 18.0, 1), ("2026-02", 1, 0, None, 0)]

    def test_channel_grouping_leaves_member_figures_null(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        body = client.get(
            f"{BASE}/kpis",
            params={"by": "channel", "period": "week", "from": "2026-01-05", "to": "2026-01-11"},
            headers=admin,
        ).json()
        assert body["rows"] == []  # no order, so no channel
        assert [t["period"] for t in body["totals"]] == ["2026-W02"]
        assert body["totals"][0]["members"] == 0


class TestInsightsProblems:
    @pytest.mark.parametrize("path", ["kpis", "cohorts", "journey"])
    def test_refuses_a_range_ending_before_it_starts(
        self, client: TestClient, admin: dict[str, str], path: str
    ) -> None:
        response = client.get(
            f"{BASE}/{path}", params={"from": "2026-02-01", "to": "2026-01-01"}, headers=admin
        )
        assert_problem(response, 422, "date_range_invalid", "#query/from")

    def test_refuses_bad_parameters_with_their_paths(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        for params, pointer in (
            ({"period": "year"}, "#query/period"),
            ({"by": "city"}, "#query/by"),
            ({"churn_days": "0"}, "#query/churn_days"),
            ({"currency": "euro"}, "#query/currency"),
            ({"from": "2026-13-01"}, "#query/from"),
        ):
            response = client.get(f"{BASE}/kpis", params=params, headers=admin)
            assert_problem(response, 422, "request_invalid", pointer)

    def test_refuses_more_than_ten_years_of_days(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        response = client.get(
            f"{BASE}/kpis",
            params={"period": "day", "from": "2000-01-01", "to": "2026-01-01"},
            headers=admin,
        )
        assert_problem(response, 422, "date_range_too_long", "#query/from")
