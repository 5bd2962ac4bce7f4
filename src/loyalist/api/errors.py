"""Problems of the HTTP layer itself: credentials, CSRF, permissions, bodies, paging and
lookups, the sign-in and coupon guessing limits, and the answers for the framework's own errors.

The last group (``not_found`` … ``internal_error``) names what ``api.problems`` and
``api.faults`` answer when no route matches, the method or body size is refused, or a route
fails unexpectedly, so that every problem code is a class with its page.
"""

from __future__ import annotations

from loyalist.errors import (
    DomainError,
    InvalidRequestError,
    NotFoundError,
    PermissionDeniedError,
    PreconditionRequiredError,
    RateLimitedError,
    UnauthorizedError,
)


class ApiKeyMissingError(UnauthorizedError):
    """A request has no ``Authorization: Bearer <key>`` header."""

    code = "api_key_missing"


class CsrfFailedError(PermissionDeniedError):
    """A state-changing request carried the session cookie without its session's X-CSRF-Token."""

    code = "csrf_failed"


class SignInThrottledError(RateLimitedError):
    """Too many failed sign-ins for this account or from this address: wait Retry-After."""

    code = "sign_in_throttled"


class PermissionMissingError(PermissionDeniedError):
    """The caller does not hold the permission the route needs (the answer names it)."""

    code = "permission_denied"


class JsonMalformedError(InvalidRequestError):
    """A request body is not valid JSON."""

    code = "json_malformed"


class JsonTooDeepError(InvalidRequestError):
    """A JSON body nests arrays and objects more than 64 levels deep."""

    code = "json_too_deep"


class IdempotencyKeyMissingError(PreconditionRequiredError):
    """A write that must not apply twice came without an ``Idempotency-Key`` header."""

    code = "idempotency_key_missing"


class CursorInvalidError(InvalidRequestError):
    """A paging cursor is not one a previous page gave."""

    code = "cursor_invalid"


class CouponAttemptsLimitedError(RateLimitedError):
    """An API key or member made too many coupon attempts or failed ones."""

    code = "coupon_attempts_limited"


class RevealsLimitedError(RateLimitedError):
    """A caller revealed members' personal data too often (``reveal.per_caller``)."""

    code = "reveals_limited"


class MetricsTokenInvalidError(UnauthorizedError):
    """``/metrics`` asks for its token (``LOYALIST_METRICS__TOKEN``): the request lacks it."""

    code = "metrics_token_invalid"


class NotReadyError(DomainError):
    """A readiness check failed (``/readyz``): the answer lists each check, ok or not."""

    status = 503
    title = "Service unavailable"
    code = "not_ready"


# -- the framework's own errors -----------------------------------------------------------
class RouteNotFoundError(NotFoundError):
    """No route has the request's path."""

    code = "not_found"


class MethodNotAllowedError(DomainError):
    """The route does not accept the request's method."""

    status = 405
    title = "Method not allowed"
    code = "method_not_allowed"


class BodyTooLargeError(DomainError):
    """The request body is larger than the server accepts."""

    status = 413
    title = "Content too large"
    code = "body_too_large"


class HttpError(DomainError):
    """Another HTTP error of the server framework."""

    code = "http_error"


class InternalError(DomainError):
    """The server failed; the answer carries only a request id."""

    status = 500
    title = "Internal error"
    code = "internal_error"
