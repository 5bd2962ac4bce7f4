"""POST /api/v1/events: validation with JSON pointers, whole-batch atomicity, idempotency."""

from __future__ import annotations

import copy
from datetime import timedelta
from typing import Any

from starlette.testclient import TestClient

from loyalist.bootstrap import Loyalist
from tests.api.conftest import PROBLEM_JSON, assert_problem, row_counts, summary
from tests.conftest import START, event, order_body

EVENTS = "/api/v1/events"


def _order(order_id: str = "1043", member: str = "M1") -> dict[str, Any]:
    body = order_body(order_id, ("shoe", 2, 5000), ("sock", 1, 1000), shipping=495)
    return event(f"{order_id}-placed", "order.placed", member, START, **body)


def _paid(order_id: str = "1043", member: str = "M1") -> dict[str, Any]:
    return event(
        f"{order_id}-paid", "order.paid", member, START + timedelta(minutes=3), order_id=order_id
    )


def _return(event_id: str, member: str, *skus: str, order_id: str = "1043") -> dict[str, Any]:
    lines = [{"sku": sku, "quantity": 1} for sku in skus]
    return event(
        event_id,
        "order.returned",
        member,
        START + timedelta(days=2),
        order_id=order_id,
        lines=lines,
    )


def _with(base: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A deep copy of ``base`` with the value at slash-separated ``path`` replaced."""
    changed = copy.deepcopy(base)
    *parents, last = path.split("/")
    node: Any = changed
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node[part]
    if isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value
    return changed


_VALID = _order()
_OVER_DISCOUNT = _with(_with(_VALID, "data/lines/1/discount", 1001), "data/total", 10495 - 1001)

#: (body, code, pointers) of single events that must be refused whole.
INVALID_EVENTS: dict[str, tuple[Any, str, list[str]]] = {
    "id_not_a_string": (_with(_VALID, "id", 7), "event_invalid", ["/id"]),
    "quantity_and_currency_wrong_types": (
        _with(_with(_VALID, "data/lines/0/quantity", "two"), "data/currency", 978),
        "event_invalid",
        ["/data/currency", "/data/lines/0/quantity"],
    ),
    "time_without_offset": (
        _with(_VALID, "occurred_at", "2026-01-15T12:00:00"),
        "event_invalid",
        ["/occurred_at"],
    ),
    "unknown_event_type": (
        _with(_VALID, "type", "order.teleported"),
        "event_type_unknown",
        ["/type"],
    ),
    "negative_quantity": (
        _with(_VALID, "data/lines/0/quantity", -2),
        "event_invalid",
        ["/data/lines/0/quantity"],
    ),
    "discount_above_line_value": (_OVER_DISCOUNT, "event_invalid", ["/data/lines/1/discount"]),
    "total_not_adding_up": (_with(_VALID, "data/total", 10494), "event_invalid", ["/data/total"]),
    "unknown_envelope_key": (_with(_VALID, "tenant", "x"), "event_invalid", ["/tenant"]),
    "data_not_an_object": (_with(_VALID, "data", [1, 2]), "event_invalid", ["/data"]),
}


class TestRejectsInvalidEvents:
    def test_rejects_each_invalid_event_with_pointers_and_writes_nothing(
        self, client: TestClient, app: Loyalist, admin: dict[str, str]
    ) -> None:
        before = row_counts(app)
        answers = {
            case: summary(client.post(EVENTS, json=body, headers=admin))
            for case, (body, _, _) in INVALID_EVENTS.items()
        }
        assert answers == {
            case: (422, PROBLEM_JSON, code, pointers)
            for case, (_, code, pointers) in INVALID_EVENTS.items()
        }
        assert row_counts(app) == before

    def test_rejects_malformed_json_and_writes_nothing(
        self, client: TestClient, app: Loyalist, admin: dict[str, str]
    ) -> None:
        before = row_counts(app)
        response = client.post(
            EVENTS,
            content=b'{"id": "e1", "type": ',
            headers=admin | {"content-type": "application/json"},
        )
        assert_problem(response, 422, "json_malformed", "")
        assert row_counts(app) == before

    def test_reports_every_bad_event_of_a_batch_under_its_index(
        self, client: TestClient, app: Loyalist, admin: dict[str, str]
    ) -> None:
        batch = [_VALID, _with(_order("1044"), "data/lines/0/quantity", 0), "not an event"]
        before = row_counts(app)
        response = client.post(EVENTS, json={"events": batch}, headers=admin)
        assert_problem(
            response, 422, "batch_invalid", "/events/1/data/lines/0/quantity", "/events/2"
        )
        assert row_counts(app) == before

    def test_rejects_batch_of_1001_and_writes_nothing(
        self, client: TestClient, app: Loyalist, admin: dict[str, str]
    ) -> None:
        batch = [event(f"e{i}", "x.page_viewed", "M1", START) for i in range(1001)]
        before = row_counts(app)
        wrapped = client.post(EVENTS, json={"events": batch}, headers=admin)
        bare = client.post(EVENTS, json=batch, headers=admin)
        assert_problem(wrapped, 422, "batch_too_large", "/events")
        assert_problem(bare, 422, "batch_too_large", "")
        assert row_counts(app) == before

    def test_accepts_batch_of_1000_and_stores_every_event(
        self, client: TestClient, app: Loyalist, admin: dict[str, str]
    ) -> None:
        batch = [event(f"e{i}", "x.page_viewed", "M1", START) for i in range(1000)]
        client.post(EVENTS, json=_order(member="M1"), headers=admin)
        response = client.post(EVENTS, json=batch, headers=admin)
        assert response.status_code == 202, response.text
        assert response.json()["accepted"] == 1000
        assert row_counts(app)["activities"] == 1001

    def test_rejects_empty_batch_pointing_at_the_list_and_writes_nothing(
        self, client: TestClient, app: Loyalist, admin: dict[str, str]
    ) -> None:
        before = row_counts(app)
        wrapped = client.post(EVENTS, json={"events": []}, headers=admin)
        bare = client.post(EVENTS, json=[], headers=admin)
        assert_problem(wrapped, 422, "batch_empty", "/events")
        assert_problem(bare, 422, "batch_empty", "")
        assert row_counts(app) == before

    def test_rejects_body_that_is_neither_event_nor_batch(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        answers = [
            summary(client.post(EVENTS, json=body, headers=admin))
            for body in ("text", 42, True, {"events": {"id": "e1"}})
        ]
        assert answers == [
            (422, PROBLEM_JSON, "request_invalid", [""]),
            (422, PROBLEM_JSON, "request_invalid", [""]),
            (422, PROBLEM_JSON, "request_invalid", [""]),
            (422, PROBLEM_JSON, "request_invalid", ["/events"]),
        ]


class TestAppliesBatchWholeOrNotAtAll:
    def test_rejects_return_for_unknown_member_and_applies_none_of_the_batch(
        self, client: TestClient, app: Loyalist, admin: dict[str, str]
    ) -> None:
        before = row_counts(app)
        batch = [_order(member="M1"), _paid(member="M1"), _return("r1", "GHOST", "shoe")]
        response = client.post(EVENTS, json=batch, headers=admin)
        assert_problem(response, 404, "member_not_found", "/2/member_id")
        assert row_counts(app) == before
        assert_problem(client.get("/api/v1/members/M1", headers=admin), 404, "member_not_found")

    def test_rejects_return_of_sku_the_order_lacks_and_writes_nothing(
        self, client: TestClient, app: Loyalist, admin: dict[str, str]
    ) -> None:
        client.post(EVENTS, json=[_order(), _paid()], headers=admin)
        before = row_counts(app)
        response = client.post(EVENTS, json=[_return("r1", "M1", "shoe", "hat")], headers=admin)
        assert_problem(response, 422, "return_sku_unknown", "/0/data/lines/1/sku")
        assert row_counts(app) == before

    def test_rejects_event_on_order_of_another_member_with_409_and_writes_nothing(
        self, client: TestClient, app: Loyalist, admin: dict[str, str]
    ) -> None:
        client.post(EVENTS, json=_order(member="M1"), headers=admin)
        before = row_counts(app)
        response = client.post(EVENTS, json=_paid(member="M2"), headers=admin)
        assert_problem(response, 409, "order_member_mismatch", "/member_id")
        assert row_counts(app) == before
        assert_problem(client.get("/api/v1/members/M2", headers=admin), 404, "member_not_found")


class TestEventIdempotency:
    def test_replays_single_event_with_same_body_and_header(
        self, client: TestClient, app: Loyalist, admin: dict[str, str]
    ) -> None:
        first = client.post(EVENTS, json=_order(), headers=admin)
        after_first = row_counts(app)
        again = client.post(EVENTS, json=_order(), headers=admin)
        assert first.status_code == again.status_code == 202
        assert "idempotent-replayed" not in first.headers
        assert again.headers["idempotent-replayed"] == "true"
        assert again.json() == first.json()
        assert row_counts(app) == after_first

    def test_rejects_reused_event_id_with_another_body_and_writes_nothing(
        self, client: TestClient, app: Loyalist, admin: dict[str, str]
    ) -> None:
        client.post(EVENTS, json=_order(), headers=admin)
        before = row_counts(app)
        changed = _with(_with(_order(), "data/lines/0/quantity", 3), "data/total", 16495)
        response = client.post(EVENTS, json=changed, headers=admin)
        assert_problem(response, 409, "event_id_reused", "/id")
        assert row_counts(app) == before

    def test_applies_new_events_of_a_batch_and_replays_known_ones(
        self, client: TestClient, app: Loyalist, admin: dict[str, str]
    ) -> None:
        client.post(EVENTS, json=_order(), headers=admin)
        response = client.post(EVENTS, json=[_order(), _paid()], headers=admin)
        assert response.status_code == 202
        assert "idempotent-replayed" not in response.headers
        body = response.json()
        assert (body["accepted"], body["replayed"]) == (1, 1)
        assert [r["id"] for r in body["results"]] == ["1043-placed", "1043-paid"]
        points = client.get("/api/v1/members/M1/points", headers=admin).json()
        assert points["pending"] == 110

    def test_counts_a_repeated_id_within_one_batch_as_a_replay(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        response = client.post(EVENTS, json=[_order(), _order(), _paid()], headers=admin)
        body = response.json()
        assert (body["accepted"], body["replayed"]) == (2, 1)
        assert body["results"][0] == body["results"][1]
        points = client.get("/api/v1/members/M1/points", headers=admin).json()
        assert points["pending"] == 110

    def test_marks_batch_replayed_when_every_event_was_seen(
        self, client: TestClient, app: Loyalist, admin: dict[str, str]
    ) -> None:
        first = client.post(EVENTS, json=[_order(), _paid()], headers=admin)
        after_first = row_counts(app)
        again = client.post(EVENTS, json=[_order(), _paid()], headers=admin)
        assert again.headers["idempotent-replayed"] == "true"
        assert again.json()["results"] == first.json()["results"]
        assert (again.json()["accepted"], again.json()["replayed"]) == (0, 2)
        assert row_counts(app) == after_first

    def test_rejects_batch_reusing_an_id_with_another_body_and_applies_none_of_it(
        self, client: TestClient, app: Loyalist, admin: dict[str, str]
    ) -> None:
        client.post(EVENTS, json=_order(), headers=admin)
        before = row_counts(app)
        changed = _with(_order(), "data/store", "outlet")
        response = client.post(EVENTS, json={"events": [_paid(), changed]}, headers=admin)
        assert_problem(response, 409, "event_id_reused", "/events/1/id")
        assert row_counts(app) == before
