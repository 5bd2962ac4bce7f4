"""Who is calling (``Principal``) and what they may do: API keys (create with the secret
shown once, authenticate, rotate, revoke), roles (built-in and custom; ``permissions_of``)
and staff acts, each change audited in the caller's transaction."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from loyalist.audit import service as audit
from loyalist.audit.models import SYSTEM, Actor, ActorKind
from loyalist.db.crypto import active_keyring
from loyalist.db.uow import UnitOfWork
from loyalist.errors import FieldError
from loyalist.staff import repository
from loyalist.staff.errors import (
    ApiKeyInvalidError,
    ApiKeyNameMissingError,
    ApiKeyNotFoundError,
    ApiKeyOwnerInvalidError,
    ApiKeyRevokedAlreadyError,
    ApiKeyRevokedError,
    ApiKeyRoleUnknownError,
    ApiKeyScopeInvalidError,
    GrantBeyondOwnError,
    PermissionUnknownError,
    RoleBuiltinError,
    RoleExistsError,
    RoleInUseError,
    RoleNotFoundError,
)
from loyalist.staff.models import ApiKey, Permission, Role, Scope
from loyalist.staff.policy import beyond, known_permissions, permission_problems, scope_permissions
from loyalist.staff.schemas import RoleIn, RoleUpdate

_PREFIX = "lk_"
_PREFIX_HEX_DIGITS = 12
_EVERY_PERMISSION = frozenset(Permission)


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: the name their acts are recorded under, the permissions they act
    with, and the audit actor (an API key, a staff user or the system; the entry point adds
    the request's address and id with :meth:`at`)."""

    name: str
    permissions: frozenset[Permission]
    actor: Actor

    @property
    def ref(self) -> str:
        """``<actor kind>:<id>``: one caller across requests (limits, throttles)."""
        return f"{self.actor.kind}:{self.actor.id}"

    def at(self, ip: str | None, request_id: str | None) -> Principal:
        """The same caller, acting from ``ip`` in request ``request_id``."""
        # Built directly: ``dataclasses.replace`` costs twice as much, on every request.
        actor = self.actor
        return Principal(
            self.name, self.permissions, Actor(actor.kind, actor.id, actor.label, ip, request_id)
        )


def system_principal(actor: Actor = SYSTEM) -> Principal:
    """The system, or an operator at the command line (``actor``): every permission."""
    return Principal(name=actor.label or actor.kind, permissions=_EVERY_PERMISSION, actor=actor)


def permissions_of(uow: UnitOfWork, role_slugs: Iterable[str]) -> frozenset[Permission]:
    """Every permission the roles grant together (a slug with no role grants nothing)."""
    slugs = set(role_slugs)
    if not slugs:
        return frozenset()
    granted: set[Permission] = set()
    for role in repository.roles_by_slug(uow.session, slugs):
        granted |= known_permissions(role.permissions)
    return frozenset(granted)


def staff_principal(user_id: int, name: str, permissions: frozenset[Permission]) -> Principal:
    """A signed-in staff user as a caller (the actor without its request's address: the
    entry point adds it)."""
    return Principal(
        name=name,
        permissions=permissions,
        actor=Actor(ActorKind.STAFF, id=str(user_id), label=name),
    )


def unknown_roles(uow: UnitOfWork, role_slugs: Iterable[str]) -> list[str]:
    """The slugs no role has, sorted."""
    slugs = set(role_slugs)
    known = {role.slug for role in repository.roles_by_slug(uow.session, slugs)} if slugs else set()
    return sorted(slugs - known)


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


# -- API keys -----------------------------------------------------------------------------
def _digest(secret: str) -> str:
    # The secret carries 256 bits of entropy, so a fast hash is enough (no dictionary to
    # attack) and keeps authentication off the hot path's critical time.
    return hashlib.sha256(secret.encode()).hexdigest()


def _key_view(key: ApiKey) -> dict[str, Any]:
    return {
        "name": key.name,
        "prefix": key.prefix,
        "scopes": list(key.scopes),
        "role": key.role_slug,
        "owner": key.owner,
        "owner_staff_id": key.owner_staff_id,
    }


def _key_permissions(uow: UnitOfWork, key: ApiKey) -> frozenset[Permission]:
    """A key acts with its role's permissions when it has a role, else its scopes'."""
    if key.role_slug is not None:
        return permissions_of(uow, [key.role_slug])
    return scope_permissions(key.scopes)


def _refuse_beyond(granted: Iterable[Permission], by: Principal, what: str) -> None:
    extra = beyond(granted, by.permissions)
    if extra:
        raise GrantBeyondOwnError(
            f"{what} would grant {', '.join(extra)}, which you do not hold yourself"
        )


def create_api_key(
    uow: UnitOfWork,
    name: str,
    scopes: Sequence[str],
    *,
    role: str | None = None,
    owner: str | None = None,
    owner_staff_id: int | None = None,
    by: Principal | None = None,
) -> tuple[ApiKey, str]:
    """Create a key and return it with the full token, which is never stored. The key acts
    with ``role``'s permissions, or else with those of its ``scopes`` (one of the two);
    its owner is a staff user or a named integration (default: the integration named like
    the key). Audited as ``apikey.created``.

    Raises:
        InvalidRequestError: an empty name, an unknown scope, neither or both of scopes and
            a role, an unknown role, two owners.
        PermissionDeniedError: ``grant_beyond_own``, the key would hold a permission ``by``
            (default: the system) does not.
    """
    by = by or system_principal()
    name = name.strip()
    if not name:
        raise ApiKeyNameMissingError(
            "an API key needs a name", errors=[FieldError("/name", "empty")]
        )
    unknown = sorted(set(scopes) - {s.value for s in Scope})
    if unknown:
        raise ApiKeyScopeInvalidError(
            f"unknown scopes {unknown}; choose from {[s.value for s in Scope]}",
            errors=[FieldError("/scopes", f"unknown: {', '.join(unknown)}")],
        )
    if bool(scopes) == (role is not None):
        raise ApiKeyScopeInvalidError(
            "an API key has scopes or a role (it acts with the role's permissions), "
            + ("not both" if scopes else "and has neither"),
            errors=[FieldError("/scopes" if scopes else "/role", "scopes or a role")],
        )
    if owner is not None and owner_staff_id is not None:
        raise ApiKeyOwnerInvalidError(
            "a key is owned by a staff user or by a named integration, not both",
            errors=[FieldError("/owner", "give owner or owner_staff_id")],
        )
    granted = scope_permissions(scopes)
    if role is not None:
        found = repository.role_by_slug(uow.session, role)
        if found is None:
            raise ApiKeyRoleUnknownError(
                f"no role {role!r}", errors=[FieldError("/role", "unknown role")]
            )
        granted = known_permissions(found.permissions)
    _refuse_beyond(granted, by, "this key")
    prefix = secrets.token_hex(_PREFIX_HEX_DIGITS // 2)
    secret = secrets.token_urlsafe(32)
    key = ApiKey(
        name=name,
        prefix=prefix,
        secret_hash=_digest(secret),
        scopes=sorted(set(scopes)),
        role_slug=role,
        owner=owner if owner is not None or owner_staff_id is not None else name,
        owner_staff_id=owner_staff_id,
        created_at=uow.now,
        rotated_at=None,
        revoked_at=None,
    )
    repository.add(uow.session, key)
    audit.record(
        uow,
        by.actor,
        "apikey.created",
        target_type="api_key",
        target_id=str(key.id),
        after=_key_view(key),
    )
    return key, f"{_PREFIX}{prefix}_{secret}"


def authenticate(uow: UnitOfWork, token: str) -> Principal:
    """The caller a token stands for, with the permissions its key acts with.

    Raises:
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
    return Principal(
        name=key.name,
        permissions=_key_permissions(uow, key),
        actor=Actor(ActorKind.API_KEY, id=str(key.id), label=key.name),
    )


def list_api_keys(uow: UnitOfWork) -> Sequence[ApiKey]:
    return repository.api_keys(uow.session)


def get_api_key(uow: UnitOfWork, key_ref: int | str) -> ApiKey:
    """A key by id (an int), or by the text of its id or its prefix. Raises NotFoundError."""
    session = uow.session
    if isinstance(key_ref, int):
        key = repository.key_by_id(session, key_ref)
    elif key_ref.isdigit() and len(key_ref) < _PREFIX_HEX_DIGITS:
        # Prefixes are 12 hex digits and may be all digits: that length means a prefix.
        key = repository.key_by_id(session, int(key_ref))
    else:
        key = repository.key_by_prefix(session, key_ref)
    if key is None:
        raise ApiKeyNotFoundError(f"no API key {key_ref!r}")
    return key


def rotate_api_key(
    uow: UnitOfWork, key_ref: int | str, *, by: Principal | None = None
) -> tuple[ApiKey, str]:
    """Give a key a new secret: same id, prefix, owner and permissions; the old secret
    stops working (at once in this process, within the key cache's few seconds in
    others). Audited as ``apikey.rotated``.

    Raises:
        NotFoundError: no such key.
        ConflictError: the key is revoked.
        PermissionDeniedError: the key holds a permission ``by`` does not (whoever rotates
            it learns its secret).
    """
    by = by or system_principal()
    key = get_api_key(uow, key_ref)
    if key.revoked_at is not None:
        raise ApiKeyRevokedAlreadyError(f"API key {key.id} is revoked; create a new one")
    _refuse_beyond(_key_permissions(uow, key), by, "rotating this key")
    secret = secrets.token_urlsafe(32)
    key.secret_hash = _digest(secret)
    key.rotated_at = uow.now
    uow.session.flush()
    audit.record(
        uow,
        by.actor,
        "apikey.rotated",
        target_type="api_key",
        target_id=str(key.id),
        after={"prefix": key.prefix},
    )
    return key, f"{_PREFIX}{key.prefix}_{secret}"


def revoke_api_key(uow: UnitOfWork, key_ref: int | str, *, by: Principal | None = None) -> ApiKey:
    """Revoke by numeric id or prefix (again: no change). Audited as ``apikey.revoked``.
    Anyone who manages keys may revoke any key: a leaked key must stop at once.

    Raises:
        NotFoundError: no such key.
    """
    key = get_api_key(uow, key_ref)
    if key.revoked_at is None:
        key.revoked_at = uow.now
        uow.session.flush()
        audit.record(
            uow,
            (by or system_principal()).actor,
            "apikey.revoked",
            target_type="api_key",
            target_id=str(key.id),
            before=_key_view(key),
        )
    return key


# -- roles --------------------------------------------------------------------------------
def _role_view(role: Role) -> dict[str, Any]:
    return {"name": role.name, "permissions": list(role.permissions)}


def list_roles(uow: UnitOfWork) -> Sequence[Role]:
    """Built-in roles first, then custom ones, by slug."""
    return repository.roles(uow.session)


def get_role(uow: UnitOfWork, slug: str) -> Role:
    """Raises NotFoundError."""
    role = repository.role_by_slug(uow.session, slug)
    if role is None:
        raise RoleNotFoundError(f"no role {slug!r}")
    return role


def _checked_permissions(spec: RoleUpdate, by: Principal) -> list[str]:
    problems = permission_problems(spec.permissions, "/permissions")
    if problems:
        raise PermissionUnknownError(
            f"unknown permissions; choose from {sorted(p.value for p in Permission)}",
            errors=problems,
        )
    granted = known_permissions(spec.permissions)
    _refuse_beyond(granted, by, "this role")
    return sorted(p.value for p in granted)


def create_role(uow: UnitOfWork, spec: RoleIn, *, by: Principal) -> Role:
    """A custom role. Audited as ``role.created``.

    Raises:
        InvalidRequestError: an unknown permission (pointing at it).
        ConflictError: a role has the slug.
        PermissionDeniedError: the role would grant a permission ``by`` does not hold.
    """
    permissions = _checked_permissions(spec, by)
    if repository.role_by_slug(uow.session, spec.slug) is not None:
        raise RoleExistsError(f"a role {spec.slug!r} exists", errors=[FieldError("/slug", "taken")])
    role = Role(
        slug=spec.slug,
        name=spec.name,
        permissions=permissions,
        is_builtin=False,
        created_at=uow.now,
        updated_at=uow.now,
    )
    repository.add(uow.session, role)
    audit.record(
        uow,
        by.actor,
        "role.created",
        target_type="role",
        target_id=role.slug,
        after=_role_view(role),
    )
    return role


def _custom(uow: UnitOfWork, slug: str, doing: str) -> Role:
    role = get_role(uow, slug)
    if role.is_builtin:
        raise RoleBuiltinError(
            f"{slug!r} is a built-in role and cannot be {doing}; create a custom role instead"
        )
    return role


def update_role(uow: UnitOfWork, slug: str, spec: RoleUpdate, *, by: Principal) -> Role:
    """Replace a custom role's name and permissions; keys acting with it act with the new
    ones (within the key cache's few seconds). Audited as ``role.changed`` (before/after).

    Raises:
        NotFoundError: no such role.
        ConflictError: a built-in role.
        InvalidRequestError: an unknown permission.
        PermissionDeniedError: the role would grant a permission ``by`` does not hold.
    """
    role = _custom(uow, slug, "changed")
    permissions = _checked_permissions(spec, by)
    before = _role_view(role)
    role.name, role.permissions, role.updated_at = spec.name, permissions, uow.now
    uow.session.flush()
    after = _role_view(role)
    if after != before:
        audit.record(
            uow,
            by.actor,
            "role.changed",
            target_type="role",
            target_id=slug,
            before=before,
            after=after,
        )
    return role


def delete_role(uow: UnitOfWork, slug: str, *, by: Principal) -> Role:
    """Delete a custom role no active key acts with (revoked keys lose the reference).
    Audited as ``role.deleted``.

    Raises:
        NotFoundError: no such role.
        ConflictError: a built-in role, or active keys act with it.
    """
    role = _custom(uow, slug, "deleted")
    using = repository.active_keys_with_role(uow.session, slug)
    if using:
        raise RoleInUseError(
            f"{using} active API keys act with {slug!r}: revoke them or create them anew first"
        )
    before = _role_view(role)
    repository.remove(uow.session, role)
    audit.record(uow, by.actor, "role.deleted", target_type="role", target_id=slug, before=before)
    return role
