"""Review regressions of the snapshot export and the KPIs over real events: members known
only from their orders, orders in another currency, points held for a checkout."""

from __future__ import annotations

from datetime import timedelta

import polars as pl

from loyalist.bootstrap import Loyalist
from loyalist.clock import ManualClock
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
    app.db.write(lambda uow: ledger.hold_points(uow, x1, 10, timeout=timedelta(hours=1)))

    snap = export(app)
    assert snap.members.height == 1
    assert snap.members["enrolled_at"].null_count() == 0
    assert snap.orders["amount"].to_list() == [5000]
    assert export(app, None).orders.height == 2

    program = app.program
    report = app.db.read(
        lambda uow: service.kpi_report(uow, program, period=Period.MONTH, currency="USD")
    )
    outstanding = app.db.read(lambda uow: liability(uow))["outstanding_points"]
    last = report.rows[-1]
    assert (last.members, last.customers, last.liability_points) == (1, 1, outstanding)
    assert [r.revenue for r in report.rows] == [7000, 0]
    assert pl.Series([r.points_redeemed for r in report.rows]).sum() == 0
