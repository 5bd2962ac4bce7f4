"""The shipping journey end to end: ``order.shipped`` → ``OrderShipped`` (once per order)
→ "shipped" with the tracking link through the worker to a loopback SMTP server;
``order.delivered`` → "delivered, thank you"; a delivery reported first means no
"shipped" afterwards; replays and concurrent copies queue once; old facts are skipped."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import pytest

from loyalist.activities.events import OrderShipped
from loyalist.activities.schemas import parse_batch
from loyalist.activities.service import ingest_events
from loyalist.bootstrap import Loyalist
from loyalist.clock import ManualClock
from loyalist.db.uow import UnitOfWork
from loyalist.members import service as members
from loyalist.members.schemas import DeviceIn
from loyalist.messages import service as messages
from loyalist.recommendations.policy import RecommendationSettings
from loyalist.settings import ProgramPolicy
from tests.conftest import START, event, order_body
from tests.integration.helpers import run_jobs, send
from tests.integration.messaging import (
    checked_contexts,
    enable,
    enrol,
    mail_app,
    messages_of,
    pay_order,
)
from tests.smtp import SmtpSink

TRACKING = "https://track.example/cdek/1234567890"


@pytest.fixture
def app(
    db_url: str, clock: ManualClock, program: ProgramPolicy, sink: SmtpSink
) -> Iterator[Loyalist]:
    loyalist = mail_app(
        db_url, clock, program, sink.port, product_url="https://shop.example/p/{sku}"
    )
    yield loyalist
    loyalist.close()


def shipped(order_id: str, at: Any = START, **data: Any) -> dict[str, Any]:
    data = {"carrier": "СДЭК", "tracking_number": "1234567890", "tracking_url": TRACKING, **data}
    return event(f"{order_id}-shipped", "order.shipped", "M1", at, order_id=order_id, **data)


def delivered(order_id: str, at: Any = START) -> dict[str, Any]:
    return event(f"{order_id}-delivered", "order.delivered", "M1", at, order_id=order_id)


def journey_messages(app: Loyalist) -> list[str]:
    return sorted(m.natural_key for m in messages_of(app, "M1") if m.journey == "shipping")


class TestShipped:
    def test_a_russian_member_gets_the_tracking_link_in_russian(
        self, app: Loyalist, sink: SmtpSink
    ) -> None:
        enrol(app, "M1", email="ivan@example.ru", first_name="Иван", locale="ru")
        pay_order(app, "M1", "R-1", START - timedelta(hours=2))
        send(app, shipped("R-1"))
        assert checked_contexts(app) == {"order_confirmation": 1, "shipped": 1}

        run_jobs(app)

        mail = {str(m["Subject"]): m for m in sink.received}
        message = mail["Заказ R-1 отправлен"]
        text = message.get_body(("plain",))
        html = message.get_body(("html",))
        assert text is not None
        assert html is not None
        body = str(text.get_content())
        assert "Здравствуйте, Иван!" in body
        assert "Ваш заказ R-1 уже в пути — его везёт СДЭК." in body
        assert "Трек-номер: 1234567890" in body
        assert f"Отследить посылку: {TRACKING}" in body
        assert f'href="{TRACKING}"' in str(html.get_content())
        assert "List-Unsubscribe" not in message  # transactional
        assert journey_messages(app) == ["shipped:R-1"]

    def test_a_shipment_without_carrier_or_number_still_reads_well(
        self, app: Loyalist, sink: SmtpSink
    ) -> None:
        enrol(app, "M1", email="anna@example.com")
        pay_order(app, "M1", "A-1", START - timedelta(hours=2))
        send(app, shipped("A-1", carrier=None, tracking_number=None, tracking_url=None))

        run_jobs(app)

        message = next(m for m in sink.received if "on its way" in str(m["Subject"]))
        text = message.get_body(("plain",))
        assert text is not None
        body = str(text.get_content())
        assert "Good news: your order A-1 has shipped." in body
        assert "Tracking" not in body

    def test_the_same_shipment_posted_three_times_concurrently_queues_once(
        self, app: Loyalist, sink: SmtpSink
    ) -> None:
        enrol(app, "M1", email="anna@example.com")
        pay_order(app, "M1", "A-1", START - timedelta(hours=2))
        parsed, _ = parse_batch([shipped("A-1")])

        with ThreadPoolExecutor(3) as pool:
            futures = [
                pool.submit(app.db.write, lambda uow: ingest_events(uow, parsed)) for _ in range(3)
            ]
            for future in futures:
                future.result()
        run_jobs(app)

        assert journey_messages(app) == ["shipped:A-1"]
        assert sum("on its way" in str(m["Subject"]) for m in sink.received) == 1

    def test_the_shipment_is_emitted_once_per_order_whatever_the_reports(
        self, app: Loyalist
    ) -> None:
        seen: list[OrderShipped] = []

        def note(uow: UnitOfWork, events: Any, program: ProgramPolicy) -> None:
            seen.extend(events)

        app.subscribe([OrderShipped], note)
        enrol(app, "M1", email="anna@example.com")
        # Shipped before it is paid: reported once it is paid, with the first report's parcel.
        send(app, shipped("A-1"))
        assert seen == []
        pay_order(app, "M1", "A-1", START - timedelta(hours=2))
        send(
            app,
            event("A-1-shipped-2", "order.shipped", "M1", START, order_id="A-1", carrier="DHL"),
        )

        [fact] = seen
        assert (fact.order_id, fact.carrier, fact.tracking_url) == ("A-1", "СДЭК", TRACKING)
        assert fact.delivered_at is None
        assert set(fact.skus) == {"shoe", "sock"}

    def test_a_delivery_reported_first_means_no_shipped_message_afterwards(
        self, app: Loyalist, sink: SmtpSink
    ) -> None:
        enrol(app, "M1", email="anna@example.com")
        pay_order(app, "M1", "A-1", START - timedelta(hours=3))
        send(app, delivered("A-1", START - timedelta(hours=1)))
        send(app, shipped("A-1", START - timedelta(hours=2)))
        # Both in one batch, the delivery first, for another order.
        pay_order(app, "M1", "A-2", START - timedelta(hours=3))
        send(app, delivered("A-2", START - timedelta(hours=1)), shipped("A-2"))

        run_jobs(app)

        assert journey_messages(app) == ["delivered:A-1", "delivered:A-2"]
        subjects = sorted(str(m["Subject"]) for m in sink.received)
        assert not any("on its way" in s for s in subjects)

    def test_a_shipment_older_than_the_freshness_window_is_skipped_and_counted(
        self, app: Loyalist
    ) -> None:
        enrol(app, "M1", email="anna@example.com")
        pay_order(app, "M1", "OLD", START - timedelta(hours=30))
        send(app, shipped("OLD", START - timedelta(hours=25)))
        pay_order(app, "M1", "NEW", START - timedelta(hours=2))
        send(app, shipped("NEW", START - timedelta(hours=23)))

        assert journey_messages(app) == ["shipped:NEW"]
        skipped = {s["journey"]: s["skipped_count"] for s in app.db.read(messages.skipped_counts)}
        assert skipped["shipping"] == 1

    def test_the_shipped_email_and_the_confirmation_offer_what_was_bought_with_it(
        self, app: Loyalist, sink: SmtpSink
    ) -> None:
        history = START - timedelta(days=40)  # older than the freshness window: silent
        for n in range(3):
            lines = [("shoe", 1, 5000), ("lace", 1, 500)] + ([("polish", 1, 900)] if n else [])
            body = order_body(f"H{n}", *lines)
            send(app, event(f"H{n}", "order.paid", f"H{n}", history, **body))
        app.refresh_recommendations(RecommendationSettings(factors=4, iterations=3, min_support=2))
        enrol(app, "M1", email="anna@example.com")
        body = order_body("A-1", ("shoe", 1, 5000))
        send(app, event("A-1-paid", "order.paid", "M1", START - timedelta(hours=1), **body))
        send(app, shipped("A-1"))

        run_jobs(app)

        links = ["https://shop.example/p/lace", "https://shop.example/p/polish"]
        for subject in ("Order A-1 confirmed", "Your order A-1 is on its way"):
            message = next(m for m in sink.received if str(m["Subject"]).startswith(subject))
            text = message.get_body(("plain",))
            assert text is not None
            found = [line for line in str(text.get_content()).splitlines() if "/p/" in line]
            assert [line.rsplit(" ", 1)[1] for line in found] == links, subject

    def test_sms_goes_to_members_with_a_phone_when_the_journey_sends_sms(
        self, app: Loyalist
    ) -> None:
        enable(app, shipping={"enabled": True, "channels": ["email", "sms"]})
        enrol(app, "M1", email="anna@example.com", phone="+4915112345678")
        enrol(app, "M2", email="bob@example.com")
        for member, order in (("M1", "A-1"), ("M2", "B-1")):
            pay_order(app, member, order, START - timedelta(hours=2))
            body = {"carrier": "DHL", "tracking_number": "1", "tracking_url": TRACKING}
            send(app, event(f"{order}-s", "order.shipped", member, START, order_id=order, **body))

        channels = {
            member: sorted(m.channel for m in messages_of(app, member) if m.journey == "shipping")
            for member in ("M1", "M2")
        }
        assert channels == {"M1": ["email", "sms"], "M2": ["email"]}

    def test_push_goes_to_members_with_a_registered_device_when_the_journey_sends_push(
        self, app: Loyalist
    ) -> None:
        enable(app, shipping={"enabled": True, "channels": ["email", "push"]})
        anna = enrol(app, "M1", email="anna@example.com")
        enrol(app, "M2", email="bob@example.com")
        device = DeviceIn(token="bk3RNwTe3H0:CI2k_HHwgIpoDKCIZvvDMExUdFQ3P1", platform="fcm")
        app.db.write(lambda uow: members.register_device(uow, anna, device))
        for member, order in (("M1", "A-1"), ("M2", "B-1")):
            pay_order(app, member, order, START - timedelta(hours=2))
            body = {"carrier": "DHL", "tracking_number": "1", "tracking_url": TRACKING}
            send(app, event(f"{order}-s", "order.shipped", member, START, order_id=order, **body))

        channels = {
            member: sorted(m.channel for m in messages_of(app, member) if m.journey == "shipping")
            for member in ("M1", "M2")
        }
        assert channels == {"M1": ["email", "push"], "M2": ["email"]}

    def test_a_disabled_journey_queues_nothing_and_counts_nothing(self, app: Loyalist) -> None:
        enable(app, shipping={"enabled": False})
        enrol(app, "M1", email="anna@example.com")
        pay_order(app, "M1", "A-1", START - timedelta(hours=2))
        pay_order(app, "M1", "OLD", START - timedelta(days=4))
        send(app, shipped("A-1"), shipped("OLD", START - timedelta(days=3)))
        send(app, delivered("A-1"))

        assert journey_messages(app) == []
        assert "shipping" not in {s["journey"] for s in app.db.read(messages.skipped_counts)}


class TestDelivered:
    def test_the_thank_you_names_the_points_still_waiting(
        self, app: Loyalist, sink: SmtpSink
    ) -> None:
        enrol(app, "M1", email="anna@example.com", timezone="Europe/Berlin")
        pay_order(app, "M1", "A-1", START - timedelta(hours=3))
        send(app, shipped("A-1", START - timedelta(hours=2)))
        send(app, delivered("A-1"))
        send(app, delivered("A-1"))  # a replay
        assert checked_contexts(app)["delivered"] == 1

        run_jobs(app)

        assert journey_messages(app) == ["delivered:A-1", "shipped:A-1"]
        message = next(m for m in sink.received if "has arrived" in str(m["Subject"]))
        text = message.get_body(("plain",))
        assert text is not None
        # 110 points wait for the 30-day return window after delivery.
        assert "The 110 points for this order will be yours on February 14." in str(
            text.get_content()
        ).replace("\u00a0", " ")


class TestOrderConfirmationSettings:
    def test_off_means_no_confirmation_and_a_delay_makes_it_due_later(self, app: Loyalist) -> None:
        enrol(app, "M1", email="anna@example.com")
        enable(app, order_confirmation={"enabled": False})
        pay_order(app, "M1", "A-1", START)
        assert messages_of(app, "M1") == []

        enable(app, order_confirmation={"enabled": True, "delay_minutes": 30})
        pay_order(app, "M1", "A-2", START)
        [message] = messages_of(app, "M1")
        assert (message.natural_key, message.due_at) == ("A-2", START + timedelta(minutes=30))
