"""Pure decisions of members: normalising contact details before they are indexed, and the
consent registry's rules (built-in purposes, text digests, which change is recorded and
which one sets the current consent)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from loyalist.members.models import Channel, PurposeKind

_NON_DIGITS = re.compile(r"[^0-9]")


def normalize_email(email: str) -> str:
    return email.strip().lower()


def normalize_phone(phone: str) -> str:
    """Digits only, with ``+`` kept when the number was given in international form.

    No region is known, so ``8 912 …`` and ``+7 912 …`` stay different numbers: shops
    should send E.164 (documented in docs/decisions.md).
    """
    stripped = phone.strip()
    digits = _NON_DIGITS.sub("", stripped)
    return f"+{digits}" if stripped.startswith("+") else digits


# -- consent registry ------------------------------------------------------------------------
#: The base consent to process personal data (152-FZ art. 9).
PROCESSING: Final = "processing"


@dataclass(frozen=True, slots=True)
class Purpose:
    """What a consent is for: a code, its kind, the channel (marketing) or processor
    (transfer) it names, and a title for staff."""

    code: str
    kind: PurposeKind
    title: str
    channel: Channel | None = None
    processor: str | None = None


#: The purposes every installation has. A marketing purpose's code is its channel, so the
#: channel consents recorded before the registry existed are its consents unchanged.
BUILTIN_PURPOSES: Final = {
    p.code: p
    for p in (
        Purpose(PROCESSING, PurposeKind.PROCESSING, "Processing of personal data"),
        Purpose("email", PurposeKind.MARKETING, "Marketing by email", channel=Channel.EMAIL),
        Purpose("sms", PurposeKind.MARKETING, "Marketing by SMS", channel=Channel.SMS),
        Purpose(
            "push", PurposeKind.MARKETING, "Marketing by push notification", channel=Channel.PUSH
        ),
    )
}


def text_digest(text: str) -> str:
    """The SHA-256 (hex) of a consent text's UTF-8 bytes, exactly as published."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class Held:
    """A member's current consent for one purpose: its value, when it was given or
    withdrawn, and the digest of the text it was given on (None: no text recorded)."""

    is_granted: bool
    changed_at: datetime
    text_sha256: str | None = None


def is_news(held: Held | None, is_granted: bool, text_sha256: str | None) -> bool:
    """Whether a change is recorded in the trail: it sets a value the member does not hold,
    or grants again on a text other than the one held (consent to a new version). Saying
    the same thing again (an import repeating a profile, a second unsubscribe) is not."""
    if held is None or held.is_granted != is_granted:
        return True
    return is_granted and text_sha256 is not None and text_sha256 != held.text_sha256


def takes_effect(held: Held | None, changed_at: datetime) -> bool:
    """Whether a recorded change becomes the current consent: it is not older than the one
    held (the newest by its time wins; at the same time, the later recorded). An older fact
    arriving late — an import of last year's sign-up after this week's unsubscribe — is
    kept in the trail and changes nothing."""
    return held is None or changed_at >= held.changed_at
