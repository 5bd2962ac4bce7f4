"""Member use cases: enrol or update, look up, record consent (``consents`` holds the
registry's own), and the members' data keys (personal fields are sealed under each
member's own key: see ``members.keys``)."""

from __future__ import annotations

import secrets
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from loyalist.audit import service as audit
from loyalist.audit.models import Actor
from loyalist.db.crypto import Field, MemberCipher, active_keyring
from loyalist.db.raw import Cursor
from loyalist.db.uow import UnitOfWork
from loyalist.errors import FieldError
from loyalist.members import keys, policy, repository
from loyalist.members.consents import Choice, Evidence, record
from loyalist.members.errors import (
    DeviceNotFoundError,
    LookupInvalidError,
    MemberErasedError,
    MemberNotFoundError,
)
from loyalist.members.models import (
    BIRTHDAY,
    DEVICE_TOKEN,
    EMAIL,
    ERASED_FIELDS,
    FIRST_NAME,
    LAST_NAME,
    PHONE,
    PROFILE_FIELDS,
    Channel,
    ConsentChange,
    Device,
    Locale,
    LookupKey,
    Member,
    PersonalField,
    PushPlatform,
)
from loyalist.members.policy import normalize_email, normalize_phone
from loyalist.members.schemas import (
    ConsentRead,
    DeviceIn,
    DeviceRead,
    MemberProfile,
    MemberRead,
    RevealIn,
    RevealRead,
    TextRef,
)

#: The marketing purposes: a channel's code is its purpose's.
_CHANNELS = frozenset(c.value for c in Channel)


def email_index(email: str) -> str:
    return active_keyring().blind_index(normalize_email(email), "email")


def phone_index(phone: str) -> str:
    return active_keyring().blind_index(normalize_phone(phone), "phone")


def device_index(token: str) -> str:
    return active_keyring().blind_index(token, "device")


def birthday_index(birthday: date) -> str:
    """Blind index of the month and day only: the birthday job finds today's members
    without decrypting every birthday, and the index does not reveal the date."""
    return active_keyring().blind_index(birthday.strftime("%m-%d"), "birthday")


def ciphers(
    uow: UnitOfWork, member_ids: Iterable[int], *, create: bool = False
) -> dict[int, MemberCipher]:
    """Each member's cipher, to seal and open their personal values (messages' content,
    free text of their events); ``create`` makes a data key for members without one. A
    member without a key (none yet, or erased) gets an empty cipher: what was sealed under
    a member key opens to None.

    Raises:
        MasterKeyMissingError: a key is wrapped by a master key that is not in the keyring.
    """
    return keys.ciphers(uow, member_ids, create=create)


def destroy_data_key(uow: UnitOfWork, member_ids: Iterable[int]) -> int:
    """Delete the members' data keys (erasure): afterwards nothing sealed under them opens,
    in this process or any other; readers get None for those values (the member's profile
    fields, push tokens, messages' content, the free text of their events). A later write
    of personal data for such a member makes a new key. Returns how many members had a
    key."""
    return keys.destroy(uow, member_ids)


def members_with_birthday(uow: UnitOfWork, month: int, day: int) -> list[int]:
    """Ids of enrolled members born on this month and day (any year)."""
    index = active_keyring().blind_index(f"{month:02d}-{day:02d}", "birthday")
    return repository.ids_by_birthday_index(uow.session, index)


def set_segments(uow: UnitOfWork, segments: dict[int, list[str]]) -> None:
    """Replace the computed segments of members (written by insights, read by rules)."""
    repository.set_segments(uow.session, segments)


def get_member(uow: UnitOfWork, external_id: str) -> Member:
    """Raises:
    NotFoundError: no member has this external id.
    """
    member = repository.find_by_external_id(uow.session, external_id)
    if member is None:
        raise MemberNotFoundError(f"member {external_id!r} does not exist")
    return member


def find_members_by_ids(uow: UnitOfWork, ids: Iterable[int]) -> dict[int, Member]:
    """The members among ``ids`` that exist, by id, in a query per 500."""
    return repository.find_by_ids(uow.session, ids)


def get_member_id(cursor: Cursor, external_id: str) -> int:
    """The internal id only (no personal data is read or decrypted), in a unit of work or
    on the raw read path.

    Raises:
        MemberNotFoundError: no member has this external id.
    """
    found = repository.id_by_external_id(cursor, external_id)
    if found is None:
        raise MemberNotFoundError(f"member {external_id!r} does not exist")
    return found


def upsert_member(
    uow: UnitOfWork,
    external_id: str,
    profile: MemberProfile,
    *,
    source: str,
    enrolled_at: datetime | None = None,
) -> tuple[Member, bool]:
    """Create the member or change the profile fields present in ``profile``.

    ``enrolled_at`` is set once (the first enrolment wins; a later one does not move it).
    Returns the member and whether it was created.
    """
    created = not repository.ids_by_external_id(uow.session, [external_id])
    upsert_members(uow, [ProfileChange(external_id, profile, source, enrolled_at)])
    member = repository.find_by_external_id(uow.session, external_id)
    assert member is not None
    return member, created


@dataclass(frozen=True, slots=True)
class ProfileChange:
    external_id: str
    profile: MemberProfile
    source: str
    enrolled_at: datetime | None = None


def upsert_members(uow: UnitOfWork, changes: Sequence[ProfileChange]) -> dict[str, int]:
    """Apply profile changes in order, in bulk: members are read in a few queries and
    written with one statement per set of changed columns; their consents are recorded
    (``consents.record``) with the change's source and time (an enrolment's, else now).
    Returns the members' ids by external id."""
    if not changes:
        return {}
    ids = ensure_members(uow, {c.external_id for c in changes})
    # Locked before their keys are read: a key made here is stored with the profile, and
    # a concurrent unit making one waits and then reads this one back.
    lock_members(uow, ids.values())
    stored = repository.profile_state(uow.session, ids.values())
    personal = {ids[c.external_id] for c in changes if _has_personal(c.profile)}
    sealing, new_keys = keys.keys_for_profiles(uow, {m: stored[m][2] for m in personal})
    updates: dict[int, dict[str, Any]] = {m: {"data_key": k} for m, k in new_keys.items()}
    choices: list[Choice] = []
    for change in changes:
        member_id = ids[change.external_id]
        attributes, enrolled, _ = stored[member_id]
        row = updates.setdefault(member_id, {})
        row.update(_profile_columns(change.profile, attributes, sealing.get(member_id)))
        if "attributes" in row:
            stored[member_id] = (row["attributes"], enrolled, stored[member_id][2])
        if change.enrolled_at is not None and enrolled is None:
            row["enrolled_at"] = enrolled = change.enrolled_at
            stored[member_id] = (stored[member_id][0], enrolled, stored[member_id][2])
        evidence = Evidence(change.source, change.enrolled_at)
        choices.extend(
            Choice(member_id, str(channel), granted, evidence)
            for channel, granted in (change.profile.consents or {}).items()
        )
    repository.update_profiles(uow.session, updates, uow.now)
    record(uow, choices)
    return ids


def _has_personal(profile: MemberProfile) -> bool:
    """Whether the change stores a personal value (what needs the member's key)."""
    return any(getattr(profile, field.name) is not None for field in PROFILE_FIELDS)


def _profile_columns(
    profile: MemberProfile, attributes: dict[str, Any] | None, cipher: MemberCipher | None
) -> dict[str, Any]:
    """The columns a profile change sets (values as the columns take them: personal ones
    sealed with ``cipher``, the member's, given when the change has a personal value)."""
    fields = profile.model_fields_set
    row: dict[str, Any] = {}
    if "email" in fields:
        row["email"] = _seal(
            cipher, EMAIL, normalize_email(profile.email) if profile.email else None
        )
        row["email_index"] = email_index(profile.email) if profile.email else None
    if "phone" in fields:
        row["phone"] = _seal(cipher, PHONE, profile.phone.strip() if profile.phone else None)
        row["phone_index"] = phone_index(profile.phone) if profile.phone else None
    if "first_name" in fields:
        row["first_name"] = _seal(cipher, FIRST_NAME, profile.first_name)
    if "last_name" in fields:
        row["last_name"] = _seal(cipher, LAST_NAME, profile.last_name)
    if "birthday" in fields:
        birthday = profile.birthday.isoformat() if profile.birthday else None
        row["birthday"] = _seal(cipher, BIRTHDAY, birthday)
        row["birthday_index"] = birthday_index(profile.birthday) if profile.birthday else None
    if "attributes" in fields and profile.attributes is not None:
        merged = {**(attributes or {}), **profile.attributes}
        row["attributes"] = {k: v for k, v in merged.items() if v is not None} or None
    if "locale" in fields and profile.locale is not None:
        row["locale"] = profile.locale
    if "timezone" in fields:
        row["timezone"] = profile.timezone
    return row


def _seal(cipher: MemberCipher | None, field: Field, text: str | None) -> str | None:
    if text is None:
        return None
    assert cipher is not None  # given whenever the change has a personal value
    return cipher.seal(field, text)


def ensure_members(uow: UnitOfWork, external_ids: Iterable[str]) -> dict[str, int]:
    """Internal ids for external ids, creating not-yet-enrolled members for unknown ones.

    A shop may send an order before (or without) the sign-up; the member exists from then on
    and ``member.enrolled`` later fills in the profile.

    Raises:
        MemberErasedError: an unknown id is one of a member erased at their request (the
            person is never brought back silently).
    """
    wanted = set(external_ids)
    known = repository.ids_by_external_id(uow.session, wanted)
    missing = sorted(wanted - known.keys())
    if missing:
        refuse_erased(uow, missing)
        uow.session.flush()
        repository.insert_stubs(
            uow.session,
            [
                {
                    "external_id": ext,
                    "locale": Locale.EN.value,
                    "created_at": uow.now,
                    "updated_at": uow.now,
                }
                for ext in missing
            ],
        )
        known.update(repository.ids_by_external_id(uow.session, missing))
    return known


def lock_members(uow: UnitOfWork, ids: Iterable[int]) -> None:
    """Serialise work on these members with other units: their rows are locked in key
    order. A unit that applies members' events takes this lock first, for all of them at
    once, so the rows every domain then locks for them (balances, tiers, statistics) are
    never taken in an order that could deadlock with another such unit. Members locked
    earlier in the unit are not locked again."""
    keys.lock(uow, ids)


def lock_for_events(uow: UnitOfWork, ids: dict[str, int], pointers: dict[str, str]) -> None:
    """``lock_members`` for the members a batch of events names (``external id -> id``),
    then refuse it if one of them is erased: named by its opaque id, or erased by another
    unit between the lookup and the lock (PostgreSQL).

    Raises:
        MemberErasedError: with the pointers of the events naming erased members.
    """
    lock_members(uow, ids.values())
    erased = repository.erased_among(uow, list(ids.values()))
    if erased:
        found = sorted(e for e, m in ids.items() if m in erased)
        raise MemberErasedError(
            f"member {found[0]!r} was erased; events for it are refused",
            errors=[FieldError(pointers[e], "the member was erased") for e in found],
        )


def member_ids(uow: UnitOfWork, external_ids: Iterable[str]) -> dict[str, int]:
    """Internal ids of the members that exist; unknown external ids are left out."""
    return repository.ids_by_external_id(uow.session, external_ids)


def external_ids(uow: UnitOfWork, ids: Iterable[int]) -> dict[int, str]:
    return repository.external_ids_by_id(uow, ids)


def find_members(uow: UnitOfWork, key: LookupKey, value: str, *, pointer: str) -> list[Member]:
    """The members whose id, e-mail address or phone number (``key``) is exactly ``value``
    (addresses and numbers through their blind index: no personal value is decrypted or
    searched, and part of one finds nothing); erased members are not found. At most 100.

    Raises:
        LookupInvalidError: ``value`` is no member id, e-mail address or phone number
            (pointing at ``pointer``).
    """
    try:
        wanted = policy.lookup_value(key, value)
    except ValueError as exc:
        raise LookupInvalidError(
            f"{key.value}: {exc}", errors=[FieldError(pointer, str(exc))]
        ) from None
    if key is LookupKey.MEMBER_ID:
        found = repository.find_by_external_id(uow.session, wanted)
        return [found] if found is not None and found.erased_at is None else []
    if key is LookupKey.EMAIL:
        return find_members_by_email(uow, wanted)
    return find_members_by_phone(uow, wanted)


def find_members_by_email(uow: UnitOfWork, email: str) -> list[Member]:
    return list(repository.by_index(uow.session, "email", email_index(email)))


def member_ids_by_email(uow: UnitOfWork, emails: Iterable[str]) -> dict[str, str]:
    """Each email (as given) that belongs to a member → that member's external id (the
    first created, when several share it); emails of nobody are left out."""
    digests = {email: email_index(email) for email in set(emails)}
    found = repository.external_ids_by_email_index(uow.session, digests.values())
    return {email: found[digest] for email, digest in digests.items() if digest in found}


def find_members_by_phone(uow: UnitOfWork, phone: str) -> list[Member]:
    return list(repository.by_index(uow.session, "phone", phone_index(phone)))


def set_consent(
    uow: UnitOfWork,
    member_id: int,
    purpose: str,
    granted: bool,
    *,
    source: str,
    ip: str | None = None,
    text: TextRef | None = None,
) -> None:
    """Record the member's grant or withdrawal of consent for a purpose (a marketing
    purpose's code is its channel) with what is known of it; saying again what is held
    records nothing (the consent keeps its time and evidence)."""
    record(uow, [Choice(member_id, str(purpose), granted, Evidence(source, ip=ip, text=text))])


def consents(uow: UnitOfWork, ids: Iterable[int]) -> dict[tuple[int, str], bool]:
    """The recorded consents of these members by ``(member id, purpose)`` (a marketing
    purpose's code is its channel; a purpose without a row was never granted)."""
    return repository.consent_states(uow.session, ids)


def granted_between(uow: UnitOfWork, first: int, last: int) -> set[tuple[int, str]]:
    """``(member id, purpose)`` of every granted consent of the members with ids
    ``first``..``last`` (a chunk of a walk over every member), in one read."""
    return repository.granted_between(uow.session, first, last)


def granted_of(uow: UnitOfWork, ids: Iterable[int]) -> set[tuple[int, str]]:
    """``(member id, purpose)`` of every granted consent of the members ``ids`` (a sample
    of members; ``granted_between`` for a walk's consecutive ids)."""
    return repository.granted_of(uow.session, ids)


def channel_consents(uow: UnitOfWork, member_id: int) -> list[ConsentRead]:
    """The member's recorded marketing consents, by channel."""
    return [
        ConsentRead(
            channel=Channel(c.purpose),
            is_granted=c.is_granted,
            changed_at=c.changed_at,
            source=c.source,
        )
        for c in repository.consents_of(uow.session, member_id)
        if c.purpose in _CHANNELS
    ]


def channel_consent_history(
    uow: UnitOfWork, member_id: int, *, limit: int = 100
) -> list[ConsentChange]:
    """Every change of the member's marketing consents, newest first: channel (the
    purpose), value, source, time."""
    return list(repository.consent_changes(uow.session, member_id, limit, _CHANNELS))


@dataclass(frozen=True, slots=True)
class Contact:
    """Where and how to reach a member: addresses (decrypted), language and time zone."""

    id: int
    external_id: str
    email: str | None
    phone: str | None
    first_name: str | None
    locale: str
    timezone: str | None
    #: The member's personal data was erased: nothing may be sent to or asked of them.
    is_erased: bool = False


def contacts(uow: UnitOfWork, ids: Iterable[int]) -> dict[int, Contact]:
    """The contacts of many members in one query (personal fields opened; their ciphers
    kept for the unit, so ``ciphers`` for them takes no query)."""
    rows = repository.contacts(uow.session, ids)
    found = keys.known(uow, {row[0]: row[7] for row in rows})
    out: dict[int, Contact] = {}
    for mid, external_id, email, phone, first_name, locale, zone, _, is_erased in rows:
        cipher = found[mid]
        out[mid] = Contact(
            mid,
            external_id,
            cipher.open(EMAIL, email),
            cipher.open(PHONE, phone),
            cipher.open(FIRST_NAME, first_name),
            locale,
            zone,
            is_erased,
        )
    return out


@dataclass(frozen=True, slots=True)
class Profile:
    """A member's personal fields, opened (None where absent or erased)."""

    email: str | None
    phone: str | None
    first_name: str | None
    last_name: str | None
    birthday: date | None

    @property
    def full_name(self) -> str | None:
        return " ".join(p for p in (self.first_name, self.last_name) if p) or None


def profile(uow: UnitOfWork, member: Member) -> Profile:
    """The member's personal fields, opened with its key (read with the row)."""
    cipher = keys.known(uow, {member.id: member.data_key})[member.id]
    birthday = cipher.open(BIRTHDAY, member.birthday)
    return Profile(
        email=cipher.open(EMAIL, member.email),
        phone=cipher.open(PHONE, member.phone),
        first_name=cipher.open(FIRST_NAME, member.first_name),
        last_name=cipher.open(LAST_NAME, member.last_name),
        birthday=date.fromisoformat(birthday) if birthday else None,
    )


def read_member(uow: UnitOfWork, member: Member) -> MemberRead:
    personal = profile(uow, member)
    return MemberRead(
        id=member.external_id,
        email=personal.email,
        phone=personal.phone,
        first_name=personal.first_name,
        last_name=personal.last_name,
        birthday=personal.birthday,
        locale=Locale(member.locale),
        timezone=member.timezone,
        enrolled_at=member.enrolled_at,
        created_at=member.created_at,
        updated_at=member.updated_at,
        attributes=member.attributes or {},
        segments=member.segments or [],
        consents=channel_consents(uow, member.id),
        erased_at=member.erased_at,
    )


def reveal(uow: UnitOfWork, external_id: str, spec: RevealIn, actor: Actor) -> RevealRead:
    """One personal field of the member in full, recorded as one ``pii.read`` audit row
    (the actor, the member, the field, the reason) in the same transaction as the read.

    Raises:
        NotFoundError: no such member.
    """
    member = get_member(uow, external_id)
    personal = profile(uow, member)
    value = {
        PersonalField.EMAIL: personal.email,
        PersonalField.PHONE: personal.phone,
        PersonalField.NAME: personal.full_name,
        PersonalField.BIRTHDAY: personal.birthday.isoformat() if personal.birthday else None,
    }[spec.field]
    audit.record(
        uow, actor, "pii.read", target_type="member", target_id=external_id,
        member_id=member.id, after={"field": spec.field.value}, reason=spec.reason,
    )  # fmt: skip
    return RevealRead(member_id=external_id, field=spec.field, value=value or None)


def personal_values(uow: UnitOfWork, external_id: str) -> list[str]:
    """The member's e-mail, phone (as given and normalised), last name and birthday: what
    text addressed to them must not show to staff who may not see it (``policy.mask_text``).
    Empty for an unknown member."""
    member = repository.find_by_external_id(uow.session, external_id)
    if member is None:
        return []
    personal = profile(uow, member)
    birthday = personal.birthday.isoformat() if personal.birthday else None
    values = [personal.email, personal.last_name, birthday, personal.phone]
    if personal.phone:
        values.append(normalize_phone(personal.phone))
    return [v for v in values if v]


def member_ids_after(uow: UnitOfWork, after: int, limit: int) -> list[int]:
    """Up to ``limit`` member ids above ``after``, ascending (walking every member in chunks)."""
    return repository.ids_after(uow.session, after, limit)


@dataclass(frozen=True, slots=True)
class Reach:
    """How a member can be reached, without opening their personal data: the blind indexes
    of their email address and phone number (None: they have none), their zone and
    language."""

    id: int
    email_index: str | None
    phone_index: str | None
    timezone: str | None
    locale: str
    is_erased: bool


def reach_after(uow: UnitOfWork, after: int, limit: int) -> list[Reach]:
    """Up to ``limit`` members above id ``after``, ascending, with how they can be reached
    (walking every member in chunks, e.g. a campaign's audience)."""
    return _reaches(repository.reach_after(uow.session, after, limit))


def reach_of(uow: UnitOfWork, ids: Iterable[int]) -> list[Reach]:
    """How the members ``ids`` can be reached (``reach_after``'s answer for a sample of
    members), ascending; ids of no member are left out."""
    return _reaches(repository.reach_of(uow.session, ids))


def _reaches(rows: Iterable[tuple[Any, ...]]) -> list[Reach]:
    return [
        Reach(int(m), e, p, zone, locale, bool(erased)) for m, e, p, zone, locale, erased in rows
    ]


def member_id_range(uow: UnitOfWork) -> tuple[int, int] | None:
    """The lowest and highest member id (None: no member yet)."""
    return repository.id_range(uow.session)


def count_members(uow: UnitOfWork) -> int:
    return repository.count(uow.session)


@dataclass(frozen=True, slots=True)
class MemberFacts:
    """What rules may read about a member (the profile's personal fields stay out)."""

    id: int
    external_id: str
    enrolled_at: datetime | None
    attributes: dict[str, Any]
    segments: tuple[str, ...]
    birthday: date | None
    is_profile_complete: bool = False
    #: The offers (``campaign:<key>/<arm>``) the member holds now; read only when asked.
    offers: frozenset[str] = frozenset()


def member_facts(
    uow: UnitOfWork, ids: Iterable[int], *, offers: bool = False
) -> dict[int, MemberFacts]:
    """Facts of many members in one query (birthdays are opened: rules may read them);
    with ``offers``, one more for the offers they hold at ``uow.now`` (only when a rule
    targets offers: the ingest path reads nothing else)."""
    rows = repository.member_facts(uow.session, ids)
    held: dict[int, set[str]] = {}
    if offers and rows:
        for member_id, key in repository.held_offers(uow.session, [r[0] for r in rows], uow.now):
            held.setdefault(member_id, set()).add(key)
    found = keys.known(uow, {row[0]: row[7] for row in rows if row[5] is not None})
    out: dict[int, MemberFacts] = {}
    for row in rows:
        birthday = found[row[0]].open(BIRTHDAY, row[5]) if row[5] is not None else None
        out[row[0]] = MemberFacts(
            id=row[0],
            external_id=row[1],
            enrolled_at=row[2],
            attributes=row[3] or {},
            segments=tuple(row[4] or ()),
            birthday=date.fromisoformat(birthday) if birthday else None,
            is_profile_complete=bool(row[6]),
            offers=frozenset(held.get(row[0], ())),
        )
    return out


# -- offers members hold (a campaign's bonus points, targeted by rules) ---------------------
def grant_offers(
    uow: UnitOfWork,
    grants: Sequence[tuple[int, str]],
    *,
    starts_at: datetime,
    ends_at: datetime | None,
) -> int:
    """Give each ``(member_id, offer key)`` the offer from ``starts_at`` until ``ends_at``
    (None: until it is ended). An offer a member already holds is left as it is, so a
    replayed grant adds nothing. Returns how many offers were new."""
    rows = [
        {
            "member_id": member_id,
            "key": key,
            "starts_at": starts_at,
            "ends_at": ends_at,
            "granted_at": uow.now,
        }
        for member_id, key in sorted(set(grants))
    ]
    return repository.insert_offers(uow.session, rows)


def end_offers(uow: UnitOfWork, keys: Collection[str]) -> int:
    """End the offers ``keys`` now for every member still holding them; returns how many
    members' offers ended."""
    return repository.end_offers(uow.session, keys, uow.now)


# -- devices that take push messages --------------------------------------------------------
def _device_read(device: Device) -> DeviceRead:
    return DeviceRead(
        id=device.id, platform=PushPlatform(device.platform), registered_at=device.registered_at
    )


def register_device(uow: UnitOfWork, member_id: int, body: DeviceIn) -> tuple[DeviceRead, bool]:
    """Record that the member's app takes push messages at ``body.token``; returns the
    device and whether it is new. Registering a known token again refreshes it (it becomes
    the member's newest device); a token another member registered moves to this one (the
    app's user changed)."""
    digest = device_index(body.token)
    found = repository.device_by_index(uow.session, digest)
    created = found is None
    token = keys.ciphers(uow, [member_id], create=True)[member_id].seal(DEVICE_TOKEN, body.token)
    if found is None:
        found = Device(
            id=f"dev_{secrets.token_hex(10)}",
            member_id=member_id,
            token=token,
            token_index=digest,
            platform=body.platform.value,
            registered_at=uow.now,
        )
        uow.session.add(found)
    else:
        # Moved to this member: sealed again under its key.
        found.token = token
        found.member_id = member_id
        found.platform = body.platform
        found.registered_at = uow.now
    uow.session.flush()
    return _device_read(found), created


def devices(uow: UnitOfWork, member_id: int) -> list[DeviceRead]:
    """The member's devices, the most recently registered first."""
    return [_device_read(d) for d in repository.devices_of(uow.session, member_id)]


def remove_device(uow: UnitOfWork, member_id: int, device_id: str) -> None:
    """Forget one of the member's devices (the app signed out).

    Raises:
        DeviceNotFoundError: the member has no such device.
    """
    found = repository.device(uow.session, member_id, device_id)
    if found is None:
        raise DeviceNotFoundError(f"the member has no device {device_id!r}")
    uow.session.delete(found)
    uow.session.flush()


def push_tokens(
    uow: UnitOfWork, member_ids: Iterable[int], platforms: Iterable[str] | None = None
) -> dict[int, str]:
    """Where each member takes push messages: the token of their most recently registered
    device (of ``platforms``, when given); members without one (or whose token cannot be
    opened: erased) are left out."""
    sealed = repository.newest_devices(uow.session, member_ids, platforms)
    found = keys.ciphers(uow, sealed)
    tokens = {m: found[m].open(DEVICE_TOKEN, token) for m, token in sealed.items()}
    return {m: token for m, token in tokens.items() if token is not None}


def forget_push_tokens(uow: UnitOfWork, tokens: Iterable[str]) -> int:
    """Forget the devices of these tokens (their push service says they are gone)."""
    return repository.delete_devices_by_index(uow.session, {device_index(t) for t in tokens})


# -- erasure --------------------------------------------------------------------------------


def erased_id(external_id: str) -> str:
    """The opaque id a member erased at their request carries instead of ``external_id``:
    a keyed hash, so the shop's id cannot be recovered from it (ids are often sequential
    and a plain hash would give them away), yet a later event for that id finds it."""
    return "erased:" + active_keyring().blind_index(external_id, "member.erased")


def _pseudonymised_id(external_id: str, member_id: int) -> str:
    """The opaque id of a member erased by retention: unique to the row, found from nothing
    (a returning customer with the same id is a new member)."""
    return "pseudonymised:" + active_keyring().blind_index(
        f"{external_id}\0{member_id}", "member.pseudonymised"
    )


def refuse_erased(
    uow: UnitOfWork, external_ids: Iterable[str], *, pointers: dict[str, str] | None = None
) -> None:
    """Raise if any of these (unknown) external ids is one of a member erased at their
    request.

    Raises:
        MemberErasedError: with the pointers of the ids refused, when given.
    """
    by_marker = {erased_id(e): e for e in set(external_ids)}
    found = sorted(by_marker[m] for m in repository.ids_by_external_id(uow.session, by_marker))
    if found:
        raise MemberErasedError(
            f"member {found[0]!r} was erased at their request; events and changes for this id "
            "are refused (enrol the person again under a new id)",
            errors=[
                FieldError(pointers[e], "the member was erased") for e in found if e in pointers
            ]
            if pointers
            else None,
        )


def find_erased(uow: UnitOfWork, external_id: str) -> int | None:
    """The internal id of the member erased at their request whose id was ``external_id``."""
    return repository.id_by_external_id(uow, erased_id(external_id))


@dataclass(frozen=True, slots=True)
class ErasedIdentity:
    """What an erasure removed from a member row: the opaque id it carries now, the
    personal fields that held a value, the devices deleted, and the consent rows (current
    and trail) whose evidence held an IP address."""

    subject: str
    fields: tuple[str, ...]
    devices: int
    consent_addresses: int


def erase_members(
    uow: UnitOfWork, member_ids: Sequence[int], *, on_request: bool
) -> dict[int, ErasedIdentity]:
    """Clear the members' personal fields and their blind indexes, delete their devices
    (push tokens), and replace ``external_id`` by an opaque id: ``erased:<hash>`` when the
    person asked (a later event for the old id is refused, see :func:`refuse_erased`),
    ``pseudonymised:<hash>`` when retention erases (the id may come back as a new member).
    Locale, enrolment date and consents with their trail stay (the evidence that past
    processing was lawful), but for the IP address kept as evidence. Members erased
    before are left as they are (their current subject, nothing removed): erasing twice
    is harmless."""
    states = repository.erasure_states(uow, member_ids)
    fresh = [m for m in states if not states[m][1]]
    devices = repository.delete_devices_of(uow.session, fresh)
    addresses = repository.clear_consent_addresses(uow.session, fresh)
    rows: list[dict[str, Any]] = []
    done: dict[int, ErasedIdentity] = {}
    for member_id, (external_id, erased_at, held) in sorted(states.items()):
        if erased_at is not None:
            done[member_id] = ErasedIdentity(external_id, (), 0, 0)
            continue
        subject = (
            erased_id(external_id) if on_request else _pseudonymised_id(external_id, member_id)
        )
        rows.append(
            {
                "id": member_id,
                "external_id": subject,
                **dict.fromkeys(ERASED_FIELDS),
                "email_index": None,
                "phone_index": None,
                "birthday_index": None,
                "erased_at": uow.now,
                "updated_at": uow.now,
            }
        )
        done[member_id] = ErasedIdentity(
            subject,
            tuple(name for name, had in zip(ERASED_FIELDS, held, strict=True) if had),
            devices.get(member_id, 0),
            addresses.get(member_id, 0),
        )
    repository.clear_identities(uow.session, rows)
    return done


def members_in_segment(
    uow: UnitOfWork, segment: str, *, after: str | None, limit: int
) -> tuple[list[MemberRead], str | None]:
    """A page of the members holding ``segment`` (by the shop's member id, above
    ``after``; erased members left out) and the cursor of the next page (None: the last)."""
    found = repository.page_in_segment(uow.session, segment, after=after, limit=limit + 1)
    page = [read_member(uow, member) for member in found[:limit]]
    return page, page[-1].id if len(found) > limit else None
