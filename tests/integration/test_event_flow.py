"""Facts flowing down the event table: the ledger's events, the expiry notice job, results
that do not depend on batching, and due jobs that fail alone."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from loyalist.bootstrap import Loyalist
from loyalist.clock import ManualClock
from loyalist.ledger import service as ledger
from loyalist.ledger.events import (
    PointsAwarded,
    PointsExpired,
    PointsExpiring,
    PointsMatured,
    PointsReversed,
    PointsSpent,
)
from loyalist.ledger.models import Posting
from loyalist.members import service as members
from loyalist.settings import ExpiryKind, ExpiryPolicy, ProgramPolicy
from loyalist.tiers.models import MemberTier
from loyalist.tiers.schemas import Perks, Threshold, TierLevel, TierProgram
from loyalist.tiers.service import apply_program
from tests.conftest import START, event, order_body
from tests.integration.helpers import assert_ledger_consistent, member_pk, points, run_jobs, send

DAY = timedelta(days=1)
LEDGER_EVENTS = (
    PointsAwarded,
    PointsMatured,
    PointsReversed,
    PointsExpired,
    PointsExpiring,
    PointsSpent,
)


def record(app: Loyalist) -> list[Any]:
    seen: list[Any] = []

    def keep(_uow: object, run: Sequence[Any], _program: ProgramPolicy) -> None:
        seen.extend(run)

    app.subscribe(LEDGER_EVENTS, keep)
    return seen


def paid(event_id: str, member: str, order_id: str, amount: int, at: Any = START) -> dict[str, Any]:
    return event(event_id, "order.paid", member, at, **order_body(order_id, ("SKU", 1, amount)))


class TestLedgerEvents:
    def test_a_paid_order_announces_its_pending_points_once(self, app: Loyalist) -> None:
        seen = record(app)
        send(app, paid("e1", "M1", "o1", 12_000))
        send(app, paid("e1", "M1", "o1", 12_000))  # a replay changes nothing

        assert [type(e) for e in seen] == [PointsAwarded]
        awarded = seen[0]
        assert (awarded.points, awarded.pending_points, awarded.qualifying_points) == (
            120,
            120,
            120,
        )
        assert (awarded.trigger, awarded.order_ref, awarded.source) == (
            "order.paid",
            "o1",
            "order:o1",
        )

    def test_delivery_past_the_window_matures_at_once(
        self, app: Loyalist, clock: ManualClock
    ) -> None:
        send(app, paid("e1", "M1", "o1", 5_000, START - 40 * DAY))
        seen = record(app)
        send(app, event("e2", "order.delivered", "M1", START - 35 * DAY, order_id="o1"))

        assert [(type(e), e.points) for e in seen] == [(PointsMatured, 50)]

    def test_a_return_after_spending_reverses_into_debt(
        self, app: Loyalist, clock: ManualClock
    ) -> None:
        send(app, paid("e1", "M1", "o1", 10_000, START - 40 * DAY))
        send(app, event("e2", "order.delivered", "M1", START - 39 * DAY, order_id="o1"))
        pk = member_pk(app, "M1")
        seen = record(app)
        app.db.write(lambda uow: (ledger.lock(uow, [pk]), ledger.spend_points(uow, pk, 80)))
        send(
            app,
            event(
                "e3",
                "order.returned",
                "M1",
                START,
                order_id="o1",
                lines=[{"sku": "SKU", "quantity": 1}],
            ),
        )

        spent, reversed_ = seen
        assert isinstance(spent, PointsSpent)
        assert spent.points == 80
        assert isinstance(reversed_, PointsReversed)
        assert (reversed_.points, reversed_.debt, reversed_.reason_code) == (
            100,
            80,
            "reverse_return",
        )
        assert points(app, "M1")["debt"] == 80
        assert_ledger_consistent(app)


@pytest.fixture
def program() -> ProgramPolicy:
    return ProgramPolicy(
        expiry=ExpiryPolicy(kind=ExpiryKind.DAYS_AFTER_AVAILABLE, days=90),
        expiry_notice_days=30,
    )


class TestExpiryNotice:
    def test_announces_each_lot_once_within_the_notice_and_expires_it_later(
        self, app: Loyalist, clock: ManualClock
    ) -> None:
        pk = app.db.write(lambda uow: members.ensure_members(uow, ["M1"])["M1"])

        def award(uow: Any) -> None:
            ledger.lock(uow, [pk])
            ledger.award_points(uow, pk, [ledger.Award(40, "adjust")], app.program)

        app.db.write(award)
        clock.advance(30 * DAY)
        app.db.write(award)
        seen = record(app)

        clock.advance(29 * DAY)  # the first lot expires in 31 days: not yet
        run_jobs(app)
        assert seen == []
        clock.advance(2 * DAY)  # now within 30 days of the first lot only
        run_jobs(app)
        run_jobs(app)
        assert [(type(e), e.points) for e in seen] == [(PointsExpiring, 40)]
        assert seen[0].expires_at == START + 90 * DAY

        clock.advance(30 * DAY)  # the first lot expired, the second is announced
        run_jobs(app)
        kinds = sorted((type(e).__name__, e.points) for e in seen[1:])
        assert kinds == [("PointsExpired", 40), ("PointsExpiring", 40)]
        assert points(app, "M1")["available"] == 40
        assert_ledger_consistent(app)

    def test_a_spent_lot_is_not_announced(self, app: Loyalist, clock: ManualClock) -> None:
        pk = app.db.write(lambda uow: members.ensure_members(uow, ["M1"])["M1"])

        def award_and_spend(uow: Any) -> None:
            ledger.lock(uow, [pk])
            ledger.award_points(uow, pk, [ledger.Award(40, "adjust")], app.program)
            ledger.spend_points(uow, pk, 40)

        app.db.write(award_and_spend)
        seen = record(app)
        clock.advance(80 * DAY)
        run_jobs(app)
        assert seen == []


TIERS = TierProgram(
    window="lifetime",
    currency="EUR",
    levels=[
        TierLevel(key="member", name={"en": "Member", "ru": "Участник"}),
        TierLevel(
            key="gold",
            name={"en": "Gold", "ru": "Золото"},
            threshold=Threshold(spend=10_000),
            perks=Perks(earning_multiplier=Decimal(2)),
        ),
    ],
)


class TestBatching:
    @pytest.mark.parametrize("together", [False, True])
    def test_a_tier_reached_by_one_order_earns_on_the_next_order_of_the_same_batch(
        self, app: Loyalist, together: bool
    ) -> None:
        app.db.write(lambda uow: apply_program(uow, TIERS))
        orders = [
            paid("e1", "M1", "o1", 10_000),
            paid("e2", "M1", "o2", 5_000, START + timedelta(minutes=1)),
        ]
        if together:
            send(app, *orders)
        else:
            for order in orders:
                send(app, order)

        pk = member_pk(app, "M1")
        tier = app.db.read(
            lambda uow: uow.session.scalar(
                select(MemberTier.tier).where(MemberTier.member_id == pk)
            )
        )
        assert tier == "gold"
        earned = app.db.read(
            lambda uow: sorted(
                (p.order_ref, p.reason_code, p.amount)
                for p in uow.session.scalars(select(Posting).where(Posting.member_id == pk))
            )
        )
        # 100 + 50 base points; the second order, at gold, earns its tier bonus too.
        assert earned == [
            ("o1", "earn_order", 100),
            ("o2", "earn_order", 50),
            ("o2", "earn_tier", 50),
        ]


class TestDueJobs:
    def test_a_failing_job_is_reported_and_the_others_still_run(
        self, app: Loyalist, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        send(app, paid("e1", "M1", "o1", 5_000, START - 70 * DAY))  # matures 20 days from now
        clock.advance(21 * DAY)
        jobs = app.jobs

        def broken(*_args: object) -> int:
            raise RuntimeError("broken")

        failing = next(j for j in jobs if j.name == "birthdays")
        monkeypatch.setattr(
            app, "_jobs", tuple(type(j)(j.name, broken) if j is failing else j for j in jobs)
        )
        report = app.run_due_work()

        assert report.failed == ("birthdays",)
        assert report.done["points_matured"] == 50
        assert points(app, "M1")["available"] == 50
