"""Push notifications through Firebase Cloud Messaging (HTTP v1) or RuStore.

Both take the same request, FCM's ``messages:send``: ``POST {base}/v1/projects/{project}
/messages:send`` with ``Authorization: Bearer <token>`` and ``{"message": {"token": <device
token>, "notification": {"title", "body"}, "data": {string: string}}}``. FCM's token is an
OAuth 2.0 access token of a service account (scope ``firebase.messaging``, valid an hour:
give a callable that returns a fresh one); RuStore's is the project's service token from
the RuStore console. FCM answers ``{"name": "projects/…/messages/…"}``; RuStore an empty
object.

Errors come in Google's form, ``{"error": {"code", "message", "status", "details"}}``,
FCM adding an ``FcmError`` detail with an ``errorCode``. Transient: ``UNAVAILABLE``,
``INTERNAL``, ``QUOTA_EXCEEDED``/``RESOURCE_EXHAUSTED`` (honouring ``Retry-After``) and
``UNAUTHENTICATED`` (an expired access token: the next attempt asks for a new one).
Permanent: ``UNREGISTERED`` (and RuStore's ``NOT_FOUND``, reported as ``UNREGISTERED``:
the token is gone, the delivery job forgets the device),
``INVALID_ARGUMENT``, ``SENDER_ID_MISMATCH``, ``PERMISSION_DENIED``,
``THIRD_PARTY_AUTH_ERROR``. Anything else falls back to the HTTP status.

Web Push (RFC 8030 with RFC 8291 payload encryption and VAPID) was not chosen: RuStore is
the Android push service Russian shops need where Google's is unreliable, and it takes
FCM's request shape.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import httpx
import orjson

from loyalist.clock import Clock, SystemClock
from loyalist.messages.channels.base import DeliveryFailed, NotConfigured, Outgoing, Receipt
from loyalist.messages.channels.http import (
    DEFAULT_TIMEOUT,
    dump_json,
    failure,
    new_client,
    post,
    retry_after,
)

#: The code of a failure whose device token is gone (FCM's own; RuStore's ``NOT_FOUND``).
UNREGISTERED = "UNREGISTERED"

#: A bearer token, or a callable asked for one before every request (a token that expires).
Token = str | Callable[[], str]

TRANSIENT_ERRORS = frozenset(
    {"UNAVAILABLE", "INTERNAL", "QUOTA_EXCEEDED", "RESOURCE_EXHAUSTED", "UNAUTHENTICATED"}
)
PERMANENT_ERRORS = frozenset(
    {
        "UNREGISTERED",
        "NOT_FOUND",
        "INVALID_ARGUMENT",
        "SENDER_ID_MISMATCH",
        "PERMISSION_DENIED",
        "THIRD_PARTY_AUTH_ERROR",
    }
)


@dataclass(frozen=True, slots=True)
class FcmConfig:
    project_id: str = ""
    access_token: Token = ""
    base_url: str = "https://fcm.googleapis.com"
    timeout: float = DEFAULT_TIMEOUT


@dataclass(frozen=True, slots=True)
class RuStoreConfig:
    project_id: str = ""
    service_token: Token = ""
    base_url: str = "https://vkpns.rustore.ru"
    timeout: float = DEFAULT_TIMEOUT


def push_body(outgoing: Outgoing) -> bytes:
    """The ``messages:send`` body; data values that are not strings are sent as JSON text
    (both services take only string values)."""
    data = {
        str(key): value if isinstance(value, str) else dump_json(value).decode()
        for key, value in outgoing.data.items()
    }
    message: dict[str, Any] = {
        "token": outgoing.to,
        "notification": {"title": outgoing.subject, "body": outgoing.text},
    }
    if data:
        message["data"] = data
    return orjson.dumps({"message": message})


class _MessagesSend:
    """One ``messages:send`` endpoint (FCM's or RuStore's)."""

    def __init__(
        self,
        service: str,
        base_url: str,
        project_id: str,
        token: Token,
        client: httpx.Client,
        clock: Clock,
        gone: str = UNREGISTERED,
    ) -> None:
        self._service = service
        self._gone = gone
        self._url = f"{base_url}/v1/projects/{project_id}/messages:send"
        self._configured = bool(project_id and token)
        self._token = token
        self._client = client
        self._clock = clock

    def send(self, outgoing: Outgoing) -> Receipt:
        if not self._configured:
            raise NotConfigured(f"{self._service} needs a project id and a token")
        token = self._token() if callable(self._token) else self._token
        answer = post(
            self._client,
            self._url,
            content=push_body(outgoing),
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        found = answer.json()
        if answer.ok:
            name = found.get("name") if isinstance(found, dict) else None
            return Receipt(provider_id=name, detail=f"{self._service} HTTP {answer.status}")
        error = found.get("error") if isinstance(found, dict) else None
        if not isinstance(error, dict):
            raise failure(answer, self._service, self._clock.now())
        code = _error_code(error)
        reason = f"{self._service} {code}: {error.get('message', '')}"
        code = UNREGISTERED if code == self._gone else code
        if code in TRANSIENT_ERRORS or code in PERMANENT_ERRORS:
            raise DeliveryFailed(
                f"HTTP {answer.status}: {reason}",
                transient=code in TRANSIENT_ERRORS,
                retry_after=retry_after(answer.headers.get("retry-after"), self._clock.now()),
                code=code,
            )
        raise failure(answer, reason, self._clock.now(), code=code)


def _error_code(error: Mapping[str, Any]) -> str:
    """FCM's ``errorCode`` detail when there is one, else the Google status."""
    for detail in error.get("details") or ():
        if isinstance(detail, dict) and detail.get("errorCode"):
            return str(detail["errorCode"])
    return str(error.get("status", ""))


class FcmSender(_MessagesSend):
    def __init__(
        self, config: FcmConfig, *, client: httpx.Client | None = None, clock: Clock | None = None
    ) -> None:
        super().__init__(
            "FCM",
            config.base_url,
            config.project_id,
            config.access_token,
            client or new_client(config.timeout),
            clock or SystemClock(),
        )


class RuStoreSender(_MessagesSend):
    def __init__(
        self,
        config: RuStoreConfig,
        *,
        client: httpx.Client | None = None,
        clock: Clock | None = None,
    ) -> None:
        super().__init__(
            "RuStore",
            config.base_url,
            config.project_id,
            config.service_token,
            client or new_client(config.timeout),
            clock or SystemClock(),
            gone="NOT_FOUND",
        )
