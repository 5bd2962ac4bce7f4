"""The one interface every channel implements: a message out, a receipt or a failure back.

Exception tree::

    DeliveryFailed       the provider refused or could not be reached
                         (``transient``: try again later; otherwise never retried)
    NotConfigured        the channel has no provider or host set
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One rendered message to one recipient."""

    message_id: str  # stable across retries: Message-ID / webhook-id / provider dedup key
    channel: str  # "email" | "sms" | "push" | "webhook"
    to: str  # address, E.164 phone, device token, or endpoint URL
    subject: str = ""
    text: str = ""  # plain text body (email, sms, push body)
    html: str | None = None
    data: Mapping[str, Any] = field(default_factory=dict)  # push data / webhook JSON payload
    headers: Mapping[str, str] = field(default_factory=dict)  # e.g. List-Unsubscribe
    created_at: datetime | None = None  # webhook-timestamp source (aware UTC)


@dataclass(frozen=True, slots=True)
class Receipt:
    provider_id: str | None = None  # the provider's id for the message, if any
    detail: str = ""


class DeliveryFailed(Exception):
    """transient=True: retry later (SMTP 4xx, HTTP 5xx/408/429, timeouts, connection errors);
    False: permanent (SMTP 5xx, HTTP 4xx): never retried."""

    def __init__(self, reason: str, *, transient: bool, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.transient = transient
        self.retry_after = retry_after


class NotConfigured(Exception):
    """The channel has no provider or host set: the message is recorded not_configured."""


class Sender(Protocol):
    def send(self, outgoing: Outgoing) -> Receipt: ...
