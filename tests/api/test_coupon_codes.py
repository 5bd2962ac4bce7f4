"""Unique coupon codes over HTTP: generate a batch (201, then 200 for the same request),
conflicts and refusals as problems, and the streamed CSV export."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from sqlalchemy import select
from starlette.testclient import TestClient

from loyalist.bootstrap import Loyalist
from loyalist.coupons.codes import ALPHABET, normalize, space
from loyalist.coupons.models import CouponCode
from loyalist.db.uow import UnitOfWork
from tests.api.conftest import assert_problem, row_counts
from tests.conftest import START

CAMPAIGN: dict[str, Any] = {
    "name": {"en": "Spring sale", "ru": "Весенняя распродажа"},
    "discount": {"type": "percent", "percent": "10"},
    "code_mode": "unique",
}
CODES = "/api/v1/coupon-campaigns/spring/codes"


def put_campaign(client: TestClient, admin: dict[str, str], **overrides: Any) -> None:
    response = client.put(
        "/api/v1/coupon-campaigns/spring", json=CAMPAIGN | overrides, headers=admin
    )
    assert response.status_code in (200, 201), response.text


def stored_codes(app: Loyalist) -> list[str]:
    def op(uow: UnitOfWork) -> list[str]:
        return list(uow.session.scalars(select(CouponCode.code).order_by(CouponCode.id)))

    return app.db.read(op)


class TestGenerate:
    def test_answers_201_with_the_ready_batch_then_200_for_the_same_request(
        self, client: TestClient, app: Loyalist, admin: dict[str, str]
    ) -> None:
        put_campaign(client, admin)
        body = {"count": 1500, "prefix": "sp", "length": 8, "group": 4, "request_key": "r1"}
        created = client.post(CODES, json=body, headers=admin)
        assert created.status_code == 201, created.text
        batch = created.json()
        assert batch == {
            "id": batch["id"],
            "campaign": "spring",
            "request_key": "r1",
            "length": 8,
            "prefix": "SP",
            "group": 4,
            "requested": 1500,
            "generated": 1500,
            "status": "ready",
            "created_at": START.isoformat().replace("+00:00", "Z"),
            "finished_at": START.isoformat().replace("+00:00", "Z"),
            "added": 1500,
        }
        stored = stored_codes(app)
        assert len(stored) == len(set(stored)) == 1500

        replayed = client.post(CODES, json=body, headers=admin)
        assert replayed.status_code == 200, replayed.text
        assert replayed.json() == batch | {"added": 0}
        assert stored_codes(app) == stored

    def test_the_same_key_with_another_count_is_a_409_and_writes_nothing(
        self, client: TestClient, app: Loyalist, admin: dict[str, str]
    ) -> None:
        put_campaign(client, admin)
        client.post(CODES, json={"count": 10, "request_key": "r1"}, headers=admin)
        before = row_counts(app)
        response = client.post(CODES, json={"count": 11, "request_key": "r1"}, headers=admin)
        assert_problem(response, 409, "batch_key_reused")
        assert row_counts(app) == before

    def test_refusals_are_problems_with_pointers(
        self, client: TestClient, app: Loyalist, admin: dict[str, str]
    ) -> None:
        put_campaign(client, admin)
        before = row_counts(app)
        too_many = {"count": space(6) // 100 + 1, "length": 6, "request_key": "r1"}
        assert_problem(
            client.post(CODES, json=too_many, headers=admin), 422, "code_space_too_small", "/length"
        )
        assert_problem(
            client.post(CODES, json={"count": 1, "length": 40, "request_key": "r"}, headers=admin),
            422,
            "request_invalid",
            "/length",
        )
        assert_problem(
            client.post(CODES, json={"count": 0, "request_key": "r"}, headers=admin),
            422,
            "request_invalid",
            "/count",
        )
        missing = client.post(
            "/api/v1/coupon-campaigns/nope/codes",
            json={"count": 1, "request_key": "r"},
            headers=admin,
        )
        assert_problem(missing, 404, "campaign_not_found")
        assert row_counts(app) == before

    def test_a_generic_campaign_gets_no_generated_codes(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        put_campaign(client, admin, code_mode="generic", code="SPRING26")
        response = client.post(CODES, json={"count": 5, "request_key": "r1"}, headers=admin)
        assert_problem(response, 422, "campaign_not_unique")


class TestExport:
    def test_streams_the_codes_as_csv_that_normalises_to_the_stored_codes(
        self, client: TestClient, app: Loyalist, admin: dict[str, str]
    ) -> None:
        put_campaign(client, admin)
        body = {"count": 6000, "prefix": "SP", "group": 5, "request_key": "r1"}
        assert client.post(CODES, json=body, headers=admin).status_code == 201
        response = client.get(f"{CODES}.csv", headers=admin)
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == "text/csv; charset=utf-8"
        assert response.headers["content-disposition"] == 'attachment; filename="spring-codes.csv"'
        rows = list(csv.DictReader(io.StringIO(response.text)))
        assert [normalize(row["code"]) for row in rows] == stored_codes(app)
        shape = re.compile(rf"^SP-[{ALPHABET}]{{5}}-[{ALPHABET}]{{5}}$")
        assert [row["code"] for row in rows if not shape.match(row["code"])] == []
        assert {(r["uses"], r["max_uses"], r["member_id"], r["valid_until"]) for r in rows} == {
            ("0", "1", "", "")
        }

    def test_an_unknown_campaign_is_a_404_problem(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        response = client.get("/api/v1/coupon-campaigns/nope/codes.csv", headers=admin)
        assert_problem(response, 404, "campaign_not_found")
