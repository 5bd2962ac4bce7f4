"""The personal part of stored events: a member event's profile fields and a survey
answer's comment (free text) are kept only sealed under the member's data key, in
``data.sealed`` (their names in ``data.personal_fields``); rotation moves the ones still in
a legacy format (sealed by a master key, or a comment in the clear) under the member's key."""

from __future__ import annotations

from typing import Any

import orjson

from loyalist.activities import repository
from loyalist.activities.models import PERSONAL, EventType
from loyalist.db.crypto import MemberCipher
from loyalist.db.uow import UnitOfWork
from loyalist.members import service as members

_PROFILE = ("email", "phone", "first_name", "last_name", "birthday")
#: The fields of a stored event kept only sealed, by type.
SEALED_FIELDS: dict[str, tuple[str, ...]] = {
    EventType.MEMBER_ENROLLED: _PROFILE,
    EventType.MEMBER_UPDATED: _PROFILE,
    EventType.SURVEY_ANSWERED: ("comment",),
}
_TYPES = sorted(SEALED_FIELDS)
_FIELDS = sorted({f for fields in SEALED_FIELDS.values() for f in fields})


def personal_part(kind: str, data: Any) -> dict[str, Any]:
    """The fields of a stored event of type ``kind`` to keep only sealed (none: empty)."""
    fields = SEALED_FIELDS.get(kind)
    if not fields or not isinstance(data, dict):
        return {}
    return {k: data[k] for k in fields if k in data}


def seal_personal(
    data: dict[str, Any], personal: dict[str, Any], cipher: MemberCipher
) -> dict[str, Any]:
    """``data`` with its ``personal`` fields only sealed under the member's key."""
    kept = {k: v for k, v in data.items() if k not in personal}
    kept["personal_fields"] = sorted(personal)
    kept["sealed"] = cipher.seal(PERSONAL, orjson.dumps(personal).decode())
    return kept


def open_personal(data: dict[str, Any], cipher: MemberCipher) -> dict[str, Any] | None:
    """The sealed fields of stored event data (None: nothing sealed, or erased)."""
    opened = cipher.open(PERSONAL, data.get("sealed"))
    return None if opened is None else dict(orjson.loads(opened))


def count_to_reseal(uow: UnitOfWork) -> int:
    return repository.count_to_reseal(uow.session, _TYPES, _FIELDS)


def reseal(uow: UnitOfWork, after: int, limit: int) -> tuple[int | None, int]:
    """Seal the personal part of the next ``limit`` stored events above id ``after`` still
    in a legacy format under their members' keys (made where missing). Returns the last
    id done (None: none left) and how many changed.

    Raises:
        MasterKeyMissingError: a value is sealed by a master key that is not in the keyring.
    """
    rows = repository.to_reseal(uow.session, after, limit, _TYPES, _FIELDS)
    if not rows:
        return None, 0
    found = members.ciphers(uow, {member_id for _, member_id, _, _ in rows}, create=True)
    changed: dict[int, dict[str, Any]] = {}
    for activity_id, member_id, kind, data in rows:
        cipher = found[member_id]
        plain = {k: v for k, v in data.items() if k not in ("sealed", "personal_fields")}
        personal = personal_part(kind, plain)
        if "sealed" in data:
            personal = {**personal, **(open_personal(data, cipher) or {})}
        changed[activity_id] = seal_personal(plain, personal, cipher)
    repository.write_data(uow.session, changed)
    return rows[-1][0], len(changed)
