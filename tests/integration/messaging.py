"""Helpers for message tests: an application whose email goes to a loopback SMTP sink,
members with addresses, paid orders, marketing drafts, a member's messages and the
post-purchase journey switched on."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import orjson
from sqlalchemy import select

from loyalist.bootstrap import Loyalist, bootstrap
from loyalist.clock import ManualClock
from loyalist.db.crypto import Keyring
from loyalist.db.uow import UnitOfWork
from loyalist.members import service as members
from loyalist.members.models import Channel
from loyalist.members.schemas import MemberProfile
from loyalist.messages import journeyconf
from loyalist.messages import service as messages
from loyalist.messages.contexts import TemplateKey, spec_key, validate_context
from loyalist.messages.models import CONTENT_FIELDS, Message, MessageChannel, MessageKind
from loyalist.messages.samples import sample_context
from loyalist.messages.schemas import MessageRead
from loyalist.settings import BrandSettings, MessageSettings, ProgramPolicy, Settings, SmtpSettings
from tests.conftest import TEST_KEY, event, order_body
from tests.integration.helpers import send

SENDER = "Shop <loyalty@shop.example>"
BASE_URL = "https://shop.example/loyalty"


def mail_app(
    db_url: str,
    clock: ManualClock,
    program: ProgramPolicy,
    port: int | None,
    *,
    brand: BrandSettings | None = None,
    product_url: str | None = None,
) -> Loyalist:
    """An application sending email to 127.0.0.1:``port`` (None: no SMTP host set)."""
    settings = Settings(
        database_url=db_url,
        program=program,
        writer_linger_ms=0.5,
        smtp=SmtpSettings(host="127.0.0.1" if port else "", port=port or 0, timeout_seconds=5),
        messages=MessageSettings(
            sender=SENDER,
            base_url=BASE_URL,
            brand=brand or BrandSettings(),
            product_url=product_url,
        ),
    )
    return bootstrap(settings, clock=clock, keyring=Keyring.from_secrets(TEST_KEY))


def enrol(
    app: Loyalist,
    external_id: str,
    *,
    email: str | None = None,
    phone: str | None = None,
    locale: str = "en",
    timezone: str | None = None,
    marketing_email: bool | None = None,
    first_name: str | None = None,
) -> int:
    fields: dict[str, Any] = {"locale": locale, "first_name": first_name}
    if email is not None:
        fields["email"] = email
    if phone is not None:
        fields["phone"] = phone
    if timezone is not None:
        fields["timezone"] = timezone
    if marketing_email is not None:
        fields["consents"] = {Channel.EMAIL: marketing_email}
    profile = MemberProfile(**fields)

    def op(uow: UnitOfWork) -> int:
        member, _ = members.upsert_member(uow, external_id, profile, source="test")
        return member.id

    return app.db.write(op)


def pay_order(app: Loyalist, member: str, order_id: str, at: datetime) -> None:
    body = order_body(order_id, ("shoe", 2, 5000), ("sock", 1, 1000))
    send(
        app,
        event(f"{order_id}-placed", "order.placed", member, at - timedelta(minutes=3), **body),
        event(f"{order_id}-paid", "order.paid", member, at, order_id=order_id),
    )


def email_draft(
    member_id: int,
    key: str,
    *,
    kind: MessageKind = MessageKind.MARKETING,
    journey: str = "test_offer",
    template: TemplateKey = TemplateKey.WIN_BACK,
    due_at: datetime | None = None,
) -> messages.MessageDraft:
    """An English email of ``template`` with its sample context, keyed ``key``."""
    return messages.MessageDraft(
        member_id=member_id,
        kind=kind,
        channel=MessageChannel.EMAIL,
        journey=journey,
        natural_key=key,
        template_key=template.value,
        locale="en",
        time_zone="UTC",
        context=sample_context(template, "en"),
        due_at=due_at,
    )


def marketing_draft(
    member_id: int, key: str, *, due_at: datetime | None = None
) -> messages.MessageDraft:
    return email_draft(member_id, key, due_at=due_at)


def queue(app: Loyalist, *drafts: messages.MessageDraft) -> list[str]:
    return app.db.write(lambda uow: messages.queue_messages(uow, list(drafts)))


def enable(app: Loyalist, **journeys: dict[str, Any]) -> None:
    """Store these journeys' settings (``welcome={"enabled": True}``…); the others keep
    theirs."""
    found = {
        name: journeyconf.journey_model(name).model_validate(spec)
        for name, spec in journeys.items()
    }
    app.db.write(lambda uow: journeyconf.put_journeys(uow, found, who="test"))


def checked_contexts(app: Loyalist) -> dict[str, int]:
    """Validate every queued message's context against its template's type (what the
    delivery job does before rendering); returns how many were checked per template."""

    def op(uow: UnitOfWork) -> dict[str, int]:
        counts: dict[str, int] = {}
        for message in uow.session.scalars(select(Message).where(Message.context.is_not(None))):
            context = opened(uow, message)["context"]
            assert context is not None
            key = spec_key(message.template_key)
            assert key is not None
            validate_context(key, orjson.loads(context))
            counts[message.template_key] = counts.get(message.template_key, 0) + 1
        return counts

    return app.db.read(op)


def opened(uow: UnitOfWork, message: Message) -> dict[str, str | None]:
    """A stored message's content (``context``, ``subject``, ``body_text``,
    ``body_html``), opened with its member's key."""
    cipher = members.ciphers(uow, [message.member_id])[message.member_id]
    return {f.name: cipher.open(f, getattr(message, f.name)) for f in CONTENT_FIELDS}


def messages_of(app: Loyalist, member: str) -> list[MessageRead]:
    return app.db.read(lambda uow: messages.list_messages(uow, member, limit=200))


def statuses(app: Loyalist, member: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for message in messages_of(app, member):
        counts[message.status] = counts.get(message.status, 0) + 1
    return counts


REVIEW_URL = "https://shop.example/p/{sku}/review?order={order_id}"
TIPS: list[dict[str, Any]] = [
    {
        "category": "shoes",
        "title": {"en": "Let them breathe", "ru": "Дайте им подышать"},
        "body": {"en": "Rest leather shoes a day.", "ru": "Давайте кожаной обуви отдых."},
    },
    {
        "category": "garden",
        "title": {"en": "Water early", "ru": "Поливайте утром"},
        "body": {"en": "Before the sun is high.", "ru": "Пока солнце не высоко."},
    },
]


def post_purchase_on(app: Loyalist, **settings: Any) -> None:
    """Switch the post-purchase journey on (with a review link and the tips ``TIPS``)."""
    enable(
        app,
        post_purchase={"enabled": True, "review_url": REVIEW_URL, "tips": TIPS, **settings},
    )
