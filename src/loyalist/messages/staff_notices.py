"""Security notices to staff users (a two-factor lockout): queued into the staff outbox in
the transaction of the staff event, rendered from the shipped template in the user's
language (English or Russian) and sent by email by the worker, at-least-once with a stable
Message-ID. The address is read from the staff user when the notice is sent.

No consent, quiet hours or caps apply: the notice is about the account's security. A
transient failure is retried with backoff up to the program's ``max_attempts``.
"""

from __future__ import annotations

import functools
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from typing import Any

import orjson
from babel.dates import format_datetime
from jinja2 import StrictUndefined
from jinja2.sandbox import ImmutableSandboxedEnvironment

from loyalist.db.uow import UnitOfWork
from loyalist.i18n import pick_locale, plural
from loyalist.messages import policy, repository
from loyalist.messages.channels.base import DeliveryFailed, NotConfigured, Outgoing, Sender
from loyalist.messages.models import MessageStatus, StaffMessage
from loyalist.messages.service import new_message_id
from loyalist.settings import ProgramPolicy
from loyalist.staff import users
from loyalist.staff.events import TwoFactorLockedOut

TWO_FACTOR_LOCKED = "two_factor_locked"

_ENV = ImmutableSandboxedEnvironment(undefined=StrictUndefined, autoescape=False)


@functools.cache
def _template(key: str, locale: str, part: str) -> Any:
    source = (
        resources.files("loyalist.messages")
        .joinpath("templates", "staff", locale, f"{key}.{part}.j2")
        .read_text("utf-8")
    )
    return _ENV.from_string(source)


@dataclass(frozen=True, slots=True)
class StaffNotice:
    subject: str
    text: str


def render_notice(key: str, locale: str, context: dict[str, Any], shop_name: str) -> StaffNotice:
    """The notice ``key`` in ``locale`` (``en``/``ru``) with ``context`` (times as aware
    datetimes, shown in UTC in the reader's language)."""
    shown = {
        name: format_datetime(value, "medium", tzinfo=UTC, locale=locale)
        if isinstance(value, datetime)
        else value
        for name, value in context.items()
    }
    variables = {
        **shown,
        "shop_name": shop_name,
        "plural": lambda n, *forms: plural(locale, int(n), forms),
    }
    subject = " ".join(_template(key, locale, "subject").render(variables).split())
    text = _template(key, locale, "txt").render(variables).strip() + "\n"
    return StaffNotice(subject, text)


def queue_lockout_notices(uow: UnitOfWork, events: Sequence[TwoFactorLockedOut]) -> None:
    """One notice per lockout to the locked user."""
    for event in events:
        user = users.get_user(uow, event.user_id)
        context = {
            "name": user.name,
            "failure_count": event.failure_count,
            "locked_until": event.locked_until.isoformat(),
            "ip": event.ip,
        }
        repository.add_staff_message(
            uow.session,
            StaffMessage(
                id=new_message_id(),
                user_id=user.id,
                template_key=TWO_FACTOR_LOCKED,
                locale=pick_locale(user.locale),
                context=orjson.dumps(context).decode(),
                status=MessageStatus.QUEUED,
                attempts=0,
                created_at=uow.now,
                next_attempt_at=uow.now,
            ),
        )


@dataclass(frozen=True, slots=True)
class Claimed:
    """A staff message this worker sends now (its ``attempt``-th send)."""

    message_id: str
    attempt: int
    outgoing: Outgoing


def claim_due_notices(uow: UnitOfWork, limit: int, shop_name: str) -> list[Claimed]:
    """Take up to ``limit`` due staff messages, render the ones not rendered yet (the
    rendering is stored, the context dropped) and lease them for sending."""
    claimed: list[Claimed] = []
    for message in repository.claim_due_staff_messages(uow.session, uow.now, limit):
        user = users.get_user(uow, message.user_id)
        if message.body_text is None:
            context = _context(orjson.loads(message.context or "{}"))
            notice = render_notice(message.template_key, message.locale, context, shop_name)
            message.subject, message.body_text, message.context = notice.subject, notice.text, None
        message.attempts += 1
        message.next_attempt_at = uow.now + policy.LEASE
        outgoing = Outgoing(
            message_id=message.id,
            channel="email",
            to=user.email,
            subject=message.subject or "",
            text=message.body_text or "",
            created_at=message.created_at,
        )
        claimed.append(Claimed(message.id, message.attempts, outgoing))
    uow.session.flush()
    return claimed


def _context(stored: dict[str, Any]) -> dict[str, Any]:
    return {
        name: datetime.fromisoformat(value) if name.endswith("_until") else value
        for name, value in stored.items()
    }


@dataclass(frozen=True, slots=True)
class Sent:
    claimed: Claimed
    status: MessageStatus | None
    reason: str | None = None
    retry_after: float | None = None


def send_notices(claimed: Sequence[Claimed], sender: Sender | None) -> list[Sent]:
    """Send each claimed notice (outside any transaction); ``status`` None: a transient
    failure, tried again later."""
    done: list[Sent] = []
    for claim in claimed:
        if sender is None:
            done.append(Sent(claim, MessageStatus.NOT_CONFIGURED, "no SMTP host is configured"))
            continue
        try:
            receipt = sender.send(claim.outgoing)
        except NotConfigured as missing:
            done.append(Sent(claim, MessageStatus.NOT_CONFIGURED, str(missing)))
        except DeliveryFailed as failed:
            status = None if failed.transient else MessageStatus.FAILED
            done.append(Sent(claim, status, failed.reason[:500], failed.retry_after))
        else:
            done.append(Sent(claim, MessageStatus.SENT, receipt.detail[:500] or None))
    return done


def record_sent(uow: UnitOfWork, sent: Sequence[Sent], program: ProgramPolicy) -> None:
    """Write each send's outcome; a transient failure is queued again with backoff until
    the program's ``max_attempts``. A message claimed again meanwhile is left alone."""
    by_id = {s.claimed.message_id: s for s in sent}
    for message in repository.lock_staff_messages(uow.session, by_id):
        outcome = by_id[message.id]
        if message.attempts != outcome.claimed.attempt or message.status != MessageStatus.QUEUED:
            continue
        message.reason = outcome.reason
        if outcome.status is not None:
            message.status = outcome.status
            message.finished_at = uow.now
        elif message.attempts >= program.messages.max_attempts:
            message.status = MessageStatus.FAILED
            message.finished_at = uow.now
        else:
            message.next_attempt_at = policy.retry_at(
                uow.now, message.attempts, random.random(), outcome.retry_after
            )
    uow.session.flush()
