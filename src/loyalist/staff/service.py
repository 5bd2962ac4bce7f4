"""API key use cases: create (the secret is shown once), authenticate, list, revoke."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from loyalist.db.uow import UnitOfWork
from loyalist.staff import repository
from loyalist.staff.errors import (
    ApiKeyInvalidError,
    ApiKeyNameMissingError,
    ApiKeyNotFoundError,
    ApiKeyRevokedError,
    ApiKeyScopeInvalidError,
)
from loyalist.staff.models import ApiKey, Scope

_PREFIX = "lk_"
_PREFIX_HEX_DIGITS = 12


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: an API key's id, name and scopes (``admin`` implies every scope)."""

    key_id: int
    name: str
    scopes: frozenset[str]

    def allows(self, scope: Scope) -> bool:
        return Scope.ADMIN in self.scopes or scope in self.scopes


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
    return Principal(key_id=key.id, name=key.name, scopes=frozenset(key.scopes))


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
