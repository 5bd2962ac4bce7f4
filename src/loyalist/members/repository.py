"""Member queries."""

from __future__ import annotations

import secrets
from collections.abc import Collection, Iterable, Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import (
    JSON,
    ColumnElement,
    Table,
    and_,
    bindparam,
    delete,
    func,
    insert,
    literal,
    or_,
    select,
    text,
    tuple_,
    update,
)
from sqlalchemy import cast as sa_cast
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Session

from loyalist.db.bulk import among, insert_new_rows, insert_rows, key_chunks, update_rows
from loyalist.db.crypto import SEALED_PREFIX
from loyalist.db.raw import Cursor, RawReader, as_utc, chunks_in, rows_in
from loyalist.members.models import (
    ERASED_FIELDS,
    PROFILE_FIELDS,
    Consent,
    ConsentChange,
    ConsentPurpose,
    ConsentText,
    Device,
    Member,
    MemberOffer,
    MemberSession,
    SignInToken,
)
from loyalist.members.policy import Held

_MEMBER = cast(Table, Member.__table__)
_CONSENT = cast(Table, Consent.__table__)
_CONSENT_CHANGE = cast(Table, ConsentChange.__table__)


def find_by_external_id(session: Session, external_id: str) -> Member | None:
    return session.scalar(select(Member).where(Member.external_id == external_id))


def find_by_ids(session: Session, ids: Iterable[int]) -> dict[int, Member]:
    """The members among ``ids`` that exist, by id (500 a query)."""
    wanted = sorted(set(ids))
    found: dict[int, Member] = {}
    for start in range(0, len(wanted), 500):
        rows = session.scalars(select(Member).where(Member.id.in_(wanted[start : start + 500])))
        found.update((member.id, member) for member in rows)
    return found


def ids_by_external_id(session: Session, external_ids: Iterable[str]) -> dict[str, int]:
    rows = rows_in(
        RawReader.on_session(session),
        _MEMBER,
        ("external_id", "id"),
        "external_id",
        list(set(external_ids)),
    )
    return dict(rows)


def external_ids_by_email_index(session: Session, digests: Iterable[str]) -> dict[str, str]:
    """Email index → the external id of the first created member with it (batch lookups)."""
    rows = rows_in(
        RawReader.on_session(session),
        _MEMBER,
        ("email_index", "external_id"),
        "email_index",
        sorted(set(digests)),
        order_by="id DESC",
    )
    return dict(rows)  # the lowest id comes last, so it wins


def lock(session: Session, ids: Sequence[int]) -> None:
    """Take the members' rows ``FOR NO KEY UPDATE`` in key order (PostgreSQL; on SQLite the
    single writer serialises every write). Rows that reference a member can still be
    inserted meanwhile (that takes only ``FOR KEY SHARE``)."""
    if session.get_bind().dialect.name != "postgresql" or not ids:
        return
    ordered = sorted(set(ids))
    for start in range(0, len(ordered), 1000):
        session.execute(
            select(Member.id)
            .where(Member.id.in_(ordered[start : start + 1000]))
            .order_by(Member.id)
            .with_for_update(key_share=True)
        ).all()


def external_ids_by_id(cursor: Cursor, ids: Iterable[int]) -> dict[int, str]:
    found: dict[int, str] = {}
    for condition, params in chunks_in(cursor.dialect, list(set(ids))):
        rows = cursor.all(f"SELECT id, external_id FROM members WHERE id {condition}", params)  # noqa: S608
        found.update({int(mid): ext for mid, ext in rows})
    return found


def insert_stubs(session: Session, rows: list[dict[str, object]]) -> None:
    if rows:
        session.execute(insert(cast(Table, Member.__table__)), rows)


def profile_state(
    session: Session, ids: Iterable[int]
) -> dict[int, tuple[dict[str, Any] | None, datetime | None, str | None]]:
    """``(attributes, enrolled_at, data_key)`` of the members, what a profile change merges
    with (and seals under)."""
    wanted = sorted(set(ids))
    found: dict[int, tuple[dict[str, Any] | None, datetime | None, str | None]] = {}
    for start in range(0, len(wanted), 500):
        rows = session.execute(
            select(Member.id, Member.attributes, Member.enrolled_at, Member.data_key).where(
                Member.id.in_(wanted[start : start + 500])
            )
        )
        found.update({mid: (attributes, enrolled, key) for mid, attributes, enrolled, key in rows})
    return found


# -- data keys ------------------------------------------------------------------------------
def data_keys(session: Session, ids: Iterable[int]) -> dict[int, str | None]:
    """The wrapped data keys of the members that exist (None: none)."""
    wanted = sorted(set(ids))
    found: dict[int, str | None] = {}
    for start in range(0, len(wanted), 500):
        rows = session.execute(
            select(Member.id, Member.data_key).where(Member.id.in_(wanted[start : start + 500]))
        )
        found.update({mid: key for mid, key in rows})
    return found


def set_missing_data_keys(session: Session, keys: dict[int, str]) -> None:
    """Give each member its wrapped key unless it has one (a conditional update: a
    concurrent unit that set one first wins, and the caller reads the winner's back)."""
    if not keys:
        return
    session.execute(
        update(_MEMBER)
        .where(_MEMBER.c.id == bindparam("member"), _MEMBER.c.data_key.is_(None))
        .values(data_key=bindparam("key")),
        [{"member": mid, "key": key} for mid, key in sorted(keys.items())],
        execution_options={"synchronize_session": False},
    )


def clear_data_keys(session: Session, ids: Sequence[int]) -> int:
    """Delete the members' wrapped data keys; returns how many members had one."""
    cleared = 0
    wanted = sorted(set(ids))
    for start in range(0, len(wanted), 500):
        result = session.execute(
            update(Member)
            .where(Member.id.in_(wanted[start : start + 500]), Member.data_key.is_not(None))
            .values(data_key=None)
            .execution_options(synchronize_session=False)
        )
        cleared += int(getattr(result, "rowcount", 0) or 0)
    return cleared


def _unsealed(column: ColumnElement[Any]) -> ColumnElement[bool]:
    return and_(column.is_not(None), column.not_like(SEALED_PREFIX + "%"))


def _to_reseal(active_key_id: str) -> ColumnElement[bool]:
    """Members whose key is wrapped by another master key or who still have a value in
    the legacy format (sealed by a master key, not their own)."""
    return or_(
        and_(Member.data_key.is_not(None), Member.data_key.not_like(active_key_id + ":%")),
        *(_unsealed(_MEMBER.c[field.name]) for field in PROFILE_FIELDS),
    )


def count_to_reseal(session: Session, active_key_id: str) -> int:
    statement = select(func.count()).select_from(Member).where(_to_reseal(active_key_id))
    return int(session.scalar(statement) or 0)


def sealed_profiles_to_reseal(
    session: Session, after: int, limit: int, active_key_id: str
) -> list[tuple[Any, ...]]:
    """``(id, data_key, email, phone, first_name, last_name, birthday)`` of the next
    ``limit`` members above ``after`` to reseal, by id (locked on PostgreSQL)."""
    statement = (
        select(_MEMBER.c.id, _MEMBER.c.data_key, *(_MEMBER.c[f.name] for f in PROFILE_FIELDS))
        .where(_MEMBER.c.id > after, _to_reseal(active_key_id))
        .order_by(_MEMBER.c.id)
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        statement = statement.with_for_update(key_share=True)
    return [tuple(row) for row in session.execute(statement)]


def write_sealed(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Set the given sealed columns (and ``data_key``) of members, by ``id``."""
    by_columns: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in rows:
        by_columns.setdefault(tuple(sorted(k for k in row if k != "id")), []).append(row)
    for names, group in by_columns.items():
        update_rows(session, _MEMBER, ["id"], names, group)


def update_profiles(session: Session, updates: dict[int, dict[str, Any]], now: datetime) -> None:
    """Set the given columns of each member (and ``updated_at``), one statement per set of
    columns."""
    by_columns: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for member_id, columns in sorted(updates.items()):
        names = (*sorted(columns), "updated_at")
        by_columns.setdefault(names, []).append({"id": member_id, **columns, "updated_at": now})
    for names, rows in by_columns.items():
        update_rows(session, _MEMBER, ["id"], names, rows)


def consent_states(session: Session, ids: Iterable[int]) -> dict[tuple[int, str], bool]:
    return {key: held.is_granted for key, held in held_consents(session, ids).items()}


def held_consents(session: Session, ids: Iterable[int]) -> dict[tuple[int, str], Held]:
    """The members' current consents by ``(member id, purpose)``."""
    wanted = sorted(set(ids))
    found: dict[tuple[int, str], Held] = {}
    for start in range(0, len(wanted), 500):
        rows = session.execute(
            select(
                Consent.member_id,
                Consent.purpose,
                Consent.is_granted,
                Consent.changed_at,
                Consent.text_sha256,
            ).where(Consent.member_id.in_(wanted[start : start + 500]))
        )
        found.update(
            {
                (mid, purpose): Held(granted, at, digest)
                for mid, purpose, granted, at, digest in rows
            }
        )
    return found


def granted_between(session: Session, first: int, last: int) -> set[tuple[int, str]]:
    """``(member id, purpose)`` of the granted consents of members ``first``..``last``
    (one range read: walking every member in chunks)."""
    rows = session.execute(
        select(Consent.member_id, Consent.purpose).where(
            Consent.member_id.between(first, last), Consent.is_granted.is_(True)
        )
    )
    return {(int(mid), str(purpose)) for mid, purpose in rows}


def granted_of(session: Session, ids: Iterable[int]) -> set[tuple[int, str]]:
    """``(member id, purpose)`` of the granted consents of the members ``ids`` (scattered
    ids: a sample of members)."""
    found: set[tuple[int, str]] = set()
    for some in key_chunks(session, sorted(set(ids))):
        rows = session.execute(
            select(Consent.member_id, Consent.purpose).where(
                among(session, Consent.member_id, some), Consent.is_granted.is_(True)
            )
        )
        found.update((int(mid), str(purpose)) for mid, purpose in rows)
    return found


def last_seqs(session: Session, ids: Iterable[int]) -> dict[int, int]:
    """The number of each member's newest consent change (members without one left out)."""
    wanted = sorted(set(ids))
    found: dict[int, int] = {}
    for start in range(0, len(wanted), 500):
        rows = session.execute(
            select(ConsentChange.member_id, func.max(ConsentChange.seq))
            .where(ConsentChange.member_id.in_(wanted[start : start + 500]))
            .group_by(ConsentChange.member_id)
        )
        found.update({int(mid): int(seq) for mid, seq in rows})
    return found


#: The columns a consent row and a trail row share besides the key.
CONSENT_COLUMNS = (
    "is_granted",
    "changed_at",
    "source",
    "ip",
    "text_locale",
    "text_version",
    "text_sha256",
)


def write_consents(
    session: Session,
    new: list[dict[str, Any]],
    changed: list[dict[str, Any]],
    trail: list[dict[str, Any]],
) -> None:
    """Add ``trail`` rows (``member_id``, ``id``, ``seq``, ``purpose`` and the consent
    columns) to the consent trail, insert the ``new`` current consents and replace the
    ``changed`` ones (``member_id``, ``purpose`` and the consent columns)."""
    insert_rows(session, _CONSENT_CHANGE, trail)
    insert_rows(session, _CONSENT, new)
    update_rows(session, _CONSENT, ["member_id", "purpose"], CONSENT_COLUMNS, changed)


def new_change_id() -> str:
    return f"cch_{secrets.token_hex(12)}"


def by_index(session: Session, column: str, digest: str, limit: int = 100) -> Sequence[Member]:
    col = Member.email_index if column == "email" else Member.phone_index
    return session.scalars(
        select(Member).where(col == digest).order_by(Member.id).limit(limit)
    ).all()


def consents_of(session: Session, member_id: int) -> Sequence[Consent]:
    return session.scalars(
        select(Consent).where(Consent.member_id == member_id).order_by(Consent.purpose)
    ).all()


def consent_changes(
    session: Session, member_id: int, limit: int, purposes: Collection[str] | None = None
) -> Sequence[ConsentChange]:
    """The member's consent changes (of ``purposes``, when given), newest first: by when
    they happened, and at one time the later recorded first."""
    statement = select(ConsentChange).where(ConsentChange.member_id == member_id)
    if purposes is not None:
        statement = statement.where(ConsentChange.purpose.in_(sorted(purposes)))
    return session.scalars(
        statement.order_by(ConsentChange.changed_at.desc(), ConsentChange.seq.desc()).limit(limit)
    ).all()


# -- consent purposes and texts -------------------------------------------------------------
def stored_purposes(session: Session) -> Sequence[ConsentPurpose]:
    return session.scalars(select(ConsentPurpose).order_by(ConsentPurpose.code)).all()


def find_purpose(session: Session, code: str) -> ConsentPurpose | None:
    return session.get(ConsentPurpose, code)


def add_purpose(session: Session, purpose: ConsentPurpose) -> None:
    session.add(purpose)
    session.flush()


def lock_texts(session: Session, purpose: str, locale: str) -> None:
    """Serialise the publishers of a purpose's texts in one language until the transaction
    ends (two at once would pick the same version): an advisory lock on PostgreSQL; SQLite
    has one writer at a time anyway."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            text("SELECT pg_advisory_xact_lock(hashtextextended(:name, 0))"),
            {"name": f"consent_texts:{purpose}:{locale}"},
        )


def latest_text(session: Session, purpose: str, locale: str) -> ConsentText | None:
    return session.scalar(
        select(ConsentText)
        .where(ConsentText.purpose == purpose, ConsentText.locale == locale)
        .order_by(ConsentText.version.desc())
        .limit(1)
    )


def find_text(session: Session, purpose: str, locale: str, version: int) -> ConsentText | None:
    return session.get(ConsentText, (purpose, locale, version))


def add_text(session: Session, row: ConsentText) -> None:
    session.add(row)
    session.flush()


def texts(session: Session, purpose: str | None, locale: str | None) -> Sequence[ConsentText]:
    """Every version (of ``purpose`` and ``locale``, when given), by purpose and language,
    newest version first."""
    statement = select(ConsentText)
    if purpose is not None:
        statement = statement.where(ConsentText.purpose == purpose)
    if locale is not None:
        statement = statement.where(ConsentText.locale == locale)
    return session.scalars(
        statement.order_by(ConsentText.purpose, ConsentText.locale, ConsentText.version.desc())
    ).all()


def id_by_external_id(cursor: Cursor, external_id: str) -> int | None:
    row = cursor.one("SELECT id FROM members WHERE external_id = ?", (external_id,))
    return None if row is None else int(row[0])


def ids_after(session: Session, after: int, limit: int) -> list[int]:
    rows = session.scalars(
        select(Member.id).where(Member.id > after).order_by(Member.id).limit(limit)
    )
    return [int(m) for m in rows]


def _reach() -> tuple[Any, ...]:
    return (
        Member.id,
        Member.email_index,
        Member.phone_index,
        Member.timezone,
        Member.locale,
        Member.erased_at.is_not(None),
    )


def reach_after(session: Session, after: int, limit: int) -> list[tuple[Any, ...]]:
    """Up to ``limit`` members above id ``after``, ascending: ``(id, email_index,
    phone_index, timezone, locale, is_erased)``."""
    rows = session.execute(
        select(*_reach()).where(Member.id > after).order_by(Member.id).limit(limit)
    )
    return [tuple(row) for row in rows]


def reach_of(session: Session, ids: Iterable[int]) -> list[tuple[Any, ...]]:
    """``reach_after``'s rows of the members ``ids`` that exist, ascending (a sample of
    members)."""
    found: list[tuple[Any, ...]] = []
    for some in key_chunks(session, sorted(set(ids))):
        rows = session.execute(
            select(*_reach()).where(among(session, Member.id, some)).order_by(Member.id)
        )
        found.extend(tuple(row) for row in rows)
    return found


def id_range(session: Session) -> tuple[int, int] | None:
    """The lowest and highest member id (two reads of the primary key's ends; None: no
    member)."""
    low = session.scalar(select(func.min(Member.id)))
    high = session.scalar(select(func.max(Member.id)))
    return None if low is None or high is None else (int(low), int(high))


def count(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(Member)) or 0)


def ids_by_birthday_index(session: Session, digest: str) -> list[int]:
    rows = session.execute(
        select(Member.id)
        .where(Member.birthday_index == digest, Member.enrolled_at.is_not(None))
        .order_by(Member.id)
    )
    return [mid for (mid,) in rows]


def set_segments(session: Session, segments: dict[int, list[str]]) -> None:
    # In bulk (one UPDATE … FROM unnest per chunk on PostgreSQL): the daily scores job may
    # change the segments of a million members at once.
    update_rows(
        session,
        cast(Table, Member.__table__),
        ["id"],
        ["segments"],
        [{"id": mid, "segments": sorted(set(s)) or None} for mid, s in segments.items()],
    )


def member_facts(session: Session, ids: Iterable[int]) -> list[tuple[Any, ...]]:
    """``(id, external_id, enrolled_at, attributes, segments, birthday, profile_complete,
    data_key)``, the birthday sealed."""
    wanted = sorted(set(ids))
    out: list[tuple[Any, ...]] = []
    for chunk in key_chunks(session, wanted):
        rows = session.execute(
            select(
                Member.id,
                Member.external_id,
                Member.enrolled_at,
                Member.attributes,
                Member.segments,
                Member.birthday,
                and_(
                    Member.email.is_not(None),
                    Member.phone.is_not(None),
                    Member.first_name.is_not(None),
                    Member.last_name.is_not(None),
                    Member.birthday.is_not(None),
                ),
                Member.data_key,
            ).where(among(session, Member.id, chunk))
        )
        out.extend(tuple(row) for row in rows)
    return out


# -- offers members hold -------------------------------------------------------------------
def _offers_table() -> Table:
    return cast(Table, MemberOffer.__table__)


def insert_offers(session: Session, rows: Sequence[dict[str, Any]]) -> int:
    """Insert member offers (``member_id, key, starts_at, ends_at, granted_at``), skipping
    those a member already holds; returns how many were new."""
    return len(insert_new_rows(session, _offers_table(), rows, ["member_id"]))


def end_offers(session: Session, keys: Collection[str], at: datetime) -> int:
    """End the offers ``keys`` at ``at`` for every member holding them past it."""
    if not keys:
        return 0
    result = session.execute(
        update(MemberOffer)
        .where(
            MemberOffer.key.in_(sorted(keys)),
            or_(MemberOffer.ends_at.is_(None), MemberOffer.ends_at > at),
        )
        .values(ends_at=at)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def held_offers(session: Session, ids: Iterable[int], at: datetime) -> list[tuple[int, str]]:
    """``(member_id, key)`` of the offers the members hold at ``at``."""
    wanted = sorted(set(ids))
    out: list[tuple[int, str]] = []
    for start in range(0, len(wanted), 500):
        rows = session.execute(
            select(MemberOffer.member_id, MemberOffer.key).where(
                MemberOffer.member_id.in_(wanted[start : start + 500]),
                MemberOffer.starts_at <= at,
                or_(MemberOffer.ends_at.is_(None), MemberOffer.ends_at > at),
            )
        )
        out.extend((row[0], row[1]) for row in rows)
    return out


def contacts(session: Session, ids: Iterable[int]) -> list[tuple[Any, ...]]:
    """``(id, external_id, email, phone, first_name, locale, timezone, data_key,
    is_erased)``, the personal fields sealed."""
    wanted = sorted(set(ids))
    out: list[tuple[Any, ...]] = []
    for chunk in key_chunks(session, wanted):
        rows = session.execute(
            select(
                Member.id,
                Member.external_id,
                Member.email,
                Member.phone,
                Member.first_name,
                Member.locale,
                Member.timezone,
                Member.data_key,
                Member.erased_at.is_not(None),
            ).where(among(session, Member.id, chunk))
        )
        out.extend(tuple(row) for row in rows)
    return out


# -- devices --------------------------------------------------------------------------------
def device_by_index(session: Session, digest: str) -> Device | None:
    return session.scalar(select(Device).where(Device.token_index == digest).with_for_update())


def devices_of(session: Session, member_id: int) -> Sequence[Device]:
    """The member's devices, the most recently registered first."""
    return session.scalars(
        select(Device)
        .where(Device.member_id == member_id)
        .order_by(Device.registered_at.desc(), Device.id.desc())
    ).all()


def device(session: Session, member_id: int, device_id: str) -> Device | None:
    return session.scalar(
        select(Device).where(Device.member_id == member_id, Device.id == device_id)
    )


def newest_devices(
    session: Session, member_ids: Iterable[int], platforms: Iterable[str] | None
) -> dict[int, str]:
    """Per member, the token of the most recently registered device (of ``platforms``, if
    given), sealed."""
    wanted = sorted(set(member_ids))
    found: dict[int, str] = {}
    for start in range(0, len(wanted), 500):
        statement = (
            select(Device.member_id, Device.token)
            .where(Device.member_id.in_(wanted[start : start + 500]))
            .order_by(Device.registered_at.desc(), Device.id.desc())
        )
        if platforms is not None:
            statement = statement.where(Device.platform.in_(sorted(set(platforms))))
        for member_id, token in session.execute(statement):
            found.setdefault(member_id, token)
    return found


def delete_devices_by_index(session: Session, digests: Iterable[str]) -> int:
    wanted = sorted(set(digests))
    if not wanted:
        return 0
    result = session.execute(
        delete(Device)
        .where(Device.token_index.in_(wanted))
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


# -- erasure --------------------------------------------------------------------------------
def erasure_states(
    cursor: Cursor, ids: Sequence[int]
) -> dict[int, tuple[str, datetime | None, tuple[bool, ...]]]:
    """Per member: ``external_id``, ``erased_at`` and, for each of ``fields`` (the columns an
    erasure clears), whether it holds a value (one fixed statement per chunk: nothing is
    decrypted)."""
    held = ", ".join(f"{name} IS NOT NULL" for name in ERASED_FIELDS)
    found: dict[int, tuple[str, datetime | None, tuple[bool, ...]]] = {}
    for condition, params in chunks_in(cursor.dialect, sorted(set(ids))):
        for member_id, external_id, erased_at, *has in cursor.all(
            f"SELECT id, external_id, erased_at, {held} FROM members WHERE id {condition}",  # noqa: S608
            params,
        ):
            found[int(member_id)] = (external_id, as_utc(erased_at), tuple(bool(h) for h in has))
    return found


def erased_among(cursor: Cursor, ids: Sequence[int]) -> set[int]:
    """The members among ``ids`` whose personal data was erased."""
    found: set[int] = set()
    for condition, params in chunks_in(cursor.dialect, sorted(set(ids))):
        rows = cursor.all(
            f"SELECT id FROM members WHERE id {condition} AND erased_at IS NOT NULL",  # noqa: S608
            params,
        )
        found.update(int(member_id) for (member_id,) in rows)
    return found


def delete_devices_of(session: Session, ids: Sequence[int]) -> dict[int, int]:
    """Delete the members' devices; returns how many each had."""
    deleted: dict[int, int] = {}
    wanted = sorted(set(ids))
    for start in range(0, len(wanted), 500):
        rows = session.execute(
            delete(Device)
            .where(Device.member_id.in_(wanted[start : start + 500]))
            .returning(Device.member_id)
            .execution_options(synchronize_session=False)
        )
        for (member_id,) in rows:
            deleted[int(member_id)] = deleted.get(int(member_id), 0) + 1
    return deleted


def clear_consent_addresses(session: Session, ids: Sequence[int]) -> dict[int, int]:
    """Clear the IP address kept as evidence in the members' consents and their consent
    trail (the rest of the evidence stays); returns per member how many rows held one."""
    cleared: dict[int, int] = {}
    wanted = sorted(set(ids))
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        for model in (Consent, ConsentChange):
            rows = session.execute(
                update(model)
                .where(model.member_id.in_(chunk), model.ip.is_not(None))
                .values(ip=None)
                .returning(model.member_id)
                .execution_options(synchronize_session=False)
            )
            for (member_id,) in rows:
                cleared[int(member_id)] = cleared.get(int(member_id), 0) + 1
    return cleared


def clear_identities(session: Session, rows: list[dict[str, Any]]) -> None:
    """Set the erased members' columns (rows of ``id`` and the columns to set)."""
    if rows:
        update_rows(session, _MEMBER, ["id"], [k for k in rows[0] if k != "id"], rows)


def device_tokens_to_reseal(session: Session, after: str, limit: int) -> list[tuple[str, int, str]]:
    """``(id, member_id, token)`` of the next ``limit`` devices above ``after`` whose token
    is still in the legacy format, by id."""
    statement = (
        select(Device.id, Device.member_id, Device.token)
        .where(Device.id > after, Device.token.not_like(SEALED_PREFIX + "%"))
        .order_by(Device.id)
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        statement = statement.with_for_update()
    return [(d, m, t) for d, m, t in session.execute(statement)]


def count_device_tokens_to_reseal(session: Session) -> int:
    statement = (
        select(func.count()).select_from(Device).where(Device.token.not_like(SEALED_PREFIX + "%"))
    )
    return int(session.scalar(statement) or 0)


def write_device_tokens(session: Session, tokens: dict[str, str]) -> None:
    update_rows(
        session,
        cast(Table, Device.__table__),
        ["id"],
        ["token"],
        [{"id": device_id, "token": token} for device_id, token in sorted(tokens.items())],
    )


#: The key column after ``member_id`` of the tables that keep a consent's evidence.
_CONSENT_KEYS = {"member_consents": "purpose", "member_consent_changes": "id"}


def _consent_table(name: str) -> tuple[Table, str]:
    return (_CONSENT if name == "member_consents" else _CONSENT_CHANGE), _CONSENT_KEYS[name]


def count_consent_ips_to_reseal(session: Session, table_name: str) -> int:
    table, _ = _consent_table(table_name)
    statement = select(func.count()).select_from(table).where(_unsealed(table.c.ip))
    return int(session.scalar(statement) or 0)


def consent_ips_to_reseal(
    session: Session, table_name: str, after: tuple[int, str], limit: int
) -> list[tuple[int, str, str]]:
    """``(member_id, key, ip)`` of the next ``limit`` rows of a consent table above
    ``after`` whose IP address is still in the legacy format, in key order (locked on
    PostgreSQL)."""
    table, key = _consent_table(table_name)
    statement = (
        select(table.c.member_id, table.c[key], table.c.ip)
        .where(tuple_(table.c.member_id, table.c[key]) > after, _unsealed(table.c.ip))
        .order_by(table.c.member_id, table.c[key])
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        statement = statement.with_for_update()
    return [(m, k, ip) for m, k, ip in session.execute(statement)]


def write_consent_ips(
    session: Session, table_name: str, ips: Sequence[tuple[int, str, str]]
) -> None:
    """Set the IP address of consent rows given as ``(member_id, key, ip)``."""
    table, key = _consent_table(table_name)
    update_rows(
        session,
        table,
        ["member_id", key],
        ["ip"],
        [{"member_id": m, key: k, "ip": ip} for m, k, ip in ips],
    )


# -- portal sessions and sign-in tokens -----------------------------------------------------
def add_session(session: Session, row: MemberSession) -> None:
    session.add(row)
    session.flush()


def session_with_member(session: Session, id_hash: str) -> tuple[Any, ...] | None:
    """``(member_id, csrf_token, last_seen_at, expires_at, external_id, locale,
    is_erased)`` of the session with this digest, in one query; None when unknown."""
    row = session.execute(
        select(
            MemberSession.member_id,
            MemberSession.csrf_token,
            MemberSession.last_seen_at,
            MemberSession.expires_at,
            Member.external_id,
            Member.locale,
            Member.erased_at.is_not(None),
        )
        .join(Member, Member.id == MemberSession.member_id)
        .where(MemberSession.id_hash == id_hash)
    ).first()
    return None if row is None else tuple(row)


def touch_session(session: Session, id_hash: str, now: datetime) -> None:
    session.execute(
        update(MemberSession).where(MemberSession.id_hash == id_hash).values(last_seen_at=now)
    )


def delete_session(session: Session, id_hash: str) -> int:
    result = session.execute(delete(MemberSession).where(MemberSession.id_hash == id_hash))
    return int(getattr(result, "rowcount", 0) or 0)


def delete_sessions_expired(session: Session, now: datetime, limit: int) -> int:
    """Delete up to ``limit`` sessions and sign-in tokens past their absolute expiry."""
    done = 0
    for model, key in (
        (MemberSession, MemberSession.id_hash),
        (SignInToken, SignInToken.token_hash),
    ):
        expired = select(key).where(model.expires_at <= now).limit(limit).scalar_subquery()
        result = session.execute(delete(model).where(key.in_(expired)))
        done += int(getattr(result, "rowcount", 0) or 0)
    return done


def add_sign_in_token(session: Session, row: SignInToken) -> None:
    session.add(row)
    session.flush()


def use_sign_in_token(session: Session, token_hash: str, now: datetime) -> int | None:
    """Mark the token used if it is unused and unexpired (one conditional update, so two
    requests with one link cannot both win); its member's id, or None."""
    found = session.execute(
        update(SignInToken)
        .where(
            SignInToken.token_hash == token_hash,
            SignInToken.used_at.is_(None),
            SignInToken.expires_at > now,
        )
        .values(used_at=now)
        .returning(SignInToken.member_id)
    ).first()
    return None if found is None else int(found[0])


# -- exports ---------------------------------------------------------------------------------
_EXPORT_COLUMNS = (
    "id, external_id, locale, timezone, enrolled_at, created_at, updated_at, erased_at, "
    "CASE WHEN email_index IS NULL THEN 0 ELSE 1 END, "
    "CASE WHEN phone_index IS NULL THEN 0 ELSE 1 END, "
    "COALESCE(CAST(segments AS TEXT), '[]'), COALESCE(CAST(attributes AS TEXT), '{}')"
)
_EXPORT_SEALED = ", email, phone, first_name, last_name, birthday, data_key"


def export_rows(session: Session, *, after: int, limit: int, personal: bool) -> list[Any]:
    """Up to ``limit`` members above id ``after``, ascending: ``(id, external_id, locale,
    timezone, enrolled_at, created_at, updated_at, erased_at, has_email, has_phone,
    segments, attributes)`` (the flags as 0 or 1, the last two as their stored JSON text),
    and with ``personal`` the sealed ``email, phone, first_name, last_name, birthday`` and
    the wrapped data key.

    On the driver's cursor (in the unit's transaction): through SQLAlchemy, building its
    rows was half of reading a million members. On SQLite the four times come as their
    stored UTC text (``YYYY-MM-DD HH:MM:SS.ffffff``), for the caller to parse in bulk."""
    columns = _EXPORT_COLUMNS + (_EXPORT_SEALED if personal else "")
    return RawReader.on_session(session).all(
        f"SELECT {columns} FROM members WHERE id > ? ORDER BY id LIMIT ?",  # noqa: S608
        (after, limit),
    )


def page_in_segment(
    session: Session, segment: str, *, after: str | None, limit: int
) -> Sequence[Member]:
    """Up to ``limit`` members holding ``segment`` in their segments, by external id above
    ``after`` (keyset paging), erased members left out."""
    if session.get_bind().dialect.name == "postgresql":
        holds: ColumnElement[bool] = Member.segments.op("@>")(
            sa_cast(literal([segment], JSON()), JSONB())
        )
    else:
        each = func.json_each(Member.segments).table_valued("value")
        holds = select(literal(1)).select_from(each).where(each.c.value == segment).exists()
    query = select(Member).where(holds, Member.erased_at.is_(None))
    if after is not None:
        query = query.where(Member.external_id > after)
    return session.scalars(query.order_by(Member.external_id).limit(limit)).all()
