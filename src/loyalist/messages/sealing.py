"""Rotation of what messages keep sealed: content still in the legacy format (sealed by a
master key, before envelope encryption) moves under the member's data key, and webhook
endpoints' secrets (which belong to no member) under the active master key."""

from __future__ import annotations

from typing import Any

from loyalist.db import resealing
from loyalist.db.crypto import active_keyring, is_sealed
from loyalist.db.uow import UnitOfWork
from loyalist.members import service as members
from loyalist.messages import repository
from loyalist.messages.models import CONTENT_FIELDS, SECRETS_PURPOSE, StaffMessage


def count_to_reseal(uow: UnitOfWork) -> int:
    return repository.count_content_to_reseal(uow.session)


def reseal(
    uow: UnitOfWork, after: tuple[int, str], limit: int
) -> tuple[tuple[int, str] | None, int]:
    """Seal the content of the next ``limit`` messages above ``after`` (``(member_id,
    id)``) still in the legacy format under their members' keys (made where missing).
    Returns the last message done (None: none left) and how many changed.

    Raises:
        MasterKeyMissingError: content is sealed by a master key that is not in the keyring.
    """
    rows = repository.content_to_reseal(uow.session, after, limit)
    if not rows:
        return None, 0
    found = members.ciphers(uow, {row[0] for row in rows}, create=True)
    changed: list[dict[str, Any]] = []
    for member_id, message_id, *values in rows:
        cipher = found[member_id]
        row: dict[str, Any] = {"member_id": member_id, "id": message_id}
        for field, value in zip(CONTENT_FIELDS, values, strict=True):
            row[field.name] = (
                value if is_sealed(value) else cipher.seal(field, cipher.open(field, value))
            )
        changed.append(row)
    repository.write_content(uow.session, changed)
    last = rows[-1]
    return (int(last[0]), str(last[1])), len(changed)


def count_secrets_to_reseal(uow: UnitOfWork) -> int:
    keyring = active_keyring()
    return sum(not keyring.is_current(v) for _, v in repository.stored_secrets(uow.session))


def reseal_secrets(uow: UnitOfWork) -> int:
    """Seal every webhook endpoint's secrets under the active master key (few rows: one
    pass). Returns how many changed.

    Raises:
        MasterKeyMissingError: secrets are sealed by a master key that is not in the keyring.
    """
    keyring = active_keyring()
    stale = {
        endpoint_id: keyring.decrypt(value, SECRETS_PURPOSE)
        for endpoint_id, value in repository.stored_secrets(uow.session)
        if not keyring.is_current(value)
    }
    repository.rewrite_secrets(uow.session, stale)
    return len(stale)


_STAFF_CONTENT = ("context", "subject", "body_text", "body_html")


def count_staff_messages_to_reseal(uow: UnitOfWork) -> int:
    return resealing.count_stale(uow.session, StaffMessage, _STAFF_CONTENT)


def reseal_staff_messages(uow: UnitOfWork, after: str, limit: int) -> tuple[str | None, int]:
    """Seal the content of the next ``limit`` staff messages above id ``after`` that is
    under a retired master key under the active one (staff messages belong to no member).
    Returns the last message done (None: none left) and how many changed.

    Raises:
        MasterKeyMissingError: content is sealed by a master key that is not in the keyring.
    """
    return resealing.reseal_stale(uow.session, StaffMessage, "id", _STAFF_CONTENT, after, limit)
