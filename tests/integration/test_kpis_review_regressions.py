"""Review regressions of the snapshot export and the KPIs over real events: members known
only from their orders, orders in another currency, points held for a checkout."""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl
import pytest

from loyalist.bootstrap import Loyalist
from loyalist.clock import ManualClock
from loyalist.errors import InvalidRequestError
from loyalist.insights import export as snapshot_export
from loyalist.insights import service
from loyalist.insights.nps import Period
from loyalist.ledger import service as ledger
from loyalist.ledger.balances import liability
from tests.conftest import event, order_body
from tests.integration.helpers import member_pk, run_jobs, send
from tests.integration.test_insights_export import at, export


def _paid(member: str, order_id: str, currency: str, amount: int) -> list[dict[str, object]]:
    when = at(1, 10)
    body = order_body(order_id, ("shoe", 1, amount))
    body["currency"] = currency
    return [
        event(f"{order_id}-placed", "order.placed", member, when, **body),
        event(f"{order_id}-paid", "order.paid", member, when, order_id=order_id),
    ]


def test_members_without_enrolment_other_currencies_and_holds_match_the_ledger(
    app: Loyalist, clock: ManualClock
) -> None:
    clock.set(at(1, 10))
    send(app, *_paid("X1", "O1", "EUR", 5000), *_paid("X1", "O2", "USD", 7000))
    clock.set(at(2, 20))
    run_jobs(app)
    x1 = member_pk(app, "X1")
    program = app.program
    app.db.write(
        lambda uow: ledger.adjust_points(uow, x1, 20, reason="gift", issuer="t", program=program)
    )
    app.db.write(lambda uow: ledger.hold_points(uow, x1, 10, timeout=timedelta(hours=1)))

    clock.set(at(2, 20) + timedelta(minutes=1))
    snap = export(app)
    assert snap.members.height == 1
    assert snap.members["enrolled_at"].null_count() == 0
    assert snap.orders["amount"].to_list() == [5000]
    assert export(app, None).orders.height == 2

    report = app.db.read(
        lambda uow: service.kpi_report(uow, program, period=Period.MONTH, currency="USD")
    )
    outstanding = app.db.read(lambda uow: liability(uow))["outstanding_points"]
    last = report.rows[-1]
    assert (last.members, last.customers, last.liability_points) == (1, 1, outstanding)
    assert [r.revenue for r in report.rows] == [7000, 0]
    assert pl.Series([r.points_redeemed for r in report.rows]).sum() == 0


def test_refuses_a_too_long_range_before_reading_the_database(
    app: Loyalist, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unexpected(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the snapshot was read")

    monkeypatch.setattr(snapshot_export, "export_snapshot", unexpected)
    program = app.program
    with pytest.raises(InvalidRequestError) as refused:
        app.db.read(
            lambda uow: service.kpi_report(
                uow, program, period=Period.DAY, start=date(1, 1, 1), end=date(9999, 12, 31)
            )
        )
    assert refused.value.code == "date_range_too_long"


def test_refunds_and_negative_adjustments_net_out_like_the_ledger(
    app: Loyalist, clock: ManualClock
) -> None:
    clock.set(at(1, 10))
    send(app, event("y1", "member.enrolled", "Y1", at(1, 10)))
    y1 = member_pk(app, "Y1")
    program = app.program
    app.db.write(
        lambda uow: ledger.adjust_points(uow, y1, 50, reason="gift", issuer="t", program=program)
    )
    app.db.write(lambda uow: ledger.spend_points(uow, y1, 30))
    clock.set(at(2, 10))
    app.db.write(
        lambda uow: ledger.refund_spent_points(
            uow, y1, 12, program, reason_code="order_returned", reason_params={}
        )
    )
    app.db.write(
        lambda uow: ledger.adjust_points(uow, y1, -5, reason="fix", issuer="t", program=program)
    )
    clock.set(at(2, 11))
    report = app.db.read(lambda uow: service.kpi_report(uow, program, period=Period.MONTH))
    flows = [(r.points_redeemed, r.points_adjusted, r.liability_points) for r in report.rows]
    outstanding = app.db.read(lambda uow: liability(uow))["outstanding_points"]
    assert flows == [(30, 50, 20), (-12, -5, 27)]
    assert outstanding == 27
    assert report.rows[-1].redemption_rate is None  # nothing issued: no denominator
