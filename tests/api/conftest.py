"""API test fixtures: a client per backend, API keys per scope, headers and problem checks."""

from __future__ import annotations

import functools
import importlib
import pkgutil
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi import APIRouter, FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts
from sqlalchemy import text
from starlette.exceptions import StarletteDeprecationWarning

import loyalist.api
from loyalist.api import events, problems
from loyalist.api.app import create_app
from loyalist.api.deps import Require
from loyalist.api.errors import BodyTooLargeError, HttpError, InternalError
from loyalist.api.responses import restore_example_nulls
from loyalist.bootstrap import Loyalist, metadata
from loyalist.db.uow import UnitOfWork
from loyalist.staff.models import Permission, Scope
from loyalist.staff.service import create_api_key

with warnings.catch_warnings():
    # Starlette now asks for httpx2, which is not a dependency; httpx still works. The
    # pyproject filter names DeprecationWarning, but this warning is a UserWarning.
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from starlette.testclient import TestClient

PROBLEM_JSON = "application/problem+json"
#: Problems any request may meet, which no route declares.
UNDECLARED = frozenset({BodyTooLargeError.code, HttpError.code, InternalError.code})


@dataclass(frozen=True, slots=True)
class Keys:
    """Full tokens of API keys made for a test: one admin key and one per single scope."""

    admin: str
    scoped: dict[Scope, str]

    def of(self, scope: Scope) -> str:
        return self.scoped[scope]


def bearer(token: str) -> dict[str, str]:
    """Headers that authenticate with ``token``; add more with ``bearer(t) | {...}``."""
    return {"Authorization": f"Bearer {token}"}


def make_key(app: Loyalist, name: str, *scopes: str) -> str:
    def op(uow: UnitOfWork) -> str:
        _key, token = create_api_key(uow, name, list(scopes))
        return token

    return app.db.write(op)


@pytest.fixture
def keys(app: Loyalist) -> Keys:
    def op(uow: UnitOfWork) -> Keys:
        scoped = {scope: create_api_key(uow, f"only {scope}", [scope])[1] for scope in Scope}
        return Keys(admin=create_api_key(uow, "shop admin", [Scope.ADMIN])[1], scoped=scoped)

    return app.db.write(op)


@pytest.fixture
def admin(keys: Keys) -> dict[str, str]:
    """Headers of the admin key."""
    return bearer(keys.admin)


@pytest.fixture
def client(app: Loyalist) -> Iterator[TestClient]:
    with TestClient(create_app(app, embedded_worker=False)) as test_client:
        yield test_client


def assert_problem(
    response: httpx.Response, status: int, code: str, *pointers: str
) -> dict[str, Any]:
    """Check an RFC 9457 answer: status, media type, code and (when given) the pointers,
    and that the OpenAPI document declares the code for the route that answered."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM_JSON
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["code"] == code, body
    assert body["type"].endswith("/" + code)
    assert body["title"]
    assert body["detail"]
    if pointers:
        assert [e["pointer"] for e in body.get("errors", [])] == list(pointers), body
    assert_declared(response, code)
    return body


def assert_declared(response: httpx.Response, code: str) -> None:
    """The OpenAPI document declares ``code`` for the route that answered (if one did)."""
    declared = declared_codes(response.request.method, response.request.url.path)
    if declared is not None and code not in UNDECLARED:
        assert code in declared, f"{response.request.method} {response.request.url.path}"


@functools.cache
def _documented() -> dict[str, Any]:
    """The OpenAPI document of every router (no database: only the routes)."""
    app = FastAPI()
    for router in _routers():
        app.include_router(router)
    schema = app.openapi()
    events.document(schema)
    restore_example_nulls(schema)
    problems.document(schema)
    return schema


def declared_codes(method: str, path: str) -> set[str] | None:
    """The problem codes the OpenAPI document declares for the route that answers
    ``method path`` (its own and the ones every route may answer); None without a route."""
    for route in (route for router in _routers() for route in router.routes):
        if not isinstance(route, APIRoute) or method not in (route.methods or ()):
            continue
        if route.path_regex.match(path):
            operation = _documented()["paths"][route.path_format][method.lower()]
            return {
                code
                for response in operation["responses"].values()
                for code in response.get(problems.CODES, ())
            }
    return None


def summary(response: httpx.Response) -> tuple[int, str, str | None, list[str]]:
    """Status, media type, problem code and pointers: compare many answers in one assert."""
    body = response.json()
    problem = body if isinstance(body, dict) else {}
    pointers = [e["pointer"] for e in problem.get("errors", [])]
    if response.headers["content-type"] == PROBLEM_JSON:
        assert_declared(response, problem["code"])
    return response.status_code, response.headers["content-type"], problem.get("code"), pointers


def row_counts(app: Loyalist) -> dict[str, int]:
    """Rows in every table: compare before and after to prove a request wrote nothing."""

    def op(uow: UnitOfWork) -> dict[str, int]:
        return {
            table.name: int(uow.session.scalar(text(f"SELECT count(*) FROM {table.name}")) or 0)
            for table in metadata().sorted_tables
        }

    return app.db.read(op)


def _routers() -> list[APIRouter]:
    """The router of every router module in ``loyalist.api``."""
    modules = (
        importlib.import_module(f"loyalist.api.{info.name}")
        for info in pkgutil.iter_modules(loyalist.api.__path__)
    )
    return [r for r in (getattr(m, "router", None) for m in modules) if isinstance(r, APIRouter)]


def api_routes() -> set[tuple[str, str]]:
    """``(method, path)`` of every route of every router module in ``loyalist.api``."""
    return {
        (method, route.path_format)
        for router in _routers()
        for route in router.routes
        if isinstance(route, APIRoute)
        for method in route.methods or ()
    }


def _guard(dependant: Dependant) -> Permission | None:
    """The permission a route's dependencies require (searched depth first), if any."""
    for sub in dependant.dependencies:
        if isinstance(sub.call, Require):
            return sub.call.permission
        found = _guard(sub)
        if found is not None:
            return found
    return None


def route_permissions(api: FastAPI) -> dict[tuple[str, str], Permission | None]:
    """``(method, path) -> permission`` of every route of an application, read from the
    guard among its dependencies (None: the route has none)."""
    return {
        (method, route.path_format): _guard(route.dependant)
        for context in iter_route_contexts(api.routes)
        if isinstance(route := context.original_route, APIRoute)
        for method in route.methods or ()
    }
