"""Request dependencies: the application, who calls (an API key, or a staff user's browser
session with its CSRF token) and the permission check, JSON bodies, NUL-free text."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import functools
import hmac
import inspect
import logging
import time
from collections.abc import Awaitable, Callable, Collection, Coroutine
from contextvars import ContextVar
from datetime import timedelta
from typing import Annotated, Any, TypeVar

import anyio.to_thread
import orjson
from fastapi import Path, Request
from fastapi.routing import APIRoute, _effective_route_context_var
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from loyalist.api.errors import (
    ApiKeyMissingError,
    CsrfFailedError,
    JsonMalformedError,
    PermissionMissingError,
)
from loyalist.api.observe import note_caller
from loyalist.audit import service as audit
from loyalist.bootstrap import Loyalist
from loyalist.db.raw import RawReader
from loyalist.db.uow import UnitOfWork
from loyalist.errors import FieldError, RequestInvalidError
from loyalist.logs import request_id
from loyalist.members.schemas import canonical_ip
from loyalist.settings import Settings, StaffSettings
from loyalist.staff import service as staff
from loyalist.staff import sessions
from loyalist.staff.errors import (
    SessionMissingError,
    TwoFactorEnrolmentRequiredError,
    TwoFactorRequiredError,
)
from loyalist.staff.models import Permission, SessionStage

T = TypeVar("T")
log = logging.getLogger("loyalist.api")
_AUTH_TTL = 10.0
#: One ``permission.denied`` row per caller and permission in this long, per process.
DENIAL_INTERVAL = 60.0

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

    def clear(self) -> None:
        """Forget every key: after a key or role changes, this process sees it at once
        (the others within ``_AUTH_TTL``)."""
        self._entries.clear()


class DenialLog:
    """When each caller was last recorded being refused each permission: refusals are
    audited at most once per ``DENIAL_INTERVAL`` per caller and permission in a process,
    so a caller hammering a route cannot flood the trail."""

    def __init__(self) -> None:
        self._last: dict[tuple[str, Permission], float] = {}

    def due(self, who: staff.Principal, permission: Permission) -> bool:
        now = time.monotonic()
        key = (who.ref, permission)
        last = self._last.get(key)
        if last is not None and now - last < DENIAL_INTERVAL:
            return False
        if len(self._last) > 10_000:
            self._last.clear()
        self._last[key] = now
        return True


#: Methods that change nothing: the only ones a session cookie may make without the
#: session's CSRF token.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
SIGNED_IN = frozenset({SessionStage.COMPLETE})


def session_cookie(settings: StaffSettings) -> str:
    """The session cookie's name: ``__Host-`` (Secure, no Domain, Path=/, so no sibling
    host or plain-HTTP page can set it) unless Secure is off for loopback development,
    where browsers refuse a ``__Host-`` cookie."""
    return "__Host-loyalist_session" if settings.cookie_secure else "loyalist_session"


def session_config(settings: Settings) -> sessions.SessionConfig:
    staff_settings = settings.staff
    return sessions.SessionConfig(
        idle=timedelta(minutes=staff_settings.idle_minutes),
        absolute=timedelta(hours=staff_settings.absolute_hours),
        max_failures=staff_settings.two_factor_max_failures,
        lockout=timedelta(minutes=staff_settings.two_factor_lockout_minutes),
        issuer=staff_settings.two_factor_issuer,
    )


async def staff_session(
    request: Request, stages: Collection[SessionStage] = SIGNED_IN
) -> sessions.Current:
    """The live session of the request's cookie, at one of ``stages``; an unsafe method
    must send the session's CSRF token in ``X-CSRF-Token``. A session's request is
    recorded (for the idle timeout) at most once a minute.

    Raises:
        SessionMissingError: no cookie, or its session ended.
        CsrfFailedError: an unsafe method without the session's CSRF token.
        TwoFactorRequiredError, TwoFactorEnrolmentRequiredError: the sign-in is not
            through yet and the route is not one of its steps.
    """
    settings = app_of(request).settings
    session_id = request.cookies.get(session_cookie(settings.staff))
    if not session_id:
        raise SessionMissingError("sign in first: this request has no session cookie")
    config = session_config(settings)
    current = await read(request, lambda uow: sessions.current_session(uow, session_id, config))
    if current is None:
        raise SessionMissingError("the session ended (signed out or timed out): sign in again")
    if request.method not in SAFE_METHODS:
        given = request.headers.get("x-csrf-token", "")
        if not hmac.compare_digest(given.encode(), current.csrf_token.encode()):
            raise CsrfFailedError(
                "send the session's CSRF token (from sign-in or /api/v1/auth/me) in the "
                "X-CSRF-Token header"
            )
    if current.stage not in stages:
        if current.stage == SessionStage.TWO_FACTOR:
            raise TwoFactorRequiredError("enter the two-factor code first")
        raise TwoFactorEnrolmentRequiredError("your roles need two factors: enrol first")
    if current.is_stale:
        await write(request, lambda uow: sessions.see_session(uow, current.id_hash))
    return current


async def principal(request: Request) -> staff.Principal:
    """The caller: an API key (``Authorization: Bearer``) or, without that header, the
    signed-in staff user of the session cookie; with the permissions they act with, acting
    from the request's address in its request id.

    Raises:
        UnauthorizedError: neither is sent, or a malformed, unknown or revoked key, or an
            ended session.
    """
    header = request.headers.get("authorization", "")
    if not header and session_cookie(app_of(request).settings.staff) in request.cookies:
        current = await staff_session(request)
        signed_in = staff.staff_principal(current.user_id, current.name, current.permissions)
        note_caller(request.scope, signed_in.actor)
        return signed_in.at(client_ip(request), request_id.get())
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise ApiKeyMissingError(
            "send an API key as 'Authorization: Bearer <key>', or sign in as staff"
        )
    cache: KeyCache = request.app.state.key_cache
    found = cache.get(token)
    if found is None:
        found = await read(request, lambda uow: staff.authenticate(uow, token.strip()))
        cache.put(token, found)
    note_caller(request.scope, found.actor)
    return found.at(client_ip(request), request_id.get())


def client_ip(request: Request) -> str | None:
    """The address the request came from (the proxy's, unless the server is run with
    ``--proxy-headers`` behind a trusted one), in its canonical form; None when the
    transport gives none that is an IP address."""
    return _canonical_host(request.client.host if request.client else "")


@functools.lru_cache(maxsize=4096)
def _canonical_host(host: str) -> str | None:
    # Parsed once per address: a shop's back end calls from a handful of them, and parsing
    # costs more than the rest of the permission check.
    try:
        return canonical_ip(host)
    except ValueError:
        return None


class Require:
    """The dependency that guards a route: the caller must hold ``permission``. A refusal
    is a 403 ``permission_denied`` naming it, audited as ``permission.denied`` (in a write
    of its own, at most once a minute per caller and permission: see :class:`DenialLog`)."""

    def __init__(self, permission: Permission) -> None:
        self.permission = permission

    async def __call__(self, request: Request) -> staff.Principal:
        who = await principal(request)
        if self.permission not in who.permissions:
            await _audit_denial(request, who, self.permission)
            raise PermissionMissingError(
                f"this route needs the {self.permission.value!r} permission, which "
                f"{who.name!r} does not hold",
                extra={"permission": self.permission.value},
            )
        return who


@functools.cache
def require(permission: Permission) -> Require:
    """The guard of ``permission`` (one per permission)."""
    return Require(permission)


#: The caller a :class:`GuardedRoute` admitted, for an endpoint that takes it as a parameter.
_caller: ContextVar[staff.Principal] = ContextVar("loyalist_caller")


class GuardedRoute(APIRoute):
    """A route whose guard runs without FastAPI resolving it as a dependency.

    The guard stays declared as FastAPI declares dependencies (``Depends(require(...))``,
    in ``dependencies`` or as the endpoint's parameter), so the route's dependant still
    holds it: the tests' role and scope matrices, ``api.lean`` and the OpenAPI document
    read it there. But the handler FastAPI builds solves the route without it, and the
    guard is awaited first, in one call: FastAPI's resolution of one more dependency costs
    more than authentication and the permission test together (bench/api.py
    ``--permission-check``). An endpoint that takes the caller gets the one admitted.

    The guard runs before anything else of the request: a caller without the permission
    gets its 401 or 403 before the body is read, parsed or checked for NUL.
    """

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        # An included route's handler is built with its effective route (its routers'
        # dependencies added) in this variable; a route's own handler without it.
        effective = _effective_route_context_var.get()
        route = effective if effective is not None and effective.original_route is self else self
        full = route.dependant
        guards = [sub for sub in full.dependencies if isinstance(sub.call, Require)]
        if not guards:
            return super().get_route_handler()
        if len(guards) > 1 or guards[0].dependencies:
            raise TypeError(f"{self.path}: one guard, taking only the request")
        guard = guards[0]
        check = guard.call
        assert isinstance(check, Require)
        assert full.call is not None
        call = full.call if guard.name is None else _given_caller(full.call, guard.name)
        rest = [sub for sub in full.dependencies if sub is not guard]
        route.dependant = dataclasses.replace(full, dependencies=rest, call=call)
        try:
            handler = super().get_route_handler()
        finally:
            route.dependant = full

        async def guarded(request: Request) -> Response:
            await check(request)
            return await handler(request)

        async def guarded_giving_caller(request: Request) -> Response:
            token = _caller.set(await check(request))
            try:
                return await handler(request)
            finally:
                _caller.reset(token)

        return guarded if guard.name is None else guarded_giving_caller


def _given_caller(endpoint: Callable[..., Any], name: str) -> Callable[..., Awaitable[Any]]:
    """``endpoint`` called with the admitted caller as its parameter ``name``."""
    if not inspect.iscoroutinefunction(endpoint):
        raise TypeError(f"{endpoint.__name__}: a guarded endpoint taking the caller is async")

    async def call(**values: Any) -> Any:
        values[name] = _caller.get()
        return await endpoint(**values)

    return call


async def _audit_denial(request: Request, who: staff.Principal, permission: Permission) -> None:
    denials: DenialLog = request.app.state.denials
    if not denials.due(who, permission):
        return
    route = f"{request.method} {request.url.path}"[:200]

    def op(uow: UnitOfWork) -> None:
        audit.record(
            uow,
            who.actor,
            "permission.denied",
            target_type="permission",
            target_id=permission.value,
            after={"route": route},
        )

    try:
        await write(request, op)
    except Exception:
        # The refusal stands whether or not it could be recorded.
        log.exception("could not record the refusal of %s to %s", permission, who.ref)


async def read(request: Request, op: Callable[[UnitOfWork], T]) -> T:
    return await _in_read_thread(request, app_of(request).db.read, op)


def _in_read_thread(request: Request, function: Callable[[Any], T], op: Any) -> Awaitable[T]:
    """``function(op)`` in a worker thread, within the application's bound on database reads
    in flight (``api.app``: the pool's size)."""
    limiter: anyio.CapacityLimiter = request.app.state.read_limiter
    return anyio.to_thread.run_sync(function, op, limiter=limiter)


async def analyse(request: Request, op: Callable[[UnitOfWork], T]) -> T:
    """A heavy read-only report (``Database.analyse``: a replica when one is set)."""
    return await run_in_threadpool(app_of(request).db.analyse, op)


async def read_raw(request: Request, op: Callable[[RawReader], T]) -> T:
    """A small fixed read on the driver's cursor. On SQLite it runs inline (tens of
    microseconds, less than a hop to the thread pool); on PostgreSQL in the pool."""
    db = app_of(request).db
    if db.is_sqlite:
        return db.read_raw(op)
    return await _in_read_thread(request, db.read_raw, op)


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


#: Content types whose body ``refuse_nul`` reads as a form (the console's HTMX posts).
_FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


async def refuse_nul(request: Request) -> None:
    """Refuse U+0000 in a path, query, JSON body or form field: PostgreSQL cannot store it
    in text, so without this check one backend would store what the other answers with a
    500.

    Raises:
        InvalidRequestError: ``request_invalid``, pointing at the first value holding it.
    """
    where = next((f"#path/{k}" for k, v in request.path_params.items() if "\x00" in str(v)), None)
    where = where or next(
        (f"#query/{k}" for k, v in request.query_params.multi_items() if "\x00" in v), None
    )
    kind = request.headers.get("content-type", "")
    if where is None and kind.startswith(_FORMS):
        # A form's text fields (a file's bytes are the upload's business): read as the
        # endpoint reads them, so the request's parsed form is reused.
        form = await request.form()
        where = next(
            (
                f"/{k}"
                for k, v in form.multi_items()
                if "\x00" in k or (isinstance(v, str) and "\x00" in v)
            ),
            None,
        )
    elif where is None:
        raw = await request.body()
        if b"\\u0000" in raw:  # JSON carries U+0000 only as this escape
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
