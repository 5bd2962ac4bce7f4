"""Member input and output shapes."""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from datetime import date, datetime
from typing import Annotated, Any, NoReturn
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    WithJsonSchema,
    field_validator,
)
from pydantic_core import PydanticCustomError

from loyalist.members.models import Channel, Locale, PersonalField, PurposeKind, PushPlatform
from loyalist.settings import PROCESSOR_PATTERN

PHONE_PATTERN = r"^\+?[0-9][0-9 ()\-.]{5,24}$"
#: A consent purpose's code in a path or a body (``processing``, ``email``, ``transfer.smsru``).
PURPOSE_PATTERN = r"^[a-z][a-z0-9_]{0,31}(\.[a-z0-9][a-z0-9_-]{0,47})?$"

#: RFC 5322 ``atext`` besides letters and digits: what an unquoted part before the @-sign
#: may hold between dots.
_SYMBOLS = "!#$%&'*+/=?^_`{|}~-"
_LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
#: The common case in one match: an ASCII dot-atom, @, two or more host-name labels.
_ATOM = f"[A-Za-z0-9{_SYMBOLS}]+"
_PLAIN_ADDRESS = re.compile(rf"{_ATOM}(?:\.{_ATOM})*@(?:{_LABEL}\.)+{_LABEL}")
#: Special-use top-level domains (RFC 6761, 6762, 7686, and ``arpa``): nobody receives mail there.
_SPECIAL_USE = frozenset({"arpa", "invalid", "local", "localhost", "onion", "test"})
_MAX_ADDRESS = 254
#: Full stops that IDNA maps to ".": ideographic, full-width and half-width.
_FULL_STOPS = str.maketrans("\u3002\uff0e\uff61", "...")


def email_address(value: str) -> str:
    """The e-mail address in ``value``, syntax-checked without DNS or IDNA encoding.

    Returns the part before the @-sign as sent (NFC) and the domain in lower case and in
    Unicode (``xn--`` labels decoded); the members domain lower-cases the whole address for
    its blind index. ``Name <address>`` gives the address. The rule is in docs/decisions.md.

    Raises:
        PydanticCustomError: ``value_error`` saying what is wrong.
    """
    if "\n" in value or "\r" in value:
        _refuse("it may not contain a line break")
    address = value.strip()
    if _PLAIN_ADDRESS.fullmatch(address) and len(address) <= _MAX_ADDRESS:
        local, _, domain = address.rpartition("@")
        domain = domain.lower()
        if (
            domain[-1].isalpha()
            and "--" not in domain
            and domain.rpartition(".")[2] not in _SPECIAL_USE
        ):
            return f"{local}@{domain}"
    return _unusual_address(address)


def _unusual_address(address: str) -> str:
    """Everything the one-regex path leaves: display names, Unicode, Punycode, and the
    precise reason an address is refused."""
    if address.endswith(">") and "<" in address:
        address = address[address.rindex("<") + 1 : -1].strip()
    if len(address) > _MAX_ADDRESS:
        _refuse(f"it is longer than {_MAX_ADDRESS} characters")
    if "@" not in address:
        _refuse("it must have an @-sign")
    local, _, domain = address.rpartition("@")
    local = unicodedata.normalize("NFC", local)
    _check_local_part(local)
    if not domain:
        _refuse("there must be something after the @-sign")
    domain = unicodedata.normalize("NFKC", domain).translate(_FULL_STOPS).lower()
    labels = [_domain_label(label) for label in domain.split(".")]
    if len(labels) < 2:
        _refuse("the part after the @-sign needs a period")
    if not labels[-1][-1].isalpha():
        _refuse("the part after the @-sign does not end in a top-level domain")
    if labels[-1] in _SPECIAL_USE:
        _refuse(f"'.{labels[-1]}' is a special-use domain that cannot receive e-mail")
    return f"{local}@{'.'.join(labels)}"


def _check_local_part(local: str) -> None:
    if not local:
        _refuse("there must be something before the @-sign")
    if local.startswith(".") or local.endswith(".") or ".." in local:
        _refuse("the part before the @-sign cannot start or end with a period or have two in a row")
    for i, char in enumerate(local):
        if char.isascii():
            ok = char.isalnum() or char in _SYMBOLS or char == "."
        else:
            kind = unicodedata.category(char)[0]
            ok = kind in "LNPS" or (kind == "M" and i > 0)
        if not ok:
            _refuse(f"the part before the @-sign may not contain {_shown(char)}")


def _domain_label(label: str) -> str:
    """One label of the domain, lower case, with Punycode (``xn--``) decoded."""
    if not label:
        _refuse(
            "the part after the @-sign has an empty label (two periods in a row, or one at an end)"
        )
    if label.startswith("xn--"):
        try:
            decoded = label[4:].encode("ascii").decode("punycode").lower()
        except UnicodeError:
            decoded = ""
        if decoded.isascii():  # empty, or an A-label that does not stand for Unicode
            _refuse(f"the label {label!r} is not valid Punycode")
        label = decoded
    elif label[2:4] == "--":
        _refuse(f"the label {label!r} has '--' in positions 3–4, which is reserved for Punycode")
    if len(label) > 63:
        _refuse("a label after the @-sign is longer than 63 characters")
    if label.startswith("-") or label.endswith("-"):
        _refuse("a label after the @-sign cannot start or end with a hyphen")
    for i, char in enumerate(label):
        if char.isascii():
            ok = char == "-" or char.isalnum()
        else:
            kind = unicodedata.category(char)[0]
            ok = kind in "LN" or (kind == "M" and i > 0)
        if not ok:
            _refuse(f"the part after the @-sign may not contain {_shown(char)}")
    return label


def _shown(char: str) -> str:
    return repr(char) if char.isprintable() and not char.isspace() else f"U+{ord(char):04X}"


def _refuse(reason: str) -> NoReturn:
    raise PydanticCustomError(
        "value_error", "value is not a valid email address: {reason}", {"reason": reason}
    )


#: An e-mail address, checked by ``email_address``; OpenAPI shows ``format: email``.
Email = Annotated[
    str, AfterValidator(email_address), WithJsonSchema({"type": "string", "format": "email"})
]


AttributeKey = Annotated[str, StringConstraints(pattern=r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")]
AttributeValue = Annotated[str, StringConstraints(max_length=500)] | bool | int | float | None


class MemberProfile(BaseModel):
    """Profile fields; on update only the fields present are changed (``null`` clears one)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "email": "anna.petrova@example.com",
                    "phone": "+7 912 345-67-89",
                    "first_name": "Anna",
                    "last_name": "Petrova",
                    "birthday": "1990-04-01",
                    "locale": "ru",
                    "timezone": "Europe/Moscow",
                }
            ]
        },
        extra="forbid",
    )

    email: Email | None = None
    phone: str | None = Field(default=None, pattern=PHONE_PATTERN)
    first_name: str | None = Field(default=None, max_length=200)
    last_name: str | None = Field(default=None, max_length=200)
    birthday: date | None = None
    locale: Locale | None = None
    timezone: str | None = Field(default=None, max_length=64)
    consents: dict[Channel, bool] | None = None
    attributes: dict[AttributeKey, AttributeValue] | None = Field(
        default=None,
        max_length=100,
        description="The shop's own member attributes; rules read them as `member.attributes`. "
        "On update the keys sent replace the stored ones; `null` for a key removes it.",
    )

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value


class ConsentRead(BaseModel):
    channel: Channel
    is_granted: bool
    changed_at: datetime
    source: str


def canonical_ip(value: str) -> str:
    """One written form per address, so equal addresses hash alike: compressed, and
    ``::ffff:a.b.c.d`` as the IPv4 address ``a.b.c.d``."""
    try:
        ip = ipaddress.ip_address(value.strip())
    except ValueError:
        raise ValueError(f"{value!r} is not an IPv4 or IPv6 address") from None
    return (getattr(ip, "ipv4_mapped", None) or ip).compressed


PurposeCode = Annotated[str, StringConstraints(pattern=PURPOSE_PATTERN)]
Sha256 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]


class TextShown(BaseModel):
    """The consent text the member was shown: its version (and language; the member's
    when left out). ``sha256``, when sent, must be the digest of that version: proof the
    shop showed the text it was published with."""

    model_config = ConfigDict(extra="forbid")

    version: int = Field(ge=1, le=2**31 - 1)
    locale: Locale | None = None
    sha256: Sha256 | None = None


class ConsentUpdate(BaseModel):
    """A grant or withdrawal with its evidence: where it was given (``source``: ``api``,
    ``checkout``, ``portal``…), the member's IP address when known, and the text they saw."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "is_granted": True,
                    "source": "checkout",
                    "ip": "203.0.113.7",
                    "text": {"version": 2, "locale": "ru"},
                }
            ]
        },
    )

    is_granted: bool
    source: str = Field(default="api", min_length=1, max_length=64)
    ip: str | None = Field(
        default=None, max_length=64, description="the member's IP address (not the caller's)"
    )
    text: TextShown | None = None

    @field_validator("ip")
    @classmethod
    def _ip_address(cls, value: str | None) -> str | None:
        return None if value is None else canonical_ip(value)


class TextRef(BaseModel):
    """The consent text a grant or withdrawal was made on."""

    locale: Locale
    version: int
    sha256: str


class PurposeConsentRead(BaseModel):
    """A member's current consent for one purpose and the evidence of the change that set
    it (all None when the member never gave or withdrew it: not granted)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "purpose": "processing",
                    "kind": "processing",
                    "channel": None,
                    "processor": None,
                    "is_granted": True,
                    "changed_at": "2026-01-15T12:05:00Z",
                    "source": "checkout",
                    "ip": "198.51.100.4",
                    "text": {
                        "locale": "ru",
                        "version": 1,
                        "sha256": "95b9cbcff71a49ab…",
                    },
                }
            ]
        }
    )

    purpose: str
    kind: PurposeKind
    channel: Channel | None
    processor: str | None
    is_granted: bool
    changed_at: datetime | None
    source: str | None
    ip: str | None
    text: TextRef | None


class ConsentChangeRead(BaseModel):
    """One grant or withdrawal in the consent trail, with its evidence."""

    purpose: str
    is_granted: bool
    changed_at: datetime
    source: str
    ip: str | None
    text: TextRef | None


#: A consent given through the API, as a member's purposes and history show it.
_CONSENT_GIVEN_EXAMPLE: dict[str, Any] = {
    "is_granted": True,
    "changed_at": "2026-01-16T12:00:00Z",
    "source": "api",
    "ip": None,
    "text": {"locale": "en", "version": 2, "sha256": "5bbb995ab7c7c7bd…"},
}


class MemberConsentsRead(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "member_id": "M1",
                    "purposes": [
                        {
                            "purpose": "processing",
                            "kind": "processing",
                            "channel": None,
                            "processor": None,
                            **_CONSENT_GIVEN_EXAMPLE,
                        }
                    ],
                    "history": [
                        {
                            "purpose": "processing",
                            **_CONSENT_GIVEN_EXAMPLE,
                        }
                    ],
                }
            ]
        }
    )

    member_id: str
    purposes: list[PurposeConsentRead]
    history: list[ConsentChangeRead] = Field(
        description="the consent trail, newest first (by when each change happened; at the "
        "same time, the later recorded first)"
    )


class ConsentTextIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "purpose": "processing",
                    "locale": "ru",
                    "text": "Я даю согласие на обработку моих персональных данных…",
                }
            ]
        },
    )

    purpose: PurposeCode
    locale: Locale
    text: str = Field(min_length=1, max_length=20_000)


class ConsentTextRead(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "purpose": "processing",
                    "locale": "ru",
                    "version": 2,
                    "text": "Я даю согласие ООО «Магазин» на обработку моих персональных данных.",
                    "sha256": "9094a9c368171744…",
                    "published_at": "2026-02-14T12:00:00Z",
                    "published_by": "shop admin",
                }
            ]
        }
    )

    purpose: str
    locale: Locale
    version: int
    text: str
    sha256: str = Field(description="SHA-256 (hex) of the text's UTF-8 bytes")
    published_at: datetime
    published_by: str | None


class PurposeIn(BaseModel):
    """A transfer purpose: consent to hand personal data to a named processor (its code
    becomes ``transfer.<processor>``)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"processor": "smsru", "title": "SMS.ru, SMS gateway"}]},
    )

    processor: str = Field(pattern=PROCESSOR_PATTERN)
    title: str = Field(min_length=1, max_length=200)


class PurposeRead(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "code": "processing",
                    "kind": "processing",
                    "channel": None,
                    "processor": None,
                    "title": "Processing of personal data",
                    "is_builtin": True,
                }
            ]
        }
    )

    code: str
    kind: PurposeKind
    channel: Channel | None
    processor: str | None
    title: str
    is_builtin: bool


class MemberRead(BaseModel):
    """A member. Staff without the ``members.read_pii`` permission get e-mail, phone, last
    name and birthday masked (``a***@e***.ru``, ``+7*******12``, ``Ф.``, ``--05``: the
    month only) and the masked fields named in ``masked``; ``POST
    /api/v1/members/{id}/reveal`` shows one field in full, audited."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "M1",
                    "email": None,
                    "phone": "+14155550100",
                    "first_name": None,
                    "last_name": None,
                    "birthday": None,
                    "locale": "en",
                    "timezone": None,
                    "enrolled_at": None,
                    "created_at": "2026-01-15T12:00:00Z",
                    "updated_at": "2026-01-15T12:00:00Z",
                    "consents": [
                        {
                            "channel": "email",
                            "is_granted": True,
                            "changed_at": "2026-01-15T12:00:00Z",
                            "source": "api",
                        }
                    ],
                    "attributes": {},
                    "segments": [],
                    "erased_at": None,
                    "masked": [],
                }
            ]
        }
    )

    id: str
    email: str | None
    phone: str | None
    first_name: str | None
    last_name: str | None
    birthday: date | str | None = Field(
        description="the date, or `--MM` (the month only) when masked"
    )
    locale: Locale
    timezone: str | None
    enrolled_at: datetime | None
    created_at: datetime
    updated_at: datetime
    consents: list[ConsentRead]
    attributes: dict[str, Any]
    segments: list[str]
    erased_at: datetime | None = Field(
        default=None,
        description="set when the member's personal data was erased: the member is then an "
        "opaque shell keeping the books, without personal data",
    )
    masked: list[str] = Field(
        default_factory=list, description="the fields shown masked (empty: none)"
    )


#: One member as a caller without ``members.read_pii`` sees it (the examples of the
#: member list).
MEMBER_EXAMPLE: dict[str, Any] = {
    "id": "cust-1043",
    "email": "a***@e***.ru",
    "phone": None,
    "first_name": "Anna",
    "last_name": "S.",
    "birthday": "--05",
    "locale": "ru",
    "timezone": "Europe/Moscow",
    "enrolled_at": "2026-03-02T10:15:00Z",
    "created_at": "2026-03-02T10:15:00Z",
    "updated_at": "2026-11-30T08:00:00Z",
    "consents": [],
    "attributes": {},
    "segments": ["at_risk"],
    "erased_at": None,
    "masked": ["email", "last_name", "birthday"],
}
MEMBER_PAGE_EXAMPLE: dict[str, Any] = {"items": [MEMBER_EXAMPLE], "next_after": "cust-1043"}


class MemberPage(BaseModel):
    """A page of members (``GET /api/v1/members?segment=…``), by the shop's member id."""

    model_config = ConfigDict(json_schema_extra={"examples": [MEMBER_PAGE_EXAMPLE]})

    items: list[MemberRead]
    next_after: str | None = Field(
        description="pass as `after` for the next page; null on the last page"
    )


class DeviceIn(BaseModel):
    """A device that takes push messages: the token its push service gave the app (FCM's
    registration token, RuStore's push token) and that service."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"token": "bk3RNwTe3H0:CI2k_HHwgIpoDKCIZvvDMExUdFQ3P1", "platform": "fcm"}]
        },
    )

    token: str = Field(min_length=1, max_length=4096, pattern=r"^[\x21-\x7e]+$")
    platform: PushPlatform


class DeviceRead(BaseModel):
    """A registered device (its token is never shown again)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "dev_ca3507a1cfd69bd80d05",
                    "platform": "rustore",
                    "registered_at": "2026-01-15T12:02:00Z",
                }
            ]
        }
    )

    id: str
    platform: PushPlatform
    registered_at: datetime


class RevealIn(BaseModel):
    """Which one personal field to show in full, and why (kept in the audit trail)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"field": "phone", "reason": "ticket 4812: call back"}]},
    )

    field: PersonalField
    reason: str = Field(min_length=3, max_length=500)

    @field_validator("reason")
    @classmethod
    def _said(cls, value: str) -> str:
        if len(value.strip()) < 3:
            raise ValueError("say why, in at least 3 characters")
        return value.strip()


class RevealRead(BaseModel):
    """One personal field in full (``null``: the member has none)."""

    member_id: str
    field: PersonalField
    value: str | None
