"""One JSON log line per HTTP request: its id, method, route template, status, duration and
caller, through the real formatter; never the path's ids, the query or a secret."""

from __future__ import annotations

import io
import logging
from typing import Any

import orjson
from starlette.testclient import TestClient
from starlette.types import Receive, Send
from starlette.types import Scope as AsgiScope

from loyalist.api.app import create_app
from loyalist.api.observe import Observe, observed
from loyalist.bootstrap import Loyalist
from loyalist.db.uow import UnitOfWork
from loyalist.logs import RedactingJsonFormatter
from loyalist.staff.models import Scope
from loyalist.staff.service import create_api_key
from tests.api.conftest import bearer
from tests.api.staff_helpers import add_staff, browser, sign_in


def _key(app: Loyalist) -> tuple[int, str]:
    def op(uow: UnitOfWork) -> tuple[int, str]:
        key, token = create_api_key(uow, "till", [Scope.ADMIN])
        return key.id, token

    return app.db.write(op)


def test_logs_a_hot_route_by_its_template_with_the_key_id_and_no_ids_or_query(
    app: Loyalist, client: TestClient
) -> None:
    key_id, token = _key(app)
    created = client.put("/api/v1/members/M-4711", json={}, headers=bearer(token))
    assert created.status_code in (200, 201), created.text
    logged: list[dict[str, Any]] = []
    with _capture(logged):
        answer = client.get(
            "/api/v1/members/M-4711/points?email=jane.doe@mail.example",
            headers=bearer(token) | {"X-Request-Id": "req-1"},
        )
    assert answer.status_code == 200, answer.text

    (line,) = logged
    assert {k: line[k] for k in ("message", "logger", "level", "request_id")} == {
        "message": "request",
        "logger": "loyalist.requests",
        "level": "INFO",
        "request_id": "req-1",
    }
    assert line["method"] == "GET"
    assert line["route"] == "/api/v1/members/{member_id}/points"
    assert line["status"] == 200
    assert line["api_key_id"] == str(key_id)
    assert isinstance(line["duration_ms"], float)
    assert line["duration_ms"] > 0
    text = orjson.dumps(line).decode()
    assert "M-4711" not in text
    assert "jane" not in text
    assert token not in text


def test_logs_routes_of_prefixed_routers_unmatched_paths_and_refusals(
    app: Loyalist, client: TestClient
) -> None:
    logged: list[dict[str, Any]] = []
    with _capture(logged):
        client.get("/api/v1/members/M1/points")  # no key: FastAPI answers the refusal
        client.get("/api/v1/no/such/route/42")
        client.post("/api/v1/auth/sign-in", json={"email": "x@shop.example", "password": "p"})
        client.request("BREW", "/healthz")

    assert [(x["method"], x["route"], x["status"]) for x in logged] == [
        ("GET", "/api/v1/members/{member_id}/points", 401),
        ("GET", "unmatched", 404),
        ("POST", "/api/v1/auth/sign-in", 401),
        ("other", "/healthz", 405),
    ]
    assert all("api_key_id" not in x and "staff_user_id" not in x for x in logged)
    assert "x@shop.example" not in orjson.dumps(logged).decode()


def test_logs_the_staff_user_of_a_session(app: Loyalist) -> None:
    user_id = add_staff(app, "olga.staff@shop.example", "analyst")
    logged: list[dict[str, Any]] = []
    with browser(app) as client:
        signed_in = sign_in(client, "olga.staff@shop.example")
        assert signed_in.status_code == 200, signed_in.text
        with _capture(logged):
            listed = client.get("/api/v1/members?segment=champions")
    assert listed.status_code == 200, listed.text

    (line,) = logged
    assert (line["route"], line["staff_user_id"]) == ("/api/v1/members", str(user_id))
    assert "olga" not in orjson.dumps(line).decode()


def test_logs_nothing_when_request_logging_is_off(app: Loyalist) -> None:
    app.settings.log_requests = False
    logged: list[dict[str, Any]] = []
    with TestClient(create_app(app, embedded_worker=False)) as client, _capture(logged):
        assert client.get("/healthz").status_code == 200
    assert logged == []


def test_adds_no_layer_when_both_the_log_and_the_metrics_are_off(app: Loyalist) -> None:
    api = create_app(app, embedded_worker=False)

    async def inner(scope: AsgiScope, receive: Receive, send: Send) -> None:
        return None

    app.settings.log_requests = False
    app.settings.metrics.enabled = False
    assert observed(api, inner) is inner
    app.settings.metrics.enabled = True
    assert isinstance(observed(api, inner), Observe)


class _capture:
    """The request log's lines written inside the block, parsed into ``into``."""

    def __init__(self, into: list[dict[str, Any]]) -> None:
        self._into = into
        self._out = io.StringIO()
        self._handler = logging.StreamHandler(self._out)
        self._handler.setFormatter(RedactingJsonFormatter())
        self._logger = logging.getLogger("loyalist.requests")
        self._level = self._logger.level

    def __enter__(self) -> None:
        self._logger.addHandler(self._handler)
        self._logger.setLevel(logging.INFO)

    def __exit__(self, *_: object) -> None:
        self._logger.removeHandler(self._handler)
        self._logger.setLevel(self._level)
        self._into.extend(orjson.loads(line) for line in self._out.getvalue().splitlines())
