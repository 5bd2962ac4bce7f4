"""Messages are rendered when the delivery job sends them, not when they are queued: the
queue holds the context (encrypted) and the template version live then; the worker renders
that version, sends it, stores the content and drops the context. A message whose stored
template fails on its context is ``failed`` with the reason, and the rest of the batch goes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

import orjson
import pytest
from sqlalchemy import select

from loyalist.bootstrap import Loyalist
from loyalist.db.uow import UnitOfWork
from loyalist.messages import service as messages
from loyalist.messages.contexts import TemplateKey, validate_context
from loyalist.messages.models import Message, MessageStatus, MessageTemplate
from loyalist.messages.rendering import render_message, shipped_template
from tests.conftest import START
from tests.integration.helpers import run_jobs
from tests.integration.messaging import enrol, messages_of, opened, pay_order
from tests.smtp import SmtpSink

KEY = TemplateKey.ORDER_CONFIRMATION


@pytest.fixture
def app(mailing_app: Loyalist) -> Loyalist:
    return mailing_app


@dataclass(frozen=True)
class Row:
    """A message as stored (decrypted)."""

    id: str
    member_id: int
    template_version: int
    locale: str
    time_zone: str | None
    context: str | None
    subject: str | None
    text: str | None
    html: str | None


def stored(app: Loyalist, member_id: int) -> Row:
    def op(uow: UnitOfWork) -> Row:
        [m] = uow.session.scalars(select(Message).where(Message.member_id == member_id))
        content = opened(uow, m)
        return Row(
            m.id,
            m.member_id,
            m.template_version,
            m.locale,
            m.time_zone,
            content["context"],
            content["subject"],
            content["body_text"],
            content["body_html"],
        )

    return app.db.read(op)


def store_version(app: Loyalist, locale: str, version: int, **parts: Any) -> None:
    """A stored version of the order confirmation (the shipped one's parts unless given)."""
    shipped = shipped_template(KEY, locale)
    row = MessageTemplate(
        key=KEY.value,
        locale=locale,
        version=version,
        subject=parts.get("subject", shipped.subject),
        body_text=parts.get("text", shipped.text),
        body_html=parts.get("html", shipped.html),
        created_at=START,
        created_by="test",
    )

    def op(uow: UnitOfWork) -> None:
        uow.session.add(row)
        uow.session.flush()

    app.db.write(op)


def text_part(message: EmailMessage) -> str:
    body = message.get_body(("plain",))
    assert body is not None
    return str(body.get_content())


def test_an_order_confirmation_has_no_body_until_the_worker_renders_and_sends_it(
    app: Loyalist, sink: SmtpSink
) -> None:
    member = enrol(app, "M1", email="anna@example.com", locale="ru", timezone="Europe/Moscow")
    pay_order(app, "M1", "A-1", START)

    queued = stored(app, member)
    [listed] = messages_of(app, "M1")
    inbox_before = app.db.read(lambda uow: messages.inbox(uow, "M1"))
    assert (queued.subject, queued.text, queued.html) == (None, None, None)
    assert queued.context is not None
    assert (queued.template_version, queued.locale, queued.time_zone) == (0, "ru", "Europe/Moscow")
    assert listed.subject is None
    assert listed.status == MessageStatus.QUEUED
    assert inbox_before.items == []
    assert inbox_before.unread_count == 0

    run_jobs(app)

    [email] = sink.received
    sent = stored(app, member)
    [item] = app.db.read(lambda uow: messages.inbox(uow, "M1")).items
    assert sent.text is not None
    # The shipped template rendered with the queued context, with the message's own link.
    link = re.search(r"https://\S+/unsubscribe/\S+", sent.text)
    assert link is not None
    token = link.group(0).rsplit("/", 1)[1]
    preferences = re.search(r"https://\S+/preferences/\S+", sent.text)
    assert preferences is not None
    assert messages.preferences_member(preferences.group(0).rsplit("/", 1)[1]) == queued.member_id
    target = app.db.read(lambda uow: messages.unsubscribe_target(uow, token))
    assert (target.member_id, target.message_id) == (member, sent.id)
    expected = render_message(
        KEY,
        shipped_template(KEY, "ru"),
        validate_context(KEY, orjson.loads(queued.context)),
        locale="ru",
        time_zone="Europe/Moscow",
        brand=messages.brand_kit(app.settings),
        unsubscribe_url=link.group(0),
        preferences_url=preferences.group(0),
    )
    assert str(email["Subject"]) == expected.subject == sent.subject
    assert expected.subject.startswith("Заказ A-1")
    assert text_part(email).replace("\r\n", "\n").strip() == expected.text == sent.text
    assert sent.html == expected.html
    assert sent.context is None  # dropped once rendered
    assert (item.id, item.subject, item.text) == (sent.id, sent.subject, sent.text)
    assert messages_of(app, "M1")[0].subject == expected.subject


def test_a_stored_version_that_fails_to_render_fails_its_message_and_the_rest_go(
    app: Loyalist, sink: SmtpSink
) -> None:
    store_version(app, "en", 1, subject="Order {{ order.number }} for {{ no_such_thing }}")
    broken = enrol(app, "M1", email="anna@example.com", locale="en")
    enrol(app, "M2", email="boris@example.com", locale="ru")
    pay_order(app, "M1", "A-1", START)
    pay_order(app, "M2", "B-1", START)

    run_jobs(app)
    run_jobs(app)  # nothing is retried

    [failed] = messages_of(app, "M1")
    [sent] = messages_of(app, "M2")
    assert [str(m["Subject"]) for m in sink.received] == [sent.subject]
    assert sent.status == MessageStatus.SENT
    assert failed.status == MessageStatus.FAILED
    assert failed.template_version == 1
    assert failed.attempts == 1
    assert failed.reason is not None
    assert failed.reason.startswith("not rendered: template order_confirmation (en, subject)")
    assert "no_such_thing" in failed.reason
    assert [h.status for h in failed.history] == ["queued", "failed"]
    assert failed.subject is None
    assert stored(app, broken).context is not None  # kept: it was never rendered
    assert app.db.read(lambda uow: messages.inbox(uow, "M1")).items == []


def test_the_version_live_when_queued_is_rendered_even_if_a_newer_one_is_stored(
    app: Loyalist, sink: SmtpSink
) -> None:
    store_version(app, "en", 1, subject="Version one: order {{ order.number }}")
    member = enrol(app, "M1", email="anna@example.com", locale="en")
    pay_order(app, "M1", "A-1", START)
    store_version(app, "en", 2, subject="Version two: order {{ order.number }}")
    enrol(app, "M2", email="boris@example.com", locale="en")
    pay_order(app, "M2", "B-1", START)

    run_jobs(app)

    subjects = sorted(str(m["Subject"]) for m in sink.received)
    assert subjects == ["Version one: order A-1", "Version two: order B-1"]
    assert stored(app, member).template_version == 1


def test_a_member_without_an_address_gets_the_message_rendered_in_the_inbox(
    app: Loyalist, sink: SmtpSink
) -> None:
    enrol(app, "M1", locale="en")
    pay_order(app, "M1", "A-1", START)

    run_jobs(app)

    [message] = messages_of(app, "M1")
    [item] = app.db.read(lambda uow: messages.inbox(uow, "M1")).items
    assert sink.received == []
    assert (message.status, message.reason) == ("failed", "the member has no email address")
    assert message.attempts == 0
    assert item.id == message.id
    assert item.subject.startswith("Order A-1 confirmed")
    assert "A-1" in item.text


def test_a_resend_sends_the_content_rendered_the_first_time(app: Loyalist, sink: SmtpSink) -> None:
    enrol(app, "M1", email="anna@example.com", locale="en")
    pay_order(app, "M1", "A-1", START)
    sink.refused.add("anna@example.com")
    run_jobs(app)
    [failed] = messages_of(app, "M1")
    store_version(app, "en", 1, subject="A newer subject")
    sink.refused.clear()

    app.db.write(lambda uow: messages.resend(uow, "M1", failed.id, by="test"))
    run_jobs(app)

    [resent] = messages_of(app, "M1")
    assert failed.status == MessageStatus.FAILED
    assert failed.subject is not None
    assert resent.status == MessageStatus.SENT
    assert str(sink.received[-1]["Subject"]) == failed.subject
