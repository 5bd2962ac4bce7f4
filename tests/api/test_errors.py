"""Problem details for framework errors, and a 500 that leaks nothing but a request id."""

from __future__ import annotations

from starlette.testclient import TestClient

from loyalist.bootstrap import Loyalist
from tests.api.conftest import PROBLEM_JSON, assert_problem, row_counts, summary
from tests.conftest import START, event, keyed


def test_answers_404_problem_for_unknown_route(client: TestClient, admin: dict[str, str]) -> None:
    assert_problem(client.get("/api/v1/nowhere", headers=admin), 404, "not_found")


def test_answers_405_problem_for_wrong_method(client: TestClient, admin: dict[str, str]) -> None:
    response = client.delete("/api/v1/points/liability", headers=admin)
    assert_problem(response, 405, "method_not_allowed")


def test_answers_malformed_json_on_a_typed_body_with_pointer_to_the_body(
    client: TestClient, admin: dict[str, str]
) -> None:
    response = client.put(
        "/api/v1/members/M1",
        content=b'{"email": ',
        headers=admin | {"content-type": "application/json"},
    )
    assert_problem(response, 422, "json_malformed", "")


def test_points_query_errors_at_the_parameter(client: TestClient, admin: dict[str, str]) -> None:
    client.put("/api/v1/members/M1", json={}, headers=admin)
    response = client.get("/api/v1/members/M1/timeline", params={"limit": 0}, headers=admin)
    assert_problem(response, 422, "request_invalid", "#query/limit")


def test_points_body_errors_at_the_field(client: TestClient, admin: dict[str, str]) -> None:
    response = client.post(
        "/api/v1/members/M1/points/holds",
        json={"points": "many", "timeout_seconds": 1, "extra": True},
        headers=keyed(admin),
    )
    assert_problem(response, 422, "request_invalid", "/points", "/timeout_seconds", "/extra")


def test_refuses_nul_characters_with_pointer_and_writes_nothing(
    client: TestClient, app: Loyalist, admin: dict[str, str]
) -> None:
    client.put("/api/v1/members/M1", json={}, headers=admin)
    before = row_counts(app)
    custom = event("e1", "x.note", "M1", START, tags={"a\u0000": 1})
    requests = {
        "event id": ("POST", "/api/v1/events", event("e\u0000", "x.note", "M1", START)),
        "batch data key": ("POST", "/api/v1/events", {"events": [custom]}),
        "member id in path": ("PUT", "/api/v1/members/M%00", {}),
        "profile field": ("PUT", "/api/v1/members/M1", {"first_name": "A\u0000"}),
        "consent source": (
            "PUT",
            "/api/v1/members/M1/consents/sms",
            {"is_granted": True, "source": "\u0000"},
        ),
        "adjustment reason": (
            "POST",
            "/api/v1/members/M1/points/adjustments",
            {"points": 5, "reason": "x\u0000"},
        ),
    }
    answers = {
        name: summary(client.request(method, url, json=body, headers=keyed(admin)))
        for name, (method, url, body) in requests.items()
    }
    assert answers == {
        "event id": (422, PROBLEM_JSON, "request_invalid", ["/id"]),
        "batch data key": (422, PROBLEM_JSON, "request_invalid", ["/events/0/data/tags/a\u0000"]),
        "member id in path": (422, PROBLEM_JSON, "request_invalid", ["#path/member_id"]),
        "profile field": (422, PROBLEM_JSON, "request_invalid", ["/first_name"]),
        "consent source": (422, PROBLEM_JSON, "request_invalid", ["/source"]),
        "adjustment reason": (422, PROBLEM_JSON, "request_invalid", ["/reason"]),
    }
    assert row_counts(app) == before
