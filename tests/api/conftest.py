"""API test fixtures: a client per backend, API keys per scope, headers and problem checks."""

from __future__ import annotations

import importlib
import pkgutil
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi import APIRouter
from fastapi.routing import APIRoute
from sqlalchemy import text
from starlette.exceptions import StarletteDeprecationWarning

import loyalist.api
from loyalist.api.app import create_app
from loyalist.bootstrap import Loyalist, metadata
from loyalist.db.uow import UnitOfWork
from loyalist.staff.models import Scope
from loyalist.staff.service import create_api_key

with warnings.catch_warnings():
    # Starlette now asks for httpx2, which is not a dependency; httpx still works. The
    # pyproject filter names DeprecationWarning, but this warning is a UserWarning.
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from starlette.testclient import TestClient

PROBLEM_JSON = "application/problem+json"


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
    """Check an RFC 9457 answer: status, media type, code and (when given) the pointers."""
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
    return body


def summary(response: httpx.Response) -> tuple[int, str, str | None, list[str]]:
    """Status, media type, problem code and pointers: compare many answers in one assert."""
    body = response.json()
    problem = body if isinstance(body, dict) else {}
    pointers = [e["pointer"] for e in problem.get("errors", [])]
    return response.status_code, response.headers["content-type"], problem.get("code"), pointers


def row_counts(app: Loyalist) -> dict[str, int]:
    """Rows in every table: compare before and after to prove a request wrote nothing."""

    def op(uow: UnitOfWork) -> dict[str, int]:
        return {
            table.name: int(uow.session.scalar(text(f"SELECT count(*) FROM {table.name}")) or 0)
            for table in metadata().sorted_tables
        }

    return app.db.read(op)


def api_routes() -> set[tuple[str, str]]:
    """``(method, path)`` of every route of every router module in ``loyalist.api``."""
    found: set[tuple[str, str]] = set()
    for info in pkgutil.iter_modules(loyalist.api.__path__):
        router = getattr(importlib.import_module(f"loyalist.api.{info.name}"), "router", None)
        if isinstance(router, APIRouter):
            found |= {
                (method, route.path_format)
                for route in router.routes
                if isinstance(route, APIRoute)
                for method in route.methods or ()
            }
    return found
