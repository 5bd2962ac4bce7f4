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

from loyalist.errors import DomainError, FieldError

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
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
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
