"""Member queries."""

from __future__ import annotations

import secrets
from collections.abc import Collection, Iterable, Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, and_, delete, func, insert, select, text
from sqlalchemy.orm import Session

from loyalist.db.bulk import insert_rows, update_rows
from loyalist.db.raw import Cursor, RawReader, chunks_in, rows_in
from loyalist.members.models import (
    Consent,
    ConsentChange,
    ConsentPurpose,
    ConsentText,
    Device,
    Member,
)
from loyalist.members.policy import Held

_MEMBER = cast(Table, Member.__table__)
_CONSENT = cast(Table, Consent.__table__)
_CONSENT_CHANGE = cast(Table, ConsentChange.__table__)


def find_by_external_id(session: Session, external_id: str) -> Member | None:
    return session.scalar(select(Member).where(Member.external_id == external_id))


def ids_by_external_id(session: Session, external_ids: Iterable[str]) -> dict[str, int]:
    rows = rows_in(
        RawReader.on_session(session),
        _MEMBER,
        ("external_id", "id"),
        "external_id",
        list(set(external_ids)),
    )
    return dict(rows)


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
) -> dict[int, tuple[dict[str, Any] | None, datetime | None]]:
    """``(attributes, enrolled_at)`` of the members, what a profile change merges with."""
    wanted = sorted(set(ids))
    found: dict[int, tuple[dict[str, Any] | None, datetime | None]] = {}
    for start in range(0, len(wanted), 500):
        rows = session.execute(
            select(Member.id, Member.attributes, Member.enrolled_at).where(
                Member.id.in_(wanted[start : start + 500])
            )
        )
        found.update({mid: (attributes, enrolled) for mid, attributes, enrolled in rows})
    return found


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


def by_index(session: Session, column: str, digest: str) -> Sequence[Member]:
    col = Member.email_index if column == "email" else Member.phone_index
    return session.scalars(select(Member).where(col == digest).order_by(Member.id)).all()


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
    """``(id, external_id, enrolled_at, attributes, segments, birthday, profile_complete)``."""
    wanted = list(set(ids))
    out: list[tuple[Any, ...]] = []
    for start in range(0, len(wanted), 500):
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
            ).where(Member.id.in_(wanted[start : start + 500]))
        )
        out.extend(tuple(row) for row in rows)
    return out


def contacts(session: Session, ids: Iterable[int]) -> list[tuple[Any, ...]]:
    """``(id, external_id, email, phone, first_name, locale, timezone)``, decrypted."""
    wanted = sorted(set(ids))
    out: list[tuple[Any, ...]] = []
    for start in range(0, len(wanted), 500):
        rows = session.execute(
            select(
                Member.id,
                Member.external_id,
                Member.email,
                Member.phone,
                Member.first_name,
                Member.locale,
                Member.timezone,
            ).where(Member.id.in_(wanted[start : start + 500]))
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
    given), decrypted."""
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
