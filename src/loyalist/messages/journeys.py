"""Journeys: which facts start which messages, once per natural key, and only for fresh
facts (history being loaded starts nothing). Wired so far: the order confirmation."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from loyalist.activities.events import OrderPaid
from loyalist.db.uow import UnitOfWork
from loyalist.i18n import pick_locale
from loyalist.members import service as members
from loyalist.messages import policy, service
from loyalist.messages.models import MessageChannel, MessageKind
from loyalist.settings import ProgramPolicy

ORDER_CONFIRMATION = "order_confirmation"


@dataclass(frozen=True, slots=True)
class Rendered:
    subject: str
    text: str
    html: str | None
    template_version: int = 0


_ORDER_TEXT = {
    "en": {
        "subject": "Your order {order_id} is confirmed",
        "greeting": "Hello{name},",
        "intro": "thank you for your order {order_id}. Here is what you bought:",
        "total": "Total",
    },
    "ru": {
        "subject": "Ваш заказ {order_id} подтверждён",
        "greeting": "Здравствуйте{name}!",
        "intro": "Спасибо за заказ {order_id}. Вот что вы купили:",
        "total": "Итого",
    },
}


def _money(minor: int, currency: str) -> str:
    return f"{minor / 100:.2f} {currency}"


def render(template_key: str, locale: str, context: Mapping[str, Any]) -> Rendered:
    """The one place a message's content is made: the shipped order confirmation in
    English or Russian (the template renderer takes over here, with stored versions)."""
    assert template_key == ORDER_CONFIRMATION
    words = _ORDER_TEXT[pick_locale(locale)]
    order_id = str(context["order_id"])
    name = f" {context['first_name']}" if context.get("first_name") else ""
    lines = [
        f"{line['quantity']} × {line['sku']} — {_money(line['amount'], context['currency'])}"
        for line in context["lines"]
    ]
    total = f"{words['total']}: {_money(context['net_amount'], context['currency'])}"
    text = "\n".join(
        [
            words["greeting"].format(name=name),
            "",
            words["intro"].format(order_id=order_id),
            "",
            *lines,
            "",
            total,
        ]
    )
    items = "".join(f"<li>{html.escape(line)}</li>" for line in lines)
    body = (
        f"<p>{html.escape(words['greeting'].format(name=name))}</p>"
        f"<p>{html.escape(words['intro'].format(order_id=order_id))}</p>"
        f"<ul>{items}</ul><p><strong>{html.escape(total)}</strong></p>"
    )
    return Rendered(words["subject"].format(order_id=order_id), text + "\n", body)


def confirm_orders(uow: UnitOfWork, facts: Sequence[OrderPaid], program: ProgramPolicy) -> int:
    """Queue an order confirmation email (transactional) per fresh paid order, once per
    order; facts older than the freshness window are counted as skipped. Returns how many
    were queued now."""
    window = program.messages.freshness_hours
    fresh = [f for f in facts if policy.is_fresh(f.paid_at, uow.now, window)]
    service.count_skipped(uow, ORDER_CONFIRMATION, len(facts) - len(fresh))
    if not fresh:
        return 0
    contacts = members.contacts(uow, {f.member_id for f in fresh})
    drafts: list[service.MessageDraft] = []
    for fact in fresh:
        contact = contacts[fact.member_id]
        locale = pick_locale(contact.locale)
        context = {
            "order_id": fact.order_id,
            "first_name": contact.first_name,
            "currency": fact.currency,
            "net_amount": fact.net_amount,
            "lines": [
                {
                    "sku": line.sku,
                    "quantity": line.quantity,
                    "amount": line.quantity * line.unit_price - line.discount,
                }
                for line in fact.lines
            ],
        }
        rendered = render(ORDER_CONFIRMATION, locale, context)
        drafts.append(
            service.MessageDraft(
                member_id=fact.member_id,
                kind=MessageKind.TRANSACTIONAL,
                channel=MessageChannel.EMAIL,
                journey=ORDER_CONFIRMATION,
                natural_key=fact.order_id,
                template_key=ORDER_CONFIRMATION,
                template_version=rendered.template_version,
                locale=locale,
                subject=rendered.subject,
                text=rendered.text,
                html=rendered.html,
            )
        )
    return len(service.queue_messages(uow, drafts))
