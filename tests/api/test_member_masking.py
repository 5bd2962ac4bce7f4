"""Personal data shown to staff: a Support key sees every member-bearing answer masked
(e-mail, phone, last name, birthday; codes without ``coupons.export``) until it reveals one
field, audited; an admin key sees them in full."""

from __future__ import annotations

import re
from typing import Any

import httpx
from starlette.testclient import TestClient

from loyalist.bootstrap import Loyalist
from loyalist.db.uow import UnitOfWork
from loyalist.staff.service import create_api_key
from tests.api.conftest import api_routes, assert_problem, bearer
from tests.auditing import audit_rows
from tests.conftest import START, event, order_body
from tests.integration.helpers import run_jobs

V1 = "/api/v1"
MEMBER = "PII-7"
EMAIL = "Zoe.Quartermaine@Example.org"
PHONE = "+7 (912) 345-67-89"
FIRST = "Зоя"
LAST = "Квартирмейн"
BIRTHDAY = "1987-05-23"
#: Every form of the raw values a leak could take (the answers are JSON: as-is text).
RAW = (
    EMAIL.lower(),
    "quartermaine",
    "+79123456789",
    "9123456789",
    "345-67-89",
    LAST.lower(),
    BIRTHDAY,
    "23.05.1987",
)


def _role_key(app: Loyalist, role: str) -> dict[str, str]:
    def op(uow: UnitOfWork) -> str:
        return create_api_key(uow, f"as {role}", [], role=role)[1]

    return bearer(app.db.write(op))


def _seed(client: TestClient, admin: dict[str, str]) -> dict[str, str]:
    """A member with a distinctive profile, an order, messages, a referral code and a coupon
    reward; the ids of what other routes look up."""
    ok = {200, 201, 202}
    program = {"friend_reward": {"points": 100, "on": "enrolled"}, "referrer_reward": {"points": 5}}
    assert client.put(f"{V1}/referral-program", json=program, headers=admin).status_code in ok
    profile = {"email": EMAIL, "phone": PHONE, "first_name": FIRST, "last_name": LAST}
    enrol = event("enrol-pii", "member.enrolled", MEMBER, START, **profile, birthday=BIRTHDAY)
    order = order_body("PII-O1", ("shoe", 2, 5000))
    placed = event("pii-placed", "order.placed", MEMBER, START, **order)
    paid = event("pii-paid", "order.paid", MEMBER, START, order_id="PII-O1")
    sent = client.post(f"{V1}/events", json=[enrol, placed, paid], headers=admin)
    assert sent.status_code in ok, sent.text
    referral = client.get(f"{V1}/members/{MEMBER}/referral", headers=admin).json()
    return {"member_id": MEMBER, "order_id": "PII-O1", "code": referral["code"]}


def _leaks(text: str) -> list[str]:
    folded = text.lower()
    return [raw for raw in RAW if raw.lower() in folded]


def _get_routes(ids: dict[str, str]) -> list[str]:
    """Every GET route of the API whose path parameters the seeded data fills."""
    paths = []
    for method, path in sorted(api_routes()):
        names = re.findall(r"{(\w+)(?::\w+)?}", path)
        if method == "GET" and all(n in ids for n in names):
            paths.append(re.sub(r"{(\w+)(?::\w+)?}", lambda m: ids[m.group(1)], path))
    return paths


def _answers(client: TestClient, headers: dict[str, str], ids: dict[str, str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for path in _get_routes(ids):
        response: httpx.Response = client.get(path, headers=headers)
        found[path] = f"{response.status_code} {response.text}"
    for query in (f"email={EMAIL}", "phone=%2B79123456789"):
        response = client.get(f"{V1}/members?{query}", headers=headers)
        assert response.status_code == 200, response.text
        assert [m["id"] for m in response.json()] == [MEMBER]
        found[f"{V1}/members?{query}"] = response.text
    return found


class TestSupportSeesMasked:
    def test_no_member_bearing_answer_holds_raw_personal_data_until_a_reveal(
        self, app: Loyalist, client: TestClient, admin: dict[str, str]
    ) -> None:
        ids = _seed(client, admin)
        run_jobs(app)
        support = _role_key(app, "support")

        answers = _answers(client, support, ids)

        assert f"{V1}/members/{MEMBER}" in answers
        assert sum(a.startswith("200") for a in answers.values()) >= 10, answers
        assert {path: _leaks(body) for path, body in answers.items() if _leaks(body)} == {}
        assert [path for path, body in answers.items() if ids["code"] in body] == []
        assert audit_rows(app, "pii.read") == []

    def test_the_member_is_masked_field_by_field(
        self, app: Loyalist, client: TestClient, admin: dict[str, str]
    ) -> None:
        _seed(client, admin)
        support = _role_key(app, "support")

        member = client.get(f"{V1}/members/{MEMBER}", headers=support).json()

        assert member["email"] == "z***@e***.org"
        assert member["phone"] == "+7********89"
        assert (member["first_name"], member["last_name"]) == (FIRST, "К.")
        assert member["birthday"] == "--05"
        assert member["masked"] == ["email", "phone", "last_name", "birthday"]

    def test_an_admin_key_sees_the_member_in_full(
        self, app: Loyalist, client: TestClient, admin: dict[str, str]
    ) -> None:
        _seed(client, admin)
        owner = _role_key(app, "owner")

        member = client.get(f"{V1}/members/{MEMBER}", headers=owner).json()

        assert member["email"] == EMAIL.lower()
        assert member["phone"] == PHONE
        assert member["last_name"] == LAST
        assert member["birthday"] == BIRTHDAY
        assert member["masked"] == []


class TestReveal:
    def test_reveals_one_field_and_records_exactly_one_pii_read(
        self, app: Loyalist, client: TestClient, admin: dict[str, str]
    ) -> None:
        _seed(client, admin)
        support = _role_key(app, "support")

        revealed = client.post(
            f"{V1}/members/{MEMBER}/reveal",
            json={"field": "phone", "reason": "ticket 4812: call back"},
            headers=support,
        )

        assert revealed.status_code == 200, revealed.text
        assert revealed.json() == {"member_id": MEMBER, "field": "phone", "value": PHONE}
        [row] = audit_rows(app, "pii.read")
        assert row["actor_kind"] == "api_key"
        assert row["target_id"] == MEMBER
        assert row["member_id"] is not None
        assert row["after"] == {"field": "phone"}
        assert row["reason"] == "ticket 4812: call back"
        again = client.get(f"{V1}/members/{MEMBER}", headers=support).json()
        assert again["phone"] == "+7********89"

    def test_name_joins_first_and_last(
        self, app: Loyalist, client: TestClient, admin: dict[str, str]
    ) -> None:
        _seed(client, admin)
        body = {"field": "name", "reason": "greeting on the phone"}

        revealed = client.post(
            f"{V1}/members/{MEMBER}/reveal", json=body, headers=_role_key(app, "support")
        )

        assert revealed.json()["value"] == f"{FIRST} {LAST}"

    def test_refuses_without_a_reason_or_permission_and_writes_nothing(
        self, app: Loyalist, client: TestClient, admin: dict[str, str]
    ) -> None:
        _seed(client, admin)
        url = f"{V1}/members/{MEMBER}/reveal"

        short = client.post(
            url, json={"field": "email", "reason": "  x "}, headers=_role_key(app, "support")
        )
        unknown = client.post(
            url, json={"field": "ssn", "reason": "because"}, headers=_role_key(app, "support")
        )
        denied = client.post(
            url, json={"field": "email", "reason": "because"}, headers=_role_key(app, "analyst")
        )
        missing = client.post(
            f"{V1}/members/NOBODY/reveal",
            json={"field": "email", "reason": "because"},
            headers=_role_key(app, "support"),
        )

        assert_problem(short, 422, "request_invalid", "/reason")
        assert_problem(unknown, 422, "request_invalid", "/field")
        assert_problem(denied, 403, "permission_denied")
        assert_problem(missing, 404, "member_not_found")
        assert audit_rows(app, "pii.read") == []

    def test_limits_reveals_per_caller_with_retry_after(
        self, app: Loyalist, client: TestClient, admin: dict[str, str]
    ) -> None:
        _seed(client, admin)
        support = _role_key(app, "support")
        other = _role_key(app, "support")
        body: dict[str, Any] = {"field": "email", "reason": "checking the address"}
        url = f"{V1}/members/{MEMBER}/reveal"
        limit = int(app.settings.reveal.per_caller.split("/")[0])

        statuses = [client.post(url, json=body, headers=support).status_code for _ in range(limit)]
        refused = client.post(url, json=body, headers=support)
        elsewhere = client.post(url, json=body, headers=other)

        assert statuses == [200] * limit
        assert_problem(refused, 429, "reveals_limited")
        assert int(refused.headers["retry-after"]) >= 1
        assert elsewhere.status_code == 200
        assert len(audit_rows(app, "pii.read")) == limit + 1
