"""The order confirmation journey end to end: an order paid → the email the loopback SMTP
server received, rendered from the shipped template in the member's language and time zone
with the brand kit, the order's lines, its points (Russian plurals), tier progress, the
coupon a rule granted, and the footer's unsubscribe link; no List-Unsubscribe header on
this transactional email, while marketing email carries one."""

from __future__ import annotations

import re
from collections.abc import Iterator
from email.message import EmailMessage

import pytest

from loyalist.bootstrap import Loyalist
from loyalist.clock import ManualClock
from loyalist.coupons import service as coupons
from loyalist.coupons.schemas import CampaignIn
from loyalist.messages import service as messages
from loyalist.settings import BrandSettings, ProgramPolicy
from loyalist.tiers.schemas import Threshold, TierLevel, TierProgram
from loyalist.tiers.service import apply_program as apply_tiers
from tests.conftest import START, event, order_body
from tests.integration.helpers import run_jobs, send
from tests.integration.messaging import (
    BASE_URL,
    enrol,
    mail_app,
    marketing_draft,
    messages_of,
    queue,
)
from tests.integration.test_rules import apply, rule
from tests.smtp import SmtpSink

BRAND = BrandSettings(
    shop_name="Teapot & Co",
    legal_address="1 Leaf Lane, Berlin",
    logo_url="https://shop.example/logo.png",
    website_url="https://shop.example",
    support_email="help@shop.example",
    primary_colour="#0a7d55",
)
TIERS = TierProgram(
    levels=[
        TierLevel(key="member", name={"en": "Member", "ru": "Участник"}),
        TierLevel(
            key="gold", name={"en": "Gold", "ru": "Золото"}, threshold=Threshold(spend=50_000)
        ),
    ]
)


@pytest.fixture
def app(
    db_url: str, clock: ManualClock, program: ProgramPolicy, sink: SmtpSink
) -> Iterator[Loyalist]:
    loyalist = mail_app(db_url, clock, program, sink.port, brand=BRAND)
    loyalist.db.write(lambda uow: apply_tiers(uow, TIERS))
    yield loyalist
    loyalist.close()


def pay(app: Loyalist, member: str, order_id: str, *lines: tuple[str, int, int]) -> None:
    body = order_body(order_id, *lines)
    send(
        app,
        event(f"{order_id}-placed", "order.placed", member, START, **body),
        event(f"{order_id}-paid", "order.paid", member, START, order_id=order_id),
    )


def parts(message: EmailMessage) -> tuple[str, str]:
    text, html = message.get_body(("plain",)), message.get_body(("html",))
    assert text is not None
    assert html is not None
    return str(text.get_content()), str(html.get_content())


def footer_link(text: str) -> str:
    found = re.search(rf"{re.escape(BASE_URL)}/unsubscribe/\S+", text)
    assert found is not None, text
    return found.group(0)


def test_an_english_member_gets_the_order_their_points_and_tier_progress(
    app: Loyalist, sink: SmtpSink
) -> None:
    enrol(app, "M1", email="anna@example.com", first_name="Anna", timezone="Europe/Berlin")
    pay(app, "M1", "A-1", ("shoe", 2, 5000), ("sock", 1, 1000))

    run_jobs(app)

    [message] = sink.received
    assert message["Subject"] == "Order A-1 confirmed: 110\u00a0points on the way"
    assert "List-Unsubscribe" not in message  # transactional
    text, html = parts(message)
    assert "Hi Anna," in text
    assert "2 × Shoe — €100" in text
    assert "1 × Sock — €10" in text
    assert "Total: €110" in text
    # Pending until the return window of an undelivered order closes (90 days), shown as
    # the member's local day.
    assert (
        "110 points are waiting for the return window to close and will be yours on April 15."
        in text.replace("\u00a0", " ")
    )
    assert "€390 to go to Gold (by December 31)." in text
    assert "Teapot & Co · 1 Leaf Lane, Berlin" in text
    assert "help@shop.example" in text
    assert 'src="https://shop.example/logo.png"' in html
    assert "#0a7d55" in html  # the brand's colour, inlined
    assert "2 × Shoe" in html
    [queued] = messages_of(app, "M1")
    link = footer_link(text)
    assert link in html
    token = link.rsplit("/", 1)[1]
    target = app.db.read(lambda uow: messages.unsubscribe_target(uow, token))
    assert target.message_id == queued.id  # the link names this very message


def test_a_russian_member_gets_it_in_russian_with_plurals(app: Loyalist, sink: SmtpSink) -> None:
    enrol(app, "M1", email="ivan@example.ru", first_name="Иван", locale="ru")
    enrol(app, "M2", email="olga@example.ru", locale="ru")
    enrol(app, "M3", email="petr@example.ru", locale="ru")
    pay(app, "M1", "R-1", ("tea", 1, 100))
    pay(app, "M2", "R-2", ("tea", 2, 1100))
    pay(app, "M3", "R-3", ("tea", 5, 1000))

    run_jobs(app)

    by_to = {str(m["To"]): m for m in sink.received}
    subjects = {to: str(m["Subject"]).replace("\u00a0", " ") for to, m in by_to.items()}
    assert subjects == {
        "ivan@example.ru": "Заказ R-1 принят: 1 балл уже в пути",
        "olga@example.ru": "Заказ R-2 принят: 22 балла уже в пути",
        "petr@example.ru": "Заказ R-3 принят: 50 баллов уже в пути",
    }
    text, html = parts(by_to["ivan@example.ru"])
    text = text.replace("\u00a0", " ")
    assert "Здравствуйте, Иван!" in text
    assert "Tea × 1 — 1 €" in text
    assert "1 балл станет доступен 15 апреля, когда закончится срок возврата." in text
    assert "До уровня «Золото» осталось 499 €" in text
    assert "Отписаться от рассылки: " + footer_link(text) in text
    assert "Спасибо за заказ" in html
    olga, _ = parts(by_to["olga@example.ru"])
    assert "22 балла станут доступны 15 апреля" in olga.replace("\u00a0", " ")
    assert all(m.locale == "ru" for m in messages_of(app, "M1"))


def test_the_coupon_a_rule_granted_for_the_order_is_in_the_email(
    app: Loyalist, sink: SmtpSink
) -> None:
    spec = CampaignIn.model_validate(
        {
            "name": {"en": "10% off your next order", "ru": "скидка 10% на следующий заказ"},
            "discount": {"type": "percent", "percent": "10"},
            "code_valid_days": 30,
        }
    )
    app.db.write(lambda uow: coupons.put_campaign(uow, "next-order", spec))
    apply(
        app,
        rule("thanks", on="order.paid", effects=[{"type": "coupon", "campaign": "next-order"}]),
    )
    enrol(app, "M1", email="anna@example.com")
    pay(app, "M1", "A-1", ("shoe", 1, 5000))

    run_jobs(app)

    text, _ = parts(sink.received[0])
    found = re.search(
        r"A thank-you for next time: 10% off your next order with code (\S+), "
        r"valid until February 14\.",
        text.replace("\u00a0", " "),
    )
    assert found is not None, text
    assert found.group(1) == coupons.show(found.group(1).replace("-", ""))


def test_marketing_email_carries_the_one_click_headers_and_transactional_does_not(
    app: Loyalist, sink: SmtpSink
) -> None:
    member = enrol(app, "M1", email="anna@example.com", marketing_email=True)
    pay(app, "M1", "A-1", ("shoe", 1, 5000))
    [offer] = queue(app, marketing_draft(member, "offer-1"))

    run_jobs(app)

    by_subject = {str(m["Subject"]): m for m in sink.received}
    confirmation = next(m for s, m in by_subject.items() if s.startswith("Order A-1"))
    marketing = next(m for s, m in by_subject.items() if not s.startswith("Order A-1"))
    assert "List-Unsubscribe" not in confirmation
    assert "List-Unsubscribe-Post" not in confirmation
    assert marketing["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert str(marketing["List-Unsubscribe"]).startswith(f"<{BASE_URL}/unsubscribe/")
    # The confirmation's footer link is its own (one-click on it withdraws marketing too).
    assert footer_link(parts(confirmation)[0]) != str(marketing["List-Unsubscribe"])[1:-1]
    assert offer
