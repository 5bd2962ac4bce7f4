"""Problems of API keys: creating, authenticating and revoking them."""

from __future__ import annotations

from loyalist.errors import InvalidRequestError, NotFoundError, UnauthorizedError


class ApiKeyNameMissingError(InvalidRequestError):
    """An API key is created without a name."""

    code = "api_key_name_missing"


class ApiKeyScopeInvalidError(InvalidRequestError):
    """An API key is created with an unknown scope or with none."""

    code = "api_key_scope_invalid"


class ApiKeyInvalidError(UnauthorizedError):
    """The API key sent is malformed or unknown."""

    code = "api_key_invalid"


class ApiKeyRevokedError(UnauthorizedError):
    """The API key sent was revoked."""

    code = "api_key_revoked"


class ApiKeyNotFoundError(NotFoundError):
    """No API key has the id or prefix to revoke."""

    code = "api_key_not_found"
