"""RFC 9457 problem details for every error; a 500 leaks nothing but a request id."""

from __future__ import annotations

import logging
import uuid
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from loyalist.errors import DomainError, FieldError, RateLimitedError

log = logging.getLogger("loyalist.api")
PROBLEM_BASE = "https://loyalist.dev/problems/"


class ProblemResponse(Response):
    media_type = "application/problem+json"

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)


def problem(
    status: int,
    code: str,
    title: str,
    detail: str,
    errors: list[FieldError] | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> ProblemResponse:
    body: dict[str, Any] = {
        "type": PROBLEM_BASE + code,
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


def install(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def _domain(_request: Request, exc: DomainError) -> Response:
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
        if isinstance(exc, RateLimitedError):
            headers = {"Retry-After": str(exc.retry_after)}
        return problem(
            exc.status, exc.code, exc.title, exc.detail, exc.errors, headers, **exc.extra
        )

    @app.exception_handler(RequestValidationError)
    async def _validation(_request: Request, exc: RequestValidationError) -> Response:
        if any(e["type"] == "json_invalid" for e in exc.errors()):
            # Pydantic locates a JSON syntax error by character offset, which is no pointer.
            return problem(
                422,
                "json_malformed",
                "Invalid request",
                "the body is not valid JSON",
                [FieldError("", "malformed JSON")],
            )
        errors = [FieldError(_pointer(tuple(e["loc"])), e["msg"]) for e in exc.errors()]
        if any(e["type"] == "missing" and tuple(e["loc"]) == _KEY_LOC for e in exc.errors()):
            pointer = _pointer(_KEY_LOC)
            return problem(
                422,
                code="idempotency_key_missing",
                title="Idempotency-Key required",
                detail="this request moves points: send an Idempotency-Key header (one unique "
                "value per operation, the same on every retry) so a retry cannot apply it twice",
                errors=sorted(errors, key=lambda e: e.pointer != pointer),
            )
        first = errors[0] if errors else FieldError("", "invalid")
        return problem(
            422,
            "request_invalid",
            "Invalid request",
            f"{first.pointer or 'body'}: {first.detail}",
            errors,
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> Response:
        code = {404: "not_found", 405: "method_not_allowed", 413: "body_too_large"}.get(
            exc.status_code, "http_error"
        )
        return problem(exc.status_code, code, str(exc.detail), str(exc.detail))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        request_id = uuid.uuid4().hex
        log.exception("unhandled error %s on %s %s", request_id, request.method, request.url.path)
        return problem(
            500,
            "internal_error",
            "Internal error",
            "the server failed; quote the request id to the operator",
            request_id=request_id,
        )


PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "RFC 9457 problem details; `code` is stable, `errors` point at fields.",
    "required": ["type", "title", "status", "detail", "code"],
    "properties": {
        "type": {"type": "string", "format": "uri"},
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
_DEFAULT_ERRORS = {
    "401": "missing, unknown or revoked API key",
    "403": "the API key lacks the route's scope",
    "422": "invalid input; `errors` carry JSON pointers",
}


def document(schema: dict[str, Any]) -> None:
    """Describe errors as they are sent: problem+json, not FastAPI's validation shape."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components["Problem"] = PROBLEM_SCHEMA
    for path, operations in schema.get("paths", {}).items():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            for status, response in list(responses.items()):
                if status.startswith(("4", "5")):
                    response["content"] = _PROBLEM_CONTENT
            if path == "/healthz":
                continue
            for status, description in _DEFAULT_ERRORS.items():
                responses.setdefault(
                    status, {"description": description, "content": _PROBLEM_CONTENT}
                )
    for name in ("HTTPValidationError", "ValidationError"):
        components.pop(name, None)
