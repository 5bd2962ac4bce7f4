"""The member timeline shows the member's messages beside their activities: status, journey,
template key, when it was queued and why it was not delivered, newest first, paged with one
cursor across both."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from starlette.testclient import TestClient

from loyalist.bootstrap import Loyalist
from tests.api.conftest import assert_problem, bearer, make_key
from tests.conftest import START
from tests.integration.helpers import run_jobs
from tests.integration.messaging import enrol, marketing_draft, pay_order, queue
from tests.smtp import SmtpSink

TIMELINE = "/api/v1/members/M1/timeline"


@pytest.fixture
def app(mailing_app: Loyalist) -> Loyalist:
    return mailing_app


def _two_undelivered(app: Loyalist, sink: SmtpSink) -> None:
    """An order confirmation the SMTP server refuses (``failed``) and an offer to a member
    without marketing consent (``suppressed``), both queued at START."""
    member = enrol(app, "M1", email="anna@example.com")
    sink.refused.add("anna@example.com")
    pay_order(app, "M1", "A-1", START - timedelta(minutes=10))
    queue(app, marketing_draft(member, "spring"))
    run_jobs(app)


def _pages(client: TestClient, admin: dict[str, str], limit: int) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    params: dict[str, Any] = {"limit": limit}
    for _ in range(20):
        page = client.get(TIMELINE, params=params, headers=admin).json()
        items.extend(page["items"])
        if page["next_before"] is None:
            return items
        params["before"] = page["next_before"]
    raise AssertionError("the timeline never ended")


class TestMessagesOnTheTimeline:
    def test_shows_each_message_with_status_journey_template_and_reason(
        self, app: Loyalist, client: TestClient, admin: dict[str, str], sink: SmtpSink
    ) -> None:
        _two_undelivered(app, sink)

        response = client.get(TIMELINE, headers=admin)

        assert response.status_code == 200, response.text
        items = response.json()["items"]
        sent = [i for i in items if i["type"] == "message"]
        assert [i["type"] for i in items[: len(sent)]] == ["message", "message"]
        older = [i["type"] for i in items[2:] if i["type"] not in ("points", "tier", "reward")]
        assert older[:2] == ["order.paid", "order.placed"]
        by_journey = {i["data"]["journey"]: i for i in sent}
        confirmation = by_journey["order_confirmation"]
        assert confirmation["occurred_at"] == START.isoformat().replace("+00:00", "Z")
        assert confirmation["data"]["template_key"] == "order_confirmation"
        assert confirmation["data"]["channel"] == "email"
        assert confirmation["data"]["kind"] == "transactional"
        assert confirmation["data"]["status"] == "failed"
        assert confirmation["data"]["reason"].startswith("SMTP 550")
        assert [h["status"] for h in confirmation["data"]["history"]] == ["queued", "failed"]
        offer = by_journey["test_offer"]
        assert (offer["data"]["status"], offer["data"]["reason"]) == (
            "suppressed",
            "no marketing consent for the channel",
        )
        assert "subject" not in confirmation["data"]  # content needs messages:read

    def test_pages_across_activities_and_messages_without_gaps_or_repeats(
        self, app: Loyalist, client: TestClient, admin: dict[str, str], sink: SmtpSink
    ) -> None:
        _two_undelivered(app, sink)
        whole = client.get(TIMELINE, headers=admin).json()["items"]

        for limit in (1, 2, 3):
            assert [i["id"] for i in _pages(client, admin, limit)] == [i["id"] for i in whole]
        assert len(whole) >= 4

    def test_a_malformed_message_cursor_is_a_problem(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        client.put("/api/v1/members/M1", json={}, headers=admin)
        for cursor in ("2026-01-15T12:00:00Z~msg_", "2026-01-15T12:00:00Z~msg_XYZ"):
            response = client.get(TIMELINE, params={"before": cursor}, headers=admin)
            assert_problem(response, 422, "cursor_invalid", "#query/before")

    def test_a_cursor_past_the_ids_or_times_stored_is_a_problem(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        client.put("/api/v1/members/M1", json={}, headers=admin)
        for cursor in (
            "2026-01-15T12:00:00Z~99999999999999999999999",  # past a 64-bit id
            "2026-01-15T12:00:00Z~-99999999999999999999",
            "0001-01-01T00:00:00+14:00~1",  # before year 1 in UTC
            "9999-12-31T23:59:59-14:00~msg_ab",  # after year 9999 in UTC
        ):
            response = client.get(TIMELINE, params={"before": cursor}, headers=admin)
            assert_problem(response, 422, "cursor_invalid", "#query/before")


class TestEveryKindOnTheTimeline:
    def test_point_movements_are_entries_with_their_explanation(
        self, app: Loyalist, client: TestClient, admin: dict[str, str], sink: SmtpSink
    ) -> None:
        _two_undelivered(app, sink)

        items = client.get(TIMELINE, headers=admin).json()["items"]

        [earned] = [i for i in items if i["type"] == "points"]
        assert earned["id"].startswith("points.")
        assert earned["data"]["points"] > 0
        assert earned["data"]["text"].startswith(f"+{earned['data']['points']}")
        assert set(earned["data"]) >= {"reason", "rule", "kind", "change"}
        paid = next(i for i in items if i["type"] == "order.paid")
        assert earned["occurred_at"] == paid["occurred_at"]
        assert items.index(earned) > items.index(paid)  # at one instant: the order first

    def test_a_caller_without_points_read_sees_no_points_or_rewards(
        self, app: Loyalist, client: TestClient, sink: SmtpSink
    ) -> None:
        _two_undelivered(app, sink)
        reader = bearer(make_key(app, "reader", "members:read"))

        items = client.get(TIMELINE, headers=reader).json()["items"]

        assert {i["type"] for i in items} >= {"message", "order.paid"}
        assert not {i["type"] for i in items} & {"points", "reward", "coupon"}

    def test_a_malformed_cursor_of_a_new_kind_is_a_problem(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        client.put("/api/v1/members/M1", json={}, headers=admin)
        for cursor in (
            "2026-01-15T12:00:00Z~points.",
            "2026-01-15T12:00:00Z~tier.x",
            "2026-01-15T12:00:00Z~rwd_XYZ",
            "2026-01-15T12:00:00Z~coupon.1",
            "nonsense~cpr_ab",
        ):
            response = client.get(TIMELINE, params={"before": cursor}, headers=admin)
            assert_problem(response, 422, "cursor_invalid", "#query/before")
