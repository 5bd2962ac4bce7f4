"""Domain errors with stable codes; the API maps them to problem+json, the CLI to exit codes.

Exception tree::

    DomainError                      base, never raised itself
    ├── InvalidRequestError   422    input that cannot be applied (with field errors)
    ├── UnauthorizedError     401    missing or bad credentials
    ├── PermissionDeniedError 403    authenticated but not allowed
    ├── NotFoundError         404    a referenced thing does not exist
    ├── RateLimitedError      429    too many attempts (coupon guessing protection)
    └── ConflictError         409    state forbids it: lost race, idempotency key reuse, balance
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

    def __init__(
        self,
        detail: str,
        *,
        code: str,
        errors: list[FieldError] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.code = code
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

    def __init__(self, detail: str, *, code: str, retry_after: int) -> None:
        super().__init__(detail, code=code)
        self.retry_after = retry_after


class ConflictError(DomainError):
    status = 409
    title = "Conflict"
    exit_code = 4
