"""Referral regressions found in review, on both databases."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from loyalist.bootstrap import Loyalist
from loyalist.clock import ManualClock
from loyalist.referrals import service
from loyalist.referrals.schemas import ReferralProgramIn
from loyalist.staff.models import Scope
from loyalist.staff.service import create_api_key
from tests.conftest import START, event, order_body
from tests.integration.helpers import assert_ledger_consistent, points, run_jobs, send
from tests.integration.test_checkout_concurrency import together
from tests.integration.test_referrals import (
    MATURITY,
    code_of,
    configure,
    enrol,
    pay,
    referral,
    rules_fired,
)


def test_ipv4_mapped_ipv6_is_the_same_ip_for_self_referral(app: Loyalist) -> None:
    configure(app, fraud={"self_referral": {"action": "block"}})
    enrol(app, "ANNA", first_name="Anna", signals={"ip": "203.0.113.7"})
    code = code_of(app, "ANNA")["code"]
    enrol(app, "BOB", referral={"code": code}, signals={"ip": "::ffff:203.0.113.7"})
    assert rules_fired(referral(app, "BOB")) == [("self_referral", "block")]


def test_friend_cannot_refer_their_own_referrer_back(app: Loyalist) -> None:
    """Anna refers Bob; Anna (enrolled without a referral) then orders with Bob's code: a
    referral ring, each rewarded for the other. It must not pass as a clean referral."""
    configure(app)
    enrol(app, "ANNA", first_name="Anna")
    enrol(app, "BOB", referral={"code": code_of(app, "ANNA")["code"]}, first_name="Bob")
    bob_code = code_of(app, "BOB")["code"]
    pay(app, "ANNA", "A1", 6000, START + timedelta(days=1), referral={"code": bob_code})
    found = referral(app, "ANNA")
    assert found is None or found["status"] == "blocked", found
    if found is not None:
        assert ("self_referral", "block") in rules_fired(found)


def test_welcome_on_first_order_is_given_again_after_that_order_came_back(
    app: Loyalist, clock: ManualClock
) -> None:
    """The first-order welcome goes with the order: when the whole order is cancelled
    before maturity, the next qualifying order carries the welcome again."""
    configure(app, friend_reward={"points": 100, "on": "first_order"})
    enrol(app, "ANNA", first_name="Anna")
    enrol(app, "BOB", referral={"code": code_of(app, "ANNA")["code"]})
    pay(app, "BOB", "O1", 6000)
    send(app, event("cancel", "order.cancelled", "BOB", START + timedelta(days=1), order_id="O1"))
    pay(app, "BOB", "O2", 6000, START + timedelta(days=2))
    found = referral(app, "BOB")
    assert found is not None
    assert (found["status"], found["order_id"]) == ("qualifying", "O2")
    own = _order_points(app, 6000)
    assert own > 0
    clock.advance(MATURITY + timedelta(days=3))
    run_jobs(app)
    assert referral(app, "BOB")["status"] == "converted"  # type: ignore[index]
    assert points(app, "ANNA")["available"] == 500
    # 100 welcome + the order's own points for O2 (O1's and its welcome were reversed).
    bob = points(app, "BOB")
    assert (bob["available"], bob["pending"]) == (own + 100, 0), bob
    assert_ledger_consistent(app)


def _order_points(app: Loyalist, amount: int) -> int:
    """What a plain, unreferred member earns for one order of ``amount``."""
    pay(app, "PLAIN", "P1", amount)
    return int(points(app, "PLAIN")["pending"])


@pytest.fixture
def headers(app: Loyalist) -> dict[str, str]:
    token = app.db.write(lambda uow: create_api_key(uow, "shop", [Scope.ADMIN])[1])
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize("attempt", range(4))
def test_enrolment_with_code_and_first_order_at_once_the_order_qualifies(
    app: Loyalist, headers: dict[str, str], attempt: int
) -> None:
    config = ReferralProgramIn.model_validate({"friend_reward": {"points": 100}})
    app.db.write(lambda uow: service.put_program(uow, config, who="test"))
    send(app, event("r0", "member.enrolled", "R0", START, first_name="Anna"))
    code = app.db.write(lambda uow: service.member_referral(uow, "R0"))["code"]
    body = order_body("O1", ("A", 1, 6000), referral={"code": code})
    requests: list[tuple[str, str, Any, dict[str, str]]] = [
        (
            "POST",
            "/api/v1/events",
            event("enrol", "member.enrolled", "FRIEND", START, referral={"code": code}),
            headers,
        ),
        ("POST", "/api/v1/events", event("pay", "order.paid", "FRIEND", START, **body), headers),
    ]
    responses = together(app, requests)
    assert all(r.status_code < 300 for r in responses), [r.text for r in responses]
    found = referral(app, "FRIEND")
    assert found is not None
    assert (found["status"], found["order_id"]) == ("qualifying", "O1"), found


def test_a_second_enrolment_long_after_sign_up_does_not_attribute(app: Loyalist) -> None:
    """A code at sign-up counts; an old member re-sent as ``member.enrolled`` with a code
    months later is not signing up: the attribution window applies as for a first order."""
    configure(app, attribution_window_days=30)
    enrol(app, "ANNA", first_name="Anna")
    code = code_of(app, "ANNA")["code"]
    enrol(app, "BOB")
    enrol(app, "BOB", START + timedelta(days=60), referral={"code": code})
    assert referral(app, "BOB") is None
    assert points(app, "BOB")["available"] == 0
    enrol(app, "CAROL")
    enrol(app, "CAROL", START + timedelta(days=10), referral={"code": code})
    assert referral(app, "CAROL") is not None


@pytest.mark.parametrize(
    "email", ["Bob@MAILINATOR.com", " bob@mailinator.com ", "bob@mail.mailinator.com"]
)
def test_disposable_domain_whatever_the_case_and_spaces(app: Loyalist, email: str) -> None:
    configure(app)
    enrol(app, "ANNA", first_name="Anna")
    enrol(app, "BOB", referral={"code": code_of(app, "ANNA")["code"]}, email=email)
    assert ("disposable_email", "block") in rules_fired(referral(app, "BOB"))
