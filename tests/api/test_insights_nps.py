"""``GET /api/v1/insights/nps`` over HTTP: hand-computed figures, parameters, problems."""

from __future__ import annotations

from starlette.testclient import TestClient

from loyalist.bootstrap import Loyalist
from loyalist.clock import ManualClock
from loyalist.staff.models import Scope
from tests.api.conftest import Keys, assert_problem, bearer
from tests.integration.nps_dataset import load

URL = "/api/v1/insights/nps"


class TestNps:
    def test_answers_nps_by_month_and_tier_for_an_insights_key(
        self, client: TestClient, app: Loyalist, clock: ManualClock, keys: Keys
    ) -> None:
        load(app, clock)
        response = client.get(
            URL,
            params={"period": "month", "by": "tier", "from": "2026-01-01", "to": "2026-02-28"},
            headers=bearer(keys.of(Scope.INSIGHTS_READ)),
        )
        assert response.status_code == 200, response.text
        body = response.json()
        assert (body["period"], body["by"], body["from"], body["to"]) == (
            "month",
            "tier",
            "2026-01-01",
            "2026-02-28",
        )
        assert body["timezone"] == "UTC"
        rows = [
            (r["period"], r["group"], r["responses"], r["promoters"], r["detractors"], r["nps"])
            for r in body["rows"]
        ]
        assert rows == [
            ("2026-01", "gold", 1, 1, 0, 100.0),
            ("2026-01", "member", 2, 1, 0, 50.0),
            ("2026-02", "member", 2, 0, 2, -100.0),
        ]
        assert body["total"] == {
            "responses": 5,
            "promoters": 2,
            "passives": 1,
            "detractors": 2,
            "nps": 0.0,
        }

    def test_segments_and_channels(
        self, client: TestClient, app: Loyalist, clock: ManualClock, admin: dict[str, str]
    ) -> None:
        load(app, clock)
        segments = client.get(URL, params={"by": "segment"}, headers=admin).json()
        assert [(r["group"], r["nps"]) for r in segments["rows"]] == [
            ("eu", 100.0),
            ("vip", 0.0),
            (None, -50.0),
        ]
        channels = client.get(URL, params={"by": "channel", "to": "2026-01-31"}, headers=admin)
        assert [(r["group"], r["responses"]) for r in channels.json()["rows"]] == [
            ("email", 1),
            ("web", 2),
        ]

    def test_refuses_a_range_ending_before_it_starts(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        response = client.get(URL, params={"from": "2026-02-01", "to": "2026-01-01"}, headers=admin)
        assert_problem(response, 422, "date_range_invalid", "#query/from")

    def test_refuses_an_unknown_period_or_grouping(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        assert_problem(
            client.get(URL, params={"period": "year"}, headers=admin),
            422,
            "request_invalid",
            "#query/period",
        )
        assert_problem(
            client.get(URL, params={"by": "city"}, headers=admin),
            422,
            "request_invalid",
            "#query/by",
        )
