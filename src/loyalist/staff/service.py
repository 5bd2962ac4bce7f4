"""Who calls (``Principal``), what roles grant (``permissions_of``), and the API key use
cases: create (the secret is shown once), authenticate, list, revoke."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from loyalist.audit import service as audit
from loyalist.audit.models import Actor, ActorKind
from loyalist.db.crypto import active_keyring
from loyalist.db.uow import UnitOfWork
from loyalist.staff import repository
from loyalist.staff.errors import (
    ApiKeyInvalidError,
    ApiKeyNameMissingError,
    ApiKeyNotFoundError,
    ApiKeyRevokedError,
    ApiKeyScopeInvalidError,
)
from loyalist.staff.models import ApiKey, Permission, Scope
from loyalist.staff.policy import BUILTIN_ROLES

_PREFIX = "lk_"
_PREFIX_HEX_DIGITS = 12


_EVERY_PERMISSION = frozenset(Permission)


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: an API key (its id, name and scopes; ``admin`` implies every scope)
    or a signed-in staff user (the permissions of their roles), and the ``actor`` audit rows
    name (a staff user's id is the actor's).

    A staff user's session acts with the ``admin`` scope when their roles grant every
    permission (owner, admin) and with none otherwise, until every route is guarded by a
    permission instead of a scope."""

    key_id: int | None
    name: str
    scopes: frozenset[str]
    actor: Actor
    permissions: frozenset[Permission] = frozenset()

    def allows(self, scope: Scope) -> bool:
        return Scope.ADMIN in self.scopes or scope in self.scopes


def staff_principal(user_id: int, name: str, permissions: frozenset[Permission]) -> Principal:
    """A signed-in staff user as a caller (the actor without its request's address: the
    entry point adds it)."""
    everything = permissions >= _EVERY_PERMISSION
    return Principal(
        key_id=None,
        name=name,
        scopes=frozenset({Scope.ADMIN.value}) if everything else frozenset(),
        actor=Actor(ActorKind.STAFF, id=str(user_id), label=name),
        permissions=permissions,
    )


def permissions_of(uow: UnitOfWork, role_slugs: Iterable[str]) -> frozenset[Permission]:
    """Every permission the roles grant (unknown slugs grant nothing)."""
    found: set[Permission] = set()
    for slug in role_slugs:
        role = BUILTIN_ROLES.get(slug)
        if role is not None:
            found |= role.permissions
    return frozenset(found)


def unknown_roles(uow: UnitOfWork, role_slugs: Iterable[str]) -> list[str]:
    """The slugs no role has, sorted."""
    return sorted(set(role_slugs) - BUILTIN_ROLES.keys())


def record_staff_act(
    uow: UnitOfWork,
    actor: Actor,
    action: str,
    user_id: int | None,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """An audit row about a staff user (``staff.*``): never their email or password."""
    audit.record(
        uow,
        actor,
        action,
        target_type="staff_user",
        target_id=str(user_id) if user_id is not None else None,
        before=before,
        after=after,
    )


def staff_email_index(email: str) -> str:
    """The blind index a staff user's email is found by (trimmed, lower case)."""
    return active_keyring().blind_index(email.strip().lower(), "staff.email")


def _digest(secret: str) -> str:
    # The secret carries 256 bits of entropy, so a fast hash is enough (no dictionary to
    # attack) and keeps authentication off the hot path's critical time.
    return hashlib.sha256(secret.encode()).hexdigest()


def create_api_key(uow: UnitOfWork, name: str, scopes: Sequence[str]) -> tuple[ApiKey, str]:
    """Create a key and return it with the full token, which is never stored.

    Raises:
        InvalidRequestError: an unknown scope or an empty name.
    """
    if not name.strip():
        raise ApiKeyNameMissingError("an API key needs a name")
    unknown = sorted(set(scopes) - {s.value for s in Scope})
    if unknown or not scopes:
        raise ApiKeyScopeInvalidError(
            f"unknown scopes {unknown}; choose from {[s.value for s in Scope]}"
            if unknown
            else "an API key needs at least one scope",
        )
    prefix = secrets.token_hex(_PREFIX_HEX_DIGITS // 2)
    secret = secrets.token_urlsafe(32)
    key = ApiKey(
        name=name.strip(),
        prefix=prefix,
        secret_hash=_digest(secret),
        scopes=sorted(set(scopes)),
        created_at=uow.now,
        revoked_at=None,
    )
    uow.session.add(key)
    uow.session.flush()
    return key, f"{_PREFIX}{prefix}_{secret}"


def authenticate(uow: UnitOfWork, token: str) -> Principal:
    """Raises:
    UnauthorizedError: malformed, unknown or revoked key.
    """
    if not token.startswith(_PREFIX) or token.count("_") < 2:
        raise ApiKeyInvalidError("malformed API key")
    prefix, _, secret = token[len(_PREFIX) :].partition("_")
    key = repository.key_by_prefix(uow.session, prefix)
    if key is None or not hmac.compare_digest(key.secret_hash, _digest(secret)):
        raise ApiKeyInvalidError("unknown API key")
    if key.revoked_at is not None:
        raise ApiKeyRevokedError("this API key was revoked")
    scopes = frozenset(key.scopes)
    return Principal(
        key_id=key.id,
        name=key.name,
        scopes=scopes,
        actor=Actor(ActorKind.API_KEY, id=str(key.id), label=key.name),
        permissions=_EVERY_PERMISSION if Scope.ADMIN in scopes else frozenset(),
    )


def list_api_keys(uow: UnitOfWork) -> Sequence[ApiKey]:
    return repository.api_keys(uow.session)


def revoke_api_key(uow: UnitOfWork, key_ref: str) -> ApiKey:
    """Revoke by numeric id or prefix. Raises NotFoundError."""
    # Prefixes are 12 hex digits and may be all digits: that length always means a prefix.
    by_id = key_ref.isdigit() and len(key_ref) < _PREFIX_HEX_DIGITS
    session = uow.session
    key = (
        repository.key_by_id(session, int(key_ref))
        if by_id
        else repository.key_by_prefix(session, key_ref)
    )
    if key is None:
        raise ApiKeyNotFoundError(f"no API key {key_ref!r}")
    if key.revoked_at is None:
        key.revoked_at = uow.now
    uow.session.flush()
    return key
