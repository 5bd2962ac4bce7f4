"""Pure decisions of members: normalising contact details before they are indexed, masking
personal data for staff who may not see it, and the consent registry's rules (built-in
purposes, text digests, which change is recorded and which one sets the current consent)."""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Final

import phonenumbers
from pydantic_core import PydanticCustomError

from loyalist.members.models import Channel, LookupKey, PurposeKind
from loyalist.members.schemas import PHONE_PATTERN, MemberRead, email_address

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


# -- exact lookup: what staff may find a member by ------------------------------------------
_PHONE = re.compile(PHONE_PATTERN)
#: As long as the column (``members.external_id``).
_MAX_MEMBER_ID = 128


def lookup_value(key: LookupKey, value: str) -> str:
    """``value`` as it is looked up by ``key``: a member id as given, an e-mail address
    checked and in the form the profile stores it (the index lower-cases it), a phone number
    checked (the index keeps its digits). Only whole values are looked up, never a part.

    Raises:
        ValueError: saying why ``value`` is no member id, e-mail address or phone number.
    """
    if key is LookupKey.MEMBER_ID:
        if not value or len(value) > _MAX_MEMBER_ID:
            raise ValueError(f"a member id has 1 to {_MAX_MEMBER_ID} characters")
        return value
    if key is LookupKey.EMAIL:
        try:
            return email_address(value)
        except PydanticCustomError as exc:
            raise ValueError(exc.message()) from None
    if not _PHONE.fullmatch(value.strip()):
        raise ValueError(
            "not a phone number: 6 to 25 digits with an optional leading +, spaces, (), - or ."
        )
    return value.strip()


# -- masking: what staff without the personal-data permission see ------------------------
#: Stands for every hidden character.
_HIDDEN = "*"
_FIELDS_MASKED = ("email", "phone", "last_name", "birthday")


def _lead(text: str) -> str:
    """The first character of ``text`` with the combining marks that belong to it."""
    end = 1
    while end < len(text) and unicodedata.combining(text[end]):
        end += 1
    return text[:end]


def mask_email(email: str) -> str:
    """``a***@e***.ru``: the first character of the part before the @-sign, the first of
    the domain's first label, and the top-level domain. Never the input (both parts are
    cut to one character and three stars)."""
    local, at, domain = email.strip().rpartition("@")
    if not at or not local or not domain:
        return f"{_HIDDEN * 3}"
    labels = domain.split(".")
    tld = f".{labels[-1]}" if len(labels) > 1 else ""
    return f"{_lead(local)}{_HIDDEN * 3}@{_lead(labels[0])}{_HIDDEN * 3}{tld}"


def mask_phone(phone: str) -> str:
    """``+7*******12``: the country calling code (of a number in international form) and
    the last two digits; every other digit a star, separators dropped. A number of four
    digits or fewer shows none of them."""
    number = normalize_phone(phone)
    digits = number.lstrip("+")
    if len(digits) <= 4:
        return ("+" if number.startswith("+") else "") + _HIDDEN * len(digits)
    country = ""
    if number.startswith("+"):
        with contextlib.suppress(phonenumbers.NumberParseException):
            country = str(phonenumbers.parse(number, None).country_code or "")
        if not digits.startswith(country) or len(digits) - len(country) <= 4:
            country = ""
    hidden = len(digits) - len(country) - 2
    plus = "+" if number.startswith("+") else ""
    return f"{plus}{country}{_HIDDEN * hidden}{digits[-2:]}"


def mask_last_name(last_name: str) -> str:
    """``Ф.``: the initial of the last name (the first name is shown in full)."""
    name = last_name.strip()
    return f"{_lead(name)}." if name else ""


def mask_birthday(born: date | str) -> str:
    """``--05``: the month only, in ISO 8601's form for a month without a year or day."""
    month = born.month if isinstance(born, date) else int(str(born)[5:7])
    return f"--{month:02d}"


def mask_code(code: str) -> str:
    """A coupon or referral code with its middle hidden: the first two and last two
    characters of a code of eight or more, the first of a shorter one, stars between."""
    if len(code) >= 8:
        return f"{code[:2]}{_HIDDEN * (len(code) - 4)}{code[-2:]}"
    return f"{code[:1]}{_HIDDEN * max(len(code) - 1, 1)}"


def mask_member(member: MemberRead) -> MemberRead:
    """The member as staff without ``members.read_pii`` see them: e-mail, phone, last name
    and birthday masked (the first name in full, so they can greet the customer)."""
    return member.model_copy(
        update={
            "email": None if member.email is None else mask_email(member.email),
            "phone": None if member.phone is None else mask_phone(member.phone),
            "last_name": None if member.last_name is None else mask_last_name(member.last_name),
            "birthday": None if member.birthday is None else mask_birthday(member.birthday),
            "masked": [f for f in _FIELDS_MASKED if getattr(member, f) is not None],
        }
    )


def mask_text(text: str, secrets: Iterable[str]) -> str:
    """``text`` with every occurrence of each of ``secrets`` (the member's raw e-mail,
    phone, names: case-insensitive) replaced by stars: message content addressed to a
    member, shown to staff who may not see their personal data."""
    found = sorted({s for s in secrets if len(s.strip()) >= 2}, key=len, reverse=True)
    if not found:
        return text
    pattern = re.compile("|".join(re.escape(s) for s in found), re.IGNORECASE)
    return pattern.sub(lambda m: _HIDDEN * len(m.group(0)), text)


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


def hash_share(text: str) -> float:
    """A stable, uniform number in [0, 1) for ``text`` (the first 8 bytes of its SHA-256):
    the same on every run, machine and database, so assignments by it never move."""
    digest = hashlib.sha256(text.encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def in_global_holdout(member_id: int, percent: Decimal) -> bool:
    """Whether the member is in the program's global holdout (enrolled, never sent
    marketing): ``percent`` of members, chosen by a stable hash of their id."""
    return percent > 0 and hash_share(f"holdout:{member_id}") * 100 < percent


# -- the portal: member sessions and the shop's signed links -------------------------------
#: How often a member session's ``last_seen_at`` is written: the idle timeout is exact to this.
SESSION_SEEN_EVERY = timedelta(minutes=1)


def session_ended(
    now: datetime, *, last_seen_at: datetime, expires_at: datetime, idle: timedelta
) -> bool:
    """A session ends at its absolute expiry or after ``idle`` without a request."""
    return now >= expires_at or now - last_seen_at >= idle


def link_signature(secret: str, member: str, expires: int) -> str:
    """The signature of the shop's link for ``member`` until ``expires`` (Unix seconds):
    hex HMAC-SHA256 under ``secret`` of ``"<member>:<expires>"`` (the expiry is digits
    only, so the text splits one way)."""
    return hmac.new(secret.encode(), f"{member}:{expires}".encode(), hashlib.sha256).hexdigest()


class LinkProblem(StrEnum):
    """Why a signed link is refused."""

    NOT_CONFIGURED = "not_configured"
    MALFORMED = "malformed"
    EXPIRED = "expired"
    TOO_LONG = "too_long"
    BAD_SIGNATURE = "bad_signature"


def check_link(
    secret: str,
    member: str,
    expires: str,
    signature: str,
    *,
    now: datetime,
    longest: timedelta,
) -> LinkProblem | None:
    """None when the link is the shop's and still valid; else what is wrong with it. The
    signature is compared in constant time; an expiry further ahead than ``longest`` is
    refused (a leaked link must not work for ever)."""
    if not secret:
        return LinkProblem.NOT_CONFIGURED
    if not member or len(member) > 128 or not expires.isdigit() or len(expires) > 12:
        return LinkProblem.MALFORMED
    expected = link_signature(secret, member, int(expires))
    if not hmac.compare_digest(expected.encode(), signature.strip().lower().encode()):
        return LinkProblem.BAD_SIGNATURE
    until = datetime.fromtimestamp(int(expires), tz=UTC)
    if until <= now:
        return LinkProblem.EXPIRED
    if until - now > longest:
        return LinkProblem.TOO_LONG
    return None
