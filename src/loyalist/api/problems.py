"""RFC 9457 problem details for every error; a 500 (answered by ``api.faults``) leaks
nothing but a request id.

Every problem is a ``DomainError`` class with its ``code``; a route declares the ones it
answers with ``problem_responses(...)``, which the OpenAPI document lists per status.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from loyalist.api.errors import (
    ApiKeyMissingError,
    BodyTooLargeError,
    CsrfFailedError,
    HttpError,
    IdempotencyKeyMissingError,
    JsonMalformedError,
    JsonTooDeepError,
    MethodNotAllowedError,
    PermissionMissingError,
    RouteNotFoundError,
)
from loyalist.db.errors import DatabaseUnavailableError, StorageFullError
from loyalist.errors import DomainError, FieldError, RateLimitedError, RequestInvalidError
from loyalist.staff.errors import (
    ApiKeyInvalidError,
    ApiKeyRevokedError,
    SessionMissingError,
    TwoFactorEnrolmentRequiredError,
    TwoFactorRequiredError,
)

#: Where this server serves each problem's page (``api.docs``): ``/problems/<code>``.
PROBLEMS_PATH = "/problems/"


class ProblemResponse(Response):
    media_type = "application/problem+json"

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)


def problem(
    base: str,
    status: int,
    code: str,
    title: str,
    detail: str,
    errors: list[FieldError] | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> ProblemResponse:
    """The problem+json answer; its ``type`` is ``base`` + ``code`` (a page explaining it)."""
    body: dict[str, Any] = {
        "type": base + code,
        "title": title,
        "status": status,
        "detail": detail,
        "code": code,
    }
    if errors:
        body["errors"] = [{"pointer": e.pointer, "detail": e.detail} for e in errors]
    body.update(extra)
    return ProblemResponse(body, status_code=status, headers=headers)


_KEY_LOC = ("header", "Idempotency-Key")


def _pointer(loc: tuple[Any, ...]) -> str:
    parts = list(loc)
    if parts and parts[0] in ("body", "query", "path", "header"):
        where = parts.pop(0)
        if where != "body":
            return f"#{where}/" + "/".join(str(p) for p in parts)
    return "".join(f"/{p}" for p in parts)


def answer(base: str, exc: DomainError) -> ProblemResponse:
    """The problem+json answer for an error (with its authentication or retry header)."""
    headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
    if isinstance(exc, RateLimitedError):
        headers = {"Retry-After": str(exc.retry_after)}
    return problem(
        base, exc.status, exc.code, exc.title, exc.detail, exc.errors, headers, **exc.extra
    )


#: The framework's errors by status; any other status is ``http_error``.
_HTTP_PROBLEMS: dict[int, type[DomainError]] = {
    404: RouteNotFoundError,
    405: MethodNotAllowedError,
    413: BodyTooLargeError,
}


def problem_base_of(request: Request, problem_base: str) -> str:
    """Where a problem's page is: ``problem_base``, or without one this server's
    ``/problems/`` as the request reached it (its scheme, host and root path), so the link
    resolves wherever it is served."""
    return problem_base or str(request.base_url).rstrip("/") + PROBLEMS_PATH


def install(app: FastAPI, problem_base: str = "") -> None:
    """Answer the errors routes raise as problem+json; its ``type`` is ``problem_base_of``
    + code. What no handler takes (the database away, a bug) ``api.faults`` answers."""

    def base(request: Request) -> str:
        return problem_base_of(request, problem_base)

    @app.exception_handler(DomainError)
    async def _domain(request: Request, exc: DomainError) -> Response:
        return answer(base(request), exc)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        if any(e["type"] == "json_invalid" for e in exc.errors()):
            # Pydantic locates a JSON syntax error by character offset, which is no pointer.
            return answer(
                base(request),
                JsonMalformedError(
                    "the body is not valid JSON", errors=[FieldError("", "malformed JSON")]
                ),
            )
        errors = [FieldError(_pointer(tuple(e["loc"])), e["msg"]) for e in exc.errors()]
        if any(e["type"] == "missing" and tuple(e["loc"]) == _KEY_LOC for e in exc.errors()):
            pointer = _pointer(_KEY_LOC)
            return answer(
                base(request),
                IdempotencyKeyMissingError(
                    "this write must not apply twice: send an Idempotency-Key header (one "
                    "unique value per operation, the same on every retry) and a retry replays "
                    "the first answer",
                    errors=sorted(errors, key=lambda e: e.pointer != pointer),
                ),
            )
        first = errors[0] if errors else FieldError("", "invalid")
        return answer(
            base(request),
            RequestInvalidError(f"{first.pointer or 'body'}: {first.detail}", errors=errors),
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        # The framework's own headers stay: a 405's ``Allow``, a 401's challenge.
        code = _HTTP_PROBLEMS.get(exc.status_code, HttpError).code
        detail = str(exc.detail)
        headers = dict(exc.headers) if exc.headers else None
        return problem(base(request), exc.status_code, code, detail, detail, headers=headers)


PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "RFC 9457 problem details; `code` is stable, `errors` point at fields.",
    "required": ["type", "title", "status", "detail", "code"],
    "properties": {
        "type": {
            "type": "string",
            "format": "uri",
            "description": "the page explaining the problem: this server's /problems/<code> "
            "(or LOYALIST_API__PROBLEM_BASE + code)",
            "examples": ["https://loyalty.shop.example/problems/insufficient_points"],
        },
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "code": {"type": "string", "examples": ["event_invalid", "insufficient_points"]},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["pointer", "detail"],
                "properties": {
                    "pointer": {"type": "string", "description": "RFC 6901 JSON pointer"},
                    "detail": {"type": "string"},
                },
            },
        },
        "request_id": {"type": "string", "description": "on 500 only"},
    },
}
_PROBLEM_CONTENT = {
    "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
}
#: The extension listing the problem codes a response of an operation may carry.
CODES = "x-problem-codes"


def problem_responses(
    *problems: type[DomainError], success: dict[int | str, dict[str, Any]] | None = None
) -> dict[int | str, dict[str, Any]]:
    """The OpenAPI ``responses`` of the problems a route answers, by status: problem+json,
    the codes (``x-problem-codes``) and a description saying when each happens (the first
    line of its class's docstring); after the route's ``success`` answers, if any."""
    by_status: dict[int, list[type[DomainError]]] = {}
    for kind in problems:
        by_status.setdefault(kind.status, []).append(kind)
    return dict(success or {}) | {
        status: {
            "description": _describe(kinds),
            "content": _PROBLEM_CONTENT,
            CODES: [kind.code for kind in kinds],
        }
        for status, kinds in sorted(by_status.items())
    }


def _describe(problems: Iterable[type[DomainError]]) -> str:
    return "\n".join(
        f"- `{kind.code}`: {(inspect.getdoc(kind) or '').splitlines()[0]}" for kind in problems
    )


#: What any API route may answer: credentials (an API key, or a staff session at the right
#: step with its CSRF token), permission, input that fails the schema, and the database
#: away or full (``api.faults``).
_ANY_ROUTE = problem_responses(
    ApiKeyMissingError,
    ApiKeyInvalidError,
    ApiKeyRevokedError,
    SessionMissingError,
    CsrfFailedError,
    TwoFactorRequiredError,
    TwoFactorEnrolmentRequiredError,
    PermissionMissingError,
    RequestInvalidError,
    DatabaseUnavailableError,
    StorageFullError,
)
#: What any route with a body may answer besides.
_ANY_BODY = problem_responses(JsonMalformedError, JsonTooDeepError)
_KEY_REQUIRED = problem_responses(IdempotencyKeyMissingError)


def document(schema: dict[str, Any]) -> None:
    """Describe errors as they are sent: problem+json, not FastAPI's validation shape, with
    the problems every route (every route with a body, every route requiring an
    ``Idempotency-Key``) may answer added to its own."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components["Problem"] = PROBLEM_SCHEMA
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            if path != "/healthz":
                _add(responses, _ANY_ROUTE)
            # ``api.faults`` refuses a malformed JSON body on every route that takes one.
            if "requestBody" in operation or method in ("post", "put", "patch"):
                _add(responses, _ANY_BODY)
            if any(
                p.get("name") == "Idempotency-Key" and p.get("required")
                for p in operation.get("parameters", ())
            ):
                _add(responses, _KEY_REQUIRED)
            for status, response in list(responses.items()):
                if status.startswith(("4", "5")):
                    response["content"] = _PROBLEM_CONTENT
    for name in ("HTTPValidationError", "ValidationError"):
        components.pop(name, None)


def _add(responses: dict[str, Any], common: dict[int | str, dict[str, Any]]) -> None:
    """Add ``common``'s codes to ``responses`` (new lists: the route's are shared)."""
    for status, extra in common.items():
        own = responses.get(str(status))
        if own is None or CODES not in own:  # none, or FastAPI's validation entry
            responses[str(status)] = dict(extra)
            continue
        lines = dict(zip(extra[CODES], extra["description"].splitlines(), strict=True))
        new = [code for code in extra[CODES] if code not in own[CODES]]
        own[CODES] = own[CODES] + new
        own["description"] = "\n".join([own["description"], *(lines[code] for code in new)])
