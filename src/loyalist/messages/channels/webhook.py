"""Webhooks to the shop or any endpoint, per the Standard Webhooks specification.

The body is the recommended envelope, compact JSON: ``{"type": <event type>,
"timestamp": <when it happened>, "data": {...}}`` from the message's ``subject``,
``created_at`` and ``data``. Headers: ``webhook-id`` (the message id, the receiver's
idempotency key, the same on every retry), ``webhook-timestamp`` (this attempt's time in
Unix seconds: receivers refuse a timestamp more than a few minutes old, so a retry is
signed afresh) and ``webhook-signature`` (``signing.WebhookSigner``).

Answers: 2xx delivered; 408, 429, 5xx, timeouts and connection errors transient (with
``Retry-After``); 3xx (redirects are not followed: the endpoint's URL should be updated)
and other 4xx permanent, 410 Gone with ``code="http_410"`` (disable the endpoint). An
address refused by the SSRF guard (``targets``) is permanent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx

from loyalist.clock import Clock, SystemClock
from loyalist.messages.channels.base import DeliveryFailed, Outgoing, Receipt
from loyalist.messages.channels.http import dump_json, failure, new_client, post
from loyalist.messages.channels.signing import WebhookSigner
from loyalist.messages.channels.targets import (
    GuardedTransport,
    Resolver,
    TargetRefused,
    check_url,
    system_resolver,
)

#: The specification recommends 15 to 30 seconds.
DEFAULT_TIMEOUT = 15.0


@dataclass(frozen=True, slots=True)
class WebhookConfig:
    """How webhooks are sent (one per worker; each endpoint brings its own secrets)."""

    timeout: float = DEFAULT_TIMEOUT
    #: Admit loopback and private targets (tests; endpoints on the operator's network).
    allow_private: bool = False


def webhook_client(config: WebhookConfig, *, resolver: Resolver = system_resolver) -> httpx.Client:
    """A client whose every connection goes through the SSRF guard; share one among the
    senders of all endpoints so connections are reused."""
    transport = GuardedTransport(allow_private=config.allow_private, resolver=resolver)
    return new_client(config.timeout, transport=transport)


def webhook_body(outgoing: Outgoing, *, now: datetime) -> bytes:
    """The JSON body: the event type, when it happened (``now`` if the message does not
    say), and its data."""
    happened = (outgoing.created_at or now).astimezone(UTC)
    return dump_json(
        {
            "type": outgoing.subject,
            "timestamp": happened.isoformat().replace("+00:00", "Z"),
            "data": outgoing.data,
        }
    )


class WebhookSender:
    """Delivers messages to the endpoint in each message's ``to``, signed with the
    endpoint's secrets."""

    def __init__(
        self,
        config: WebhookConfig,
        signer: WebhookSigner,
        *,
        client: httpx.Client | None = None,
        clock: Clock | None = None,
    ) -> None:
        self._signer = signer
        self._client = client or webhook_client(config)
        self._clock = clock or SystemClock()

    def send(self, outgoing: Outgoing) -> Receipt:
        now = self._clock.now()
        try:
            check_url(outgoing.to)
            body = webhook_body(outgoing, now=now)
            timestamp = int(now.timestamp())
            signature = self._signer.signature(outgoing.message_id, timestamp, body, now=now)
            answer = post(
                self._client,
                outgoing.to,
                content=body,
                headers={
                    "Content-Type": "application/json",
                    "webhook-id": outgoing.message_id,
                    "webhook-timestamp": str(timestamp),
                    "webhook-signature": signature,
                },
            )
        except (TargetRefused, ValueError) as exc:
            raise DeliveryFailed(str(exc), transient=False) from exc
        if answer.ok:
            return Receipt(detail=f"HTTP {answer.status}")
        if 300 <= answer.status < 400:
            where = answer.headers.get("location", "")
            raise DeliveryFailed(
                f"HTTP {answer.status}: redirect to {where!r} not followed", transient=False
            )
        raise failure(answer, "", now, code="http_410" if answer.status == 410 else "")


def endpoint_disabled(first_failure_at: datetime | None, now: datetime, after: timedelta) -> bool:
    """Whether an endpoint failing since ``first_failure_at`` (the first of an unbroken
    run of failed attempts; ``None`` once one succeeds) is disabled at ``now``: after
    failing continuously for ``after``. A 410 Gone answer disables at once whatever the
    time (``DeliveryFailed.code == "http_410"``)."""
    return first_failure_at is not None and now - first_failure_at >= after
