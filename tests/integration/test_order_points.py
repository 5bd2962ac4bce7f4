"""Earning on payment, maturity after the return window, reversals on returns."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from loyalist.bootstrap import Loyalist
from loyalist.clock import ManualClock
from loyalist.errors import ConflictError, NotFoundError
from loyalist.ledger import balances, service
from loyalist.ledger.balances import liability
from loyalist.ledger.models import Lot, LotStatus
from loyalist.settings import NegativeBalancePolicy
from tests.conftest import START, event, order_body
from tests.integration.helpers import (
    assert_ledger_consistent,
    member_pk,
    points,
    run_jobs,
    send,
)

DAY = timedelta(days=1)


def _placed_and_paid(order_id: str = "1043", member: str = "M1") -> list[dict[str, object]]:
    body = order_body(order_id, ("shoe", 2, 5000), ("sock", 1, 1000), shipping=495)
    return [
        event(f"{order_id}-placed", "order.placed", member, START, **body),
        event(
            f"{order_id}-paid",
            "order.paid",
            member,
            START + timedelta(minutes=3),
            order_id=order_id,
        ),
    ]


class TestEarning:
    def test_pays_base_rate_on_net_amount_as_pending(self, app: Loyalist) -> None:
        send(app, *_placed_and_paid())
        balance = points(app, "M1")
        assert balance["pending"] == 110  # €110 of goods, shipping excluded, 1 point per €
        assert balance["available"] == 0
        assert_ledger_consistent(app)

    def test_paid_before_placed_still_earns_once(self, app: Loyalist) -> None:
        placed, paid = _placed_and_paid()
        send(app, paid)
        assert points(app, "M1")["pending"] == 0
        send(app, placed)
        send(app, placed, paid)  # replays change nothing
        assert points(app, "M1")["pending"] == 110
        assert_ledger_consistent(app)

    def test_matures_return_window_after_delivery(self, app: Loyalist, clock: ManualClock) -> None:
        send(app, *_placed_and_paid())
        send(app, event("d1", "order.delivered", "M1", START + 2 * DAY, order_id="1043"))
        clock.set(START + 2 * DAY + 30 * DAY - timedelta(seconds=1))
        run_jobs(app)
        assert points(app, "M1")["available"] == 0
        clock.advance(timedelta(seconds=2))
        run_jobs(app)
        balance = points(app, "M1")
        assert (balance["available"], balance["pending"]) == (110, 0)
        assert balance["next_expiry"] is not None
        assert_ledger_consistent(app)


class TestReturns:
    def test_partial_return_reverses_in_proportion(self, app: Loyalist) -> None:
        send(app, *_placed_and_paid())
        send(
            app,
            event(
                "r1",
                "order.returned",
                "M1",
                START + 5 * DAY,
                order_id="1043",
                return_id="R1",
                lines=[{"sku": "shoe", "quantity": 1}],
            ),
        )
        assert points(app, "M1")["pending"] == 60  # 110 − 110×50/110
        assert_ledger_consistent(app)

    def test_same_return_twice_is_a_no_op(self, app: Loyalist) -> None:
        send(app, *_placed_and_paid())
        ret = {"order_id": "1043", "return_id": "R1", "lines": [{"sku": "shoe", "quantity": 1}]}
        send(app, event("r1", "order.returned", "M1", START + 5 * DAY, **ret))
        send(app, event("r1-again", "order.returned", "M1", START + 6 * DAY, **ret))
        assert points(app, "M1")["pending"] == 60
        assert_ledger_consistent(app)

    def test_full_return_in_parts_reverses_exactly_everything(self, app: Loyalist) -> None:
        send(app, *_placed_and_paid())
        for i, (sku, qty) in enumerate([("shoe", 1), ("sock", 1), ("shoe", 1), ("shoe", 1)]):
            send(
                app,
                event(
                    f"r{i}",
                    "order.returned",
                    "M1",
                    START + (5 + i) * DAY,
                    order_id="1043",
                    lines=[{"sku": sku, "quantity": qty}],
                ),
            )
        balance = points(app, "M1")
        assert (balance["pending"], balance["reversed"]) == (0, 110)
        assert_ledger_consistent(app)

    def test_return_before_payment_is_applied_when_paid(self, app: Loyalist) -> None:
        placed, paid = _placed_and_paid()
        send(app, placed)
        send(
            app,
            event(
                "r1",
                "order.returned",
                "M1",
                START + DAY,
                order_id="1043",
                lines=[{"sku": "sock", "quantity": 1}],
            ),
        )
        send(app, paid)
        assert points(app, "M1")["pending"] == 100
        assert_ledger_consistent(app)

    def test_return_after_points_spent_leaves_debt_repaid_by_next_earning(
        self, app: Loyalist, clock: ManualClock
    ) -> None:
        _spend_100_then_return_everything(app, clock)
        balance = points(app, "M1")
        assert (balance["available"], balance["debt"]) == (-100, 100)
        assert_ledger_consistent(app)
        body = order_body("2000", ("hat", 1, 15000))
        send(
            app,
            event("2000-p", "order.placed", "M1", clock.now(), **body),
            event("2000-paid", "order.paid", "M1", clock.now(), order_id="2000"),
            event("2000-d", "order.delivered", "M1", clock.now(), order_id="2000"),
        )
        clock.advance(31 * DAY)
        run_jobs(app)
        balance = points(app, "M1")
        assert (balance["available"], balance["debt"]) == (50, 0)
        assert_ledger_consistent(app)

    def test_claw_back_policy_never_goes_negative(self, app: Loyalist, clock: ManualClock) -> None:
        app.settings.program.negative_balance = NegativeBalancePolicy.CLAW_BACK
        _spend_100_then_return_everything(app, clock)
        balance = points(app, "M1")
        assert (balance["available"], balance["debt"], balance["reversed"]) == (0, 0, 10)
        assert_ledger_consistent(app)


class TestReturnsAfterExpiry:
    def test_return_of_expired_points_reclassifies_them_and_takes_nothing_else(
        self, app: Loyalist, clock: ManualClock
    ) -> None:
        mid = _expired_order_then_50_more(app, clock)
        before = app.db.read(liability)["outstanding_points"]
        _return_everything(app, clock)
        balance = points(app, "M1")
        assert (balance["available"], balance["debt"]) == (50, 0)  # the other points stay
        assert (balance["expired"], balance["reversed"]) == (0, 110)
        assert app.db.read(liability)["outstanding_points"] == before
        lot = _order_lot(app, "1043")
        assert (lot.expired, lot.reversed, lot.status) == (0, 110, LotStatus.REVERSED)
        history = app.db.read(lambda uow: balances.history(uow, mid, "en"))
        assert history[0]["points"] == 0  # the member's points did not change
        assert_ledger_consistent(app)

    @pytest.mark.parametrize("negative", list(NegativeBalancePolicy))
    def test_return_charges_only_the_points_that_were_spent(
        self, app: Loyalist, clock: ManualClock, negative: NegativeBalancePolicy
    ) -> None:
        app.settings.program.negative_balance = negative
        mid = _matured_order(app, clock)
        app.db.write(lambda uow: service.spend_points(uow, mid, 40))
        clock.set(points(app, "M1")["next_expiry"]["at"])
        run_jobs(app)  # the other 70 expire
        assert points(app, "M1")["expired"] == 70
        _return_everything(app, clock)
        balance = points(app, "M1")
        debt = 40 if negative == NegativeBalancePolicy.ALLOW_DEBT else 0
        assert (balance["available"], balance["debt"]) == (-debt, debt)
        assert (balance["expired"], balance["reversed"]) == (0, 70 + debt)
        lot = _order_lot(app, "1043")
        assert (lot.spent, lot.expired, lot.reversed) == (40, 0, 70)
        assert_ledger_consistent(app)

    def test_partial_return_takes_expired_points_before_charging_spent_ones(
        self, app: Loyalist, clock: ManualClock
    ) -> None:
        mid = _matured_order(app, clock)
        app.db.write(lambda uow: service.spend_points(uow, mid, 40))
        clock.set(points(app, "M1")["next_expiry"]["at"])
        run_jobs(app)
        app.db.write(
            lambda uow: service.adjust_points(
                uow, mid, 50, reason="goodwill", issuer="test", program=app.program
            )
        )
        shoe = [{"sku": "shoe", "quantity": 1}]  # 50 of 110 points
        send(app, event("r1", "order.returned", "M1", clock.now(), order_id="1043", lines=shoe))
        balance = points(app, "M1")
        assert (balance["available"], balance["expired"], balance["reversed"]) == (50, 20, 50)
        assert_ledger_consistent(app)


class TestReturnsIntoHolds:
    @pytest.mark.parametrize("negative", list(NegativeBalancePolicy))
    def test_return_cancels_the_hold_that_reserved_the_orders_points(
        self, app: Loyalist, clock: ManualClock, negative: NegativeBalancePolicy
    ) -> None:
        app.settings.program.negative_balance = negative
        mid = _matured_order(app, clock)
        hold = app.db.write(lambda uow: service.hold_points(uow, mid, 110, timeout=DAY))
        _return_everything(app, clock)
        balance = points(app, "M1")
        assert (balance["available"], balance["on_hold"], balance["debt"]) == (0, 0, 0)
        assert balance["reversed"] == 110
        assert app.db.read(lambda uow: service.get_hold(uow, hold.id).status) == "released"
        with pytest.raises(ConflictError) as caught:
            app.db.write(lambda uow: service.confirm_hold(uow, hold.id, program=app.program))
        assert caught.value.code == "hold_not_active"
        history = app.db.read(lambda uow: balances.history(uow, mid, "en"))
        assert [(e["points"], e["text"]) for e in history[:2]] == [
            (-110, "−110 points: returned items from order 1043"),
            (110, "+110 reserved points returned: the checkout was cancelled by a reversal"),
        ]
        assert_ledger_consistent(app)

    def test_cancelled_hold_gives_back_its_points_of_other_lots(
        self, app: Loyalist, clock: ManualClock
    ) -> None:
        mid = _matured_order(app, clock)
        _adjust(app, mid, 30)  # expires after the order's lot: held last
        hold = app.db.write(lambda uow: service.hold_points(uow, mid, 130, timeout=DAY))
        shoe = [{"sku": "shoe", "quantity": 2}]  # 100 of the order's 110 points
        send(app, event("r1", "order.returned", "M1", clock.now(), order_id="1043", lines=shoe))
        balance = points(app, "M1")
        assert (balance["available"], balance["on_hold"], balance["debt"]) == (40, 0, 0)
        assert app.db.read(lambda uow: service.get_hold(uow, hold.id).status) == "released"
        assert_ledger_consistent(app)

    def test_hold_stays_when_other_points_cover_the_return(
        self, app: Loyalist, clock: ManualClock
    ) -> None:
        app.settings.program.negative_balance = NegativeBalancePolicy.CLAW_BACK
        mid = _matured_order(app, clock)
        _adjust(app, mid, 200)
        hold = app.db.write(lambda uow: service.hold_points(uow, mid, 110, timeout=DAY))
        _return_everything(app, clock)
        balance = points(app, "M1")
        assert (balance["available"], balance["on_hold"], balance["reversed"]) == (90, 110, 110)
        app.db.write(lambda uow: service.confirm_hold(uow, hold.id, program=app.program))
        assert points(app, "M1")["spent"] == 110
        assert_ledger_consistent(app)


def _adjust(app: Loyalist, mid: int, amount: int) -> None:
    app.db.write(
        lambda uow: service.adjust_points(
            uow, mid, amount, reason="goodwill", issuer="test", program=app.program
        )
    )


def _expired_order_then_50_more(app: Loyalist, clock: ManualClock) -> int:
    """Order 1043's 110 points expire unspent; then M1 gets 50 other points."""
    mid = _matured_order(app, clock)
    clock.set(points(app, "M1")["next_expiry"]["at"])
    run_jobs(app)
    app.db.write(
        lambda uow: service.adjust_points(
            uow, mid, 50, reason="goodwill", issuer="test", program=app.program
        )
    )
    assert points(app, "M1")["expired"] == 110
    return mid


def _return_everything(app: Loyalist, clock: ManualClock) -> None:
    everything = [{"sku": "shoe", "quantity": 2}, {"sku": "sock", "quantity": 1}]
    send(app, event("r1", "order.returned", "M1", clock.now(), order_id="1043", lines=everything))


def _order_lot(app: Loyalist, order_ref: str) -> Any:
    """The order's one lot, as a row."""
    return app.db.read(
        lambda uow: uow.session.execute(
            select(Lot.__table__).where(Lot.order_ref == order_ref)
        ).one()
    )


def _matured_order(app: Loyalist, clock: ManualClock) -> int:
    """Order 1043 of member M1 earns 110 points, delivered and matured; returns M1's id."""
    send(app, *_placed_and_paid())
    send(app, event("d1", "order.delivered", "M1", START, order_id="1043"))
    clock.set(START + 31 * DAY)
    run_jobs(app)
    return member_pk(app, "M1")


def _spend_100_then_return_everything(app: Loyalist, clock: ManualClock) -> None:
    """Order 1043 earns 110, matures; 100 are spent; then the whole order comes back."""
    mid = _matured_order(app, clock)
    app.db.write(lambda uow: service.spend_points(uow, mid, 100))
    _return_everything(app, clock)


class TestIngestErrors:
    def test_unknown_member_on_return_is_not_found_and_writes_nothing(self, app: Loyalist) -> None:
        with pytest.raises(NotFoundError) as caught:
            send(
                app,
                *_placed_and_paid("1", "M1"),
                event(
                    "r",
                    "order.returned",
                    "GHOST",
                    START,
                    order_id="1",
                    lines=[{"sku": "shoe", "quantity": 1}],
                ),
            )
        assert caught.value.errors[0].pointer == "/2/member_id"
        with pytest.raises(NotFoundError):
            member_pk(app, "M1")  # the whole batch was rolled back

    def test_same_id_different_body_conflicts(self, app: Loyalist) -> None:
        placed, _paid = _placed_and_paid()
        send(app, placed)
        changed = {**placed, "occurred_at": "2026-01-01T00:00:00Z"}
        with pytest.raises(ConflictError):
            send(app, changed)


class TestHoldTimeOut:
    def test_confirm_after_time_out_is_refused_and_worker_returns_the_points(
        self, app: Loyalist, clock: ManualClock
    ) -> None:
        mid = _matured_order(app, clock)
        hold = app.db.write(
            lambda uow: service.hold_points(uow, mid, 60, timeout=timedelta(minutes=15))
        )
        assert points(app, "M1")["on_hold"] == 60
        clock.advance(timedelta(minutes=16))
        with pytest.raises(ConflictError) as caught:
            app.db.write(lambda uow: service.confirm_hold(uow, hold.id, program=app.program))
        assert caught.value.code == "hold_expired"
        run_jobs(app)
        balance = points(app, "M1")
        assert (balance["available"], balance["on_hold"], balance["spent"]) == (110, 0, 0)
        assert_ledger_consistent(app)


class TestExpiryBeforeWorker:
    def test_points_past_expiry_cannot_be_spent_even_before_the_worker_runs(
        self, app: Loyalist, clock: ManualClock
    ) -> None:
        mid = _matured_order(app, clock)
        clock.set(points(app, "M1")["next_expiry"]["at"])  # due, and no worker has run since
        with pytest.raises(ConflictError) as caught:
            app.db.write(lambda uow: service.spend_points(uow, mid, 10))
        assert caught.value.code == "insufficient_points"
        run_jobs(app)
        balance = points(app, "M1")
        assert (balance["available"], balance["expired"], balance["spent"]) == (0, 110, 0)
        assert_ledger_consistent(app)
