"""The send-time check on a real database: consent and unsubscribe, suppression, quiet
hours in the member's zone, frequency caps under concurrent triggers and workers."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from loyalist.bootstrap import Loyalist
from loyalist.clock import ManualClock
from loyalist.messages import service as messages
from loyalist.messages.models import MessageChannel, SuppressionReason
from tests.conftest import START
from tests.integration.helpers import run_jobs
from tests.integration.messaging import (
    BASE_URL,
    enrol,
    marketing_draft,
    messages_of,
    pay_order,
    queue,
    statuses,
)
from tests.smtp import SmtpSink


@pytest.fixture
def app(mailing_app: Loyalist) -> Loyalist:
    return mailing_app


class TestConsent:
    def test_marketing_email_carries_a_one_click_unsubscribe_link(
        self, app: Loyalist, sink: SmtpSink
    ) -> None:
        member = enrol(app, "M1", email="anna@example.com", marketing_email=True)
        chosen = messages.new_message_id()
        draft = replace(marketing_draft(member, "spring"), id=chosen)
        assert queue(app, draft) == [chosen]

        run_jobs(app)

        [message] = sink.received
        link = message["List-Unsubscribe"]
        assert link.startswith(f"<{BASE_URL}/unsubscribe/")
        assert link.endswith(">")
        assert message["Message-ID"] == f"<{chosen}@shop.example>"
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    def test_the_footer_links_the_members_preference_centre_in_both_parts(
        self, app: Loyalist, sink: SmtpSink
    ) -> None:
        member = enrol(app, "M1", email="anna@example.com", marketing_email=True)
        queue(app, marketing_draft(member, "spring"))

        run_jobs(app)

        [message] = sink.received
        text, html = (message.get_body((kind,)) for kind in ("plain", "html"))
        assert text is not None
        assert html is not None
        [link] = re.findall(
            rf"Email preferences: ({re.escape(BASE_URL)}/preferences/\S+)", text.get_content()
        )
        assert f'href="{link}"' in html.get_content()
        assert messages.preferences_member(link.rpartition("/")[2]) == member

    def test_marketing_without_consent_is_suppressed(self, app: Loyalist, sink: SmtpSink) -> None:
        member = enrol(app, "M1", email="anna@example.com")
        queue(app, marketing_draft(member, "spring"))

        run_jobs(app)

        [message] = messages_of(app, "M1")
        assert (message.status, message.reason) == (
            "suppressed",
            "no marketing consent for the channel",
        )
        assert sink.received == []

    def test_an_unsubscribe_while_queued_suppresses_marketing_but_not_transactional(
        self, app: Loyalist, sink: SmtpSink
    ) -> None:
        member = enrol(app, "M1", email="anna@example.com", marketing_email=True)
        [offer] = queue(app, marketing_draft(member, "spring"))
        pay_order(app, "M1", "A-1", START)
        token = messages.unsubscribe_token(member, offer)

        app.db.write(lambda uow: messages.unsubscribe(uow, token, source="test"))
        run_jobs(app)

        by_journey = {m.journey: m for m in messages_of(app, "M1")}
        assert by_journey["test_offer"].status == "suppressed"
        assert by_journey["test_offer"].reason == "unsubscribed"
        assert by_journey["test_offer"].attempts == 0
        assert by_journey["order_confirmation"].status == "sent"
        assert [m["Subject"] for m in sink.received] == [
            "Order A-1 confirmed: 110\u00a0points on the way"
        ]

    def test_a_hard_bounce_stops_every_email_to_that_address_only(
        self, app: Loyalist, sink: SmtpSink
    ) -> None:
        member = enrol(app, "M1", email="old@example.com", marketing_email=True)
        app.db.write(
            lambda uow: messages.suppress(
                uow, member, MessageChannel.EMAIL, SuppressionReason.HARD_BOUNCE, source="test"
            )
        )
        pay_order(app, "M1", "A-1", START)
        run_jobs(app)
        enrol(app, "M1", email="new@example.com")
        pay_order(app, "M1", "A-2", START)
        run_jobs(app)

        by_key = {m.natural_key: m for m in messages_of(app, "M1")}
        assert (by_key["A-1"].status, by_key["A-1"].reason) == (
            "suppressed",
            "suppressed: hard_bounce",
        )
        assert by_key["A-2"].status == "sent"
        assert [m["To"] for m in sink.received] == ["new@example.com"]


class TestQuietHours:
    @pytest.mark.parametrize(
        ("zone", "queued_at", "released_at"),
        [
            # 22:00 CET the night the clocks go forward -> 09:00 CEST (a 10-hour night).
            (
                "Europe/Berlin",
                datetime(2026, 3, 28, 21, 0, tzinfo=UTC),
                datetime(2026, 3, 29, 7, 0, tzinfo=UTC),
            ),
            # 22:00 CEST the night the clocks go back -> 09:00 CET (a 12-hour night).
            (
                "Europe/Berlin",
                datetime(2026, 10, 24, 20, 0, tzinfo=UTC),
                datetime(2026, 10, 25, 8, 0, tzinfo=UTC),
            ),
            # Tokyo has no daylight-saving time: 22:00 JST -> 09:00 JST.
            (
                "Asia/Tokyo",
                datetime(2026, 3, 28, 13, 0, tzinfo=UTC),
                datetime(2026, 3, 29, 0, 0, tzinfo=UTC),
            ),
        ],
    )
    def test_marketing_due_at_night_is_held_and_released_once_at_nine_local(
        self,
        app: Loyalist,
        clock: ManualClock,
        sink: SmtpSink,
        zone: str,
        queued_at: datetime,
        released_at: datetime,
    ) -> None:
        clock.set(queued_at)
        member = enrol(app, "M1", email="anna@example.com", timezone=zone, marketing_email=True)
        queue(app, marketing_draft(member, "night"))

        run_jobs(app)
        [held] = messages_of(app, "M1")
        assert held.status == "held"
        assert held.next_attempt_at == released_at
        clock.set(released_at - timedelta(seconds=1))
        run_jobs(app)
        assert sink.received == []
        clock.set(released_at)
        run_jobs(app)
        run_jobs(app)

        assert len(sink.received) == 1
        [sent] = messages_of(app, "M1")
        assert [h.status for h in sent.history] == ["queued", "held", "queued", "sent"]
        assert sent.released_at == released_at

    def test_transactional_messages_are_sent_at_night(
        self, app: Loyalist, clock: ManualClock, sink: SmtpSink
    ) -> None:
        clock.set(datetime(2026, 3, 28, 23, 0, tzinfo=UTC))
        enrol(app, "M1", email="anna@example.com", timezone="Europe/Berlin")
        pay_order(app, "M1", "A-1", clock.now())

        run_jobs(app)

        assert statuses(app, "M1") == {"sent": 1}


class TestFrequencyCaps:
    def test_twenty_concurrent_triggers_against_a_cap_of_one_a_day_send_one(
        self, app: Loyalist, sink: SmtpSink
    ) -> None:
        member = enrol(app, "M1", email="anna@example.com", marketing_email=True)

        with ThreadPoolExecutor(4) as pool:
            triggers = [
                pool.submit(queue, app, marketing_draft(member, f"offer-{n}")) for n in range(20)
            ]
            assert all(len(trigger.result()) == 1 for trigger in triggers)
            # Two workers deliver at once (on PostgreSQL they claim with SKIP LOCKED and
            # serialise on the member's row).
            passes = [pool.submit(app.run_due_work, limit=7) for _ in range(2)]
            assert all(not done.result().failed for done in passes)
        run_jobs(app)

        assert statuses(app, "M1") == {"sent": 1, "capped": 19}
        assert len(sink.received) == 1
        capped = [m for m in messages_of(app, "M1") if m.status == "capped"]
        assert {m.reason for m in capped} == {"frequency cap: 1 per day"}

    def test_the_cap_counts_the_members_local_day(
        self, app: Loyalist, clock: ManualClock, sink: SmtpSink
    ) -> None:
        clock.set(datetime(2026, 5, 4, 10, 0, tzinfo=UTC))  # 12:00 in Berlin, Monday
        member = enrol(
            app, "M1", email="anna@example.com", timezone="Europe/Berlin", marketing_email=True
        )
        queue(app, marketing_draft(member, "monday"))
        run_jobs(app)
        clock.set(datetime(2026, 5, 5, 7, 0, tzinfo=UTC))  # 09:00 Tuesday in Berlin
        queue(app, marketing_draft(member, "tuesday"))
        run_jobs(app)

        assert statuses(app, "M1") == {"sent": 2}
