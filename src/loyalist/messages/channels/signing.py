"""Webhook signatures per the Standard Webhooks specification, and secret rotation.

Signed content is ``{webhook-id}.{webhook-timestamp}.{body}``; the signature is
``v1,`` + base64 of its HMAC-SHA256 under the endpoint's secret. A secret is shown as
``whsec_`` + base64 of 24 to 64 random bytes. The ``webhook-signature`` header is a
space-separated list: while a rotated-out secret is still in its overlap window, every
message is signed with the new and the old secret, so a receiver that knows either one
verifies it and the receiver can switch secrets without losing a message.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

PREFIX = "whsec_"
MIN_SECRET_BYTES = 24
MAX_SECRET_BYTES = 64
#: Printable ASCII without ``.`` (the separator of the signed content) or space.
_ID = re.compile(r"[!-\-/-~]+")


def generate_secret() -> str:
    """A new secret: ``whsec_`` + base64 of 32 random bytes."""
    return PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def secret_key(secret: str) -> bytes:
    """The key bytes of a ``whsec_…`` secret.

    Raises:
        ValueError: no ``whsec_`` prefix, not base64, or not 24 to 64 bytes.
    """
    if not secret.startswith(PREFIX):
        raise ValueError(f"a webhook secret starts with {PREFIX!r}")
    try:
        key = base64.b64decode(secret[len(PREFIX) :], validate=True)
    except binascii.Error as exc:
        raise ValueError(f"a webhook secret is base64 after {PREFIX!r}") from exc
    if not MIN_SECRET_BYTES <= len(key) <= MAX_SECRET_BYTES:
        raise ValueError(
            f"a webhook secret holds {MIN_SECRET_BYTES} to {MAX_SECRET_BYTES} bytes, not {len(key)}"
        )
    return key


@dataclass(frozen=True, slots=True)
class WebhookSecret:
    """One of an endpoint's secrets; a rotated-out one signs until ``expires_at``."""

    value: str
    expires_at: datetime | None = None

    def is_active(self, now: datetime) -> bool:
        return self.expires_at is None or now < self.expires_at


def rotate_secrets(
    current: Sequence[WebhookSecret], new: str, *, now: datetime, overlap: timedelta
) -> tuple[WebhookSecret, ...]:
    """An endpoint's secrets after rotating to ``new``: the new one first (no expiry),
    then each still-active old one, signing for ``overlap`` more at most; expired ones
    are dropped.

    Raises:
        ValueError: ``new`` is not a valid secret, or a negative overlap.
    """
    secret_key(new)
    if overlap < timedelta(0):
        raise ValueError("the overlap of a secret rotation cannot be negative")
    until = now + overlap
    kept = [
        replace(s, expires_at=until if s.expires_at is None else min(s.expires_at, until))
        for s in current
        if s.is_active(now) and s.value != new
    ]
    return (WebhookSecret(new), *[s for s in kept if s.is_active(now)])


class WebhookSigner:
    """Signs messages with every active secret of one endpoint."""

    def __init__(self, secrets: Sequence[WebhookSecret]) -> None:
        self._keys = [(s, secret_key(s.value)) for s in secrets]

    def signature(self, msg_id: str, timestamp: int, body: bytes, *, now: datetime) -> str:
        """The ``webhook-signature`` header value: ``v1,<base64>`` per active secret,
        space-separated, newest secret first.

        Raises:
            ValueError: the id is empty or holds ``.``, a space or a non-printable
                character (the signed content would be ambiguous), or no secret is active.
        """
        if not _ID.fullmatch(msg_id):
            raise ValueError("a webhook id is printable ASCII without '.' or spaces")
        content = f"{msg_id}.{timestamp}.".encode() + body
        signatures = [
            "v1," + base64.b64encode(hmac.digest(key, content, hashlib.sha256)).decode()
            for secret, key in self._keys
            if secret.is_active(now)
        ]
        if not signatures:
            raise ValueError("the endpoint has no active signing secret")
        return " ".join(signatures)
