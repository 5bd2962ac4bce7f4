"""The one interface every channel implements: an outgoing message in, a receipt or a
classified failure out.

Exceptions::

    DeliveryFailed   the provider refused or could not be reached; ``transient`` says
                     whether a later attempt may succeed (retry with backoff, honouring
                     ``retry_after``) or never will (failed, never retried)
    NotConfigured    the channel has no provider set: the message is recorded
                     ``not_configured``, never dropped silently
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One message to one recipient, as the worker hands it to a channel."""

    #: Stable across retries: the ``Message-ID``, the ``webhook-id``, a provider's dedup key.
    message_id: str
    #: ``email`` | ``sms`` | ``push`` | ``webhook``.
    channel: str
    #: An e-mail address, an E.164 phone, a device token, or a webhook endpoint's URL.
    to: str
    #: The e-mail subject, the push title, or the webhook's event type (``points.changed``).
    subject: str = ""
    #: The plain text body (e-mail, SMS, push body).
    text: str = ""
    html: str | None = None
    #: Push data, or the webhook event's ``data`` object.
    data: Mapping[str, Any] = field(default_factory=dict)
    #: Extra headers, e.g. ``List-Unsubscribe``.
    headers: Mapping[str, str] = field(default_factory=dict)
    #: When the fact happened (aware UTC): the webhook payload's ``timestamp``.
    created_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Receipt:
    """What the provider said when it accepted the message."""

    #: The provider's id for the message, if any (Twilio ``SM…``, FCM ``projects/…``).
    provider_id: str | None = None
    detail: str = ""


class DeliveryFailed(Exception):
    """The message was not accepted.

    ``transient=True``: retry later (SMTP 4xx, HTTP 5xx/408/429, timeouts, connection
    errors), not before ``retry_after`` seconds when the provider said so. ``False``:
    permanent (SMTP 5xx, HTTP 4xx), never retried. ``code`` is the provider's reason when
    there is one a caller may act on: ``http_410`` (the webhook endpoint is gone: disable
    it), ``UNREGISTERED`` (FCM: forget the device token), ``21610`` (Twilio: the number
    replied STOP), ``209`` (SMS.ru: the number is on the account's stop list).
    """

    def __init__(
        self,
        reason: str,
        *,
        transient: bool,
        retry_after: float | None = None,
        code: str = "",
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.transient = transient
        self.retry_after = retry_after
        self.code = code


class NotConfigured(Exception):
    """The channel has no provider or host set: the message is recorded ``not_configured``."""


class Sender(Protocol):
    def send(self, outgoing: Outgoing) -> Receipt:
        """Deliver one message synchronously.

        Raises:
            DeliveryFailed: the provider refused it or could not be reached.
            NotConfigured: the channel has no provider set.
        """
        ...
