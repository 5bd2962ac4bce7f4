"""Review and survey events over HTTP: problems with pointers, nothing applied on a conflict."""

from __future__ import annotations

from datetime import timedelta

from starlette.testclient import TestClient

from loyalist.bootstrap import Loyalist
from tests.api.conftest import assert_problem, row_counts
from tests.conftest import START, event

EVENTS = "/api/v1/events"


def _review(event_id: str, member: str, review_id: str = "R1") -> dict[str, object]:
    return event(
        event_id, "review.published", member, START, review_id=review_id, sku="s", rating=4
    )


class TestReviewEvents:
    def test_another_members_review_id_is_a_conflict_and_applies_nothing(
        self, client: TestClient, app: Loyalist, admin: dict[str, str]
    ) -> None:
        enrol = [event(f"e{m}", "member.enrolled", m, START) for m in ("M1", "M2")]
        assert client.post(EVENTS, json=enrol, headers=admin).status_code == 202
        assert client.post(EVENTS, json=_review("v1", "M1"), headers=admin).status_code == 202
        before = row_counts(app)
        batch = [event("x1", "x.ping", "M2", START), _review("v2", "M2")]
        response = client.post(EVENTS, json=batch, headers=admin)
        assert_problem(response, 409, "review_member_mismatch", "/1/member_id")
        assert row_counts(app) == before

    def test_a_removal_needs_a_review_id_and_a_survey_a_known_channel(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        at = START + timedelta(hours=1)
        batch = [
            event("r1", "review.removed", "M1", at, reason="spam"),
            event("s1", "survey.answered", "M1", at, survey_id="q", score=9, channel="fax"),
        ]
        response = client.post(EVENTS, json=batch, headers=admin)
        assert_problem(response, 422, "batch_invalid", "/0/data/review_id", "/1/data/channel")
