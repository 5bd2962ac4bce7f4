"""Bounces, complaints and deliveries that email providers report back, read from their
documented webhook formats into one shape.

**Amazon SES** publishes notifications to an SNS topic; an HTTPS subscription posts the SNS
envelope (``{"Type": "Notification", "Message": "<the SES JSON as a string>", …}``, content
type ``text/plain``) or, with raw message delivery, the SES JSON itself. SES's JSON has
``notificationType`` (``eventType`` when sent by event publishing): ``Bounce`` (``bounceType``
``Permanent``, ``Transient`` or ``Undetermined``, ``bouncedRecipients[].emailAddress``),
``Complaint`` (``complainedRecipients[].emailAddress``), ``Delivery``
(``delivery.recipients``), or — with open and click tracking on a configuration set —
``Open`` and ``Click`` (for ``mail.destination``); ``mail.commonHeaders.messageId`` is the
``Message-ID`` we sent.

**Postmark** posts one JSON object per event: ``RecordType`` ``Bounce`` (``Type``
``HardBounce``, ``SoftBounce``, ``Transient``, …; ``Email``), ``SpamComplaint`` (``Email``),
``Delivery``, ``Open`` or ``Click`` (``Recipient``; open and click tracking on the
message stream); ``Metadata`` carries back the ``X-PM-Metadata-*`` headers
we sent, ``loyalist-message`` naming our message.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import orjson


class EspEventKind(StrEnum):
    HARD_BOUNCE = "hard_bounce"
    SOFT_BOUNCE = "soft_bounce"
    COMPLAINT = "complaint"
    DELIVERED = "delivered"
    OPENED = "opened"
    CLICKED = "clicked"


@dataclass(frozen=True, slots=True)
class EspEvent:
    """What a provider said about one recipient of one message."""

    kind: EspEventKind
    address: str
    #: Our message id (``msg_…``) when the provider handed it back, else None.
    message_id: str | None
    detail: str = ""


@dataclass(frozen=True, slots=True)
class SnsSubscription:
    """SNS asks to confirm a subscription: someone must open ``subscribe_url`` once."""

    topic_arn: str
    subscribe_url: str


#: Postmark bounce types that mean the address will never take mail.
_POSTMARK_HARD = frozenset({"HardBounce", "BadEmailAddress"})
#: Postmark record types naming their ``Recipient``.
_POSTMARK_RECIPIENT = {
    "Delivery": EspEventKind.DELIVERED,
    "Open": EspEventKind.OPENED,
    "Click": EspEventKind.CLICKED,
}
#: SES event types of open and click tracking.
_SES_ENGAGEMENT = {"Open": EspEventKind.OPENED, "Click": EspEventKind.CLICKED}
#: The Postmark metadata key (``X-PM-Metadata-loyalist-message``) naming our message.
POSTMARK_MESSAGE_KEY = "loyalist-message"


def _object(body: bytes | str | Mapping[str, Any]) -> Mapping[str, Any]:
    if isinstance(body, Mapping):
        return body
    try:
        found = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise ValueError(f"not JSON: {exc}") from None
    if not isinstance(found, dict):
        raise ValueError("not a JSON object")
    return found


#: Our message ids (``msg_`` and hex): anything else a provider hands back is not ours.
_OURS = re.compile(r"msg_[0-9a-f]{1,36}")


def _ours(found: object) -> str | None:
    return found if isinstance(found, str) and _OURS.fullmatch(found) else None


def our_message_id(header: object) -> str | None:
    """Our message id from a ``Message-ID`` header value ``<msg_…@domain>``."""
    if not isinstance(header, str):
        return None
    return _ours(header.strip().strip("<>").partition("@")[0])


def _addresses(items: object, key: str | None) -> list[str]:
    if not isinstance(items, Sequence) or isinstance(items, str):
        raise ValueError("the recipients are not a list")
    found = [item.get(key) if key and isinstance(item, Mapping) else item for item in items]
    return [a for a in found if isinstance(a, str) and a]


def read_sns(body: bytes | str) -> list[EspEvent] | SnsSubscription:
    """The SES events in an SNS post (or a raw SES notification), or a subscription to
    confirm. Anything SNS sends that is neither (an unsubscribe confirmation) is no events.

    Raises:
        ValueError: the body is not an SNS message or SES notification.
    """
    outer = _object(body)
    kind = outer.get("Type")
    if kind == "SubscriptionConfirmation":
        url = outer.get("SubscribeURL")
        if not isinstance(url, str) or not url.startswith("https://"):
            raise ValueError("a subscription confirmation without its SubscribeURL")
        return SnsSubscription(str(outer.get("TopicArn", "")), url)
    if kind == "Notification":
        message = outer.get("Message")
        if not isinstance(message, str):
            raise ValueError("an SNS notification without its Message")
        return read_ses(_object(message))
    if kind is not None:
        return []
    return read_ses(outer)


def read_ses(notification: Mapping[str, Any]) -> list[EspEvent]:
    """The events of one SES notification (one per recipient).

    Raises:
        ValueError: not an SES bounce, complaint or delivery notification.
    """
    kind = notification.get("notificationType") or notification.get("eventType")
    mail = notification.get("mail")
    if not isinstance(mail, Mapping):
        raise ValueError("an SES notification without its mail object")
    common = mail.get("commonHeaders")
    message_id = our_message_id(common.get("messageId") if isinstance(common, Mapping) else None)
    if kind == "Bounce":
        bounce = notification.get("bounce")
        if not isinstance(bounce, Mapping):
            raise ValueError("an SES bounce without its bounce object")
        hard = bounce.get("bounceType") == "Permanent"
        detail = f"SES {bounce.get('bounceType')}/{bounce.get('bounceSubType')}"
        return [
            EspEvent(
                EspEventKind.HARD_BOUNCE if hard else EspEventKind.SOFT_BOUNCE,
                address,
                message_id,
                detail,
            )
            for address in _addresses(bounce.get("bouncedRecipients"), "emailAddress")
        ]
    if kind == "Complaint":
        complaint = notification.get("complaint")
        if not isinstance(complaint, Mapping):
            raise ValueError("an SES complaint without its complaint object")
        detail = f"SES complaint {complaint.get('complaintFeedbackType') or ''}".strip()
        return [
            EspEvent(EspEventKind.COMPLAINT, address, message_id, detail)
            for address in _addresses(complaint.get("complainedRecipients"), "emailAddress")
        ]
    if kind == "Delivery":
        delivery = notification.get("delivery")
        if not isinstance(delivery, Mapping):
            raise ValueError("an SES delivery without its delivery object")
        detail = f"SES {delivery.get('smtpResponse') or 'delivered'}"[:200]
        return [
            EspEvent(EspEventKind.DELIVERED, address, message_id, detail)
            for address in _addresses(delivery.get("recipients"), None)
        ]
    if kind in _SES_ENGAGEMENT:
        return [
            EspEvent(_SES_ENGAGEMENT[kind], address, message_id, f"SES {kind}")
            for address in _addresses(mail.get("destination"), None)
        ]
    if isinstance(kind, str):
        return []  # Send, Reject, Rendering Failure…: nothing to act on
    raise ValueError("an SES notification without its notificationType")


def read_postmark(body: bytes | str) -> list[EspEvent]:
    """The event of one Postmark webhook post (bounce, spam complaint, delivery, open or
    click; other record types — subscription changes — are no events).

    Raises:
        ValueError: not a Postmark webhook body.
    """
    record = _object(body)
    kind = record.get("RecordType")
    metadata = record.get("Metadata")
    message_id = _ours(
        metadata.get(POSTMARK_MESSAGE_KEY) if isinstance(metadata, Mapping) else None
    )
    if kind in ("Bounce", "SpamComplaint"):
        address = record.get("Email")
        if not isinstance(address, str) or not address:
            raise ValueError(f"a Postmark {kind} without its Email")
        bounce_type = str(record.get("Type", ""))
        if kind == "SpamComplaint" or bounce_type == "SpamComplaint":
            event = EspEventKind.COMPLAINT
        elif bounce_type in _POSTMARK_HARD:
            event = EspEventKind.HARD_BOUNCE
        else:
            event = EspEventKind.SOFT_BOUNCE
        return [EspEvent(event, address, message_id, f"Postmark {bounce_type or kind}")]
    if kind in _POSTMARK_RECIPIENT:
        address = record.get("Recipient")
        if not isinstance(address, str) or not address:
            raise ValueError(f"a Postmark {kind} without its Recipient")
        event = _POSTMARK_RECIPIENT[kind]
        return [EspEvent(event, address, message_id, f"Postmark {event}")]
    if isinstance(kind, str):
        return []
    raise ValueError("a Postmark webhook without its RecordType")
