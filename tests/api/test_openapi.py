"""The published OpenAPI document: version 3.1, every route, the event envelope schema,
and the problems each route declares."""

from __future__ import annotations

from typing import Any

from starlette.testclient import TestClient

from loyalist.api.problems import CODES
from tests.api.conftest import api_routes
from tests.problems import problems_by_code


def _spec(client: TestClient) -> dict[str, Any]:
    response = client.get("/openapi.json")
    assert response.status_code == 200
    spec: dict[str, Any] = response.json()
    return spec


def test_declares_openapi_3_1(client: TestClient) -> None:
    assert _spec(client)["openapi"].startswith("3.1.")


def test_lists_every_route_with_its_methods(client: TestClient) -> None:
    listed = {
        (method.upper(), path)
        for path, operations in _spec(client)["paths"].items()
        for method in operations
    }
    assert listed == api_routes() | {("GET", "/healthz")}


def test_events_body_references_the_event_envelope(client: TestClient) -> None:
    spec = _spec(client)
    body = spec["paths"]["/api/v1/events"]["post"]["requestBody"]
    variants = body["content"]["application/json"]["schema"]["oneOf"]
    ref = {"$ref": "#/components/schemas/EventIn"}
    assert variants[0] == ref
    assert variants[1]["items"] == ref
    assert variants[2]["properties"]["events"]["items"] == ref
    schemas = spec["components"]["schemas"]
    # EventIn is one of the known events (a union by type) or a custom x.<name> event.
    for variant in schemas["EventIn"]["oneOf"]:
        name = variant["$ref"].rsplit("/", 1)[-1]
        for envelope in (
            [schemas[name]]
            if name == "CustomEvent"
            else [schemas[v["$ref"].rsplit("/", 1)[-1]] for v in schemas[name]["oneOf"]]
        ):
            assert {"id", "type", "member_id", "occurred_at"} <= set(envelope["required"])


def test_describes_every_error_as_problem_json(client: TestClient) -> None:
    spec = _spec(client)
    problem = {"$ref": "#/components/schemas/Problem"}
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            for status, response in operation["responses"].items():
                if status.startswith(("4", "5")):
                    assert response["content"] == {
                        "application/problem+json": {"schema": problem}
                    }, (method, path, status)
            if path != "/healthz":
                assert {"401", "403", "422"} <= operation["responses"].keys(), (method, path)
    assert "HTTPValidationError" not in spec["components"]["schemas"]
    assert "code" in spec["components"]["schemas"]["Problem"]["required"]


#: Operations that move a member's points on the client's request.
KEY_REQUIRED = [
    ("/api/v1/members/{member_id}/points/redemptions", "post"),
    ("/api/v1/members/{member_id}/points/holds", "post"),
    ("/api/v1/members/{member_id}/points/adjustments", "post"),
    ("/api/v1/members/{member_id}/rewards/{key}/redemptions", "post"),
    ("/api/v1/checkout/holds", "post"),
]


def test_marks_the_idempotency_key_required_where_points_move(client: TestClient) -> None:
    paths = _spec(client)["paths"]
    for path, method in KEY_REQUIRED:
        (header,) = [p for p in paths[path][method]["parameters"] if p["name"] == "Idempotency-Key"]
        assert header["in"] == "header"
        assert header["required"] is True, path
    confirm = paths["/api/v1/points/holds/{hold_id}/confirm"]["post"]["parameters"]
    assert [p.get("required", False) for p in confirm if p["name"] == "Idempotency-Key"] == [False]


def test_every_declared_problem_code_is_a_real_code_of_that_status(client: TestClient) -> None:
    known = problems_by_code()
    declared = 0
    for path, operations in _spec(client)["paths"].items():
        for method, operation in operations.items():
            for status, response in operation["responses"].items():
                if not status.startswith(("4", "5")):
                    continue
                codes = response[CODES]
                assert codes, (method, path, status)
                for code in codes:
                    assert code in known, (method, path, code)
                    assert known[code].status == int(status), (method, path, code)
                    assert f"`{code}`" in response["description"], (method, path, code)
                declared += len(codes)
    assert declared > 500


def test_routes_declare_the_problems_of_their_domain(client: TestClient) -> None:
    paths = _spec(client)["paths"]
    redeem = paths["/api/v1/members/{member_id}/points/redemptions"]["post"]["responses"]
    assert redeem["404"][CODES] == ["member_not_found"]
    assert redeem["409"][CODES] == ["insufficient_points", "idempotency_key_reused"]
    assert redeem["401"][CODES] == [
        "api_key_missing",
        "api_key_invalid",
        "api_key_revoked",
        "session_missing",
    ]
    assert redeem["422"][CODES] == ["request_invalid", "json_malformed", "json_too_deep"]
    assert redeem["503"][CODES] == ["database_unavailable"]
    assert redeem["428"][CODES] == ["idempotency_key_missing"]
    liability = paths["/api/v1/points/liability"]["get"]["responses"]
    assert liability["422"][CODES] == ["request_invalid"]
    assert not {"404", "409"} & liability.keys()
