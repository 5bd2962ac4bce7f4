"""Maker-checker for manual points adjustments: above the program's threshold an
adjustment waits for a second person, who books it once; nobody approves their own."""

from __future__ import annotations

import threading
from typing import Any

from starlette.testclient import TestClient

from loyalist.audit.models import Actor, ActorKind
from loyalist.bootstrap import Loyalist
from loyalist.db.uow import UnitOfWork
from loyalist.errors import DomainError
from loyalist.ledger import approvals
from loyalist.staff.service import create_api_key
from tests.api.conftest import assert_problem, bearer
from tests.auditing import audit_rows

V1 = "/api/v1"
MEMBER = "MC-1"


def _role_key(app: Loyalist, role: str) -> dict[str, str]:
    def op(uow: UnitOfWork) -> str:
        return create_api_key(uow, f"as {role}", [], role=role)[1]

    return bearer(app.db.write(op))


def _adjust(
    client: TestClient, headers: dict[str, str], points: int, key: str
) -> tuple[int, dict[str, Any]]:
    response = client.post(
        f"{V1}/members/{MEMBER}/points/adjustments",
        json={"points": points, "reason": "goodwill for a lost parcel"},
        headers=headers | {"Idempotency-Key": key},
    )
    return response.status_code, response.json()


def _available(client: TestClient, admin: dict[str, str]) -> int:
    found: int = client.get(f"{V1}/members/{MEMBER}/points", headers=admin).json()["available"]
    return found


def _member(client: TestClient, admin: dict[str, str]) -> None:
    assert client.put(f"{V1}/members/{MEMBER}", json={}, headers=admin).status_code == 201


class TestMakerChecker:
    def test_books_at_or_below_the_threshold_directly(
        self, app: Loyalist, client: TestClient, admin: dict[str, str]
    ) -> None:
        _member(client, admin)
        threshold = app.program.adjustment_approval_threshold

        status, body = _adjust(client, _role_key(app, "support"), threshold, "k1")

        assert status == 201, body
        assert _available(client, admin) == threshold
        assert audit_rows(app, "points.adjustment_requested") == []

    def test_above_the_threshold_waits_and_another_person_books_it_once(
        self, app: Loyalist, client: TestClient, admin: dict[str, str]
    ) -> None:
        _member(client, admin)
        support, checker = _role_key(app, "support"), _role_key(app, "fraud_analyst")
        points = app.program.adjustment_approval_threshold + 1

        status, asked = _adjust(client, support, points, "k2")
        replay = _adjust(client, support, points, "k2")
        pending = client.get(f"{V1}/points/adjustments?state=pending", headers=checker).json()
        before = _available(client, admin)
        approved = client.post(
            f"{V1}/points/adjustments/{asked['request_id']}/approve", headers=checker
        )
        again = client.post(
            f"{V1}/points/adjustments/{asked['request_id']}/approve", headers=checker
        )

        assert status == 202, asked
        assert asked["state"] == "pending"
        assert replay == (202, asked)
        assert [r["request_id"] for r in pending["items"]] == [asked["request_id"]]
        assert before == 0
        assert approved.status_code == 200, approved.text
        assert approved.json()["state"] == "approved"
        assert approved.json()["posting_id"] is not None
        assert _available(client, admin) == points
        assert_problem(again, 409, "adjustment_decided")
        assert [r["action"] for r in audit_rows(app, "points.adjustment_requested")] == [
            "points.adjustment_requested"
        ]
        [row] = audit_rows(app, "points.adjustment_approved")
        assert row["after"]["points"] == points
        assert client.get(f"{V1}/points/adjustments?state=pending", headers=checker).json() == {
            "items": []
        }

    def test_nobody_approves_or_rejects_their_own(
        self, app: Loyalist, client: TestClient, admin: dict[str, str]
    ) -> None:
        _member(client, admin)
        points = -(app.program.adjustment_approval_threshold + 5)

        _, asked = _adjust(client, admin, points, "k3")
        url = f"{V1}/points/adjustments/{asked['request_id']}"
        approved = client.post(f"{url}/approve", headers=admin)
        rejected = client.post(f"{url}/reject", json={"reason": "mine"}, headers=admin)

        assert_problem(approved, 403, "approval_by_requester")
        assert_problem(rejected, 403, "approval_by_requester")
        assert audit_rows(app, "points.adjustment_approved", "points.adjustment_rejected") == []

    def test_a_rejected_request_books_nothing(
        self, app: Loyalist, client: TestClient, admin: dict[str, str]
    ) -> None:
        _member(client, admin)
        checker = _role_key(app, "fraud_analyst")

        _, asked = _adjust(client, admin, app.program.adjustment_approval_threshold + 1, "k4")
        url = f"{V1}/points/adjustments/{asked['request_id']}"
        rejected = client.post(f"{url}/reject", json={"reason": "no ticket"}, headers=checker)
        approved = client.post(f"{url}/approve", headers=checker)

        assert rejected.status_code == 200, rejected.text
        assert (rejected.json()["state"], rejected.json()["decision_reason"]) == (
            "rejected",
            "no ticket",
        )
        assert_problem(approved, 409, "adjustment_decided")
        assert _available(client, admin) == 0
        [row] = audit_rows(app, "points.adjustment_rejected")
        assert row["reason"] == "no ticket"

    def test_concurrent_approvals_book_once_and_the_other_is_told(
        self, app: Loyalist, client: TestClient, admin: dict[str, str]
    ) -> None:
        _member(client, admin)
        points = app.program.adjustment_approval_threshold + 1
        _, asked = _adjust(client, _role_key(app, "support"), points, "k5")
        barrier = threading.Barrier(2)
        outcomes: list[str] = []

        def approve(n: int) -> None:
            actor = Actor(ActorKind.API_KEY, id=f"checker-{n}", label=f"checker {n}")

            def op(uow: UnitOfWork) -> None:
                approvals.approve_adjustment(
                    uow, asked["request_id"], actor=actor, program=app.program
                )

            # Both start together (on SQLite the one writer still runs them in turn).
            barrier.wait(timeout=10)
            try:
                app.db.write(op)
                outcomes.append("approved")
            except DomainError as exc:
                outcomes.append(exc.code)

        threads = [threading.Thread(target=approve, args=(n,)) for n in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)

        assert sorted(outcomes) == ["adjustment_decided", "approved"]
        assert _available(client, admin) == points
        assert len(audit_rows(app, "points.adjustment_approved")) == 1
