"""Giving a member a coupon: a personal code of an active unique-code campaign, with a
reason, audited and replay-safe; shared-code and paused campaigns refused."""

from __future__ import annotations

import uuid
from typing import Any

from starlette.testclient import TestClient

from loyalist.bootstrap import Loyalist
from tests.api.conftest import assert_problem, bearer, row_counts
from tests.api.staff_helpers import role_key
from tests.auditing import audit_rows

GIVE = "/api/v1/members/M1/coupons"


def _campaign(client: TestClient, admin: dict[str, str], key: str, **overrides: Any) -> None:
    body = {
        "name": {"en": "Sorry for the wait", "ru": "Извините за ожидание"},
        "discount": {"type": "percent", "percent": "10"},
        "code_mode": "unique",
        "code": None,
    } | overrides
    answer = client.put(f"/api/v1/coupon-campaigns/{key}", json=body, headers=admin)
    assert answer.status_code in (200, 201), answer.text


def _give(client: TestClient, headers: dict[str, str], key: str, campaign: str) -> Any:
    body = {"campaign": campaign, "reason": "parcel lost"}
    return client.post(GIVE, json=body, headers=headers | {"Idempotency-Key": key})


class TestGiveCoupon:
    def test_gives_one_personal_code_once_per_key_and_audits_it(
        self, client: TestClient, app: Loyalist, admin: dict[str, str]
    ) -> None:
        client.put("/api/v1/members/M1", json={}, headers=admin)
        _campaign(client, admin, "sorry")
        key = uuid.uuid4().hex

        first = _give(client, admin, key, "sorry")
        again = _give(client, admin, key, "sorry")

        assert first.status_code == 201, first.text
        assert again.json() == first.json()
        held = client.get("/api/v1/members/M1/coupons", headers=admin).json()["items"]
        assert [c["campaign"] for c in held] == ["sorry"]
        [row] = audit_rows(app, "coupon.given")
        assert (row["after"]["campaign"], row["reason"]) == ("sorry", "parcel lost")

    def test_refuses_shared_code_or_paused_campaigns_and_writes_nothing(
        self, client: TestClient, app: Loyalist, admin: dict[str, str]
    ) -> None:
        client.put("/api/v1/members/M1", json={}, headers=admin)
        _campaign(client, admin, "shared", code_mode="generic", code="WELCOME-10")
        _campaign(client, admin, "paused", status="paused")
        before = row_counts(app)

        shared = _give(client, admin, uuid.uuid4().hex, "shared")
        paused = _give(client, admin, uuid.uuid4().hex, "paused")
        unknown = _give(client, admin, uuid.uuid4().hex, "nope")

        assert_problem(shared, 422, "campaign_not_unique")
        assert_problem(paused, 422, "coupon_inactive")
        assert_problem(unknown, 404, "campaign_not_found")
        assert row_counts(app) == before

    def test_support_may_not_give_a_coupon(self, client: TestClient, app: Loyalist) -> None:
        support = bearer(role_key(app, "support"))
        answer = _give(client, support, uuid.uuid4().hex, "sorry")
        assert_problem(answer, 403, "permission_denied")
