"""API key use cases: create (the secret is shown once), authenticate, list, revoke."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from loyalist.db.uow import UnitOfWork
from loyalist.errors import InvalidRequestError, NotFoundError, UnauthorizedError
from loyalist.staff import repository
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
        raise InvalidRequestError("an API key needs a name", code="api_key_name_missing")
    unknown = sorted(set(scopes) - {s.value for s in Scope})
    if unknown or not scopes:
        raise InvalidRequestError(
            f"unknown scopes {unknown}; choose from {[s.value for s in Scope]}"
            if unknown
            else "an API key needs at least one scope",
            code="api_key_scope_invalid",
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
        raise UnauthorizedError("malformed API key", code="api_key_invalid")
    prefix, _, secret = token[len(_PREFIX) :].partition("_")
    key = repository.key_by_prefix(uow.session, prefix)
    if key is None or not hmac.compare_digest(key.secret_hash, _digest(secret)):
        raise UnauthorizedError("unknown API key", code="api_key_invalid")
    if key.revoked_at is not None:
        raise UnauthorizedError("this API key was revoked", code="api_key_revoked")
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
        raise NotFoundError(f"no API key {key_ref!r}", code="api_key_not_found")
    if key.revoked_at is None:
        key.revoked_at = uow.now
    uow.session.flush()
    return key
