"""The snapshot export over real events: orders net of returns, no cancelled order, ledger
flows with their signs, and a liability equal to the ledger's.

The shop (``load_shop``; the clock ends on 20 March 2026, program zone UTC, 1 point per
EUR, points expire 30 days after they become available):

- M1, enrolled 2 Jan, gold (paid plan), segment vip: order A on 15 Jan, 2 shoes at 50.00
  (100 points, delivered, mature on 14 Feb); spends 40 points on 20 Feb; order D on 20 Feb,
  4 socks at 5.00 (20 points), one sock back on 21 Feb (−5 points); the 60 points left of
  A expire on 16 Mar; answers 10.
- M2, enrolled 2 Jan, member: order B on 20 Jan, a bag at 30.00 (30 points); order C on
  21 Jan, a hat at 20.00 (20 points), cancelled on 22 Jan (−20 points); answers 6.
- M3, enrolled 2 Jan, member: order E on 3 Mar, a shoe at 50.00 (50 points); a live
  4-star review.
- M4, enrolled 1 Feb, member: +7 points adjusted by staff on 1 Mar.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import polars as pl
import pytest

from loyalist.bootstrap import Loyalist
from loyalist.clock import ManualClock
from loyalist.insights import service
from loyalist.insights.export import export_snapshot
from loyalist.insights.snapshot import Snapshot
from loyalist.ledger import service as ledger
from loyalist.ledger.balances import liability
from loyalist.members import service as members
from loyalist.settings import ExpiryKind, ExpiryPolicy, ProgramPolicy
from loyalist.tiers.service import apply_program
from tests.conftest import event, order_body
from tests.integration.helpers import assert_ledger_consistent, member_pk, run_jobs, send
from tests.integration.nps_dataset import TIERS, answer


def at(month: int, day: int, hour: int = 12) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=UTC)


def shop_program() -> ProgramPolicy:
    return ProgramPolicy(expiry=ExpiryPolicy(kind=ExpiryKind.DAYS_AFTER_AVAILABLE, days=30))


def _order(
    member: str, order_id: str, when: datetime, *lines: tuple[str, int, int]
) -> list[dict[str, Any]]:
    return [
        event(f"{order_id}-placed", "order.placed", member, when, **order_body(order_id, *lines)),
        event(f"{order_id}-paid", "order.paid", member, when, order_id=order_id),
    ]


def load_shop(app: Loyalist, clock: ManualClock) -> None:
    """The shop of the module docstring, events sent at their own times."""
    clock.set(at(1, 2))
    app.db.write(lambda uow: apply_program(uow, TIERS))
    send(app, *(event(f"e{n}", "member.enrolled", f"M{n}", at(1, 2)) for n in (1, 2, 3)))
    send(
        app,
        event(
            "club1",
            "membership.started",
            "M1",
            at(1, 2),
            membership_id="ms1",
            plan="club",
            period_end="2026-12-31T00:00:00Z",
        ),
    )
    clock.set(at(1, 15))
    send(app, *_order("M1", "A", at(1, 15), ("shoe", 2, 5000)))
    send(app, event("A-delivered", "order.delivered", "M1", at(1, 15), order_id="A"))
    send(app, answer("s1", "M1", at(1, 16), 10, "email", "nps"))
    clock.set(at(1, 20))
    send(app, *_order("M2", "B", at(1, 20), ("bag", 1, 3000)))
    clock.set(at(1, 21))
    send(app, *_order("M2", "C", at(1, 21), ("hat", 1, 2000)))
    clock.set(at(1, 22))
    send(app, event("C-cancelled", "order.cancelled", "M2", at(1, 22), order_id="C"))
    send(app, answer("s2", "M2", at(1, 25), 6, "web", "nps"))
    clock.set(at(2, 1))
    send(app, event("e4", "member.enrolled", "M4", at(2, 1)))
    clock.set(at(2, 20))
    run_jobs(app)  # A's points mature (delivered + 30-day return window)
    m1 = member_pk(app, "M1")
    app.db.write(lambda uow: ledger.spend_points(uow, m1, 40))
    send(app, *_order("M1", "D", at(2, 20), ("sock", 4, 500)))
    clock.set(at(2, 21))
    send(
        app,
        event(
            "D-ret",
            "order.returned",
            "M1",
            at(2, 21),
            order_id="D",
            lines=[{"sku": "sock", "quantity": 1}],
        ),
    )
    clock.set(at(3, 1))
    m4 = member_pk(app, "M4")
    program = app.program
    app.db.write(
        lambda uow: ledger.adjust_points(
            uow, m4, 7, reason="goodwill", issuer="test", program=program
        )
    )
    app.db.write(lambda uow: members.set_segments(uow, {m1: ["vip"]}))
    clock.set(at(3, 3))
    send(app, *_order("M3", "E", at(3, 3), ("shoe", 1, 5000)))
    send(
        app,
        event("rv1", "review.published", "M3", at(3, 4), review_id="rv1", sku="shoe", rating=4),
    )
    clock.set(at(3, 20))
    run_jobs(app)  # A's remaining 60 points expire on 16 March


def export(app: Loyalist, currency: str | None = "EUR") -> Snapshot:
    zone = app.program.zone
    return app.db.read(lambda uow: export_snapshot(uow, currency=currency, zone=zone))


def rows(frame: pl.DataFrame, *columns: str) -> list[tuple[object, ...]]:
    return sorted(frame.select(columns).rows(), key=repr)


class TestExport:
    @pytest.fixture
    def program(self) -> ProgramPolicy:
        return shop_program()

    @pytest.fixture
    def snap(self, app: Loyalist, clock: ManualClock) -> Snapshot:
        load_shop(app, clock)
        assert_ledger_consistent(app)
        return export(app)

    def test_exports_the_shop_into_the_contract(self, app: Loyalist, snap: Snapshot) -> None:
        pk = {f"M{n}": member_pk(app, f"M{n}") for n in range(1, 5)}
        name = {v: k for k, v in pk.items()}
        members_ = snap.members.with_columns(
            pl.col("member_id").replace_strict(name, return_dtype=pl.String)
        )
        assert rows(members_, "member_id", "tier") == [
            ("M1", "gold"),
            ("M2", "member"),
            ("M3", "member"),
            ("M4", "member"),
        ]
        assert "vip" in members_.filter(pl.col("member_id") == "M1")["segments"].item()
        assert members_.filter(pl.col("member_id") == "M4")["enrolled_at"].item() == at(2, 1)
        orders = snap.orders.with_columns(
            pl.col("member_id").replace_strict(name, return_dtype=pl.String)
        )
        # C was cancelled; D's returned sock takes 5.00 off.
        assert rows(orders, "member_id", "paid_at", "currency", "channel", "amount") == [
            ("M1", at(1, 15), "EUR", "web", 10000),
            ("M1", at(2, 20), "EUR", "web", 1500),
            ("M2", at(1, 20), "EUR", "web", 3000),
            ("M3", at(3, 3), "EUR", "web", 5000),
        ]
        assert rows(snap.lines, "sku", "quantity", "returned_quantity", "amount") == [
            ("bag", 1, 0, 3000),
            ("shoe", 1, 0, 5000),
            ("shoe", 2, 0, 10000),
            ("sock", 4, 1, 1500),
        ]
        assert snap.lines["amount"].sum() == snap.orders["amount"].sum()
        assert snap.reviews.select("rating", "sku").rows() == [(4, "shoe")]
        assert sorted(snap.answers["score"].to_list()) == [6, 10]
        assert snap.referrals.height == 0
        assert export(app, "USD").orders.height == 0
        assert export(app, None).orders.height == 4

    def test_points_are_ledger_flows_and_their_liability_is_the_ledgers(
        self, app: Loyalist, snap: Snapshot
    ) -> None:
        by_flow = dict(snap.points.group_by("flow").agg(pl.col("points").sum()).rows())
        assert by_flow == {
            "issued": 100 + 30 + 20 + 20 + 50,
            "redeemed": 40,
            "expired": 60,
            "reversed": 20 + 5,
            "adjusted": 7,
        }
        signs = {"issued": 1, "redeemed": -1, "expired": -1, "reversed": -1, "adjusted": 1}
        flows = snap.points.select(
            (pl.col("points") * pl.col("flow").replace_strict(signs, return_dtype=pl.Int64)).sum()
        ).item()
        assert flows == app.db.read(liability)["outstanding_points"] == 15 + 30 + 50 + 7
        program = app.program
        report = app.db.read(lambda uow: service.kpi_report(uow, program))
        assert [(r.period, r.revenue, r.liability_points) for r in report.rows] == [
            ("2026-01", 13000, 100 + 30 + 20 - 20),
            ("2026-02", 1500, 130 - 40 + 20 - 5),
            ("2026-03", 5000, flows),
        ]
        assert report.rows[-1].liability_money == flows  # 1 point = 0.01 EUR


def test_refund_of_spent_points_lowers_redeemed(app: Loyalist, clock: ManualClock) -> None:
    send(app, event("e1", "member.enrolled", "M1", at(1, 2)))
    mid = member_pk(app, "M1")
    program = app.program
    app.db.write(
        lambda uow: ledger.adjust_points(uow, mid, 50, reason="x", issuer="t", program=program)
    )
    app.db.write(lambda uow: ledger.spend_points(uow, mid, 30))
    app.db.write(
        lambda uow: ledger.refund_spent_points(
            uow, mid, 10, program, reason_code="refund", reason_params={}
        )
    )
    points = export(app).points
    assert rows(points, "flow", "points") == [("adjusted", 50), ("redeemed", -10), ("redeemed", 30)]
    assert app.db.read(liability)["outstanding_points"] == 50 - (30 - 10)


def test_return_after_expiry_moves_points_from_expired_to_reversed(
    app: Loyalist, clock: ManualClock
) -> None:
    send(app, event("e1", "member.enrolled", "M1", at(1, 2)))
    mid = member_pk(app, "M1")
    program = app.program
    award = ledger.Award(60, "earn_order", {"order_id": "X"})
    app.db.write(lambda uow: ledger.award_points(uow, mid, [award], program, order_ref="X"))
    clock.set(at(1, 2) + timedelta(days=400))  # past the end-of-month expiry a year on
    run_jobs(app)
    app.db.write(
        lambda uow: ledger.reverse_order_points(
            uow, mid, "X", 1, 1, "reverse_return", {"order_id": "X"}, program
        )
    )
    points = export(app).points
    assert rows(points, "flow", "points") == [
        ("expired", -60),
        ("expired", 60),
        ("issued", 60),
        ("reversed", 60),
    ]
    assert app.db.read(liability)["outstanding_points"] == 0
    report = app.db.read(lambda uow: service.kpi_report(uow, program))
    assert report.rows[-1].liability_points == 0
    assert_ledger_consistent(app)
