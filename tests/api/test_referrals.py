"""Referral routes over HTTP: the program, codes and links, clicks and shares, events with
referrals and signals, the review queue, the funnel and the leaderboard."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from starlette.testclient import TestClient

from loyalist.bootstrap import Loyalist
from loyalist.clock import ManualClock
from tests.api.conftest import assert_problem, row_counts
from tests.conftest import START, event, order_body

V1 = "/api/v1"
PROGRAM: dict[str, Any] = {
    "friend_reward": {"points": 100, "on": "enrolled"},
    "referrer_reward": {"points": 500},
    "min_order": {"EUR": 5000},
}


def _program(client: TestClient, admin: dict[str, str], **overrides: Any) -> dict[str, Any]:
    response = client.put(f"{V1}/referral-program", json=PROGRAM | overrides, headers=admin)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _send(client: TestClient, admin: dict[str, str], *events: dict[str, Any]) -> None:
    response = client.post(f"{V1}/events", json=list(events), headers=admin)
    assert response.status_code in (200, 201, 202), response.text


def _enrol(
    client: TestClient, admin: dict[str, str], member: str, at: Any = START, **data: Any
) -> None:
    _send(client, admin, event(f"enrol-{member}", "member.enrolled", member, at, **data))


def _code(client: TestClient, admin: dict[str, str], member: str) -> dict[str, Any]:
    response = client.get(f"{V1}/members/{member}/referral", headers=admin)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


class TestProgram:
    def test_put_then_get_with_versions(self, client: TestClient, admin: dict[str, str]) -> None:
        empty = client.get(f"{V1}/referral-program", headers=admin).json()
        assert (empty["version"], empty["is_active"]) == (0, False)
        first = _program(client, admin)
        second = _program(client, admin, attribution_window_days=14)
        assert (first["version"], second["version"]) == (1, 2)
        got = client.get(f"{V1}/referral-program", headers=admin).json()
        assert got["attribution_window_days"] == 14
        assert got["fraud"]["velocity"] == {"action": "review", "max_referrals": 3, "days": 7}
        assert got["updated_by"].startswith("api-key:")

    @pytest.mark.parametrize(
        ("body", "pointer"),
        [
            ({"friend_reward": {"points": 5, "coupon_campaign": "x"}}, "/friend_reward"),
            ({"fraud": {"velocity": {"action": "maybe"}}}, "/fraud/velocity/action"),
            ({"disposable_domains": {"add": ["not a domain"]}}, "/disposable_domains/add/0"),
            ({"min_order": {"eur": 5}}, "/min_order/eur/[key]"),
        ],
    )
    def test_invalid_program_is_a_422_with_pointers(
        self, client: TestClient, admin: dict[str, str], app: Loyalist, body: Any, pointer: str
    ) -> None:
        before = row_counts(app)
        response = client.put(f"{V1}/referral-program", json=body, headers=admin)
        problem = assert_problem(response, 422, "request_invalid")
        assert problem["errors"][0]["pointer"] == pointer
        assert row_counts(app) == before


class TestCodesAndLinks:
    def test_member_code_share_link_and_lookups(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        _program(client, admin, share_base_url="https://shop.test/invite/")
        _enrol(client, admin, "ANNA", first_name="Анна", email="anna@example.com")
        mine = _code(client, admin, "ANNA")
        assert mine["code"].startswith("ANNA-")
        assert mine["share_url"] == "https://shop.test/invite/" + mine["token"]
        assert mine["funnel"]["attributed"] == 0
        assert _code(client, admin, "ANNA")["code"] == mine["code"]
        typed = mine["code"].lower().replace("-", " ")
        found = client.get(f"{V1}/referral-codes/{typed}", headers=admin).json()
        assert found["is_valid"] is True
        assert found["offer"] == {
            "en": "100 bonus points when you sign up",
            "ru": "100 бонусных баллов при регистрации",
        }
        assert "anna@example.com" not in str(found)
        assert "Анна" not in str(found)
        link = client.get(f"{V1}/referral-links/{mine['token']}", headers=admin).json()
        assert (link["is_valid"], link["code"]) == (True, mine["code"])
        unknown = client.get(f"{V1}/referral-links/nope", headers=admin).json()
        assert (unknown["is_valid"], unknown["reason"]) == (False, "unknown")

    def test_first_name_only_when_the_program_shows_it(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        _program(client, admin, show_referrer_name=True)
        _enrol(client, admin, "ANNA", first_name="Анна", last_name="Смирнова")
        code = _code(client, admin, "ANNA")["code"]
        found = client.get(f"{V1}/referral-codes/{code}", headers=admin).json()
        assert found["referrer_first_name"] == "Анна"
        assert found["offer"]["ru"].startswith("Анна приглашает вас")
        assert "Смирнова" not in str(found)

    def test_unknown_member_is_404(self, client: TestClient, admin: dict[str, str]) -> None:
        response = client.get(f"{V1}/members/NOBODY/referral", headers=admin)
        assert_problem(response, 404, "member_not_found")

    def test_clicks_count_once_per_click_id(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        _program(client, admin)
        _enrol(client, admin, "ANNA", first_name="Anna")
        token = _code(client, admin, "ANNA")["token"]
        url = f"{V1}/referral-links/{token}/clicks"
        body = {"click_id": "c1", "ip": "203.0.113.5", "device_id": "d1"}
        first = client.post(url, json=body, headers=admin).json()
        again = client.post(url, json=body, headers=admin).json()
        assert (first["is_recorded"], again["is_recorded"], again["reason"]) == (
            True,
            False,
            "duplicate",
        )
        client.post(url, json={"click_id": "c2"}, headers=admin)
        assert _code(client, admin, "ANNA")["funnel"]["clicks"] == 2
        bad = client.post(url, json={"click_id": "c3", "ip": "999.1.1.1"}, headers=admin)
        assert_problem(bad, 422, "request_invalid", "/ip")
        unknown = client.post(f"{V1}/referral-links/nope/clicks", json=body, headers=admin)
        assert_problem(unknown, 404, "referral_link_not_found")

    def test_shares_with_idempotency_key(self, client: TestClient, admin: dict[str, str]) -> None:
        _program(client, admin)
        _enrol(client, admin, "ANNA", first_name="Anna")
        url = f"{V1}/members/ANNA/referral/shares"
        headers = admin | {"Idempotency-Key": "share-1"}
        first = client.post(url, json={"channel": "whatsapp"}, headers=headers)
        replay = client.post(url, json={"channel": "whatsapp"}, headers=headers)
        assert first.status_code == replay.status_code == 201
        assert replay.headers.get("Idempotent-Replayed") == "true"
        client.post(url, json={"channel": "email"}, headers=admin)
        assert _code(client, admin, "ANNA")["funnel"]["shares"] == 2
        bad = client.post(url, json={"channel": "Not OK"}, headers=admin)
        assert_problem(bad, 422, "request_invalid", "/channel")


class TestEvents:
    def test_referral_needs_exactly_one_of_code_and_token(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        body = event("e1", "member.enrolled", "BOB", START, referral={"code": "A", "token": "B"})
        response = client.post(f"{V1}/events", json=body, headers=admin)
        assert_problem(response, 422, "event_invalid", "/data/referral")

    def test_signals_are_validated(self, client: TestClient, admin: dict[str, str]) -> None:
        body = event(
            "o1",
            "order.paid",
            "BOB",
            START,
            **order_body("O1", ("A", 1, 100), signals={"ip": "300.1.2.3", "device": "x"}),
        )
        response = client.post(f"{V1}/events", json=body, headers=admin)
        assert_problem(response, 422, "event_invalid", "/data/signals/ip", "/data/signals/device")

    def test_ref_only_payment_keeps_the_placed_orders_referral(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        _program(client, admin)
        _enrol(client, admin, "ANNA", first_name="Anna")
        code = _code(client, admin, "ANNA")["code"]
        placed = order_body("O1", ("A", 1, 6000), referral={"code": code})
        _send(client, admin, event("p1", "order.placed", "BOB", START, **placed))
        _send(client, admin, event("p2", "order.paid", "BOB", START, order_id="O1"))
        queue = client.get(f"{V1}/referrals", headers=admin).json()["items"]
        assert [(r["friend_id"], r["status"], r["order_id"]) for r in queue] == [
            ("BOB", "qualifying", "O1")
        ]


class TestReviewQueue:
    def test_list_approve_reject_and_problems(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        _program(client, admin, fraud={"similar_identity": {"action": "review", "threshold": 80}})
        _enrol(client, admin, "ANNA", first_name="Anna", last_name="Lee")
        code = _code(client, admin, "ANNA")["code"]
        for member in ("ANN", "ANNE"):
            _enrol(
                client, admin, member, first_name="Ann", last_name="Lee", referral={"code": code}
            )
        _enrol(
            client, admin, "BOB", first_name="Robert", last_name="Stone", referral={"code": code}
        )
        queue = client.get(f"{V1}/referrals", params={"status": "review"}, headers=admin).json()
        held = {r["friend_id"]: r["id"] for r in queue["items"]}
        assert set(held) == {"ANN", "ANNE"}
        assert queue["items"][0]["checks"][0]["rule"] == "similar_identity"
        approved = client.post(
            f"{V1}/referrals/{held['ANN']}/approve", json={"note": "cousins"}, headers=admin
        )
        assert approved.status_code == 200, approved.text
        assert (approved.json()["status"], approved.json()["decision_note"]) == (
            "pending",
            "cousins",
        )
        rejected = client.post(
            f"{V1}/referrals/{held['ANNE']}/reject", json={"note": "fake"}, headers=admin
        )
        assert rejected.json()["status"] == "rejected"
        points = client.get(f"{V1}/members/ANN/points", headers=admin).json()["available"]
        assert points == 100
        assert client.get(f"{V1}/members/ANNE/points", headers=admin).json()["available"] == 0
        again = client.post(
            f"{V1}/referrals/{held['ANN']}/reject", json={"note": "x"}, headers=admin
        )
        assert_problem(again, 409, "referral_not_in_review")
        missing = client.post(f"{V1}/referrals/999999/approve", json={"note": "x"}, headers=admin)
        assert_problem(missing, 404, "referral_not_found")
        no_note = client.post(f"{V1}/referrals/{held['ANN']}/approve", json={}, headers=admin)
        assert_problem(no_note, 422, "request_invalid", "/note")
        empty = client.get(f"{V1}/referrals", params={"status": "review"}, headers=admin).json()
        assert empty["items"] == []


class TestFigures:
    def test_funnel_leaderboard_and_ambassadors_by_hand(
        self, client: TestClient, admin: dict[str, str], app: Loyalist, clock: ManualClock
    ) -> None:
        """ANNA: 2 shares, 3 clicks, 4 friends (2 converted, 1 qualifying returned back to
        pending, 1 blocked); CAROL: 1 friend converted. Ambassadors: 2."""
        _program(client, admin)
        _enrol(client, admin, "ANNA", first_name="Anna", email="anna@example.com")
        _enrol(client, admin, "CAROL", first_name="Carol")
        anna, carol = _code(client, admin, "ANNA"), _code(client, admin, "CAROL")
        for channel in ("email", "sms"):
            client.post(
                f"{V1}/members/ANNA/referral/shares", json={"channel": channel}, headers=admin
            )
        for i in range(3):
            client.post(
                f"{V1}/referral-links/{anna['token']}/clicks",
                json={"click_id": f"c{i}"},
                headers=admin,
            )
        for friend in ("F1", "F2", "F3"):
            _enrol(client, admin, friend, referral={"code": anna["code"]})
        _enrol(client, admin, "FAKE", email="anna@example.com", referral={"code": anna["code"]})
        _enrol(client, admin, "G1", referral={"token": carol["token"]})
        orders = [("F1", "O1"), ("F2", "O2"), ("F3", "O3"), ("G1", "O4")]
        for member, order in orders:
            body = order_body(order, ("A", 1, 6000))
            _send(client, admin, event(f"pay-{order}", "order.paid", member, START, **body))
        returned = event(
            "ret", "order.returned", "F3", START + timedelta(days=1), order_id="O3",
            lines=[{"sku": "A", "quantity": 1}],
        )  # fmt: skip
        _send(client, admin, returned)
        clock.advance(timedelta(days=90))
        while app.run_due_work().did_work:
            pass
        overall = client.get(f"{V1}/referrals/funnel", headers=admin).json()
        assert {k: overall[k] for k in overall if k not in ("from", "to", "referrer_id")} == {
            "shares": 2,
            "clicks": 3,
            "attributed": 5,
            "enrolled": 5,
            "pending": 1,
            "review": 0,
            "qualifying": 0,
            "blocked": 1,
            "rejected": 0,
            "converted": 3,
            "rewarded": 3,
            "ambassadors": 2,
        }
        mine = client.get(f"{V1}/referrals/funnel", params={"referrer": "ANNA"}, headers=admin)
        assert (mine.json()["attributed"], mine.json()["converted"]) == (4, 2)
        assert "ambassadors" not in mine.json()
        board = client.get(f"{V1}/referrals/leaderboard", headers=admin).json()["items"]
        assert [(i["rank"], i["member_id"], i["converted"]) for i in board] == [
            (1, "ANNA", 2),
            (2, "CAROL", 1),
        ]
        later = (clock.now() + timedelta(seconds=1)).isoformat()
        empty = client.get(
            f"{V1}/referrals/leaderboard", params={"from": later}, headers=admin
        ).json()
        assert empty["items"] == []
        assert client.get(f"{V1}/members/ANNA/points", headers=admin).json()["available"] == 1000
