"""The post-purchase journey against a real database: switched off (the default) a fresh
delivery queues nothing, and a post-purchase message still waiting when the journey is off
is stopped by the send-time check (``suppressed`` with the reason); the NPS survey's link,
queued as a path, is sent under BASE_URL."""

from __future__ import annotations

from datetime import timedelta

from loyalist.bootstrap import Loyalist
from loyalist.clock import ManualClock
from loyalist.messages import service as messages
from loyalist.messages.models import MessageChannel, MessageKind
from tests.conftest import START, event
from tests.integration.helpers import run_jobs, send
from tests.integration.messaging import BASE_URL, enrol, messages_of, pay_order, queue
from tests.smtp import SmtpSink


def _deliver(app: Loyalist, member: str, order_id: str) -> None:
    send(app, event(f"{order_id}-delivered", "order.delivered", member, START, order_id=order_id))


class TestSwitchedOff:
    def test_a_fresh_delivery_queues_nothing(self, app: Loyalist, clock: ManualClock) -> None:
        enrol(app, "M1", email="anna@example.com", marketing_email=True)
        pay_order(app, "M1", "A-1", START - timedelta(hours=2))
        _deliver(app, "M1", "A-1")
        clock.advance(timedelta(days=40))
        run_jobs(app)

        journeys = {m.journey for m in messages_of(app, "M1")}
        assert journeys == {"order_confirmation", "shipping"}  # shipping: the thank-you

    def test_a_waiting_message_is_stopped_at_send_time(
        self, app: Loyalist, clock: ManualClock
    ) -> None:
        member = enrol(app, "M1", email="anna@example.com", marketing_email=True)
        pay_order(app, "M1", "A-1", START)
        queue(
            app,
            messages.MessageDraft(
                member_id=member,
                kind=MessageKind.MARKETING,
                channel=MessageChannel.EMAIL,
                journey="post_purchase.nps",
                natural_key="nps:A-1",
                template_key="nps_survey",
                locale="en",
                time_zone="Europe/Berlin",
                context={
                    "member": {"first_name": "Anna", "points_balance": 0, "tier": None},
                    "survey": {"id": "nps-A-1", "url": "/surveys/x"},
                    "order": {"number": "A-1", "url": None},
                },
                due_at=START + timedelta(days=30),
            ),
        )
        clock.advance(timedelta(days=31))
        run_jobs(app)

        [nps] = [m for m in messages_of(app, "M1") if m.journey.startswith("post_purchase.")]
        assert (nps.status, nps.reason) == (
            "suppressed",
            "the post-purchase journey is switched off",
        )


class TestSurveyLink:
    def test_a_queued_path_is_sent_as_a_link_under_base_url_that_opens_the_survey(
        self, mailing_app: Loyalist, sink: SmtpSink
    ) -> None:
        member = enrol(mailing_app, "M1", email="anna@example.com", marketing_email=True)
        path = messages.survey_link(member, "nps-A-1")
        queue(
            mailing_app,
            messages.MessageDraft(
                member_id=member,
                kind=MessageKind.MARKETING,
                channel=MessageChannel.EMAIL,
                journey="test_offer",
                natural_key="nps:A-1",
                template_key="nps_survey",
                locale="en",
                time_zone="UTC",
                context={
                    "member": {"first_name": "Anna", "points_balance": 0, "tier": None},
                    "survey": {"id": "nps-A-1", "url": path},
                    "order": {"number": "A-1", "url": None},
                },
            ),
        )
        run_jobs(mailing_app)

        [email] = sink.received
        text, html = email.get_body(("plain",)), email.get_body(("html",))
        assert text is not None
        assert html is not None
        assert f"{BASE_URL}{path}" in text.get_content()
        assert f'href="{BASE_URL}{path}?score=10"' in html.get_content()
        token = path.rsplit("/", 1)[1]
        target = mailing_app.db.read(lambda uow: messages.survey_target(uow, token))
        assert (target.member_id, target.survey_id, target.is_answered) == (
            member,
            "nps-A-1",
            False,
        )
