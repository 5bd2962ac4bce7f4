"""Bad bodies are refused the same way on every route, never with a 5xx: malformed JSON,
JSON nested too deep (with a pointer) and a body over the size limit."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from loyalist.api.app import MAX_BODY_BYTES, create_app
from loyalist.api.faults import MAX_JSON_DEPTH
from loyalist.bootstrap import Loyalist
from tests.api.conftest import PROBLEM_JSON, assert_problem
from tests.conftest import START, event

JSON = {"content-type": "application/json"}


def _nested(levels: int) -> Any:
    """``levels`` arrays and objects inside each other (the root is level 1)."""
    value: Any = 1
    for level in range(levels, 0, -1):
        value = {"k": value} if level % 2 else [0, value]
    return value


def _nested_text(levels: int) -> bytes:
    """``_nested(levels)`` as JSON text (deeper than a serializer writes)."""
    opening = [b'{"k":' if level % 2 else b"[0," for level in range(1, levels + 1)]
    closing = [b"}" if level % 2 else b"]" for level in range(levels, 0, -1)]
    return b"".join(opening) + b"1" + b"".join(closing)


#: Where the first value too deep of ``_nested`` is: ``/k/1/k/1…``, one step per level.
DEEP_POINTER = "".join("/k" if level % 2 else "/1" for level in range(1, MAX_JSON_DEPTH + 1))
BAD_BODIES: dict[str, tuple[bytes, dict[str, str], int, str]] = {
    "malformed": (b'{"id": "e1", ', JSON, 422, "json_malformed"),
    "too deep": (_nested_text(MAX_JSON_DEPTH + 1), JSON, 422, "json_too_deep"),
    "too deep for the parser": (_nested_text(1400), JSON, 422, "json_too_deep"),
    "too deep without a media type": (_nested_text(300), {}, 422, "json_too_deep"),
    "too large": (b"[" + b"0," * (MAX_BODY_BYTES // 2) + b"0]", JSON, 413, "body_too_large"),
}


@pytest.fixture
def client(app: Loyalist, admin: dict[str, str]) -> Iterator[TestClient]:
    api = create_app(app, embedded_worker=False)
    with TestClient(api, headers=admin, raise_server_exceptions=False) as test_client:
        yield test_client


def _routes(client: TestClient) -> list[tuple[str, str]]:
    """``(method, path)`` of every operation of the OpenAPI document, parameters filled."""
    schema = client.get("/openapi.json").json()
    return [
        (method.upper(), re.sub(r"\{[^}]+\}", "x1", path))
        for path, operations in schema["paths"].items()
        for method in operations
    ]


@pytest.mark.parametrize("kind", sorted(BAD_BODIES))
def test_every_route_refuses_a_bad_body_with_the_same_problem(
    client: TestClient, kind: str
) -> None:
    body, headers, status, code = BAD_BODIES[kind]
    routes = _routes(client)
    assert len(routes) > 150
    answers = {
        f"{method} {path}": client.request(method, path, content=body, headers=headers)
        for method, path in routes
    }
    summary = {
        route: (r.status_code, r.headers["content-type"], r.json().get("code"))
        for route, r in answers.items()
    }
    assert {r: s for r, s in summary.items() if s != (status, PROBLEM_JSON, code)} == {}
    if code == "json_too_deep":
        pointers = {next(e["pointer"] for e in r.json()["errors"]) for r in answers.values()}
        assert pointers == {DEEP_POINTER}


def test_a_body_as_deep_as_the_limit_is_accepted(client: TestClient) -> None:
    client.put("/api/v1/members/M1", json={})
    sent = event("e1", "x.page_view", "M1", START, deep=_nested(MAX_JSON_DEPTH - 2))
    assert client.post("/api/v1/events", json=sent).status_code == 202
    deeper = event("e2", "x.page_view", "M1", START, deep=_nested(MAX_JSON_DEPTH - 1))
    refused = client.post("/api/v1/events", json=deeper)
    assert_problem(refused, 422, "json_too_deep", "/data/deep" + DEEP_POINTER[: -2 * 2])


def test_a_streamed_body_over_the_limit_is_refused(client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(MAX_BODY_BYTES // 65536 + 2):
            yield b" " * 65536

    response = client.post("/api/v1/events", content=chunks(), headers=JSON)
    assert_problem(response, 413, "body_too_large")
