"""The channels' HTTP plumbing (httpx) and the generic JSON-over-HTTP provider.

Every HTTP channel posts through ``post``: no redirects followed, no proxy from the
environment, at most ``MAX_ANSWER_BYTES`` of an answer read, and every transport error
turned into a ``DeliveryFailed`` (timeouts and connection errors transient, a request we
could not even form permanent). ``failure`` classifies an HTTP status the way the
delivery worker retries: 408, 429 and 5xx transient with ``Retry-After`` honoured (seconds
or an HTTP-date), any other non-2xx permanent.
"""

from __future__ import annotations

import email.utils
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx
import orjson

from loyalist.clock import Clock, SystemClock
from loyalist.messages.channels.base import DeliveryFailed, NotConfigured, Outgoing, Receipt

DEFAULT_TIMEOUT = 10.0
#: More than any provider's answer; a webhook receiver cannot make the worker read more.
MAX_ANSWER_BYTES = 64 * 1024
USER_AGENT = "Loyalist"


@dataclass(frozen=True, slots=True)
class Answer:
    """A provider's answer: status, headers and at most ``MAX_ANSWER_BYTES`` of body."""

    status: int
    headers: httpx.Headers
    body: bytes

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    def json(self) -> Any:
        """The body parsed as JSON, or ``None`` when it is not JSON."""
        try:
            return orjson.loads(self.body)
        except orjson.JSONDecodeError:
            return None


def new_client(
    timeout: float = DEFAULT_TIMEOUT, *, transport: httpx.BaseTransport | None = None
) -> httpx.Client:
    """A client that follows no redirect and takes no proxy or certificates from the
    environment (a proxy would connect where the webhook guard never looked)."""
    return httpx.Client(
        timeout=timeout,
        follow_redirects=False,
        trust_env=False,
        transport=transport,
        headers={"User-Agent": USER_AGENT},
    )


def post(client: httpx.Client, url: str, **kwargs: Any) -> Answer:
    """POST and read a bounded answer.

    Raises:
        DeliveryFailed: transient for timeouts and network errors, permanent when the
            request itself is malformed (bad URL, scheme or header).
    """
    try:
        with client.stream("POST", url, **kwargs) as response:
            body = bytearray()
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) >= MAX_ANSWER_BYTES:
                    break
            return Answer(response.status_code, response.headers, bytes(body[:MAX_ANSWER_BYTES]))
    except httpx.TimeoutException as exc:
        raise DeliveryFailed(f"timed out: {type(exc).__name__}", transient=True) from exc
    except (httpx.UnsupportedProtocol, httpx.LocalProtocolError, httpx.InvalidURL) as exc:
        raise DeliveryFailed(f"request refused before sending: {exc}", transient=False) from exc
    except httpx.TransportError as exc:
        raise DeliveryFailed(f"{type(exc).__name__}: {exc}", transient=True) from exc


def is_transient_status(status: int) -> bool:
    """408, 429 and 5xx may succeed later; any other failure status never will."""
    return status in (408, 429) or status >= 500


def retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delay-seconds or an HTTP-date,
    RFC 9110 §10.2.3); ``None`` when absent or unreadable, never negative."""
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


def failure(answer: Answer, reason: str, now: datetime, *, code: str = "") -> DeliveryFailed:
    """The failure an unsuccessful answer means, classified by its status."""
    return DeliveryFailed(
        f"HTTP {answer.status}: {reason}" if reason else f"HTTP {answer.status}",
        transient=is_transient_status(answer.status),
        retry_after=retry_after(answer.headers.get("retry-after"), now),
        code=code,
    )


def dump_json(value: Any) -> bytes:
    """Compact UTF-8 JSON; any ``Mapping`` serialises as an object.

    Raises:
        DeliveryFailed: permanent, when the value holds something JSON cannot carry.
    """
    try:
        return orjson.dumps(value, default=_mapping_as_dict)
    except TypeError as exc:
        raise DeliveryFailed(f"payload is not JSON: {exc}", transient=False) from exc


def _mapping_as_dict(value: Any) -> dict[str, Any]:
    if isinstance(value, Mapping):
        return dict(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


#: The parts of an ``Outgoing`` a generic provider's body fields may be filled from.
SOURCES = frozenset({"message_id", "channel", "to", "subject", "text", "html", "data"})


@dataclass(frozen=True, slots=True)
class JsonHttpConfig:
    """A provider that takes one JSON object per message (any SMS or push gateway).

    ``fields`` maps each body key to the part of the message it carries (one of
    ``SOURCES``); ``constants`` are added to every body (a sender name, a route);
    ``headers`` carry the authentication (``Authorization: Bearer …``). The answer's
    ``id_field`` (when the body is a JSON object holding it) is the provider's id.
    """

    url: str = ""
    headers: Mapping[str, str] = field(default_factory=dict)
    fields: Mapping[str, str] = field(default_factory=lambda: {"to": "to", "text": "text"})
    constants: Mapping[str, Any] = field(default_factory=dict)
    id_field: str = "id"
    timeout: float = DEFAULT_TIMEOUT

    def __post_init__(self) -> None:
        unknown = sorted(set(self.fields.values()) - SOURCES)
        if unknown:
            raise ValueError(f"unknown body field sources {unknown}; use {sorted(SOURCES)}")


class JsonHttpSender:
    """Posts each message as one JSON object with an ``Idempotency-Key`` (the message id)."""

    def __init__(
        self,
        config: JsonHttpConfig,
        *,
        client: httpx.Client | None = None,
        clock: Clock | None = None,
    ) -> None:
        self.config = config
        self._client = client or new_client(config.timeout)
        self._clock = clock or SystemClock()

    def send(self, outgoing: Outgoing) -> Receipt:
        if not self.config.url:
            raise NotConfigured("no URL set for the JSON-over-HTTP provider")
        body = dict(self.config.constants)
        for key, source in self.config.fields.items():
            body[key] = getattr(outgoing, source)
        answer = post(
            self._client,
            self.config.url,
            content=dump_json(body),
            headers={
                **self.config.headers,
                "Content-Type": "application/json",
                "Idempotency-Key": outgoing.message_id,
            },
        )
        if not answer.ok:
            raise failure(answer, answer.body[:200].decode(errors="replace"), self._clock.now())
        parsed = answer.json()
        found = parsed.get(self.config.id_field) if isinstance(parsed, dict) else None
        return Receipt(
            provider_id=None if found is None else str(found), detail=f"HTTP {answer.status}"
        )
