"""The guard around the whole application (the hot routes too): what no route may answer
with a 5xx, and failures answered as problems on a connection that stays usable.

In front of the routes it refuses, the same way on every route:

- a body over the size limit: ``413 body_too_large``;
- a JSON body (``application/json`` or ``*/*+json``) that does not parse:
  ``422 json_malformed``;
- a body that parses as JSON (whatever its media type says: FastAPI reads a body without
  one as JSON) and nests arrays and objects deeper than ``MAX_JSON_DEPTH``:
  ``422 json_too_deep``, its pointer at the first value too deep. A route never parses such
  a body, so no parser or serializer down the line meets its recursion limit.

Around them it answers what they raise and no exception handler took:

- the database unavailable or its disk full (``db.errors``): ``503 database_unavailable``
  with ``Retry-After`` or ``507 storage_full``, counted in the database's ``Outage`` (one
  log line per incident, not one per request);
- anything else: ``500 internal_error`` with the request id, logged once with its
  traceback.

Either way the application returns normally, so the server keeps the connection open for
the client's next request (Starlette's own error layer answers, then raises again, and the
server closes the connection: ``api.app`` builds the stack without it). A failure after the
answer started cannot be answered any more: it is logged, and the server ends that
response.
"""

from __future__ import annotations

import logging
import re
import time
from typing import Any

import orjson
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from loyalist.api.errors import (
    BodyTooLargeError,
    InternalError,
    JsonMalformedError,
    JsonTooDeepError,
)
from loyalist.api.problems import ProblemResponse, answer, problem_base_of
from loyalist.db.errors import DatabaseUnavailableError, Outage, database_fault
from loyalist.errors import DomainError, FieldError
from loyalist.logs import request_id

log = logging.getLogger("loyalist.api")

#: Arrays and objects nested deeper than this are refused (the root is level 1).
MAX_JSON_DEPTH = 64
#: The tokens that shape a JSON text: strings (a key is the one before a colon) and
#: punctuation; numbers and literals do not nest.
_TOKEN = re.compile(rb'"(?:[^"\\]|\\.)*"|[\[\]{},:]')


class Faults:
    """ASGI guard (see the module); ``outage`` is the database's incident tracker."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        outage: Outage,
        retry_after_seconds: int,
        max_body_size: int,
        problem_base: str = "",
    ) -> None:
        self.app = app
        self._outage = outage
        self._retry_after = str(retry_after_seconds)
        self._max_body = max_body_size
        self._problem_base = problem_base

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refusal: DomainError | None = None
        if _has_body(scope):
            body, refusal, complete = await self._read(scope, receive)
            if not complete:
                return  # the client left: no one to answer
            if refusal is None:
                refusal = _json_refusal(body, strict=_is_json(scope))
            receive = _replay(body, receive)
        if refusal is not None:
            await self._answer(scope, receive, send, refusal)
            return
        began = time.monotonic()
        started = False

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, watched)
        except Exception as exc:
            failure = self._failure(scope, exc, began)
            if not started:
                await self._answer(scope, receive, send, failure)

    def _failure(self, scope: Scope, exc: Exception, began: float) -> DomainError:
        """The problem answering ``exc`` (raised by a request that ``began`` then), counted
        or logged."""
        fault = database_fault(exc)
        if fault is not None:
            self._outage.noticed(fault, started=began)
            return fault
        rid = request_id.get() or ""
        log.error("unhandled error %s on %s %s", rid, scope["method"], scope["path"], exc_info=exc)
        return InternalError(
            "the server failed; quote the request id to the operator",
            extra={"request_id": rid},
        )

    async def _answer(
        self, scope: Scope, receive: Receive, send: Send, refusal: DomainError
    ) -> None:
        base = problem_base_of(Request(scope), self._problem_base)
        response: ProblemResponse = answer(base, refusal)
        if isinstance(refusal, DatabaseUnavailableError):
            response.headers["Retry-After"] = self._retry_after
        await response(scope, receive, send)

    async def _read(self, scope: Scope, receive: Receive) -> tuple[bytes, DomainError | None, bool]:
        """The body (none when it is over the size limit: then the refusal), and whether
        the request arrived (False: the client disconnected first). A ``Content-Length``
        over the limit is refused before anything is read."""
        too_large = BodyTooLargeError(
            f"the request body is larger than {self._max_body} bytes; send events in "
            "batches of at most 1,000"
        )
        for name, value in scope["headers"]:
            if name == b"content-length" and value.isdigit() and int(value) > self._max_body:
                return b"", too_large, True
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return b"", None, False
            chunk: bytes = message.get("body", b"")
            size += len(chunk)
            if size > self._max_body:
                return b"", too_large, True
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks), None, True


def _has_body(scope: Scope) -> bool:
    for name, value in scope["headers"]:
        if name == b"content-length":
            return bool(value != b"0")
        if name == b"transfer-encoding":
            return True
    return False


def _is_json(scope: Scope) -> bool:
    """Whether the body says it is JSON (its media type)."""
    for name, value in scope["headers"]:
        if name == b"content-type":
            kind: bytes = value.partition(b";")[0].strip().lower()
            return kind == b"application/json" or kind.endswith(b"+json")
    return False


def _json_refusal(body: bytes, *, strict: bool) -> DomainError | None:
    """``json_too_deep`` for a body too deep, ``json_malformed`` for a JSON body
    (``strict``) that does not parse, None otherwise."""
    if not body.strip():
        return None  # no body: the route says whether it needs one
    if not strict and body.count(b"[") + body.count(b"{") <= MAX_JSON_DEPTH:
        return None  # a form or text the route reads: not parsed here
    try:
        value = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        pointer = _scan_depth(body[: exc.pos + 1]) if "depth" in str(exc) else None
        if pointer is not None:
            return _too_deep(pointer)
        if not strict:
            return None
        return JsonMalformedError(
            f"the body is not valid JSON ({str(exc).partition(':')[0]} at byte {exc.pos})",
            errors=[FieldError("", "malformed JSON")],
        )
    if body.count(b"[") + body.count(b"{") <= MAX_JSON_DEPTH or not _deeper(value, MAX_JSON_DEPTH):
        return None  # (no deeper than it has brackets, strings' ones included)
    pointer = _walk_depth(value)
    return None if pointer is None else _too_deep(pointer)


def _deeper(value: Any, levels: int) -> bool:
    """Whether ``value`` nests arrays and objects more than ``levels`` deep."""
    if levels == 0:
        return True
    for child in value.values() if isinstance(value, dict) else value:
        if isinstance(child, dict | list) and _deeper(child, levels - 1):
            return True
    return False


def _too_deep(pointer: str) -> JsonTooDeepError:
    return JsonTooDeepError(
        f"the body nests arrays and objects more than {MAX_JSON_DEPTH} levels deep",
        errors=[FieldError(pointer, f"nested more than {MAX_JSON_DEPTH} levels deep")],
    )


def _walk_depth(value: Any) -> str | None:
    """The pointer of the first array or object at level ``MAX_JSON_DEPTH + 1``, or None."""
    todo: list[tuple[Any, str, int]] = [(value, "", 1)]
    while todo:
        item, pointer, level = todo.pop()
        if level > MAX_JSON_DEPTH:
            return pointer
        pairs = item.items() if isinstance(item, dict) else enumerate(item)
        todo.extend(
            reversed(
                [
                    (child, f"{pointer}/{_escape(key)}", level + 1)
                    for key, child in pairs
                    if isinstance(child, dict | list)
                ]
            )
        )
    return None


def _scan_depth(text: bytes) -> str | None:
    """As ``_walk_depth``, over a text too deep for the parser to build: its keys and
    indices followed token by token up to the first level too deep, or None."""
    path: list[str | int] = []
    key = ""
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token in (b"{", b"["):
            if len(path) >= MAX_JSON_DEPTH:
                return "".join(f"/{_escape(part)}" for part in path)
            path.append(0 if token == b"[" else "")
        elif token in (b"}", b"]"):
            if path:
                path.pop()
        elif token == b",":
            if path and isinstance(path[-1], int):
                path[-1] += 1
        elif token == b":":
            if path:
                path[-1] = key
        else:
            try:
                key = str(orjson.loads(token))
            except orjson.JSONDecodeError:
                key = token[1:-1].decode("utf-8", "replace")
    return None


def _escape(part: str | int) -> str:
    """One RFC 6901 reference token."""
    return str(part).replace("~", "~0").replace("/", "~1")


def _replay(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that gives ``body`` whole first, then what the connection sends next."""
    pending = [body]

    async def again() -> Message:
        if pending:
            return {"type": "http.request", "body": pending.pop(), "more_body": False}
        return await receive()

    return again
