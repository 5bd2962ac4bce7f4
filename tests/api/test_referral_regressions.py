"""Referral routes: regressions found in review (problem+json, never a 500)."""

from __future__ import annotations

from starlette.testclient import TestClient

from tests.api.conftest import assert_problem
from tests.api.test_referrals import V1, _code, _enrol, _program


def test_huge_after_cursor_is_an_empty_page_not_a_500(
    client: TestClient, admin: dict[str, str]
) -> None:
    _program(client, admin)
    _enrol(client, admin, "ANNA", first_name="Anna")
    _enrol(client, admin, "BOB", referral={"code": _code(client, admin, "ANNA")["code"]})
    response = client.get(f"{V1}/referrals", params={"after": 10**30}, headers=admin)
    assert response.status_code in (200, 422), response.text
    if response.status_code == 200:
        assert response.json()["items"] == []
    else:
        assert_problem(response, 422, "request_invalid")


def test_decisions_on_a_blocked_and_a_rejected_referral_conflict(
    client: TestClient, admin: dict[str, str]
) -> None:
    _program(client, admin, fraud={"self_referral": {"action": "review"}})
    _enrol(client, admin, "ANNA", first_name="Anna", email="anna@example.com")
    code = _code(client, admin, "ANNA")["code"]
    _enrol(client, admin, "BOB", referral={"code": code}, email=" ANNA@Example.COM ")
    (held,) = client.get(f"{V1}/referrals", params={"status": "review"}, headers=admin).json()[
        "items"
    ]
    assert "same e-mail address" in held["checks"][0]["reason"]
    rid = held["id"]
    assert client.post(f"{V1}/referrals/{rid}/reject", json={"note": "ring"}, headers=admin)
    again = client.post(f"{V1}/referrals/{rid}/approve", json={"note": "oops"}, headers=admin)
    assert_problem(again, 409, "referral_not_in_review")
    missing = client.post(f"{V1}/referrals/999999/approve", json={"note": "x"}, headers=admin)
    assert_problem(missing, 404, "referral_not_found")


def test_program_naming_a_missing_coupon_campaign_is_refused(
    client: TestClient, admin: dict[str, str]
) -> None:
    """A typo in the welcome's campaign would silently give friends nothing (and mark them
    rewarded): the program is refused instead, as a quest naming one is."""
    bad = client.put(
        f"{V1}/referral-program",
        json={"friend_reward": {"coupon_campaign": "no-such-campaign", "on": "enrolled"}},
        headers=admin,
    )
    assert_problem(bad, 422, "referral_program_invalid", "/friend_reward/coupon_campaign")
    milestone = client.put(
        f"{V1}/referral-program",
        json={"milestones": [{"every": 3, "reward": {"coupon_campaign": "nope"}}]},
        headers=admin,
    )
    assert_problem(
        milestone, 422, "referral_program_invalid", "/milestones/0/reward/coupon_campaign"
    )
    assert client.get(f"{V1}/referral-program", headers=admin).json()["version"] == 0
