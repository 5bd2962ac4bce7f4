"""The ledger's erasure entries: after any history of earning, maturing, spending, holds,
adjustments and returns (debt included), closing a member's points leaves the ledger
verifying, the member at zero everywhere, and liability lower by exactly what was closed."""

from __future__ import annotations

import contextlib
import itertools
from datetime import timedelta
from functools import partial
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loyalist.bootstrap import Loyalist
from loyalist.clock import ManualClock
from loyalist.db.uow import UnitOfWork
from loyalist.errors import DomainError
from loyalist.ledger import erasure, service
from loyalist.ledger.balances import liability, points_summary
from loyalist.ledger.service import Award
from loyalist.ledger.verification import verify_ledger
from loyalist.members import service as members
from loyalist.settings import NegativeBalancePolicy, ProgramPolicy

_STEP = st.one_of(
    st.tuples(st.just("earn"), st.integers(1, 500), st.booleans()),
    st.tuples(st.just("spend"), st.integers(1, 400), st.booleans()),
    st.tuples(st.just("hold"), st.integers(1, 400), st.booleans()),
    st.tuples(st.just("adjust"), st.integers(-300, 300), st.booleans()),
    st.tuples(st.just("return"), st.integers(1, 100), st.booleans()),
)


def test_closing_a_members_points_keeps_the_books_exact_after_any_history(
    app: Loyalist, clock: ManualClock
) -> None:
    serial = itertools.count()

    @settings(
        max_examples=25 if app.db.is_sqlite else 15,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(steps=st.lists(_STEP, min_size=1, max_size=12))
    def check(steps: list[tuple[str, int, bool]]) -> None:
        external = f"erase-{next(serial)}"
        member = app.db.write(lambda uow: members.ensure_members(uow, [external]))[external]
        for n, step in enumerate(steps):
            with contextlib.suppress(DomainError):  # not enough points for it: no change
                app.db.write(partial(_step, member=member, ref=f"{external}-{n}", step=step))
        clock.advance(timedelta(minutes=1))
        before = app.db.read(liability)["outstanding_points"]
        summary = app.db.read(lambda uow: points_summary(uow, member))
        held_by_member = summary["available"] + summary["pending"] + summary["on_hold"]

        closed = app.db.write(lambda uow: erasure.close_for_erasure(uow, [member]))[member]
        again = app.db.write(lambda uow: erasure.close_for_erasure(uow, [member]))[member]

        assert closed == held_by_member
        assert again == 0
        after = app.db.read(lambda uow: points_summary(uow, member))
        assert (after["available"], after["pending"], after["on_hold"], after["debt"]) == (
            0,
            0,
            0,
            0,
        )
        assert app.db.read(liability)["outstanding_points"] == before - closed
        report = app.db.read(verify_ledger)
        assert report.ok, report.problems

    check()


def _step(uow: UnitOfWork, *, member: int, ref: str, step: tuple[str, int, bool]) -> Any:
    """One operation: earn (at once, or pending for a day), spend, hold (kept open or
    released), adjust, or return part of what the first order earned (debt when spent)."""
    kind, amount, flag = step
    program = ProgramPolicy(negative_balance=NegativeBalancePolicy.ALLOW_DEBT)
    if kind == "earn":
        at = None if flag else uow.now + timedelta(days=1)
        award = Award(amount, "earn_order", {"order_id": ref}, at)
        return service.award_points(uow, member, [award], program, order_ref=ref)
    if kind == "spend":
        return service.spend_points(uow, member, amount)
    if kind == "hold":
        hold = service.hold_points(uow, member, amount, timeout=timedelta(hours=1))
        return service.release_hold(uow, hold.id) if flag else hold
    if kind == "adjust":
        if amount == 0:
            return None
        return service.adjust_points(
            uow, member, amount, reason="test", issuer="t", program=program
        )
    earned = ref.rsplit("-", 1)[0] + "-0"  # the first step's order, if it earned
    return service.reverse_order_points(
        uow, member, earned, amount, 100, "return", {"order_id": earned}, program
    )
