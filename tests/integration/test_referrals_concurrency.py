"""Referrals under concurrency, over HTTP, on both databases: one friend attributed from
many requests at once makes one referral; a code asked for at once is created once."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from sqlalchemy import func, select

from loyalist.bootstrap import Loyalist
from loyalist.db.uow import UnitOfWork
from loyalist.referrals import service
from loyalist.referrals.models import Referral, ReferralCode
from loyalist.referrals.schemas import ReferralProgramIn
from loyalist.staff.models import Scope
from loyalist.staff.service import create_api_key
from tests.conftest import START, event, order_body
from tests.integration.helpers import assert_ledger_consistent, points, send
from tests.integration.test_checkout_concurrency import together


@pytest.fixture
def headers(app: Loyalist) -> dict[str, str]:
    token = app.db.write(lambda uow: create_api_key(uow, "shop", [Scope.ADMIN])[1])
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def codes(app: Loyalist) -> list[str]:
    """Eight referrers with their codes, the program active with a welcome of 100."""
    config = ReferralProgramIn.model_validate({"friend_reward": {"points": 100}})
    app.db.write(lambda uow: service.put_program(uow, config, who="test"))
    found = []
    for i in range(8):
        send(app, event(f"r{i}", "member.enrolled", f"R{i}", START, first_name="Anna"))
        view = app.db.write(lambda uow, m=f"R{i}": service.member_referral(uow, m))  # type: ignore[misc]
        found.append(view["code"])
    return found


def counts(app: Loyalist) -> tuple[int, int]:
    def op(uow: UnitOfWork) -> tuple[int, int]:
        referrals = uow.session.scalar(select(func.count()).select_from(Referral))
        codes = uow.session.scalar(select(func.count()).select_from(ReferralCode))
        return int(referrals or 0), int(codes or 0)

    return app.db.read(op)


def test_same_friend_enrolled_from_eight_requests_with_eight_codes_is_referred_once(
    app: Loyalist, headers: dict[str, str], codes: list[str]
) -> None:
    requests: list[tuple[str, str, Any, dict[str, str]]] = [
        (
            "POST",
            "/api/v1/events",
            event(f"enrol-{i}", "member.enrolled", "FRIEND", START, referral={"code": code}),
            headers,
        )
        for i, code in enumerate(codes)
    ]
    responses = together(app, requests)
    assert all(r.status_code < 500 for r in responses), [r.text for r in responses]
    assert counts(app)[0] == 1
    assert points(app, "FRIEND")["available"] == 100  # the welcome once
    assert_ledger_consistent(app)


def test_enrolment_and_first_order_at_once_make_one_referral(
    app: Loyalist, headers: dict[str, str], codes: list[str]
) -> None:
    body = order_body("O1", ("A", 1, 6000), referral={"code": codes[1]})
    requests: list[tuple[str, str, Any, dict[str, str]]] = [
        (
            "POST",
            "/api/v1/events",
            event("enrol", "member.enrolled", "FRIEND", START, referral={"code": codes[0]}),
            headers,
        ),
        ("POST", "/api/v1/events", event("pay", "order.paid", "FRIEND", START, **body), headers),
    ]
    responses = together(app, requests)
    assert Counter(r.status_code < 500 for r in responses) == {True: 2}, [r.text for r in responses]
    assert counts(app)[0] == 1


def test_code_requested_at_once_is_created_once(
    app: Loyalist, headers: dict[str, str], codes: list[str]
) -> None:
    send(app, event("new", "member.enrolled", "NEW", START, first_name="Ольга"))
    responses = together(app, [("GET", "/api/v1/members/NEW/referral", None, headers)] * 12)
    assert {r.status_code for r in responses} == {200}, [r.text for r in responses][:2]
    assert len({r.json()["code"] for r in responses}) == 1
    assert responses[0].json()["code"].startswith("OLGA-")
    assert counts(app)[1] == len(codes) + 1
