"""Members' data keys (envelope encryption): one random 256-bit key per member, stored in
``members.data_key`` wrapped by the master key. A unit of work reads each member's wrapped
key once (``ciphers``; the rows that carry personal data bring it along) and the process
unwraps it once while it stays in the keyring's bounded cache. Keys are made on first need,
destroyed by erasure, rewrapped and the legacy values resealed by rotation."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from loyalist.db.crypto import Field, MemberCipher, active_keyring, is_sealed
from loyalist.db.uow import UnitOfWork
from loyalist.members import repository
from loyalist.members.models import DEVICE_TOKEN, PROFILE_FIELDS

_UNIT = "members.ciphers"
_LOCKED = "members.locked"


def _memo(uow: UnitOfWork) -> dict[int, MemberCipher]:
    found: dict[int, MemberCipher] | None = uow.state.get(_UNIT)
    if found is None:
        found = uow.state[_UNIT] = {}
    return found


def lock(uow: UnitOfWork, ids: Iterable[int]) -> None:
    """Lock the members' rows in key order, once per unit (a second call for the same
    members takes no statement: the locks hold to the end of the transaction)."""
    done: set[int] | None = uow.state.get(_LOCKED)
    if done is None:
        done = uow.state[_LOCKED] = set()
    wanted = set(ids) - done
    if wanted:
        repository.lock(uow.session, sorted(wanted))
        done.update(wanted)


def known(uow: UnitOfWork, wrapped: Mapping[int, str | None]) -> dict[int, MemberCipher]:
    """The ciphers of members whose wrapped keys were just read with their rows (kept for
    the unit: later calls of ``ciphers`` for them take no query)."""
    memo = _memo(uow)
    keyring = active_keyring()
    for member_id, key in wrapped.items():
        if member_id not in memo:
            memo[member_id] = keyring.cipher(member_id, key)
    return {m: memo[m] for m in wrapped}


def ciphers(
    uow: UnitOfWork, member_ids: Iterable[int], *, create: bool = False
) -> dict[int, MemberCipher]:
    """Each member's cipher, for sealing and opening their personal values; ``create``
    makes a data key for members without one (all of them at once). An unknown member,
    or one without a key when ``create`` is false, gets an empty cipher (opens nothing
    sealed under a member key, seals nothing).

    Raises:
        MasterKeyMissingError: a key is wrapped by a master key that is not in the keyring.
    """
    wanted = set(member_ids)
    memo = _memo(uow)
    missing = [m for m in wanted if m not in memo]
    if missing:
        stored = repository.data_keys(uow.session, missing)
        known(uow, {m: stored.get(m) for m in missing})
    if create:
        keyless = sorted(m for m in wanted if not memo[m].has_key)
        if keyless:
            memo.update(_create(uow, keyless))
    return {m: memo[m] for m in wanted}


def _create(uow: UnitOfWork, ids: Sequence[int]) -> dict[int, MemberCipher]:
    """New keys for members without one, set only where none was set meanwhile (a
    concurrent unit's key wins and is read back)."""
    keyring = active_keyring()
    made = keyring.new_data_keys(ids)
    repository.set_missing_data_keys(uow.session, {m: wrapped for m, (wrapped, _) in made.items()})
    stored = repository.data_keys(uow.session, ids)
    return {
        m: made[m][1] if stored.get(m) == made[m][0] else keyring.cipher(m, stored.get(m))
        for m in ids
    }


def keys_for_profiles(
    uow: UnitOfWork, wrapped: Mapping[int, str | None]
) -> tuple[dict[int, MemberCipher], dict[int, str]]:
    """Ciphers for members whose profile is written now, from their wrapped keys as read
    after their rows were locked (what is stored now wins over what the unit read before),
    and the new wrapped keys of those who had none, for the caller to store with the
    profile in the same statement."""
    keyring = active_keyring()
    memo = _memo(uow)
    found = {m: keyring.cipher(m, key) for m, key in wrapped.items()}
    memo.update(found)
    keyless = [m for m, cipher in found.items() if not cipher.has_key]
    new: dict[int, str] = {}
    if keyless:
        for member_id, (key, cipher) in keyring.new_data_keys(keyless).items():
            new[member_id] = key
            found[member_id] = memo[member_id] = cipher
    return found, new


def destroy(uow: UnitOfWork, member_ids: Iterable[int]) -> int:
    """Delete the members' wrapped data keys: nothing sealed under them opens again (in
    any process: the wrapped key is gone, and the cache is keyed by it). Returns how many
    members had a key."""
    ids = sorted(set(member_ids))
    cleared = repository.clear_data_keys(uow.session, ids)
    keyring = active_keyring()
    keyring.forget(ids)
    memo = _memo(uow)
    for member_id in ids:
        memo[member_id] = keyring.cipher(member_id, None)
    return cleared


# -- rotation -------------------------------------------------------------------------------
def count_to_reseal(uow: UnitOfWork) -> int:
    """Members whose key or profile ``reseal`` would still change."""
    return repository.count_to_reseal(uow.session, active_keyring().active.key_id)


def reseal(uow: UnitOfWork, after: int, limit: int) -> tuple[int | None, int]:
    """Bring the next ``limit`` members above id ``after`` under the active master key:
    rewrap their data keys, and seal profile values still in the legacy format under their
    own keys (made where missing). Returns the last member id done (None: none left) and
    how many members changed.

    Raises:
        MasterKeyMissingError: a key or value is under a master key that is not in the keyring.
    """
    keyring = active_keyring()
    rows = repository.sealed_profiles_to_reseal(uow.session, after, limit, keyring.active.key_id)
    if not rows:
        return None, 0
    legacy_keyless = [r[0] for r in rows if r[1] is None]
    fresh = keyring.new_data_keys(legacy_keyless) if legacy_keyless else {}
    updates: list[dict[str, Any]] = []
    for member_id, wrapped, *values in rows:
        row: dict[str, Any] = {"id": member_id}
        if wrapped is None:
            wrapped = row["data_key"] = fresh[member_id][0]
        elif not keyring.is_current(wrapped):
            wrapped = row["data_key"] = keyring.rewrap_data_key(member_id, wrapped)
        legacy = [(f, v) for f, v in zip(PROFILE_FIELDS, values, strict=True) if not is_sealed(v)]
        if legacy:
            cipher = keyring.cipher(member_id, wrapped)
            row.update(
                {field.name: cipher.seal(field, cipher.open(field, v)) for field, v in legacy}
            )
        updates.append(row)
    repository.write_sealed(uow.session, updates)
    return rows[-1][0], len(updates)


def count_devices_to_reseal(uow: UnitOfWork) -> int:
    return repository.count_device_tokens_to_reseal(uow.session)


def reseal_devices(uow: UnitOfWork, after: str, limit: int) -> tuple[str | None, int]:
    """Seal the next ``limit`` push tokens above device id ``after`` still in the legacy
    format under their members' keys. Returns the last device id done (None: none left)
    and how many changed."""
    rows = repository.device_tokens_to_reseal(uow.session, after, limit)
    if not rows:
        return None, 0
    found = ciphers(uow, {member_id for _, member_id, _ in rows}, create=True)
    repository.write_device_tokens(
        uow.session,
        {
            device_id: found[member_id].seal(
                DEVICE_TOKEN, found[member_id].open(DEVICE_TOKEN, token) or ""
            )
            for device_id, member_id, token in rows
        },
    )
    return rows[-1][0], len(rows)


def count_consent_ips_to_reseal(field: Field, uow: UnitOfWork) -> int:
    return repository.count_consent_ips_to_reseal(uow.session, field.table)


def reseal_consent_ips(
    field: Field, uow: UnitOfWork, after: tuple[int, str], limit: int
) -> tuple[tuple[int, str] | None, int]:
    """Seal the next ``limit`` consent evidence IP addresses of ``field``'s table above
    ``(member id, key)`` ``after`` still in the legacy format under their members' keys.
    Returns the last row's key (None: none left) and how many changed."""
    rows = repository.consent_ips_to_reseal(uow.session, field.table, after, limit)
    if not rows:
        return None, 0
    found = ciphers(uow, {member_id for member_id, _, _ in rows}, create=True)
    repository.write_consent_ips(
        uow.session,
        field.table,
        [(m, key, found[m].seal(field, found[m].open(field, ip) or "")) for m, key, ip in rows],
    )
    return (rows[-1][0], rows[-1][1]), len(rows)
