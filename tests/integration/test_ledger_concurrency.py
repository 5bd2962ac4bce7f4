"""Concurrent writers never overdraw, double-apply an event or double-run due ledger work."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, TypeVar

import pytest
from sqlalchemy import func, select

from loyalist.activities.service import EventOutcome
from loyalist.bootstrap import Loyalist
from loyalist.clock import ManualClock
from loyalist.db.uow import UnitOfWork
from loyalist.errors import ConflictError
from loyalist.ledger import repository, service
from loyalist.ledger.balances import points_summary
from loyalist.ledger.models import Hold, HoldStatus, Lot, Posting, PostingKind
from loyalist.ledger.service import Award
from loyalist.members import service as members
from loyalist.settings import ExpiryKind, ExpiryPolicy, ProgramPolicy
from tests.conftest import START, event, order_body
from tests.integration.helpers import (
    assert_ledger_consistent,
    ledger_due_work,
    member_pk,
    points,
    send,
)

T = TypeVar("T")
BARRIER_TIMEOUT = 60.0


def _run_at_once(count: int, task: Callable[[int], T]) -> list[T]:
    """Run ``task(i)`` on ``count`` threads released together by a barrier."""
    barrier = threading.Barrier(count)

    def started(i: int) -> T:
        barrier.wait(timeout=BARRIER_TIMEOUT)
        return task(i)

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(started, range(count)))


def _new_member(app: Loyalist, external_id: str) -> int:
    return app.db.write(lambda uow: members.ensure_members(uow, [external_id]))[external_id]


def _count(uow: UnitOfWork, *where: Any) -> int:
    return int(uow.session.scalar(select(func.count()).select_from(Posting).where(*where)) or 0)


@dataclass(frozen=True)
class Attempt:
    kind: str
    amount: int
    error: BaseException | None = None


class TestSpendingFromOneMember:
    def test_never_overdraws_when_twenty_threads_spend_and_hold_at_once(
        self, app: Loyalist
    ) -> None:
        mid = _new_member(app, "M-busy")
        app.db.write(
            lambda uow: service.award_points(
                uow, mid, [Award(200, "adjust") for _ in range(5)], app.program
            )
        )
        initial = 1000

        def customer(thread: int) -> list[Attempt]:
            attempts = []
            for k in range(3):
                amount = 15 + (thread * 17 + k * 29) % 50
                kind = "spend" if (thread + k) % 2 == 0 else "hold"

                def op(uow: UnitOfWork, amount: int = amount, kind: str = kind) -> object:
                    if kind == "spend":
                        return service.spend_points(uow, mid, amount)
                    return service.hold_points(uow, mid, amount, timeout=timedelta(minutes=15))

                try:
                    if k == 1:  # the API's path: queue the unit, then wait for its commit
                        app.db.submit(op).result()
                    else:
                        app.db.write(op)
                except Exception as exc:
                    attempts.append(Attempt(kind, amount, exc))
                else:
                    attempts.append(Attempt(kind, amount))
            return attempts

        attempts = [a for batch in _run_at_once(20, customer) for a in batch]

        failed = [a for a in attempts if a.error is not None]
        done = [a for a in attempts if a.error is None]
        assert all(isinstance(a.error, ConflictError) for a in failed), [a.error for a in failed]
        assert {a.error.code for a in failed if isinstance(a.error, ConflictError)} <= {
            "insufficient_points"
        }
        assert failed
        assert done
        balance = points(app, "M-busy")
        spent = sum(a.amount for a in done if a.kind == "spend")
        held = sum(a.amount for a in done if a.kind == "hold")
        assert balance["available"] >= 0
        assert initial - balance["available"] == spent + held
        assert (balance["spent"], balance["on_hold"]) == (spent, held)
        # points only ever left, so every refusal came when fewer points were left than asked
        assert all(a.amount > balance["available"] for a in failed)
        active = app.db.read(
            lambda uow: uow.session.scalars(
                select(Hold.amount).where(Hold.member_id == mid, Hold.status == HoldStatus.ACTIVE)
            ).all()
        )
        assert sorted(active) == sorted(a.amount for a in done if a.kind == "hold")
        assert_ledger_consistent(app)

    def test_settles_hold_once_when_confirm_and_release_race(self, app: Loyalist) -> None:
        mid = _new_member(app, "M-race")
        app.db.write(
            lambda uow: service.award_points(uow, mid, [Award(100, "adjust")], app.program)
        )
        hold_id = app.db.write(
            lambda uow: service.hold_points(uow, mid, 60, timeout=timedelta(minutes=15)).id
        )

        def settle(thread: int) -> BaseException | None:
            def op(uow: UnitOfWork) -> object:
                if thread % 2:
                    return service.release_hold(uow, hold_id)
                return service.confirm_hold(uow, hold_id, program=app.program)

            try:
                app.db.write(op)
            except Exception as exc:
                return exc
            return None

        errors = _run_at_once(10, settle)

        confirm_errors, release_errors = errors[0::2], errors[1::2]
        balance = points(app, "M-race")
        if balance["spent"]:
            assert confirm_errors == [None] * 5
            lost = release_errors
            assert (balance["available"], balance["spent"]) == (40, 60)
        else:
            assert release_errors == [None] * 5
            lost = confirm_errors
            assert (balance["available"], balance["spent"]) == (100, 0)
        assert all(isinstance(e, ConflictError) and e.code == "hold_not_active" for e in lost)
        assert balance["on_hold"] == 0
        settled = app.db.read(
            lambda uow: _count(
                uow,
                Posting.hold_id == hold_id,
                Posting.kind.in_([PostingKind.CONFIRM, PostingKind.RELEASE]),
            )
        )
        assert settled == 1
        assert_ledger_consistent(app)


class TestSameEventFromManyThreads:
    @pytest.mark.parametrize("member_known", [False, True], ids=["new-member", "known-member"])
    def test_applies_order_once_when_ten_threads_send_same_events(
        self, app: Loyalist, member_known: bool
    ) -> None:
        if member_known:
            _new_member(app, "M1")
        body = order_body("1043", ("shoe", 2, 5000), ("sock", 1, 1000), shipping=495)
        placed = event("1043-placed", "order.placed", "M1", START, **body)
        paid = event("1043-paid", "order.paid", "M1", START + timedelta(minutes=3), order_id="1043")

        def shop(_thread: int) -> list[EventOutcome] | BaseException:
            try:
                return send(app, placed, paid)
            except Exception as exc:
                return exc

        answers = _run_at_once(10, shop)

        errors = [a for a in answers if isinstance(a, BaseException)]
        assert errors == []
        replays = sorted(
            tuple(o.replayed for o in a) for a in answers if not isinstance(a, BaseException)
        )
        assert replays == [(False, False)] + [(True, True)] * 9
        balance = points(app, "M1")
        assert (balance["pending"], balance["available"]) == (110, 0)
        mid = member_pk(app, "M1")
        lots = app.db.read(
            lambda uow: uow.session.scalars(select(Lot.amount).where(Lot.order_ref == "1043")).all()
        )
        assert lots == [110]
        earns = app.db.read(
            lambda uow: _count(uow, Posting.member_id == mid, Posting.kind == PostingKind.EARN)
        )
        assert earns == 1
        assert_ledger_consistent(app)


class TestTwoWorkers:
    def test_runs_each_due_item_once_when_two_workers_run_due_work_at_once(
        self, app: Loyalist, clock: ManualClock
    ) -> None:
        program = ProgramPolicy(expiry=ExpiryPolicy(kind=ExpiryKind.DAYS_AFTER_AVAILABLE, days=1))
        externals = [f"W{i:03}" for i in range(200)]
        ids = app.db.write(lambda uow: members.ensure_members(uow, externals))
        mids = sorted(ids.values())
        maturing, expiring, reserved = 30, 20, 5

        def arrange(uow: UnitOfWork) -> None:
            service.lock(uow, mids)
            for mid in mids:
                service.award_points(
                    uow,
                    mid,
                    [Award(maturing, "earn_order", available_at=uow.now + timedelta(days=1))],
                    program,
                    order_ref=f"o-{mid}",
                )
                service.award_points(uow, mid, [Award(expiring, "adjust")], program)
                service.hold_points(uow, mid, reserved, timeout=timedelta(hours=1))

        app.db.write(arrange)
        clock.advance(timedelta(hours=36))
        reports: list[list[dict[str, int]]] = [[], []]

        def anything_due(uow: UnitOfWork) -> bool:
            return any(
                repository.due_members(uow.session, what, uow.now, 1)
                for what in ("hold", "mature", "expire")
            )

        def worker(index: int) -> None:
            for _ in range(1000):
                report = app.db.write(lambda uow: ledger_due_work(uow, program, limit=25))
                reports[index].append(report)
                if not any(report.values()):
                    if not app.db.read(anything_due):
                        return
                    time.sleep(0.001)  # the other worker holds what is due
            raise AssertionError("due work never finished")

        _run_at_once(2, worker)

        done = [r for batch in reports for r in batch]
        assert sum(r["points_matured"] for r in done) == 200 * maturing
        assert sum(r["holds_timed_out"] for r in done) == 200
        per_member = app.db.read(
            lambda uow: {
                kind: dict(
                    uow.session.execute(
                        select(Posting.member_id, func.count())
                        .where(Posting.kind == kind)
                        .group_by(Posting.member_id)
                    ).all()
                )
                for kind in (PostingKind.MATURE, PostingKind.RELEASE)
            }
        )
        assert per_member[PostingKind.MATURE] == dict.fromkeys(mids, 1)
        assert per_member[PostingKind.RELEASE] == dict.fromkeys(mids, 1)
        summaries = app.db.read(lambda uow: [points_summary(uow, m) for m in mids])
        assert {(s["available"], s["pending"], s["on_hold"], s["expired"]) for s in summaries} == {
            (maturing, 0, 0, expiring)
        }
        assert_ledger_consistent(app)
