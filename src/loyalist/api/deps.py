"""Request dependencies: the application, API key and scope checks, JSON bodies, NUL-free text."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

import orjson
from fastapi import Path, Request
from starlette.concurrency import run_in_threadpool

from loyalist.api.errors import ApiKeyMissingError, JsonMalformedError, ScopeMissingError
from loyalist.bootstrap import Loyalist
from loyalist.db.raw import RawReader
from loyalist.db.uow import UnitOfWork
from loyalist.errors import FieldError, RequestInvalidError
from loyalist.members.schemas import canonical_ip
from loyalist.staff import service as staff
from loyalist.staff.models import Scope

T = TypeVar("T")
_AUTH_TTL = 10.0

#: The shop's member id in a path; bounded like the column, so a long one is a 422, not a 500.
MemberId = Annotated[
    str, Path(min_length=1, max_length=128, description="the shop's external member id")
]


def app_of(request: Request) -> Loyalist:
    app: Loyalist = request.app.state.loyalist
    return app


class KeyCache:
    """Verified keys for a few seconds, so reads do not hit the key table every time.

    A revoked key stops working within ``_AUTH_TTL`` seconds on every process.
    """

    def __init__(self) -> None:
        self._entries: dict[str, tuple[float, staff.Principal]] = {}

    def get(self, token: str) -> staff.Principal | None:
        hit = self._entries.get(token)
        if hit is None or hit[0] < time.monotonic():
            return None
        return hit[1]

    def put(self, token: str, principal: staff.Principal) -> None:
        if len(self._entries) > 10_000:
            self._entries.clear()
        self._entries[token] = (time.monotonic() + _AUTH_TTL, principal)


async def principal(request: Request) -> staff.Principal:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise ApiKeyMissingError("send an API key as 'Authorization: Bearer <key>'")
    cache: KeyCache = request.app.state.key_cache
    found = cache.get(token)
    if found is None:
        found = await read(request, lambda uow: staff.authenticate(uow, token.strip()))
        cache.put(token, found)
    return found


def client_ip(request: Request) -> str | None:
    """The address the request came from (the proxy's, unless the server is run with
    ``--proxy-headers`` behind a trusted one), in its canonical form; None when the
    transport gives none that is an IP address."""
    host = request.client.host if request.client else ""
    try:
        return canonical_ip(host)
    except ValueError:
        return None


def require(scope: Scope) -> Callable[[Request], Any]:
    async def check(request: Request) -> staff.Principal:
        who = await principal(request)
        if not who.allows(scope):
            raise ScopeMissingError(f"this API key lacks the {scope.value!r} scope")
        return who

    return check


async def read(request: Request, op: Callable[[UnitOfWork], T]) -> T:
    return await run_in_threadpool(app_of(request).db.read, op)


async def read_raw(request: Request, op: Callable[[RawReader], T]) -> T:
    """A small fixed read on the driver's cursor. On SQLite it runs inline (tens of
    microseconds, less than a hop to the thread pool); on PostgreSQL in the pool."""
    db = app_of(request).db
    if db.is_sqlite:
        return db.read_raw(op)
    return await run_in_threadpool(db.read_raw, op)


async def write(request: Request, op: Callable[[UnitOfWork], T]) -> T:
    return await asyncio.wrap_future(app_of(request).db.submit(op))


async def json_body(request: Request) -> Any:
    raw = await request.body()
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise JsonMalformedError(
            f"the body is not valid JSON: {exc}",
            errors=[FieldError("", "malformed JSON")],
        ) from None


async def refuse_nul(request: Request) -> None:
    """Refuse U+0000 in a path, query or JSON body: PostgreSQL cannot store it in text, so
    without this check one backend would store what the other answers with a 500.

    Raises:
        InvalidRequestError: ``request_invalid``, pointing at the first value holding it.
    """
    where = next((f"#path/{k}" for k, v in request.path_params.items() if "\x00" in str(v)), None)
    where = where or next(
        (f"#query/{k}" for k, v in request.query_params.multi_items() if "\x00" in v), None
    )
    raw = await request.body()
    if where is None and b"\\u0000" in raw:  # JSON carries U+0000 only as this escape
        with contextlib.suppress(orjson.JSONDecodeError):  # json_body or FastAPI reports it
            where = _nul_pointer(orjson.loads(raw), "")
    if where is not None:
        raise RequestInvalidError(
            "text must not contain the NUL character (U+0000)",
            errors=[FieldError(where, "contains U+0000")],
        )


def _nul_pointer(value: Any, pointer: str) -> str | None:
    """The JSON pointer of the first string or key in ``value`` that holds U+0000."""
    if isinstance(value, str):
        return pointer if "\x00" in value else None
    if isinstance(value, dict):
        items: list[tuple[Any, Any]] = list(value.items())
    elif isinstance(value, list):
        items = list(enumerate(value))
    else:
        return None
    for key, item in items:
        here = f"{pointer}/{str(key).replace('~', '~0').replace('/', '~1')}"
        found = here if "\x00" in str(key) else _nul_pointer(item, here)
        if found is not None:
            return found
    return None
