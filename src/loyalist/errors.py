"""Domain errors with stable codes; the API maps them to problem+json, the CLI to exit codes.

This module holds the families (one per HTTP status and exit code) and the few problems
every layer may raise. Each concrete problem is a class of its own, with a ``code`` and a
one-line docstring saying when it happens, in the ``errors.py`` of the package that
raises it (``ledger/errors.py``, ``api/errors.py``, ``cli/errors.py``, …); a family is
never raised itself. Exception tree::

    DomainError                      base, never raised itself
    ├── InvalidRequestError   422    input that cannot be applied (with field errors)
    ├── UnauthorizedError     401    missing or bad credentials
    ├── PermissionDeniedError 403    authenticated but not allowed
    ├── NotFoundError         404    a referenced thing does not exist
    ├── RateLimitedError      429    too many attempts (coupon guessing protection)
    ├── ConflictError         409    state forbids it: lost race, idempotency key reuse, balance
    ├── PreconditionRequiredError 428  a write that must not apply twice came without its key
    └── SetupError         (exit 1)  the command line cannot start: settings, key, database
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar


@dataclass(frozen=True, slots=True)
class FieldError:
    """One problem with one input field; ``pointer`` is an RFC 6901 JSON pointer."""

    pointer: str
    detail: str


class DomainError(Exception):
    status: ClassVar[int] = 400
    title: ClassVar[str] = "Bad request"
    exit_code: ClassVar[int] = 2
    #: The stable problem code, set by each concrete class (never by a family).
    code: ClassVar[str]

    def __init__(
        self,
        detail: str,
        *,
        errors: list[FieldError] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors or []
        self.extra = extra or {}


class InvalidRequestError(DomainError):
    status = 422
    title = "Invalid request"
    exit_code = 2


class UnauthorizedError(DomainError):
    status = 401
    title = "Unauthorized"
    exit_code = 5


class PermissionDeniedError(DomainError):
    status = 403
    title = "Permission denied"
    exit_code = 5


class NotFoundError(DomainError):
    status = 404
    title = "Not found"
    exit_code = 3


class RateLimitedError(DomainError):
    """Too many attempts; ``retry_after`` seconds until the next one is allowed."""

    status = 429
    title = "Too many requests"
    exit_code = 4

    def __init__(self, detail: str, *, retry_after: int) -> None:
        super().__init__(detail)
        self.retry_after = retry_after


class ConflictError(DomainError):
    status = 409
    title = "Conflict"
    exit_code = 4


class PreconditionRequiredError(DomainError):
    """A write that must not apply twice came without the header that makes a retry safe."""

    status = 428
    title = "Precondition required"
    exit_code = 2


class SetupError(DomainError):
    """The application cannot start: bad settings, no or bad key, database unreachable.
    Raised by the command line's start-up only (the API starts or fails before serving)."""

    status = 500
    title = "Set-up error"
    exit_code = 1


# -- problems any layer raises ------------------------------------------------------------
class RequestInvalidError(InvalidRequestError):
    """The request's body, query or path does not have the expected shape."""

    code = "request_invalid"


class IdempotencyKeyReusedError(ConflictError):
    """An idempotency key is sent again with a different request."""

    code = "idempotency_key_reused"


class KeyMissingError(SetupError):
    """There is no secret key: neither ``LOYALIST_SECRET_KEY`` nor a key file."""

    code = "key_missing"


class MasterKeyMissingError(SetupError):
    """A key or value is under a master key neither set nor in ``LOYALIST_RETIRED_KEYS``."""

    code = "master_key_missing"


class IndexKeyMissingError(SetupError):
    """The database holds no blind-index key: it was not migrated by ``loyalist init``."""

    code = "index_key_missing"
