"""The hot routes answered without FastAPI's routing and dependency injection.

FastAPI matches routes one by one and solves every request's dependencies generically:
~300 µs of a ~600 µs balance read. For the few routes in ``HOT`` this ASGI layer, in
front of the whole FastAPI stack, matches the exact method and path and resolves the
FastAPI route's own parts itself: its dependencies (API key and permission, the NUL refusal),
its path and header parameters and its body, each checked by the validator FastAPI built
for the route; then it awaits the route's own endpoint function.

Only acceptance is done here. When anything before the endpoint refuses a request (no
key, a bad or revoked key, a missing permission, a malformed or invalid body, a body over the
size limit, a disconnect), the request goes on to FastAPI unchanged, its body replayed,
and FastAPI answers it: every refusal is FastAPI's own answer. The database being
unavailable is not a refusal: it goes on to ``api.faults`` (asking FastAPI would wait for
the database again). What the endpoint raises is answered by the application's own
exception handlers, or by ``api.faults`` when none takes it. The routes stay declared in
FastAPI, so ``/openapi.json`` is unchanged; ``tests/api/test_lean.py`` drives every hot
route and its FastAPI twin and compares the answers.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import orjson
from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from loyalist.db.errors import database_fault

#: ``(method, path)`` of the routes answered here: the reads and single writes a shop's
#: checkout and storefront call on every page or payment, and the platforms' webhooks.
HOT = (
    ("GET", "/api/v1/members/{member_id}/points"),
    ("POST", "/api/v1/events"),
    ("POST", "/api/v1/checkout/quote"),
    ("POST", "/api/v1/coupons/validate"),
    ("POST", "/api/v1/coupons/redemptions"),
    ("POST", "/api/v1/checkout/holds"),
    ("POST", "/api/v1/checkout/holds/{checkout_id}/confirm"),
    ("POST", "/api/v1/members/{member_id}/points/redemptions"),
    ("POST", "/api/v1/members/{member_id}/points/holds"),
    ("POST", "/api/v1/points/holds/{hold_id}/confirm"),
    ("POST", "/api/v1/connectors/{platform}/{connector_key}"),
)


class _Declined(Exception):
    """The request is not taken here; FastAPI answers it."""


@dataclass(frozen=True, slots=True)
class _Route:
    """One hot route: its path split in segments (``None`` for a parameter) and the parts
    of its FastAPI route that resolve a request."""

    segments: tuple[str | None, ...]
    names: tuple[str, ...]
    route: APIRoute
    #: ``(parameter name or None, dependency)``: each takes only the request.
    dependencies: tuple[tuple[str | None, Callable[[Request], Awaitable[Any]]], ...]
    endpoint: Callable[..., Awaitable[Response]]

    def match(self, parts: list[str]) -> dict[str, str] | None:
        if len(parts) != len(self.segments):
            return None
        values: list[str] = []
        for part, segment in zip(parts, self.segments, strict=True):
            if segment is None:
                if not part:
                    return None
                values.append(part)
            elif part != segment:
                return None
        return dict(zip(self.names, values, strict=True))

    async def resolve(self, request: Request, params: dict[str, str]) -> dict[str, Any]:
        """The endpoint's arguments, as FastAPI would pass them.

        Raises:
            _Declined: anything FastAPI would refuse (or that this layer does not handle).
            Exception: what a dependency raised for the database being unavailable.
        """
        dependant = self.route.dependant
        kwargs: dict[str, Any] = {}
        for name, dependency in self.dependencies:
            try:
                value = await dependency(request)
            except Exception as exc:
                if database_fault(exc) is not None:
                    raise
                raise _Declined from None
            if name is not None:
                kwargs[name] = value
        if dependant.request_param_name is not None:
            kwargs[dependant.request_param_name] = request
        for field in dependant.path_params:
            kwargs[field.name] = _valid(field, params[field.alias], "path")
        for field in dependant.header_params:
            raw = request.headers.get(field.alias)
            if raw is None:
                if field.field_info.is_required():
                    raise _Declined
                kwargs[field.name] = field.get_default()
            elif not raw:
                raise _Declined
            else:
                kwargs[field.name] = _valid(field, raw, "header")
        body_field = self.route.body_field
        if body_field is not None:
            kwargs[dependant.body_params[0].name] = await _body(request, body_field)
        return kwargs


def _valid(field: Any, value: Any, where: str) -> Any:
    """``value`` as the route's FastAPI validator makes it; declined if it refuses it."""
    valid, errors = field.validate(value, {}, loc=(where, field.alias))
    if errors:
        raise _Declined
    return valid


async def _body(request: Request, field: Any) -> Any:
    raw = await request.body()
    if not raw:
        if field.field_info.is_required():
            raise _Declined
        return field.get_default()
    content_type = request.headers.get("content-type", "")
    if content_type.partition(";")[0].strip().lower() != "application/json":
        raise _Declined
    try:
        parsed = orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise _Declined from None
    if not isinstance(parsed, dict):
        raise _Declined
    return _valid(field, parsed, "body")


def _plan(route: APIRoute) -> _Route:
    """The hot route's parts, checked to be only the kinds this layer resolves.

    Raises:
        TypeError: the route has query or cookie parameters, an embedded or several body
        parameters, or a dependency that takes more than the request.
    """
    dependant = route.dependant
    if dependant.query_params or dependant.cookie_params or len(dependant.body_params) > 1:
        raise TypeError(f"{route.path}: only path, header and one body parameter are resolved")
    if dependant.body_params and route.body_field is not dependant.body_params[0]:
        raise TypeError(f"{route.path}: an embedded body is not resolved")
    dependencies: list[tuple[str | None, Callable[[Request], Awaitable[Any]]]] = []
    for sub in dependant.dependencies:
        call = sub.call
        only_request = (
            sub.request_param_name is not None
            and not sub.dependencies
            and not (sub.path_params or sub.query_params or sub.header_params)
            and not (sub.cookie_params or sub.body_params)
        )
        # A coroutine function, or an object whose __call__ is one (the permission guard).
        is_async = inspect.iscoroutinefunction(call) or inspect.iscoroutinefunction(
            getattr(call, "__call__", None)  # noqa: B004 (the method, not callability)
        )
        if call is None or not only_request or not is_async:
            raise TypeError(f"{route.path}: dependency {call!r} takes more than the request")
        dependencies.append((sub.name, call))
    if not inspect.iscoroutinefunction(route.endpoint):
        raise TypeError(f"{route.path}: the endpoint is not a coroutine function")
    parts = route.path_format.split("/")
    segments = tuple(None if part.startswith("{") else part for part in parts)
    names = tuple(part.strip("{}") for part in parts if part.startswith("{"))
    return _Route(segments, names, route, tuple(dependencies), route.endpoint)


class LeanRoutes:
    """ASGI layer in front of a FastAPI application's middleware stack (see the module)."""

    def __init__(self, api: FastAPI, inner: ASGIApp, max_body_size: int) -> None:
        self._api = api
        self._inner = inner
        self._max_body = max_body_size
        # The routers are included without a prefix or dependencies of their own, so a
        # route's own path and dependencies are the ones it answers with.
        routes = {
            (method, context.path_format): route
            for context in iter_route_contexts(api.routes)
            if isinstance(route := context.original_route, APIRoute)
            and route.path_format == context.path_format
            for method in route.methods or ()
        }
        self._routes: dict[str, list[_Route]] = {}
        for method, path in HOT:
            self._routes.setdefault(method, []).append(_plan(routes[method, path]))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("root_path"):
            await self._inner(scope, receive, send)
            return
        parts = scope["path"].split("/")
        for hot in self._routes.get(scope["method"], ()):
            params = hot.match(parts)
            if params is not None:
                await self._answer(hot, params, scope, receive, send)
                return
        await self._inner(scope, receive, send)

    async def _answer(
        self, hot: _Route, params: dict[str, str], scope: Scope, receive: Receive, send: Send
    ) -> None:
        body, complete = await self._read(scope, receive)
        replay = _replay(body, complete, receive)
        if not complete:
            await self._inner(scope, replay, send)
            return
        scope["path_params"] = params
        scope["route"] = hot.route  # as routing leaves it: the request log names the route
        request = Request(scope, replay)
        try:
            kwargs = await hot.resolve(request, params)
        except _Declined:
            await self._inner(scope, _replay(body, complete, receive), send)
            return
        try:
            response = await hot.endpoint(**kwargs)
        except Exception as exc:
            handlers = self._api.exception_handlers
            # As Starlette's ExceptionMiddleware looks a handler up: by the error's classes,
            # nearest first; without one the error goes on to ``api.faults``.
            kind = next((k for k in type(exc).__mro__ if k in handlers), None)
            if kind is None:
                raise
            answer = handlers[kind](request, exc)
            response = await answer if inspect.isawaitable(answer) else answer
        await response(scope, receive, send)

    async def _read(self, scope: Scope, receive: Receive) -> tuple[bytes, bool]:
        """The body, and whether all of it arrived within the size limit (if not, what was
        read is returned for replay and FastAPI answers: 413, or the disconnect)."""
        for name, value in scope["headers"]:
            if name == b"content-length":
                if not value.isdigit() or int(value) > self._max_body:
                    return b"", False
                break
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return b"".join(chunks), False
            chunk = message.get("body", b"")
            chunks.append(chunk)
            size += len(chunk)
            if size > self._max_body:
                return b"".join(chunks), False
            if not message.get("more_body", False):
                return b"".join(chunks), True


def _replay(body: bytes, complete: bool, receive: Receive) -> Receive:
    """A ``receive`` that gives ``body`` first (all of it, or the part read so far), then
    whatever the connection sends next."""
    pending = [body]

    async def again() -> Message:
        if pending:
            return {"type": "http.request", "body": pending.pop(), "more_body": not complete}
        return await receive()

    return again
