"""Segments over HTTP: the summary, recompute on demand, one member's scores, problems."""

from __future__ import annotations

from starlette.testclient import TestClient

from loyalist.bootstrap import Loyalist
from loyalist.insights.rfm import SEGMENTS
from loyalist.staff.models import Scope
from tests.api.conftest import Keys, assert_problem, bearer
from tests.conftest import START
from tests.integration.test_insights_scores import RFM_SEGMENT, seed

SUMMARY = "/api/v1/insights/segments"
RECOMPUTE = "/api/v1/insights/segments/recompute"


class TestSegmentsSummary:
    def test_lists_every_segment_empty_before_any_scores(
        self, client: TestClient, keys: Keys
    ) -> None:
        response = client.get(SUMMARY, headers=bearer(keys.of(Scope.INSIGHTS_READ)))

        assert response.status_code == 200, response.text
        body = response.json()
        assert (body["computed_at"], body["members_scored"], body["churn_risk_high"]) == (
            None,
            0,
            0,
        )
        assert [(s["segment"], s["members"], s["avg_frequency"]) for s in body["segments"]] == [
            (key, 0, None) for key in SEGMENTS
        ]

    def test_recompute_answers_the_new_summary_and_the_reads_serve_it(
        self, client: TestClient, app: Loyalist, keys: Keys, admin: dict[str, str]
    ) -> None:
        seed(app)

        recomputed = client.post(RECOMPUTE, headers=admin)
        read = client.get(SUMMARY, headers=bearer(keys.of(Scope.INSIGHTS_READ)))

        assert recomputed.status_code == 200, recomputed.text
        body = recomputed.json()
        assert read.json() == body
        assert body["members_scored"] == 5
        assert body["computed_at"] == START.isoformat().replace("+00:00", "Z")
        assert body["currency"] == "EUR"
        counts = {s["segment"]: (s["members"], s["share"]) for s in body["segments"]}
        assert counts == {
            key: ((1, 0.2) if key in RFM_SEGMENT.values() else (0, 0.0)) for key in SEGMENTS
        }
        champions = next(s for s in body["segments"] if s["segment"] == "champions")
        assert (
            champions["avg_recency_days"],
            champions["avg_frequency"],
            champions["avg_monetary"],
        ) == (1.0, 5.0, 25000.0)
        assert 0 <= champions["avg_p_alive"] <= 1
        assert champions["total_clv"] > 0


class TestMemberScores:
    def test_answers_a_members_stored_scores(
        self, client: TestClient, app: Loyalist, keys: Keys, admin: dict[str, str]
    ) -> None:
        seed(app)
        client.post(RECOMPUTE, headers=admin)

        response = client.get(
            "/api/v1/members/M5/scores", headers=bearer(keys.of(Scope.INSIGHTS_READ))
        )

        assert response.status_code == 200, response.text
        body = response.json()
        assert {k: body[k] for k in ("member_id", "segment", "r_score", "f_score", "m_score")} == {
            "member_id": "M5",
            "segment": "champions",
            "r_score": 5,
            "f_score": 5,
            "m_score": 5,
        }
        assert (body["recency_days"], body["frequency"], body["monetary"]) == (1, 5, 25000)
        assert body["churn_risk"] == 1 - body["p_alive"]

    def test_answers_404_for_a_member_without_scores_or_an_unknown_member(
        self, client: TestClient, app: Loyalist, admin: dict[str, str]
    ) -> None:
        seed(app)
        client.post(RECOMPUTE, headers=admin)

        assert_problem(
            client.get("/api/v1/members/M6/scores", headers=admin), 404, "scores_not_computed"
        )
        assert_problem(
            client.get("/api/v1/members/nobody/scores", headers=admin), 404, "member_not_found"
        )
