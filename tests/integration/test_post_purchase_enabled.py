"""The post-purchase journey switched on, against a real database: each message due at
10:00 on the member's local day, once per key however the delivery is replayed, stopped
when its goal was met (a review, a survey answer) when queued and again when due; tips in
the member's language from the library; the review points from a dry run of the live
rules."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from loyalist.activities import service as activities
from loyalist.activities.events import OrderDelivered
from loyalist.bootstrap import Loyalist
from loyalist.clock import ManualClock
from loyalist.messages import post_purchase, preferences
from loyalist.messages.models import Topic
from loyalist.messages.schemas import MessageRead
from loyalist.rules import programs
from loyalist.rules.schemas import ProgramFile
from tests.conftest import START, event, order_body
from tests.integration.helpers import run_jobs, send
from tests.integration.messaging import enrol, messages_of, post_purchase_on
from tests.smtp import SmtpSink

DAY = timedelta(days=1)


def buy(app: Loyalist, member: str, order_id: str, at: datetime) -> None:
    """A paid order of a shoe (category shoes) and a sock (category socks)."""
    body = order_body(order_id, ("shoe", 1, 5000), ("sock", 2, 1000))
    body["lines"][0]["category"] = "shoes"
    body["lines"][1]["category"] = "socks"
    send(
        app,
        event(f"{order_id}-placed", "order.placed", member, at - timedelta(minutes=3), **body),
        event(f"{order_id}-paid", "order.paid", member, at, order_id=order_id),
    )


def deliver(app: Loyalist, member: str, order_id: str, at: datetime) -> None:
    send(app, event(f"{order_id}-delivered", "order.delivered", member, at, order_id=order_id))


def journey(app: Loyalist, member: str) -> dict[str, MessageRead]:
    return {
        m.natural_key: m for m in messages_of(app, member) if m.journey.startswith("post_purchase.")
    }


def live(app: Loyalist, clock: ManualClock, days: int) -> None:
    """``days`` days pass a day at a time, the worker running each day (caps count per
    local day: one jump would send a week's messages on one day)."""
    for _ in range(days):
        clock.advance(DAY)
        run_jobs(app)


def customer(app: Loyalist, member: str = "M1", **profile: Any) -> int:
    fields: dict[str, Any] = {"email": "anna@example.com", "marketing_email": True, **profile}
    return enrol(app, member, **fields)


SHOE, SOCK = post_purchase.review_key("A-1", "shoe"), post_purchase.review_key("A-1", "sock")


@pytest.fixture
def app(mailing_app: Loyalist) -> Loyalist:
    """The application sending to a loopback SMTP sink."""
    return mailing_app


class TestPlan:
    def test_each_message_is_due_at_ten_on_the_members_local_day(self, app: Loyalist) -> None:
        post_purchase_on(app)
        customer(app, timezone="Europe/Berlin")
        customer(app, "M2", timezone="Asia/Tokyo")
        buy(app, "M1", "A-1", START - 2 * DAY)
        buy(app, "M2", "B-1", START - 2 * DAY)
        deliver(app, "M1", "A-1", START)  # 13:00 in Berlin
        deliver(app, "M2", "B-1", START)  # 21:00 in Tokyo

        berlin = {key: m.due_at for key, m in journey(app, "M1").items()}
        tokyo = {key: m.due_at for key, m in journey(app, "M2").items()}

        assert berlin == {
            "tips:A-1": datetime(2026, 1, 18, 9, 0, tzinfo=UTC),
            SHOE: datetime(2026, 1, 25, 9, 0, tzinfo=UTC),
            SOCK: datetime(2026, 1, 26, 9, 0, tzinfo=UTC),  # the cheaper one a day later
            "nps:A-1": datetime(2026, 2, 14, 9, 0, tzinfo=UTC),
        }
        assert tokyo == {
            "tips:B-1": datetime(2026, 1, 18, 1, 0, tzinfo=UTC),
            post_purchase.review_key("B-1", "shoe"): datetime(2026, 1, 25, 1, 0, tzinfo=UTC),
            post_purchase.review_key("B-1", "sock"): datetime(2026, 1, 26, 1, 0, tzinfo=UTC),
            "nps:B-1": datetime(2026, 2, 14, 1, 0, tzinfo=UTC),
        }
        assert {m.kind for m in journey(app, "M1").values()} == {"marketing"}
        assert {key: m.journey for key, m in journey(app, "M1").items()} == {
            "tips:A-1": "post_purchase.tips",  # the preference centre's topic "tips"
            SHOE: "post_purchase.review",  # topic "reviews"
            SOCK: "post_purchase.review",
            "nps:A-1": "post_purchase.nps",  # topic "reviews"
        }

    def test_the_days_are_the_settings(self, app: Loyalist) -> None:
        post_purchase_on(app, tips_after_days=1, review_after_days=2, nps_after_days=5)
        customer(app, timezone="UTC")
        buy(app, "M1", "A-1", START - DAY)
        deliver(app, "M1", "A-1", START)

        due = {key: m.due_at.date().isoformat() for key, m in journey(app, "M1").items()}

        assert due == {
            "tips:A-1": "2026-01-16",
            SHOE: "2026-01-17",
            SOCK: "2026-01-18",
            "nps:A-1": "2026-01-20",
        }

    def test_once_per_key_however_the_delivery_is_replayed(self, app: Loyalist) -> None:
        post_purchase_on(app)
        member = customer(app)
        buy(app, "M1", "A-1", START - DAY)
        deliver(app, "M1", "A-1", START)
        deliver(app, "M1", "A-1", START)  # the same event again
        send(app, event("A-1-delivered-2", "order.delivered", "M1", START, order_id="A-1"))
        fact = OrderDelivered(member, "A-1", START)
        again = app.db.write(
            lambda uow: post_purchase.after_delivery(uow, [fact, fact], app.program)
        )

        assert again == 0
        assert sorted(journey(app, "M1")) == sorted(["tips:A-1", SHOE, SOCK, "nps:A-1"])

    def test_no_review_request_without_a_review_link(self, app: Loyalist) -> None:
        post_purchase_on(app, review_url=None)
        customer(app)
        buy(app, "M1", "A-1", START - DAY)
        deliver(app, "M1", "A-1", START)

        assert sorted(journey(app, "M1")) == ["nps:A-1", "tips:A-1"]

    def test_a_delivery_loaded_as_history_plans_nothing(self, app: Loyalist) -> None:
        post_purchase_on(app)
        customer(app)
        buy(app, "M1", "A-1", START - 30 * DAY)
        deliver(app, "M1", "A-1", START - 20 * DAY)

        assert journey(app, "M1") == {}


class TestExits:
    def test_a_review_written_before_the_delivery_stops_its_request_when_queued(
        self, app: Loyalist
    ) -> None:
        post_purchase_on(app)
        customer(app)
        buy(app, "M1", "A-1", START - 2 * DAY)
        send(app, _review("M1", "shoe", START - DAY))
        deliver(app, "M1", "A-1", START)

        assert sorted(journey(app, "M1")) == sorted(["tips:A-1", SOCK, "nps:A-1"])

    def test_a_review_written_while_it_waits_stops_the_request_when_due(
        self, app: Loyalist, clock: ManualClock
    ) -> None:
        post_purchase_on(app)
        customer(app)
        buy(app, "M1", "A-1", START - DAY)
        deliver(app, "M1", "A-1", START)
        live(app, clock, 4)
        send(app, _review("M1", "shoe", clock.now()))
        live(app, clock, 7)

        sent = journey(app, "M1")
        assert (sent[SHOE].status, sent[SHOE].reason) == (
            "suppressed",
            "the member already reviewed this product",
        )
        assert sent[SOCK].status == "sent"
        assert sent["nps:A-1"].status == "queued"

    def test_a_survey_answered_since_the_delivery_stops_the_nps_when_due(
        self, app: Loyalist, clock: ManualClock
    ) -> None:
        post_purchase_on(app)
        customer(app)
        customer(app, "M2", email="boris@example.com")
        buy(app, "M1", "A-1", START - DAY)
        buy(app, "M2", "B-1", START - DAY)
        send(app, _survey("M2", "before", START - DAY))  # before the delivery: not counted
        deliver(app, "M1", "A-1", START)
        deliver(app, "M2", "B-1", START)
        live(app, clock, 2)
        send(app, _survey("M1", "nps-A-1", clock.now()))
        live(app, clock, 29)

        nps = journey(app, "M1")["nps:A-1"]
        assert (nps.status, nps.reason) == (
            "suppressed",
            "the member answered a survey since the delivery",
        )
        assert journey(app, "M2")["nps:B-1"].status == "sent"

    def test_a_member_who_switched_reviews_off_still_gets_the_tips(
        self, app: Loyalist, clock: ManualClock
    ) -> None:
        post_purchase_on(app)
        member = customer(app)
        app.db.write(
            lambda uow: preferences.update_preferences(
                uow, member, channels={}, topics={Topic.REVIEWS: False}, source="test"
            )
        )
        buy(app, "M1", "A-1", START - DAY)
        deliver(app, "M1", "A-1", START)
        live(app, clock, 31)

        statuses = {key: m.status for key, m in journey(app, "M1").items()}
        assert statuses == {
            "tips:A-1": "sent",
            SHOE: "suppressed",
            SOCK: "suppressed",
            "nps:A-1": "suppressed",
        }

    def test_switching_the_journey_off_stops_what_waits(
        self, app: Loyalist, clock: ManualClock
    ) -> None:
        post_purchase_on(app)
        customer(app)
        buy(app, "M1", "A-1", START - DAY)
        deliver(app, "M1", "A-1", START)
        post_purchase_on(app, enabled=False)
        live(app, clock, 31)

        reasons = {m.reason for m in journey(app, "M1").values()}
        assert reasons == {"the post-purchase journey is switched off"}


def _review(member: str, sku: str, at: datetime) -> dict[str, Any]:
    return event(
        f"rev-{member}-{sku}",
        "review.published",
        member,
        at,
        review_id=f"R-{member}-{sku}",
        sku=sku,
        rating=4,
    )


def _survey(member: str, survey_id: str, at: datetime) -> dict[str, Any]:
    return event(
        f"srv-{member}-{survey_id}", "survey.answered", member, at, survey_id=survey_id, score=9
    )


REVIEW_RULES = ProgramFile.model_validate(
    {
        "rules": [
            {
                "key": "review",
                "name": {"en": "Review", "ru": "Отзыв"},
                "on": "review.published",
                "effects": [{"type": "fixed", "points": 40}],
            },
            {
                "key": "review-photo",
                "name": {"en": "Photo", "ru": "Фото"},
                "on": "review.published",
                "condition": "event.data.has_photo",
                "effects": [{"type": "fixed", "points": 25}],
            },
        ]
    }
)


class TestSent:
    def test_tips_go_in_the_members_language_from_the_library(
        self, app: Loyalist, clock: ManualClock, sink: SmtpSink
    ) -> None:
        post_purchase_on(app)
        customer(app, locale="ru", first_name="Мария")
        buy(app, "M1", "A-1", START - DAY)
        deliver(app, "M1", "A-1", START)
        live(app, clock, 3)

        [body] = [b for b in _bodies(sink) if "Собрали несколько советов" in b]
        assert "Здравствуйте, Мария!" in body
        assert "ДАЙТЕ ИМ ПОДЫШАТЬ" in body  # the shoes' tip, in Russian
        assert "Давайте кожаной обуви отдых." in body
        assert "Поливайте" not in body  # nothing of the garden was bought
        assert journey(app, "M1")["tips:A-1"].status == "sent"

    def test_the_review_points_are_a_dry_run_of_the_live_rules(
        self, app: Loyalist, clock: ManualClock, sink: SmtpSink
    ) -> None:
        app.db.write(lambda uow: programs.apply_program(uow, REVIEW_RULES, actor="test"))
        post_purchase_on(app, tips=[])
        customer(app, first_name="Anna")
        buy(app, "M1", "A-1", START - DAY)
        deliver(app, "M1", "A-1", START)
        live(app, clock, 11)

        bodies = _bodies(sink)
        # 40 for a review, not 65: the typical review has no photo.
        reviews = sorted(b for b in bodies if "Write a review" in b)
        assert len(reviews) == 2
        assert all("earn you 40\u00a0points" in b for b in reviews)
        assert _ledger_untouched(app)

    def test_a_configured_review_points_figure_wins(
        self, app: Loyalist, clock: ManualClock, sink: SmtpSink
    ) -> None:
        app.db.write(lambda uow: programs.apply_program(uow, REVIEW_RULES, actor="test"))
        post_purchase_on(app, tips=[], review_points=150)
        customer(app)
        buy(app, "M1", "A-1", START - DAY)
        deliver(app, "M1", "A-1", START)
        live(app, clock, 11)

        reviews = [b for b in _bodies(sink) if "Write a review" in b]
        assert len(reviews) == 2
        assert all("earn you 150\u00a0points" in b for b in reviews)


def _bodies(sink: SmtpSink) -> list[str]:
    found = []
    for email in sink.received:
        text = email.get_body(("plain",))
        assert text is not None
        found.append(text.get_content())
    return found


def _ledger_untouched(app: Loyalist) -> bool:
    """The dry run wrote nothing: the member has no review activity."""
    types = app.db.read(lambda uow: [a.type for a in activities.timeline(uow, "M1", limit=50)[0]])
    return "review.published" not in types
