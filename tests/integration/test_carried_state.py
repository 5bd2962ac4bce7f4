"""Members' state carried between the batches of an import (``db.carry``): used only while
nothing else wrote, never after a rollback, never on PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import create_engine, select, update
from sqlalchemy.pool import NullPool

from loyalist.activities.schemas import parse_batch
from loyalist.activities.service import ingest_events
from loyalist.bootstrap import Loyalist
from loyalist.db import carry
from loyalist.db.carry import Carry
from loyalist.db.uow import UnitOfWork
from loyalist.ledger import service as ledger
from loyalist.ledger.models import Posting
from loyalist.members import service as members
from loyalist.rules import programs
from loyalist.rules.models import MemberOrderStats
from loyalist.rules.schemas import ProgramFile
from loyalist.tiers.models import MemberTier
from loyalist.tiers.schemas import Perks, Threshold, TierLevel, TierProgram
from loyalist.tiers.service import apply_program
from tests.conftest import START, event, order_body
from tests.integration.helpers import assert_ledger_consistent, member_pk, points, send

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
KEY = ("program",)


def _paid(n: int, amount: int) -> dict[str, Any]:
    at = START + timedelta(minutes=n)
    return event(f"e{n}", "order.paid", "M1", at, **order_body(f"o{n}", ("SKU", 1, amount)))


def _tier_bonus(app: Loyalist, order: str) -> int:
    pk = member_pk(app, "M1")
    found = app.db.read(
        lambda uow: uow.session.scalars(
            select(Posting.amount).where(
                Posting.member_id == pk,
                Posting.order_ref == order,
                Posting.reason_code == "earn_tier",
            )
        ).all()
    )
    return sum(found)


def _lower_tier(uow: UnitOfWork, pk: int) -> None:
    uow.session.execute(
        update(MemberTier).where(MemberTier.member_id == pk).values(tier=None, reached_at=None)
    )


class TestTiersAcrossBatches:
    def test_a_tier_kept_from_the_last_batch_earns_on_the_next(self, app: Loyalist) -> None:
        app.db.write(lambda uow: apply_program(uow, TIERS))
        send(app, _paid(1, 10_000))
        send(app, _paid(2, 5_000))

        assert _tier_bonus(app, "o2") == 50
        assert_ledger_consistent(app)

    def test_a_tier_changed_by_another_unit_between_batches_is_the_one_used(
        self, app: Loyalist
    ) -> None:
        app.db.write(lambda uow: apply_program(uow, TIERS))
        send(app, _paid(1, 10_000))
        pk = member_pk(app, "M1")
        app.db.write(lambda uow: _lower_tier(uow, pk))

        send(app, _paid(2, 5_000))

        assert _tier_bonus(app, "o2") == 0  # earned at the stored tier (none), not gold

    def test_a_tier_changed_through_another_connection_is_the_one_used(
        self, app: Loyalist, db_url: str
    ) -> None:
        app.db.write(lambda uow: apply_program(uow, TIERS))
        send(app, _paid(1, 10_000))
        pk = member_pk(app, "M1")
        other = create_engine(db_url, poolclass=NullPool)
        try:
            with other.begin() as connection:
                connection.execute(
                    update(MemberTier)
                    .where(MemberTier.member_id == pk)
                    .values(tier=None, reached_at=None)
                )
        finally:
            other.dispose()

        send(app, _paid(2, 5_000))

        assert _tier_bonus(app, "o2") == 0

    def test_a_batch_rolled_back_after_its_books_were_written_leaves_nothing_carried(
        self, app: Loyalist
    ) -> None:
        app.db.write(lambda uow: apply_program(uow, TIERS))
        send(app, _paid(1, 5_000))
        parsed, _ = parse_batch([_paid(2, 5_000)])

        def written_then_failed(uow: UnitOfWork) -> None:
            ingest_events(uow, parsed)
            app.db.dispatch(uow)
            uow.finish()  # the tier book is written and offers its members
            raise RuntimeError("the batch fails after its books were written")

        with pytest.raises(RuntimeError):
            app.db.write(written_then_failed)
        send(app, _paid(3, 1_000))

        # 6,000 EUR paid in all (the failed batch's order is not stored): no tier, no bonus.
        assert _tier_bonus(app, "o3") == 0
        pk = member_pk(app, "M1")
        stored = app.db.read(
            lambda uow: uow.session.scalar(
                select(MemberTier.tier).where(MemberTier.member_id == pk)
            )
        )
        assert stored is None
        assert_ledger_consistent(app)


class TestBalancesAcrossBatches:
    def test_points_adjusted_by_another_unit_between_batches_are_kept(self, app: Loyalist) -> None:
        send(app, _paid(1, 10_000))
        pk = member_pk(app, "M1")

        def adjust(uow: UnitOfWork) -> None:
            ledger.lock(uow, [pk])
            ledger.award_points(uow, pk, [ledger.Award(40, "adjust")], app.program)

        app.db.write(adjust)
        send(app, _paid(2, 5_000))

        balance = points(app, "M1")
        assert (balance["pending"], balance["available"]) == (150, 40)
        assert_ledger_consistent(app)

    def test_batches_and_adjustments_queued_together_keep_every_point(self, app: Loyalist) -> None:
        send(app, _paid(1, 1_000))
        pk = member_pk(app, "M1")

        def adjust(uow: UnitOfWork) -> None:
            ledger.lock(uow, [pk])
            ledger.award_points(uow, pk, [ledger.Award(10, "adjust")], app.program)

        def batch(n: int) -> Callable[[UnitOfWork], object]:
            parsed, _ = parse_batch([_paid(n, 1_000)])
            return lambda uow: ingest_events(uow, parsed)

        # Queued without waiting: the writer commits batches and adjustments in groups.
        futures: list[Future[object]] = []
        for n in range(2, 21):
            futures.append(app.db.submit(batch(n)))
            futures.append(app.db.submit(adjust))
        for future in futures:
            future.result()

        balance = points(app, "M1")
        assert (balance["pending"], balance["available"]) == (200, 190)
        assert_ledger_consistent(app)


class TestOrderStatisticsAcrossBatches:
    def test_statistics_changed_by_another_unit_between_batches_are_the_ones_read(
        self, app: Loyalist
    ) -> None:
        first = {
            "key": "first",
            "name": {"en": "First order", "ru": "Первый заказ"},
            "on": "order.paid",
            "condition": "member.order_count == 0",
            "effects": [{"type": "fixed", "points": 100}],
        }
        program = ProgramFile.model_validate({"rules": [first]})
        app.db.write(lambda uow: programs.apply_program(uow, program, actor="test"))
        send(app, _paid(1, 5_000))
        pk = member_pk(app, "M1")
        app.db.write(
            lambda uow: uow.session.execute(
                update(MemberOrderStats)
                .where(MemberOrderStats.member_id == pk)
                .values(order_count=0, spend=0)
            )
        )

        send(app, _paid(2, 5_000))

        assert points(app, "M1")["pending"] == 200  # the rule read the stored count (0) twice


class TestCarry:
    def _keep(self, app: Loyalist, kept: Carry[str], state: dict[int, str]) -> None:
        def op(uow: UnitOfWork) -> None:
            carry.start(uow)
            kept.keep(uow, KEY, state)

        app.db.write(op)

    def _take(
        self, app: Loyalist, kept: Carry[str], ids: list[int], key: object = KEY
    ) -> dict[int, str]:
        def op(uow: UnitOfWork) -> dict[int, str]:
            carry.start(uow)
            return kept.take(uow, key, ids)

        return app.db.write(op)

    def test_the_next_unit_takes_what_the_last_one_kept_and_owns_it(self, app: Loyalist) -> None:
        kept: Carry[str] = Carry(size=10)
        self._keep(app, kept, {1: "a", 2: "b"})

        first = self._take(app, kept, [1, 3])
        second = self._take(app, kept, [1, 2])

        if app.db.is_sqlite:
            assert (first, second) == ({1: "a"}, {2: "b"})
        else:  # other processes write between units: nothing is carried
            assert (first, second) == ({}, {})

    def test_nothing_is_taken_after_another_unit_wrote(self, app: Loyalist) -> None:
        kept: Carry[str] = Carry(size=10)
        self._keep(app, kept, {1: "a"})
        app.db.write(lambda uow: members.ensure_members(uow, ["M9"]))

        assert self._take(app, kept, [1]) == {}

    def test_nothing_is_taken_under_another_key_or_without_start(self, app: Loyalist) -> None:
        kept: Carry[str] = Carry(size=10)
        self._keep(app, kept, {1: "a"})

        assert app.db.write(lambda uow: kept.take(uow, KEY, [1])) == {}
        assert self._take(app, kept, [1], key=("another program",)) == {}
        assert self._take(app, kept, [1]) == {}  # the mismatch dropped it

    def test_an_offer_of_a_unit_that_rolled_back_is_not_carried(self, app: Loyalist) -> None:
        kept: Carry[str] = Carry(size=10)

        def failed(uow: UnitOfWork) -> None:
            carry.start(uow)
            kept.keep(uow, KEY, {1: "a"})
            raise RuntimeError("rolled back")

        with pytest.raises(RuntimeError):
            app.db.write(failed)

        assert self._take(app, kept, [1]) == {}

    def test_an_offer_followed_by_another_write_in_the_same_commit_is_not_carried(
        self, app: Loyalist
    ) -> None:
        kept: Carry[str] = Carry(size=10)

        def offered(uow: UnitOfWork) -> None:
            carry.start(uow)
            kept.keep(uow, KEY, {1: "a"})

        # Queued together, the writer may commit both in one transaction.
        offer = app.db.submit(offered)
        write = app.db.submit(lambda uow: members.ensure_members(uow, ["M9"]))
        offer.result()
        write.result()

        assert self._take(app, kept, [1]) == {}

    def test_at_most_size_members_are_carried_the_latest_kept(self, app: Loyalist) -> None:
        kept: Carry[str] = Carry(size=2)
        self._keep(app, kept, {1: "a", 2: "b"})
        self._keep(app, kept, {3: "c"})

        expected = {2: "b", 3: "c"} if app.db.is_sqlite else {}
        assert self._take(app, kept, [1, 2, 3]) == expected
