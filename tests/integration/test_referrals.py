"""Referrals on both databases: codes, attribution, fraud rules, maturity, conversion."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from loyalist.audit.models import Actor, ActorKind, AuditRecord
from loyalist.bootstrap import Loyalist
from loyalist.clock import ManualClock
from loyalist.db.uow import UnitOfWork
from loyalist.errors import ConflictError, InvalidRequestError
from loyalist.referrals import jobs, policy, service
from loyalist.referrals.events import ReferralAttributed, ReferralConverted
from loyalist.referrals.models import DecisionReason, Referral
from loyalist.referrals.schemas import ReferralProgramIn
from tests.conftest import START, event, order_body
from tests.integration.helpers import (
    assert_ledger_consistent,
    member_pk,
    points,
    run_jobs,
    send,
)

#: Undelivered orders mature 60 + 30 days after payment (the default program policy).
MATURITY = timedelta(days=90)
CODE_FORMAT = re.compile(r"^[A-Z]{1,8}-[23456789ABCDEFGHJKMNPQRSTVWXYZ]{4,5}$")

#: A reviewer, as the audit trail names her.
EVE = Actor(ActorKind.STAFF, "7", "Eve")


def configure(app: Loyalist, **spec: Any) -> None:
    base: dict[str, Any] = {
        "friend_reward": {"points": 100, "on": "enrolled"},
        "referrer_reward": {"points": 500},
        "min_order": {"EUR": 5000},
    }
    config = ReferralProgramIn.model_validate(base | spec)
    app.db.write(lambda uow: service.put_program(uow, config, who="test"))


def enrol(app: Loyalist, member: str, at: Any = START, **data: Any) -> None:
    send(app, event(f"enrol-{member}-{at.isoformat()}", "member.enrolled", member, at, **data))


def code_of(app: Loyalist, member: str) -> dict[str, Any]:
    return app.db.write(lambda uow: service.member_referral(uow, member))


def pay(app: Loyalist, member: str, order: str, amount: int, at: Any = START, **extra: Any) -> None:
    body = order_body(order, ("SKU", 1, amount), **extra)
    send(app, event(f"pay-{order}", "order.paid", member, at, **body))


def referral(app: Loyalist, friend: str) -> dict[str, Any] | None:
    def op(uow: UnitOfWork) -> dict[str, Any] | None:
        friend_id = member_pk(app, friend)
        row = uow.session.execute(
            select(Referral.id).where(Referral.friend_id == friend_id)
        ).scalar_one_or_none()
        return None if row is None else service.referral_view(uow, service.get_referral(uow, row))

    return app.db.read(op)


def approve(app: Loyalist, referral_id: int, note: str, reason: DecisionReason) -> None:
    """Eve approves the held referral with ``reason``."""
    app.db.write(
        lambda uow: service.decide(
            uow,
            app.program,
            referral_id,
            approve=True,
            note=note,
            who="staff:eve",
            actor=EVE,
            reason=reason,
        )
    )


def referral_count(app: Loyalist) -> int:
    return app.db.read(
        lambda uow: int(uow.session.scalar(select(func.count()).select_from(Referral)) or 0)
    )


def rules_fired(found: dict[str, Any] | None) -> list[tuple[str, str]]:
    assert found is not None
    return [(c["rule"], c["action"]) for c in found["checks"]]


@pytest.fixture
def anna(app: Loyalist) -> str:
    """The referrer Anna (Cyrillic name), with her code."""
    configure(app)
    enrol(app, "ANNA", first_name="Анна", last_name="Смирнова", email="anna@example.com")
    return str(code_of(app, "ANNA")["code"])


class TestCodes:
    def test_code_is_readable_aloud_transliterated_and_stable(
        self, app: Loyalist, anna: str
    ) -> None:
        assert CODE_FORMAT.match(anna), anna
        assert anna.startswith("ANNA-")
        again = code_of(app, "ANNA")
        assert again["code"] == anna
        assert len(again["token"]) >= 22  # 128+ bits, URL-safe
        assert again["share_url"] == "https://shop.example/r/" + again["token"]

    def test_member_without_a_name_gets_the_fallback_prefix(self, app: Loyalist) -> None:
        configure(app)
        enrol(app, "NONAME")
        assert code_of(app, "NONAME")["code"].startswith("FRIEND-")

    @pytest.mark.parametrize(
        ("name", "prefix"),
        [("Анна", "ANNA"), ("Zoë", "ZOE"), ("Jean-Luc", "JEANLUC"), ("Maximilianus", "MAXIMILI")],
    )
    def test_name_prefix(self, name: str, prefix: str) -> None:
        assert policy.name_prefix(name) == prefix

    def test_random_part_has_no_look_alikes(self) -> None:
        bodies = "".join(policy.new_code("X", 5)[0][1:] for _ in range(500))
        assert not set(bodies) & set("01OILU")

    def test_resolution_ignores_case_spaces_and_dashes(self, app: Loyalist, anna: str) -> None:
        typed = " " + anna.lower().replace("-", " - ") + " "
        found = app.db.read(lambda uow: service.resolve_code(uow, typed))
        assert found["is_valid"] is True
        assert found["code"] == anna
        assert "Анна" not in str(found)
        assert found["referrer_first_name"] is None
        missing = app.db.read(lambda uow: service.resolve_code(uow, "NOPE-2222"))
        assert missing["is_valid"] is False

    def test_codes_are_unique_when_many_share_a_name(self, app: Loyalist) -> None:
        configure(app)
        for i in range(30):
            enrol(app, f"A{i}", first_name="Anna")
        codes = {code_of(app, f"A{i}")["code"] for i in range(30)}
        assert len(codes) == 30


class TestAttribution:
    def test_code_at_sign_up_attributes_and_rewards_the_friend(
        self, app: Loyalist, anna: str
    ) -> None:
        enrol(app, "BOB", email="bob@example.org", referral={"code": anna})
        found = referral(app, "BOB")
        assert found is not None
        assert (found["referrer_id"], found["status"], found["via"]) == (
            "ANNA",
            "pending",
            "code",
        )
        assert found["checks"] == []
        assert points(app, "BOB")["available"] == 100
        assert points(app, "ANNA")["available"] == 0

    def test_first_attribution_wins_and_a_member_is_referred_once(
        self, app: Loyalist, anna: str
    ) -> None:
        enrol(app, "CAROL", first_name="Carol", email="carol@example.com")
        carol = code_of(app, "CAROL")["code"]
        enrol(app, "BOB", email="bob@example.org", referral={"code": anna})
        pay(app, "BOB", "O1", 6000, START + timedelta(days=1), referral={"code": carol})
        send(
            app,
            event(
                "enrol-again",
                "member.enrolled",
                "BOB",
                START + timedelta(days=2),
                referral={"code": carol},
            ),
        )
        found = referral(app, "BOB")
        assert found is not None
        assert found["referrer_id"] == "ANNA"
        assert referral_count(app) == 1
        assert points(app, "BOB")["available"] == 100  # welcome reward once

    def test_unknown_code_changes_nothing(self, app: Loyalist, anna: str) -> None:
        enrol(app, "BOB", referral={"code": "ANNA-2222"})
        assert referral(app, "BOB") is None

    def test_link_outside_the_attribution_window_does_not_count(
        self, app: Loyalist, clock: ManualClock
    ) -> None:
        configure(app, attribution_window_days=7)
        enrol(app, "ANNA", first_name="Anna")
        token = code_of(app, "ANNA")["token"]
        late = START + timedelta(days=8)
        enrol(app, "BOB", late, referral={"token": token})
        assert referral(app, "BOB") is None
        # A click two days before sign-up restarts the window.
        clock.set(START + timedelta(days=20))
        app.db.write(lambda uow: service.record_click(uow, token, "c1", None, None))
        enrol(app, "CAROL", START + timedelta(days=22), referral={"token": token})
        found = referral(app, "CAROL")
        assert found is not None
        assert found["via"] == "token"

    def test_inactive_program_attributes_nothing(self, app: Loyalist, anna: str) -> None:
        configure(app, is_active=False)
        enrol(app, "BOB", referral={"code": anna})
        assert referral(app, "BOB") is None

    def test_attribution_on_first_order_with_pending_friend_reward(
        self, app: Loyalist, anna: str
    ) -> None:
        configure(app, friend_reward={"points": 100, "on": "first_order"})
        pay(app, "BOB", "O1", 6000, referral={"code": anna})
        found = referral(app, "BOB")
        assert found is not None
        assert (found["attributed_on"], found["status"], found["order_id"]) == (
            "first_order",
            "qualifying",
            "O1",
        )
        assert found["matures_at"] is not None
        summary = points(app, "BOB")
        assert summary["available"] == 0
        assert summary["pending"] == 60 + 100  # the order's own points and the welcome

    def test_attributed_event_is_emitted_once(self, app: Loyalist, anna: str) -> None:
        seen: list[Any] = []
        app.subscribe(
            (ReferralAttributed, ReferralConverted), lambda _uow, run, _program: seen.extend(run)
        )
        enrol(app, "BOB", referral={"code": anna})
        enrol(app, "BOB", START + timedelta(hours=1), referral={"code": anna})
        assert [type(e) for e in seen] == [ReferralAttributed]
        assert seen[0].status == "pending"

    def test_signals_are_stored_only_hashed(self, app: Loyalist, anna: str) -> None:
        enrol(
            app,
            "BOB",
            email="bob@example.org",
            referral={"code": anna},
            signals={"ip": "203.0.113.9", "device_id": "dev-1"},
        )
        pay(app, "BOB", "O1", 6000, signals={"ip": "203.0.113.9"})

        def stored(uow: UnitOfWork) -> str:
            from loyalist.activities.models import Activity, Order

            rows = uow.session.execute(select(Activity.data)).scalars().all()
            orders = uow.session.execute(select(Order.referral)).scalars().all()
            return repr(rows) + repr(orders)

        text = app.db.read(stored)
        assert "203.0.113.9" not in text
        assert "dev-1" not in text
        assert "bob@example.org" not in text


class TestFraudRules:
    """Each rule with a case where it fires and one where it does not."""

    def test_self_referral_same_member_always_blocks(self, app: Loyalist, anna: str) -> None:
        send(app, event("again", "member.enrolled", "ANNA", START, referral={"code": anna}))
        found = referral(app, "ANNA")
        assert found is not None
        assert found["status"] == "blocked"
        assert rules_fired(found) == [("self_referral", "block")]
        assert points(app, "ANNA")["available"] == 0

    def test_self_referral_same_email_blocks(self, app: Loyalist, anna: str) -> None:
        enrol(app, "BOB", email="ANNA@example.com", referral={"code": anna})
        found = referral(app, "BOB")
        assert found is not None
        assert found["status"] == "blocked"
        assert rules_fired(found) == [("self_referral", "block")]
        assert "same e-mail address" in found["checks"][0]["reason"]
        assert points(app, "BOB")["available"] == 0
        enrol(app, "CAROL", email="carol@example.com", referral={"code": anna})
        assert rules_fired(referral(app, "CAROL")) == []

    def test_self_referral_same_phone(self, app: Loyalist) -> None:
        configure(app)
        enrol(app, "ANNA", first_name="Anna", phone="+49 170 1234567")
        code = code_of(app, "ANNA")["code"]
        enrol(app, "BOB", phone="+491701234567", referral={"code": code})
        assert rules_fired(referral(app, "BOB")) == [("self_referral", "block")]
        enrol(app, "CAROL", phone="+49 170 7654321", referral={"code": code})
        assert rules_fired(referral(app, "CAROL")) == []

    def test_self_referral_same_payment_fingerprint(self, app: Loyalist, anna: str) -> None:
        pay(app, "ANNA", "A1", 1000, signals={"payment_fingerprint": "card-1"})
        pay(
            app,
            "BOB",
            "B1",
            6000,
            START + timedelta(days=400),
            referral={"code": anna},
            signals={"payment_fingerprint": "card-1"},
        )
        found = referral(app, "BOB")
        assert rules_fired(found) == [("self_referral", "block")]
        assert found is not None
        assert "payment fingerprint" in found["checks"][0]["reason"]
        pay(
            app,
            "CAROL",
            "C1",
            6000,
            referral={"code": anna},
            signals={"payment_fingerprint": "card-2"},
        )
        assert rules_fired(referral(app, "CAROL")) == []

    def test_same_device_blocks_only_within_the_window(self, app: Loyalist) -> None:
        configure(app, fraud={"self_referral": {"action": "block", "signal_window_days": 30}})
        enrol(app, "ANNA", first_name="Anna", signals={"device_id": "phone-1"})
        code = code_of(app, "ANNA")["code"]
        enrol(
            app,
            "BOB",
            START + timedelta(days=10),
            referral={"code": code},
            signals={"device_id": "phone-1"},
        )
        assert rules_fired(referral(app, "BOB")) == [("self_referral", "block")]
        enrol(
            app,
            "CAROL",
            START + timedelta(days=45),
            referral={"code": code},
            signals={"device_id": "phone-1"},
        )
        assert rules_fired(referral(app, "CAROL")) == []

    def test_same_ip_sends_to_review_when_configured(self, app: Loyalist) -> None:
        configure(app, fraud={"self_referral": {"action": "review"}})
        enrol(app, "ANNA", first_name="Anna", signals={"ip": "2001:db8::1"})
        code = code_of(app, "ANNA")["code"]
        enrol(app, "BOB", referral={"code": code}, signals={"ip": "2001:0db8:0::1"})
        found = referral(app, "BOB")
        assert found is not None
        assert found["status"] == "review"
        assert "same IP address" in found["checks"][0]["reason"]
        enrol(app, "CAROL", referral={"code": code}, signals={"ip": "2001:db8::2"})
        assert rules_fired(referral(app, "CAROL")) == []

    def test_switched_off_rule_never_fires(self, app: Loyalist) -> None:
        configure(app, fraud={"self_referral": {"action": "off"}})
        enrol(app, "ANNA", first_name="Anna", email="anna@example.com")
        code = code_of(app, "ANNA")["code"]
        enrol(app, "BOB", email="anna@example.com", referral={"code": code})
        found = referral(app, "BOB")
        assert found is not None
        assert found["status"] == "pending"
        assert ("self_referral", "block") not in rules_fired(found)

    def test_existing_customer(self, app: Loyalist, anna: str) -> None:
        pay(app, "BOB", "B0", 2000)
        pay(app, "BOB", "B1", 6000, START + timedelta(days=1), referral={"code": anna})
        found = referral(app, "BOB")
        assert found is not None
        assert found["status"] == "blocked"
        assert rules_fired(found) == [("existing_customer", "block")]
        pay(app, "CAROL", "C1", 6000, START + timedelta(days=1), referral={"code": anna})
        assert rules_fired(referral(app, "CAROL")) == []

    def test_disposable_email_with_program_additions_and_exceptions(self, app: Loyalist) -> None:
        configure(
            app,
            disposable_domains={"add": ["throwaway.example"], "exceptions": ["yopmail.com"]},
        )
        enrol(app, "ANNA", first_name="Anna")
        code = code_of(app, "ANNA")["code"]
        cases = {
            "B1": ("x@mailinator.com", [("disposable_email", "block")]),
            "B2": ("x@sub.throwaway.example", [("disposable_email", "block")]),
            "B3": ("x@yopmail.com", []),
            "B4": ("x@example.org", []),
        }
        for member, (email, _) in cases.items():
            enrol(app, member, email=email, referral={"code": code})
        assert {m: rules_fired(referral(app, m)) for m in cases} == {
            m: fired for m, (_, fired) in cases.items()
        }

    def test_velocity_over_n_referrals_from_one_ip_in_a_week(self, app: Loyalist) -> None:
        configure(app, fraud={"velocity": {"action": "review", "max_referrals": 2, "days": 7}})
        enrol(app, "ANNA", first_name="Anna")
        code = code_of(app, "ANNA")["code"]
        for i in range(3):
            enrol(
                app,
                f"F{i}",
                START + timedelta(days=i),
                referral={"code": code},
                signals={"ip": "198.51.100.7"},
            )
        assert [referral(app, f"F{i}")["status"] for i in range(3)] == [  # type: ignore[index]
            "pending",
            "pending",
            "review",
        ]
        # A week later the same IP is fine again; other IPs never counted.
        enrol(
            app,
            "LATER",
            START + timedelta(days=10),
            referral={"code": code},
            signals={"ip": "198.51.100.7"},
        )
        enrol(app, "OTHER", START + timedelta(days=2), referral={"code": code})
        assert rules_fired(referral(app, "LATER")) == []
        assert rules_fired(referral(app, "OTHER")) == []

    def test_similar_names_and_emails_go_to_review(self, app: Loyalist) -> None:
        configure(app)
        enrol(
            app,
            "ANNA",
            first_name="Anna",
            last_name="Petrova",
            email="anna.petrova@example.com",
        )
        code = code_of(app, "ANNA")["code"]
        enrol(
            app,
            "TWIN",
            first_name="Ana",
            last_name="Petrova",
            email="anna.petrova1@example.net",
            referral={"code": code},
        )
        found = referral(app, "TWIN")
        assert found is not None
        assert found["status"] == "review"
        assert rules_fired(found) == [("similar_identity", "review")]
        assert points(app, "TWIN")["available"] == 0  # no welcome while in review
        enrol(
            app,
            "BOB",
            first_name="Robert",
            last_name="Miller",
            email="bob.m@example.net",
            referral={"code": code},
        )
        assert rules_fired(referral(app, "BOB")) == []


class TestReviewQueue:
    @pytest.fixture
    def held(self, app: Loyalist) -> int:
        configure(app, fraud={"similar_identity": {"action": "review", "threshold": 80}})
        enrol(app, "ANNA", first_name="Anna", last_name="Lee")
        code = code_of(app, "ANNA")["code"]
        enrol(app, "ANN", first_name="Ann", last_name="Lee", referral={"code": code})
        found = referral(app, "ANN")
        assert found is not None
        assert found["status"] == "review"
        return int(found["id"])

    def test_approve_gives_the_welcome_and_records_who(self, app: Loyalist, held: int) -> None:
        view = app.db.write(
            lambda uow: service.decide(
                uow, app.program, held, approve=True, note="same family", who="staff:eve", actor=EVE
            )
        )
        assert (view["status"], view["decided_by"], view["decision_note"]) == (
            "pending",
            "staff:eve",
            "same family",
        )
        assert view["decided_at"] is not None
        assert points(app, "ANN")["available"] == 100
        with pytest.raises(ConflictError) as caught:
            app.db.write(
                lambda uow: service.decide(
                    uow, app.program, held, approve=False, note="x", who="staff:eve", actor=EVE
                )
            )
        assert caught.value.code == "referral_not_in_review"

    def test_a_decision_is_audited_with_its_reason_code(self, app: Loyalist, held: int) -> None:
        approve(app, held, "cousins", DecisionReason.SIGNALS_EXPLAINED)
        rows = app.db.read(
            lambda uow: [
                (r.target_id, r.actor_id, r.reason, r.before, r.after)
                for r in uow.session.scalars(
                    select(AuditRecord).where(AuditRecord.action == "referral.approved")
                )
            ]
        )
        assert [row[:3] for row in rows] == [(str(held), "7", "cousins")]
        before, after = rows[0][3:]
        assert after == {"status": "pending", "reason": "signals_explained"}
        assert before is not None
        assert before["status"] == "review"
        history = referral(app, "ANN")
        assert history is not None
        assert history["history"][-1]["reason"] == "signals_explained"

    def test_refuses_a_reason_that_does_not_fit_the_decision(
        self, app: Loyalist, held: int
    ) -> None:
        with pytest.raises(InvalidRequestError) as caught:
            approve(app, held, "x", DecisionReason.SAME_PERSON)
        assert [e.pointer for e in caught.value.errors] == ["/reason"]
        found = referral(app, "ANN")
        assert found is not None
        assert found["status"] == "review"

    def test_reject_rewards_nobody(self, app: Loyalist, held: int, clock: ManualClock) -> None:
        view = app.db.write(
            lambda uow: service.decide(
                uow, app.program, held, approve=False, note="fake", who="staff:eve", actor=EVE
            )
        )
        assert view["status"] == "rejected"
        pay(app, "ANN", "O1", 6000)
        clock.advance(MATURITY + timedelta(days=1))
        run_jobs(app)
        assert points(app, "ANN")["available"] == 60
        assert points(app, "ANNA")["available"] == 0


class TestConversion:
    def test_referrer_is_rewarded_only_after_maturity(
        self, app: Loyalist, anna: str, clock: ManualClock
    ) -> None:
        enrol(app, "BOB", referral={"code": anna})
        pay(app, "BOB", "O1", 6000)
        run_jobs(app)
        found = referral(app, "BOB")
        assert found is not None
        assert found["status"] == "qualifying"
        assert points(app, "ANNA")["available"] == 0
        clock.advance(MATURITY - timedelta(seconds=1))
        run_jobs(app)
        assert referral(app, "BOB")["status"] == "qualifying"  # type: ignore[index]
        clock.advance(timedelta(seconds=1))
        run_jobs(app)
        found = referral(app, "BOB")
        assert found is not None
        assert found["status"] == "converted"
        assert found["is_rewarded"] is True
        assert found["reward"] == {"referrer": {"points": 500}}
        assert points(app, "ANNA")["available"] == 500
        assert_ledger_consistent(app)

    def test_order_below_the_minimum_does_not_qualify(self, app: Loyalist, anna: str) -> None:
        enrol(app, "BOB", referral={"code": anna})
        pay(app, "BOB", "O1", 4999)
        assert referral(app, "BOB")["status"] == "pending"  # type: ignore[index]
        pay(app, "BOB", "O2", 5000, START + timedelta(days=1))
        found = referral(app, "BOB")
        assert found is not None
        assert (found["status"], found["order_id"]) == ("qualifying", "O2")

    def test_delivery_reschedules_maturity(
        self, app: Loyalist, anna: str, clock: ManualClock
    ) -> None:
        enrol(app, "BOB", referral={"code": anna})
        pay(app, "BOB", "O1", 6000)
        delivered = START + timedelta(days=2)
        send(app, event("deliver", "order.delivered", "BOB", delivered, order_id="O1"))
        found = referral(app, "BOB")
        assert found is not None
        assert found["matures_at"] == delivered + timedelta(days=30)
        clock.set(delivered + timedelta(days=30))
        run_jobs(app)
        assert referral(app, "BOB")["status"] == "converted"  # type: ignore[index]
        assert points(app, "ANNA")["available"] == 500

    def test_return_before_maturity_cancels_the_referral_reward(
        self, app: Loyalist, anna: str, clock: ManualClock
    ) -> None:
        enrol(app, "BOB", referral={"code": anna})
        send(
            app,
            event(
                "pay",
                "order.paid",
                "BOB",
                START,
                **order_body("O1", ("A", 1, 3000), ("B", 1, 3000)),
            ),
        )
        # Half back: 3000 left, below the 5000 minimum.
        back = START + timedelta(days=5)
        send(
            app,
            event(
                "ret",
                "order.returned",
                "BOB",
                back,
                order_id="O1",
                lines=[{"sku": "A", "quantity": 1}],
            ),
        )
        found = referral(app, "BOB")
        assert found is not None
        assert (found["status"], found["order_id"], found["matures_at"]) == ("pending", None, None)
        assert found["history"][-1]["what"] == "order_returned"
        clock.advance(MATURITY + timedelta(days=1))
        run_jobs(app)
        assert referral(app, "BOB")["status"] == "pending"  # type: ignore[index]
        assert points(app, "ANNA")["available"] == 0
        assert_ledger_consistent(app)

    def test_small_return_keeping_the_minimum_keeps_the_referral(
        self, app: Loyalist, anna: str
    ) -> None:
        enrol(app, "BOB", referral={"code": anna})
        body = order_body("O1", ("A", 1, 6000), ("B", 1, 500))
        send(app, event("pay", "order.paid", "BOB", START, **body))
        send(
            app,
            event(
                "ret",
                "order.returned",
                "BOB",
                START + timedelta(days=1),
                order_id="O1",
                lines=[{"sku": "B", "quantity": 1}],
            ),
        )
        assert referral(app, "BOB")["status"] == "qualifying"  # type: ignore[index]

    def test_cancellation_before_maturity_cancels(self, app: Loyalist, anna: str) -> None:
        enrol(app, "BOB", referral={"code": anna})
        pay(app, "BOB", "O1", 6000)
        send(
            app,
            event("cancel", "order.cancelled", "BOB", START + timedelta(days=1), order_id="O1"),
        )
        found = referral(app, "BOB")
        assert found is not None
        assert found["status"] == "pending"
        assert found["history"][-1]["what"] == "order_cancelled"

    def test_milestone_every_second_referral(self, app: Loyalist, clock: ManualClock) -> None:
        configure(app, milestones=[{"every": 2, "reward": {"points": 1000}}])
        enrol(app, "ANNA", first_name="Anna")
        code = code_of(app, "ANNA")["code"]
        for i in range(3):
            enrol(app, f"F{i}", referral={"code": code})
            pay(app, f"F{i}", f"O{i}", 6000)
        clock.advance(MATURITY)
        run_jobs(app)
        rewards = [referral(app, f"F{i}")["reward"] for i in range(3)]  # type: ignore[index]
        milestones = [r.get("milestones") for r in rewards]
        assert milestones == [None, [{"every": 2, "count": 2, "points": 1000}], None]
        assert points(app, "ANNA")["available"] == 3 * 500 + 1000

    def test_cap_per_year_converts_but_does_not_reward(
        self, app: Loyalist, clock: ManualClock
    ) -> None:
        configure(app, cap={"max_rewarded": 2, "per": "year"})
        enrol(app, "ANNA", first_name="Anna")
        code = code_of(app, "ANNA")["code"]
        for i in range(3):
            enrol(app, f"F{i}", referral={"code": code})
            pay(app, f"F{i}", f"O{i}", 6000)
        clock.advance(MATURITY)
        run_jobs(app)
        found = [referral(app, f"F{i}") for i in range(3)]
        assert [f["status"] for f in found] == ["converted"] * 3  # type: ignore[index]
        assert [f["is_rewarded"] for f in found] == [True, True, False]  # type: ignore[index]
        assert found[2]["reward"] == {"capped": True, "cap": 2, "per": "year"}  # type: ignore[index]
        assert points(app, "ANNA")["available"] == 1000
        # The next calendar year has room again.
        enrol(app, "F3", referral={"code": code})
        pay(app, "F3", "O3", 6000, clock.now())
        clock.advance(timedelta(days=365))
        run_jobs(app)
        assert referral(app, "F3")["is_rewarded"] is True  # type: ignore[index]
        assert points(app, "ANNA")["available"] == 1500

    def test_job_reruns_and_concurrent_runs_convert_once(
        self, app: Loyalist, anna: str, clock: ManualClock
    ) -> None:
        enrol(app, "BOB", referral={"code": anna})
        pay(app, "BOB", "O1", 6000)
        clock.advance(MATURITY)

        def run(_: int) -> int:
            return app.db.write(lambda uow: jobs.run_due(uow, app.program))

        with ThreadPoolExecutor(4) as pool:
            done = list(pool.map(run, range(4)))
        assert sum(done) == 1
        assert run(0) == 0
        assert points(app, "ANNA")["available"] == 500
        assert referral(app, "BOB")["status"] == "converted"  # type: ignore[index]
        assert_ledger_consistent(app)

    def test_coupon_rewards(self, app: Loyalist, clock: ManualClock) -> None:
        from loyalist.coupons import service as coupons
        from loyalist.coupons.schemas import CampaignIn

        spec = CampaignIn.model_validate(
            {
                "name": {"en": "Thanks", "ru": "Спасибо"},
                "discount": {"type": "fixed", "amount": 500, "currency": "EUR"},
                "code_mode": "unique",
            }
        )
        app.db.write(lambda uow: coupons.put_campaign(uow, "thanks", spec))
        configure(
            app,
            friend_reward={"coupon_campaign": "thanks", "on": "enrolled"},
            referrer_reward={"coupon_campaign": "thanks"},
        )
        enrol(app, "ANNA", first_name="Anna")
        code = code_of(app, "ANNA")["code"]
        enrol(app, "BOB", referral={"code": code})
        pay(app, "BOB", "O1", 6000)
        clock.advance(MATURITY)
        run_jobs(app)
        run_jobs(app)

        def owned(member: str) -> int:
            return app.db.read(
                lambda uow: len(
                    coupons.member_coupons(uow, member_pk(app, member), usable_only=False)
                )
            )

        assert (owned("ANNA"), owned("BOB")) == (1, 1)


class TestRulesTrigger:
    def test_referral_converted_runs_the_rules_once_for_the_referrer(
        self, app: Loyalist, anna: str, clock: ManualClock
    ) -> None:
        from loyalist.rules import programs
        from loyalist.rules import service as rules_service
        from loyalist.rules.schemas import ProgramFile

        thanks = {
            "key": "thanks",
            "name": {"en": "Thanks for referring", "ru": "Спасибо за друга"},
            "on": ["referral.converted"],
            "effects": [{"type": "fixed", "points": 50}],
        }
        program = ProgramFile.model_validate({"rules": [thanks]})
        app.db.write(lambda uow: programs.apply_program(uow, program, actor="test"))
        enrol(app, "BOB", referral={"code": anna})
        pay(app, "BOB", "O1", 6000)
        clock.advance(MATURITY)
        run_jobs(app)
        run_jobs(app)
        assert points(app, "ANNA")["available"] == 500 + 50
        again = app.db.write(
            lambda uow: rules_service.run_trigger(
                uow,
                app.program,
                member_id=member_pk(app, "ANNA"),
                trigger="referral.converted",
                key=f"referral.converted:{referral(app, 'BOB')['id']}",  # type: ignore[index]
                occurred_at=clock.now(),
                data={},
            )
        )
        assert again is None
        assert points(app, "ANNA")["available"] == 550


class TestCodeProperties:
    @given(
        prefix=st.text(alphabet="ABCDEFGHJKMNPQRSTVWXYZ", min_size=1, max_size=8),
        length=st.sampled_from([4, 5]),
        noise=st.lists(st.sampled_from([" ", "-", "_", "  "]), max_size=4),
        lower=st.booleans(),
    )
    def test_a_shown_code_typed_any_way_normalises_to_the_stored_one(
        self, prefix: str, length: int, noise: list[str], lower: bool
    ) -> None:
        stored, shown = policy.new_code(prefix, length)
        typed = "".join(noise) + (shown.lower() if lower else shown) + "".join(noise)
        assert policy.normalize_code(typed) == stored
        assert CODE_FORMAT.match(shown)

    @given(st.text(max_size=40))
    def test_prefix_is_always_a_few_latin_capitals(self, name: str) -> None:
        prefix = policy.name_prefix(name)
        assert re.fullmatch(r"[A-Z]{1,8}", prefix)
