"""The consent registry: purposes, versioned consent texts, and members' consents with the
evidence of every grant and withdrawal (when, where from, the member's IP address, the text
they were shown).

Marketing consent per channel is the purpose whose code is the channel (``email``, ``sms``,
``push``): one store, read by the send-time check. Every input records through ``record``
— the API, member events and imports, the unsubscribe link, the preference centre, SMS
STOP — so each leaves the same trail (``member_consent_changes``) with what it knows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from loyalist.audit import service as audit
from loyalist.audit.models import Actor
from loyalist.db.crypto import Field, MemberCipher
from loyalist.db.uow import UnitOfWork
from loyalist.errors import FieldError
from loyalist.members import keys, policy, repository
from loyalist.members.errors import (
    ConsentPurposeExistsError,
    ConsentPurposeNotFoundError,
    ConsentTextMismatchError,
    ConsentTextNotFoundError,
)
from loyalist.members.models import (
    CONSENT_CHANGE_IP,
    CONSENT_IP,
    Consent,
    ConsentChange,
    ConsentPurpose,
    ConsentText,
    Locale,
    Member,
    PurposeKind,
)
from loyalist.members.schemas import (
    ConsentChangeRead,
    ConsentTextIn,
    ConsentTextRead,
    ConsentUpdate,
    MemberConsentsRead,
    PurposeConsentRead,
    PurposeIn,
    PurposeRead,
    TextRef,
    TextShown,
)


@dataclass(frozen=True, slots=True)
class Evidence:
    """What is known of a grant or withdrawal: where it came from, when (None: now), the
    member's IP address and the consent text they were shown, when known."""

    source: str
    changed_at: datetime | None = None
    ip: str | None = None
    text: TextRef | None = None


@dataclass(frozen=True, slots=True)
class Choice:
    """A member's grant (``is_granted``) or withdrawal of consent for one purpose."""

    member_id: int
    purpose: str
    is_granted: bool
    evidence: Evidence


def record(uow: UnitOfWork, choices: Sequence[Choice]) -> None:
    """Record grants and withdrawals in order, in bulk.

    A choice is recorded in the trail when it is news (``policy.is_news``: a different
    value, or a grant on another text) and becomes the current consent unless it is older
    than the one held (``policy.takes_effect``). A time after the unit's ``now`` is taken
    as ``now``. The members' rows are locked first: a member's changes are numbered
    (``seq``) one after another. An IP address is sealed under the member's data key (made
    where missing), like the member's other personal fields.
    """
    if not choices:
        return
    member_ids = {c.member_id for c in choices}
    keys.lock(uow, member_ids)
    sealing = keys.ciphers(uow, {c.member_id for c in choices if c.evidence.ip}, create=True)
    held = repository.held_consents(uow.session, member_ids)
    stored = set(held)
    seqs = repository.last_seqs(uow.session, member_ids)
    trail: list[dict[str, object]] = []
    current: dict[tuple[int, str], dict[str, object]] = {}
    for choice in choices:
        key = (choice.member_id, choice.purpose)
        evidence = choice.evidence
        text = evidence.text
        if not policy.is_news(held.get(key), choice.is_granted, text.sha256 if text else None):
            continue
        at = min(evidence.changed_at or uow.now, uow.now)
        seqs[choice.member_id] = seq = seqs.get(choice.member_id, 0) + 1
        row: dict[str, object] = {
            "member_id": choice.member_id,
            "purpose": choice.purpose,
            "is_granted": choice.is_granted,
            "changed_at": at,
            "source": evidence.source[:64],
            "ip": _seal(sealing, choice.member_id, CONSENT_IP, evidence.ip),
            "text_locale": text.locale.value if text else None,
            "text_version": text.version if text else None,
            "text_sha256": text.sha256 if text else None,
        }
        trail.append(
            {
                **row,
                "ip": _seal(sealing, choice.member_id, CONSENT_CHANGE_IP, evidence.ip),
                "id": repository.new_change_id(),
                "seq": seq,
            }
        )
        if policy.takes_effect(held.get(key), at):
            current[key] = row
            held[key] = policy.Held(choice.is_granted, at, text.sha256 if text else None)
    repository.write_consents(
        uow.session,
        [row for key, row in current.items() if key not in stored],
        [row for key, row in current.items() if key in stored],
        trail,
    )


def _seal(
    sealing: dict[int, MemberCipher], member_id: int, field: Field, ip: str | None
) -> str | None:
    return None if ip is None else sealing[member_id].seal(field, ip)


# -- purposes -------------------------------------------------------------------------------
def transfer_purpose(processor: str) -> str:
    """The code of the purpose "transfer of personal data to ``processor``"."""
    return f"transfer.{processor}"


def _purpose(row: ConsentPurpose) -> policy.Purpose:
    return policy.Purpose(row.code, PurposeKind(row.kind), row.title, processor=row.processor)


def _purpose_read(purpose: policy.Purpose) -> PurposeRead:
    return PurposeRead(
        code=purpose.code,
        kind=purpose.kind,
        channel=purpose.channel,
        processor=purpose.processor,
        title=purpose.title,
        is_builtin=purpose.code in policy.BUILTIN_PURPOSES,
    )


def _all_purposes(uow: UnitOfWork) -> list[policy.Purpose]:
    stored = [_purpose(row) for row in repository.stored_purposes(uow.session)]
    return [*policy.BUILTIN_PURPOSES.values(), *stored]


def list_purposes(uow: UnitOfWork) -> list[PurposeRead]:
    """The built-in purposes (processing, marketing per channel), then the added ones by
    code."""
    return [_purpose_read(p) for p in _all_purposes(uow)]


def get_purpose(uow: UnitOfWork, code: str, *, pointer: str | None = None) -> policy.Purpose:
    """Raises:
    ConsentPurposeNotFoundError: no purpose has this code (``pointer``: where it was named).
    """
    found = policy.BUILTIN_PURPOSES.get(code)
    if found is not None:
        return found
    row = repository.find_purpose(uow.session, code)
    if row is None:
        raise ConsentPurposeNotFoundError(
            f"there is no consent purpose {code!r}",
            errors=[FieldError(pointer, "unknown purpose")] if pointer else None,
        )
    return _purpose(row)


def add_purpose(uow: UnitOfWork, body: PurposeIn, *, actor: Actor) -> PurposeRead:
    """Add the purpose "transfer to ``body.processor``" (``transfer.<processor>``) and
    audit it (``consent_purpose.created``).

    Raises:
        ConsentPurposeExistsError: it exists already.
    """
    code = transfer_purpose(body.processor)
    if repository.find_purpose(uow.session, code) is not None:
        raise ConsentPurposeExistsError(
            f"the consent purpose {code!r} exists already",
            errors=[FieldError("/processor", "exists already")],
        )
    row = ConsentPurpose(
        code=code,
        kind=PurposeKind.TRANSFER.value,
        processor=body.processor,
        title=body.title,
        created_at=uow.now,
    )
    repository.add_purpose(uow.session, row)
    audit.record(
        uow,
        actor,
        "consent_purpose.created",
        target_type="consent_purpose",
        target_id=code,
        after={"kind": row.kind, "processor": row.processor, "title": row.title},
    )
    return _purpose_read(_purpose(row))


# -- texts ----------------------------------------------------------------------------------
def _text_read(row: ConsentText) -> ConsentTextRead:
    return ConsentTextRead(
        purpose=row.purpose,
        locale=Locale(row.locale),
        version=row.version,
        text=row.text,
        sha256=row.sha256,
        published_at=row.published_at,
        published_by=row.published_by,
    )


def publish_text(
    uow: UnitOfWork, body: ConsentTextIn, *, actor: Actor
) -> tuple[ConsentTextRead, bool]:
    """Publish a new version of a purpose's consent text in one language (version 1, then
    one more than the newest) with its SHA-256, and audit it (``consent_text.published``).
    A text equal to the newest version is that version (returned, nothing written).
    Returns the version and whether it is new. Published versions are never changed.

    Raises:
        ConsentPurposeNotFoundError: no purpose has the body's code.
    """
    get_purpose(uow, body.purpose, pointer="/purpose")
    repository.lock_texts(uow.session, body.purpose, body.locale.value)
    latest = repository.latest_text(uow.session, body.purpose, body.locale.value)
    if latest is not None and latest.text == body.text:
        return _text_read(latest), False
    row = ConsentText(
        purpose=body.purpose,
        locale=body.locale.value,
        version=(latest.version if latest else 0) + 1,
        text=body.text,
        sha256=policy.text_digest(body.text),
        published_at=uow.now,
        published_by=actor.label,
    )
    repository.add_text(uow.session, row)
    audit.record(
        uow,
        actor,
        "consent_text.published",
        target_type="consent_text",
        target_id=f"{row.purpose}/{row.locale}/{row.version}",
        after={"sha256": row.sha256},
    )
    return _text_read(row), True


def list_texts(
    uow: UnitOfWork, purpose: str | None = None, locale: Locale | None = None
) -> list[ConsentTextRead]:
    """Every published version (of ``purpose`` and ``locale``, when given), by purpose and
    language, newest version first."""
    return [
        _text_read(row)
        for row in repository.texts(uow.session, purpose, locale.value if locale else None)
    ]


def current_texts(
    uow: UnitOfWork, purposes: Iterable[str], locale: str
) -> dict[str, ConsentTextRead]:
    """The newest text of each purpose in ``locale`` (purposes without one left out)."""
    found = {p: repository.latest_text(uow.session, p, locale) for p in purposes}
    return {p: _text_read(row) for p, row in found.items() if row is not None}


def text_shown(
    uow: UnitOfWork, purpose: str, shown: TextShown, member_locale: str, *, pointer: str = "/text"
) -> TextRef:
    """The published text a member was shown (in ``shown.locale``, else the member's).

    Raises:
        ConsentTextNotFoundError: the purpose has no such version in that language.
        ConsentTextMismatchError: ``shown.sha256`` is not that version's digest.
    """
    locale = shown.locale.value if shown.locale else member_locale
    found = repository.find_text(uow.session, purpose, locale, shown.version)
    if found is None:
        raise ConsentTextNotFoundError(
            f"{purpose!r} has no consent text version {shown.version} in {locale!r}",
            errors=[FieldError(f"{pointer}/version", "not published")],
        )
    if shown.sha256 is not None and shown.sha256 != found.sha256:
        raise ConsentTextMismatchError(
            f"version {shown.version} of {purpose!r} ({locale}) has another SHA-256: "
            f"{found.sha256}",
            errors=[FieldError(f"{pointer}/sha256", "not this version's digest")],
        )
    return TextRef(locale=Locale(locale), version=found.version, sha256=found.sha256)


# -- a member's consents --------------------------------------------------------------------
def _text_ref(row: Consent | ConsentChange) -> TextRef | None:
    if row.text_locale is None or row.text_version is None or row.text_sha256 is None:
        return None
    return TextRef(locale=Locale(row.text_locale), version=row.text_version, sha256=row.text_sha256)


def _state(
    purpose: policy.Purpose, row: Consent | None, cipher: MemberCipher
) -> PurposeConsentRead:
    return PurposeConsentRead(
        purpose=purpose.code,
        kind=purpose.kind,
        channel=purpose.channel,
        processor=purpose.processor,
        is_granted=row.is_granted if row else False,
        changed_at=row.changed_at if row else None,
        source=row.source if row else None,
        ip=cipher.open(CONSENT_IP, row.ip) if row else None,
        text=_text_ref(row) if row else None,
    )


def consent_state(uow: UnitOfWork, member_id: int, purpose: policy.Purpose) -> PurposeConsentRead:
    """The member's current consent for one purpose, with its evidence."""
    held = {c.purpose: c for c in repository.consents_of(uow.session, member_id)}
    cipher = keys.ciphers(uow, [member_id])[member_id]
    return _state(purpose, held.get(purpose.code), cipher)


def change_consent(
    uow: UnitOfWork, member: Member, code: str, body: ConsentUpdate
) -> PurposeConsentRead:
    """Grant or withdraw the member's consent for a purpose with the body's evidence (its
    text in the member's language unless it names one); saying again what is held records
    nothing. Returns the purpose's current consent.

    Raises:
        ConsentPurposeNotFoundError: no purpose has this code.
        ConsentTextNotFoundError, ConsentTextMismatchError: the text named is not published.
    """
    purpose = get_purpose(uow, code)
    text = text_shown(uow, code, body.text, member.locale) if body.text else None
    evidence = Evidence(body.source, ip=body.ip, text=text)
    record(uow, [Choice(member.id, code, body.is_granted, evidence)])
    return consent_state(uow, member.id, purpose)


def member_consents(
    uow: UnitOfWork, member_id: int, external_id: str, *, limit: int = 100
) -> MemberConsentsRead:
    """The member's consent for every purpose (one never given or withdrawn: not granted,
    no evidence) and the newest ``limit`` changes of the trail."""
    held = {c.purpose: c for c in repository.consents_of(uow.session, member_id)}
    cipher = keys.ciphers(uow, [member_id])[member_id]
    return MemberConsentsRead(
        member_id=external_id,
        purposes=[_state(p, held.get(p.code), cipher) for p in _all_purposes(uow)],
        history=[
            ConsentChangeRead(
                purpose=row.purpose,
                is_granted=row.is_granted,
                changed_at=row.changed_at,
                source=row.source,
                ip=cipher.open(CONSENT_CHANGE_IP, row.ip),
                text=_text_ref(row),
            )
            for row in repository.consent_changes(uow.session, member_id, limit)
        ],
    )
