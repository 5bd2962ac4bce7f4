"""Problems of API keys and roles: creating, authenticating, rotating and revoking keys;
creating, changing and deleting roles; granting what one does not hold."""

from __future__ import annotations

from loyalist.errors import (
    ConflictError,
    InvalidRequestError,
    NotFoundError,
    PermissionDeniedError,
    UnauthorizedError,
)


class ApiKeyNameMissingError(InvalidRequestError):
    """An API key is created without a name."""

    code = "api_key_name_missing"


class ApiKeyScopeInvalidError(InvalidRequestError):
    """An API key is created with an unknown scope, with neither scopes nor a role, or both."""

    code = "api_key_scope_invalid"


class ApiKeyOwnerInvalidError(InvalidRequestError):
    """An API key is given both a staff owner and a named integration as its owner."""

    code = "api_key_owner_invalid"


class ApiKeyRoleUnknownError(InvalidRequestError):
    """An API key is created with a role that does not exist."""

    code = "api_key_role_unknown"


class ApiKeyInvalidError(UnauthorizedError):
    """The API key sent is malformed or unknown."""

    code = "api_key_invalid"


class ApiKeyRevokedError(UnauthorizedError):
    """The API key sent was revoked."""

    code = "api_key_revoked"


class ApiKeyNotFoundError(NotFoundError):
    """No API key has the id or prefix given."""

    code = "api_key_not_found"


class ApiKeyRevokedAlreadyError(ConflictError):
    """A revoked API key is rotated: a revoked key stays revoked."""

    code = "api_key_revoked_already"


class PermissionUnknownError(InvalidRequestError):
    """A role is given a permission that does not exist."""

    code = "permission_unknown"


class RoleNotFoundError(NotFoundError):
    """No role has the slug given."""

    code = "role_not_found"


class RoleExistsError(ConflictError):
    """A role is created with the slug of an existing role."""

    code = "role_exists"


class RoleBuiltinError(ConflictError):
    """A built-in role is changed or deleted: only custom roles are."""

    code = "role_builtin"


class RoleInUseError(ConflictError):
    """A role that API keys act with is deleted."""

    code = "role_in_use"


class GrantBeyondOwnError(PermissionDeniedError):
    """A key or role would grant a permission its creator does not hold."""

    code = "grant_beyond_own"
