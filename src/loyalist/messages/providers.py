"""What providers report back: email bounces, complaints, deliveries, opens and clicks
(Amazon SES, Postmark) and SMS STOP replies (Twilio), turned into suppressions, consent,
statuses and engagement.

A hard bounce or a complaint suppresses email to *that address* for every member who has
it (by its blind index, as ``service.suppress`` records it): a new address lifts it. A
soft bounce changes nothing (delivery already retries transient failures). A delivery
moves our ``sent`` message to ``delivered`` (status history row), found by the id the
provider handed back; an open or a click records when the message was first opened (a
click is an open too) and clicked. A STOP suppresses SMS only (every SMS, transactional
too, as the carrier will) and withdraws SMS marketing consent; email is not touched.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from loyalist.db.uow import UnitOfWork
from loyalist.members import service as members
from loyalist.members.models import Channel
from loyalist.messages import repository
from loyalist.messages.channels.esp import EspEvent, EspEventKind
from loyalist.messages.models import MessageChannel, MessageStatus, SuppressionReason
from loyalist.messages.service import change_status, suppress

_ENGAGEMENT = frozenset({EspEventKind.OPENED, EspEventKind.CLICKED})
_REASONS = {
    EspEventKind.HARD_BOUNCE: SuppressionReason.HARD_BOUNCE,
    EspEventKind.COMPLAINT: SuppressionReason.COMPLAINT,
}


@dataclass(frozen=True, slots=True)
class Applied:
    """What a provider's post changed: suppressions recorded, messages marked delivered,
    messages first seen opened or clicked, and events that matched nothing (unknown
    address or message, soft bounces)."""

    suppressed: int = 0
    delivered: int = 0
    ignored: int = 0
    engaged: int = 0


def apply_email_events(uow: UnitOfWork, events: Sequence[EspEvent], *, source: str) -> Applied:
    """Record an ESP's bounces, complaints, deliveries, opens and clicks (idempotent: a
    provider that posts the same event again changes nothing more)."""
    suppressed = delivered = ignored = engaged = 0
    for event in events:
        found = [m.id for m in members.find_members_by_email(uow, event.address)]
        reason = _REASONS.get(event.kind)
        if reason is not None and found:
            for member_id in found:
                suppress(
                    uow,
                    member_id,
                    MessageChannel.EMAIL,
                    reason,
                    source=source,
                    address=event.address,
                )
            suppressed += len(found)
        elif event.kind == EspEventKind.DELIVERED and event.message_id and found:
            marked = _mark_delivered(uow, found, event.message_id, event.detail)
            delivered += marked
            ignored += 0 if marked else 1
        elif event.kind in _ENGAGEMENT and event.message_id and found:
            clicked = event.kind == EspEventKind.CLICKED
            marked = _mark_engaged(uow, found, event.message_id, clicked=clicked)
            engaged += marked
            ignored += 0 if marked else 1
        else:
            ignored += 1
    return Applied(suppressed, delivered, ignored, engaged)


def _mark_delivered(uow: UnitOfWork, member_ids: list[int], message_id: str, detail: str) -> int:
    """``sent`` → ``delivered`` for the message, if one of these members has it. A message
    still waiting for its outcome to be recorded (the provider was faster than our commit)
    or already delivered is left as it is."""
    for message in repository.lock_messages(uow.session, [(m, message_id) for m in member_ids]):
        if message.status == MessageStatus.SENT:
            # The provider's text, without the U+0000 that PostgreSQL cannot store.
            reason = detail.replace("\x00", "")[:500]
            change_status(uow, message, MessageStatus.DELIVERED, reason or None)
            uow.session.flush()
            return 1
    return 0


def _mark_engaged(uow: UnitOfWork, member_ids: list[int], message_id: str, *, clicked: bool) -> int:
    """Record the first open (and click) of the message, if one of these members has it
    and it was sent; 1 if that changed anything."""
    for message in repository.lock_messages(uow.session, [(m, message_id) for m in member_ids]):
        if message.status not in (MessageStatus.SENT, MessageStatus.DELIVERED):
            return 0
        changed = message.opened_at is None or (clicked and message.clicked_at is None)
        message.opened_at = message.opened_at or uow.now
        if clicked:
            message.clicked_at = message.clicked_at or uow.now
        uow.session.flush()
        return int(changed)
    return 0


def apply_sms_stop(uow: UnitOfWork, phone: str, *, source: str) -> int:
    """Suppress SMS to every member with this phone number (reason ``sms_stop``) and
    withdraw their SMS marketing consent. Returns how many members it stopped."""
    found = [m.id for m in members.find_members_by_phone(uow, phone)]
    for member_id in found:
        suppress(uow, member_id, MessageChannel.SMS, SuppressionReason.SMS_STOP, source=source)
        members.set_consent(uow, member_id, Channel.SMS, False, source=source)
    return len(found)
