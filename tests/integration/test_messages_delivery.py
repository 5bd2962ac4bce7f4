"""The outbox and its delivery on a real database and a real SMTP server on loopback: the
order confirmation journey, retries, permanent failures, the crash window, not configured."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest

from loyalist.activities.schemas import parse_batch
from loyalist.activities.service import ingest_events
from loyalist.bootstrap import Loyalist
from loyalist.clock import ManualClock
from loyalist.members import service as members
from loyalist.members.schemas import MemberProfile
from loyalist.members.service import ProfileChange
from loyalist.messages import delivery
from loyalist.messages import service as messages
from loyalist.messages.channels.email import SmtpConfig, SmtpSender
from loyalist.messages.models import MessageStatus
from loyalist.messages.policy import LEASE
from loyalist.settings import ProgramPolicy
from tests.conftest import START, event, order_body
from tests.integration.helpers import run_jobs, send
from tests.integration.messaging import (
    SENDER,
    enrol,
    mail_app,
    messages_of,
    pay_order,
    statuses,
)
from tests.smtp import SmtpSink


@pytest.fixture
def app(mailing_app: Loyalist) -> Loyalist:
    return mailing_app


class TestOrderConfirmation:
    def test_a_paid_order_is_confirmed_by_email_once_the_worker_runs(
        self, app: Loyalist, sink: SmtpSink
    ) -> None:
        enrol(app, "M1", email="anna@example.com", first_name="Anna")
        pay_order(app, "M1", "A-1", START)

        [queued] = messages_of(app, "M1")
        assert (queued.status, queued.kind, queued.journey) == (
            "queued",
            "transactional",
            "order_confirmation",
        )
        assert sink.received == []  # nothing leaves before the worker runs

        run_jobs(app)

        [message] = sink.received
        assert message["To"] == "anna@example.com"
        assert message["Subject"] == "Order A-1 confirmed: 110\u00a0points on the way"
        assert message["Message-ID"] == f"<{queued.id}@shop.example>"
        assert "List-Unsubscribe" not in message  # transactional
        text = message.get_body(("plain",))
        assert text is not None
        assert "Hi Anna," in text.get_content()
        assert "2 × Shoe" in text.get_content()
        [sent] = messages_of(app, "M1")
        assert sent.status == "sent"
        assert [h.status for h in sent.history] == ["queued", "sent"]
        assert sent.attempts == 1

    def test_the_confirmation_is_in_russian_for_a_russian_member(
        self, app: Loyalist, sink: SmtpSink
    ) -> None:
        enrol(app, "M1", email="ivan@example.ru", locale="ru")
        pay_order(app, "M1", "R-7", START)

        run_jobs(app)

        [message] = sink.received
        assert message["Subject"] == "Заказ R-7 принят: 110\u00a0баллов уже в пути"
        assert b"=?utf-8?" in sink.raw[0].split(b"\r\n\r\n", 1)[0]

    def test_the_same_order_event_posted_three_times_concurrently_confirms_once(
        self, app: Loyalist, sink: SmtpSink
    ) -> None:
        enrol(app, "M1", email="anna@example.com")
        body = order_body("A-1", ("shoe", 1, 5000))
        parsed, _ = parse_batch(
            [
                event("A-1-placed", "order.placed", "M1", START, **body),
                event("A-1-paid", "order.paid", "M1", START, order_id="A-1"),
            ]
        )

        with ThreadPoolExecutor(3) as pool:
            futures = [
                pool.submit(app.db.write, lambda uow: ingest_events(uow, parsed)) for _ in range(3)
            ]
            for future in futures:
                future.result()
        run_jobs(app)

        assert len(messages_of(app, "M1")) == 1
        assert len(sink.received) == 1

    def test_a_fact_older_than_the_freshness_window_starts_nothing_and_is_counted(
        self, app: Loyalist, clock: ManualClock, sink: SmtpSink
    ) -> None:
        enrol(app, "M1", email="anna@example.com")
        pay_order(app, "M1", "OLD-1", START - timedelta(hours=25))
        pay_order(app, "M1", "NEW-1", START - timedelta(hours=23))

        run_jobs(app)

        assert [m.natural_key for m in messages_of(app, "M1")] == ["NEW-1"]
        assert len(sink.received) == 1
        skipped = app.db.read(messages.skipped_counts)
        assert [(s["journey"], s["skipped_count"]) for s in skipped] == [("order_confirmation", 1)]

    def test_a_member_without_an_address_gets_a_failed_message_with_the_reason(
        self, app: Loyalist, sink: SmtpSink
    ) -> None:
        enrol(app, "M1")
        pay_order(app, "M1", "A-1", START)

        run_jobs(app)

        [message] = messages_of(app, "M1")
        assert message.status == "failed"
        assert message.reason == "the member has no email address"
        assert sink.received == []


class TestRetries:
    def test_smtp_down_for_a_minute_then_every_message_is_delivered_exactly_once(
        self, app: Loyalist, clock: ManualClock, sink: SmtpSink
    ) -> None:
        for n in range(5):
            enrol(app, f"M{n}", email=f"m{n}@example.com")
        sink.stop()
        for n in range(5):
            pay_order(app, f"M{n}", f"A-{n}", START)

        outage_end = START + timedelta(seconds=60)
        while clock.now() < outage_end:
            run_jobs(app)
            clock.advance(timedelta(seconds=5))
        sink.start()
        for _ in range(60):  # ten more minutes, in steps of 10 s
            run_jobs(app)
            clock.advance(timedelta(seconds=10))

        ids = sink.message_ids()
        assert len(ids) == 5
        assert len(set(ids)) == 5
        for n in range(5):
            [message] = messages_of(app, f"M{n}")
            assert message.status == "sent"
            assert message.attempts >= 2
            retries = [h for h in message.history if h.status == "queued"][1:]
            assert retries
            assert all("unreachable" in (h.reason or "") for h in retries)

    def test_one_permanent_refusal_in_a_batch_of_100_fails_alone_without_a_loop(
        self, app: Loyalist, sink: SmtpSink
    ) -> None:
        profiles = [
            ProfileChange(f"M{n}", MemberProfile(email=f"m{n}@example.com"), "test")
            for n in range(100)
        ]
        app.db.write(lambda uow: members.upsert_members(uow, profiles))
        orders = [
            event(
                f"A-{n}", "order.placed", f"M{n}", START, **order_body(f"A-{n}", ("shoe", 1, 900))
            )
            for n in range(100)
        ] + [
            event(f"A-{n}-paid", "order.paid", f"M{n}", START, order_id=f"A-{n}")
            for n in range(100)
        ]
        send(app, *orders)
        sink.refused.add("m37@example.com")

        run_jobs(app)

        assert len(sink.received) == 99
        assert sink.rcpt_count == 100  # the refused address was tried once
        [failed] = messages_of(app, "M37")
        assert failed.status == "failed"
        assert failed.attempts == 1
        assert failed.reason is not None
        assert "550" in failed.reason
        assert sum(statuses(app, f"M{n}").get("sent", 0) for n in range(100)) == 99
        assert not app.run_due_work().did_work

    def test_a_4xx_reply_is_retried_with_backoff_until_accepted(
        self, app: Loyalist, clock: ManualClock, sink: SmtpSink
    ) -> None:
        enrol(app, "M1", email="busy@example.com")
        sink.deferred.add("busy@example.com")
        pay_order(app, "M1", "A-1", START)

        run_jobs(app)
        [waiting] = messages_of(app, "M1")
        assert (waiting.status, waiting.attempts) == ("queued", 1)
        assert waiting.next_attempt_at is not None
        assert START + timedelta(seconds=30) <= waiting.next_attempt_at
        assert waiting.next_attempt_at <= START + timedelta(seconds=45)
        clock.advance(timedelta(seconds=29))
        run_jobs(app)
        assert messages_of(app, "M1")[0].attempts == 1  # not due yet

        sink.deferred.clear()
        clock.advance(timedelta(seconds=20))
        run_jobs(app)

        [sent] = messages_of(app, "M1")
        assert (sent.status, sent.attempts) == ("sent", 2)
        assert len(sink.received) == 1

    def test_gives_up_after_the_programs_max_attempts(
        self, db_url: str, clock: ManualClock, sink: SmtpSink
    ) -> None:
        program = ProgramPolicy.model_validate({"messages": {"max_attempts": 2}})
        app = mail_app(db_url, clock, program, sink.port)
        try:
            enrol(app, "M1", email="busy@example.com")
            sink.deferred.add("busy@example.com")
            pay_order(app, "M1", "A-1", START)
            for _ in range(5):
                run_jobs(app)
                clock.advance(timedelta(minutes=5))
            [message] = messages_of(app, "M1")
        finally:
            app.close()

        assert (message.status, message.attempts) == ("failed", 2)
        assert message.reason is not None
        assert message.reason.startswith("gave up after 2")


def test_a_worker_dying_between_the_reply_and_the_commit_resends_with_the_same_message_id(
    app: Loyalist, clock: ManualClock, sink: SmtpSink
) -> None:
    enrol(app, "M1", email="anna@example.com")
    pay_order(app, "M1", "A-1", START)
    program = app.program
    brand = messages.brand_kit(app.settings)
    claims, _ = app.db.write(
        lambda uow: delivery.claim_due(
            uow, program, 10, channels={"email"}, base_url="https://x.example", brand=brand
        )
    )
    sender = SmtpSender(SmtpConfig(host="127.0.0.1", port=sink.port, sender=SENDER))
    outcomes = delivery.send_claims(claims, {"email": sender})
    sender.close()
    assert outcomes[0].receipt is not None  # sent, and then the worker died: nothing recorded

    run_jobs(app)
    assert len(sink.received) == 1  # leased: no other worker takes it meanwhile
    clock.advance(LEASE)
    run_jobs(app)

    assert len(sink.received) == 2
    assert len(set(sink.message_ids())) == 1
    [message] = messages_of(app, "M1")
    assert (message.status, message.attempts) == ("sent", 2)


def test_without_an_smtp_host_email_is_recorded_not_configured_and_kept(
    db_url: str, clock: ManualClock, program: ProgramPolicy
) -> None:
    app = mail_app(db_url, clock, program, None)
    try:
        enrol(app, "M1", email="anna@example.com")
        pay_order(app, "M1", "A-1", START)
        run_jobs(app)
        [message] = messages_of(app, "M1")
        inbox = app.db.read(lambda uow: messages.inbox(uow, "M1"))
    finally:
        app.close()

    assert message.status == MessageStatus.NOT_CONFIGURED
    assert message.reason == "no email provider is configured"
    assert [item.id for item in inbox.items] == [message.id]
