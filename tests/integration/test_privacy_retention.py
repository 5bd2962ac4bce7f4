"""Retention: the worker erases members inactive beyond the program's period (as the system,
the books kept exact; their id may come back as a new member) and drops the shop's order
ids and line details once the accounting period has passed."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from loyalist.activities.models import Activity, Order, OrderLine
from loyalist.audit.models import AuditRecord
from loyalist.bootstrap import Loyalist
from loyalist.clock import ManualClock
from loyalist.db.uow import UnitOfWork
from loyalist.ledger.balances import liability
from loyalist.ledger.models import Lot, Posting
from loyalist.members import service as members
from loyalist.privacy.models import DestructionRecord
from loyalist.settings import ExpiryKind, ExpiryPolicy, PrivacyPolicy, ProgramPolicy
from tests.conftest import START, event, order_body
from tests.integration.helpers import assert_ledger_consistent, member_pk, points, run_jobs, send


@pytest.fixture
def program() -> ProgramPolicy:
    return ProgramPolicy(
        expiry=ExpiryPolicy(kind=ExpiryKind.NEVER),
        privacy=PrivacyPolicy(inactive_after_days=365, order_references_days=730),
    )


def _paid(event_id: str, member: str, order: str, at: datetime) -> dict[str, Any]:
    return event(event_id, "order.paid", member, at, **order_body(order, ("BOOK", 1, 5000)))


class TestInactiveMembers:
    def test_are_erased_as_the_system_keeping_the_books_and_may_come_back_as_new(
        self, app: Loyalist, clock: ManualClock
    ) -> None:
        send(
            app,
            event("e1", "member.enrolled", "GONE", START, email="gone@example.org"),
            event("e2", "member.enrolled", "STAYS", START, email="stays@example.org"),
            _paid("e3", "GONE", "O-1", START),
            event("e4", "order.delivered", "GONE", START, order_id="O-1"),
        )
        clock.advance(timedelta(days=40))
        run_jobs(app)  # O-1's points mature
        gone, stays = member_pk(app, "GONE"), member_pk(app, "STAYS")
        unspent = points(app, "GONE")["available"]
        assert unspent == 50
        clock.advance(timedelta(days=300))
        send(app, event("e5", "x.visit", "STAYS", clock.now()))
        outstanding = app.db.read(liability)["outstanding_points"]
        clock.advance(timedelta(days=100))

        run_jobs(app)

        def state(uow: UnitOfWork) -> Any:
            records = [
                (r.member_id, r.kind, r.legal_basis, r.actor_kind, r.subject, r.points_closed)
                for r in uow.session.scalars(select(DestructionRecord))
            ]
            audit = [
                (a.member_id, a.actor_kind)
                for a in uow.session.scalars(
                    select(AuditRecord).where(AuditRecord.action == "privacy.erasure")
                )
            ]
            return records, audit

        records, audit = app.db.read(state)
        [(member, kind, basis, actor, subject, closed)] = records
        assert (member, kind, basis, actor) == (gone, "retention", "retention_expired", "system")
        assert str(subject).startswith("pseudonymised:")
        assert closed == unspent
        assert audit == [(gone, "system")]
        assert_ledger_consistent(app)
        assert app.db.read(liability)["outstanding_points"] == outstanding - unspent
        assert app.db.read(lambda uow: members.member_ids(uow, ["GONE", "STAYS"])) == {
            "STAYS": stays
        }
        assert not app.run_due_work().done["privacy_retention"]  # the day's scan is done

        send(app, event("e6", "member.enrolled", "GONE", clock.now(), email="back@example.org"))

        again = member_pk(app, "GONE")
        assert again != gone
        assert points(app, "GONE")["available"] == 0

    def test_nothing_is_erased_while_the_setting_is_off(
        self, app: Loyalist, clock: ManualClock, program: ProgramPolicy
    ) -> None:
        program.privacy.inactive_after_days = None
        send(app, event("e1", "member.enrolled", "GONE", START))
        clock.advance(timedelta(days=3000))

        run_jobs(app)

        assert app.db.read(lambda uow: list(uow.session.scalars(select(DestructionRecord)))) == []
        assert member_pk(app, "GONE")


class TestOrdersPastTheAccountingPeriod:
    def test_lose_their_shop_ids_and_lines_everywhere_and_keep_their_amounts(
        self, app: Loyalist, clock: ManualClock
    ) -> None:
        send(
            app,
            event("e1", "member.enrolled", "M1", START),
            _paid("e2", "M1", "O-OLD", START),
            event("e3", "order.delivered", "M1", START, order_id="O-OLD"),
        )
        clock.advance(timedelta(days=700))
        send(app, _paid("e4", "M1", "O-NEW", clock.now()))
        clock.advance(timedelta(days=40))

        run_jobs(app)

        def state(uow: UnitOfWork) -> Any:
            orders = [
                (o.id, o.order_id, o.net_amount, o.retired_at)
                for o in uow.session.scalars(select(Order).order_by(Order.id))
            ]
            lines = [(line.order_id, line.sku) for line in uow.session.scalars(select(OrderLine))]
            refs = [
                (p.order_ref, p.reason_params.get("order_id"))
                for p in uow.session.scalars(select(Posting).order_by(Posting.id))
                if p.order_ref
            ]
            lots = [(lot.order_ref,) for lot in uow.session.scalars(select(Lot))]
            events = [
                (e.event_id, e.data)
                for e in uow.session.scalars(select(Activity).order_by(Activity.id))
                if e.type.startswith("order.")
            ]
            return orders, lines, refs, lots, events

        orders, lines, refs, lots, events = app.db.read(state)
        (old_pk, old_id, old_net, old_retired), (new_pk, new_id, _, new_retired) = orders
        assert (old_id, old_net, old_retired) == (f"retired:{old_pk}", 5000, clock.now())
        assert (new_id, new_retired) == ("O-NEW", None)
        assert lines == [(new_pk, "BOOK")]
        assert (old_id, old_id) in refs
        assert ("O-NEW", "O-NEW") in refs
        assert "O-OLD" not in str(refs)
        assert {ref for (ref,) in lots} == {old_id, "O-NEW"}
        data = dict(events)
        assert (data["e2"], data["e3"]) == ({}, {})
        assert isinstance(data["e4"], dict)
        assert data["e4"]["order_id"] == "O-NEW"
        assert_ledger_consistent(app)
        summary = points(app, "M1")
        assert (summary["available"], summary["pending"]) == (50, 50)
