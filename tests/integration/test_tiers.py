"""Tiers on a real database: qualification windows, upgrades, reviews, returns, paid plans."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta, tzinfo
from decimal import Decimal
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from loyalist.activities.events import ActivityRecorded
from loyalist.bootstrap import Loyalist
from loyalist.clock import ManualClock
from loyalist.db.uow import UnitOfWork
from loyalist.members import service as members
from loyalist.settings import ProgramPolicy
from loyalist.tiers.events import TierDowngraded, TierUpgraded
from loyalist.tiers.jobs import run_tier_reviews
from loyalist.tiers.models import MemberTier, TierChange, TierCredit
from loyalist.tiers.policy import Totals
from loyalist.tiers.schemas import Perks, Threshold, TierLevel, TierProgram
from loyalist.tiers.service import TierBook, apply_program, export_program

T = TypeVar("T")
MOSCOW = ZoneInfo("Europe/Moscow")
NEW_YORK = ZoneInfo("America/New_York")
DAY = timedelta(days=1)
TierEvent = TierUpgraded | TierDowngraded

GOLD_PERKS = Perks(
    earning_multiplier=Decimal("1.5"),
    free_shipping=True,
    flags={"lounge": True, "support": "priority"},
    rewards=["gold-gift"],
)
PROGRAM = TierProgram(
    window="calendar_year",
    grace_days=30,
    downgrade="one_step",
    currency="EUR",
    levels=[
        TierLevel(key="member", name={"en": "Member", "ru": "Участник"}),
        TierLevel(
            key="silver",
            name={"en": "Silver", "ru": "Серебро"},
            threshold=Threshold(spend=20000, orders=5),
            perks=Perks(earning_multiplier=Decimal("1.25")),
        ),
        TierLevel(
            key="gold",
            name={"en": "Gold", "ru": "Золото"},
            threshold=Threshold(spend=50000, orders=10),
            perks=GOLD_PERKS,
        ),
        TierLevel(
            key="plus",
            name={"en": "Plus", "ru": "Плюс"},
            perks=Perks(earning_multiplier=Decimal(2), free_shipping=True),
        ),
    ],
    plans={"plus-monthly": "plus"},
)


def _utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def _setup(app: Loyalist, program: TierProgram = PROGRAM, member: str = "M1") -> int:
    def op(uow: UnitOfWork) -> int:
        apply_program(uow, program)
        return members.ensure_members(uow, [member])[member]

    return app.db.write(op)


def _book(
    app: Loyalist, act: Callable[[TierBook], T], zone: tzinfo = UTC
) -> tuple[T, list[TierEvent]]:
    """Run ``act`` on the unit's book; returns its result and the tier events emitted."""

    def op(uow: UnitOfWork) -> tuple[T, list[TierEvent]]:
        result = act(TierBook.of(uow, zone))
        return result, [e for e in uow.events if isinstance(e, TierUpgraded | TierDowngraded)]

    return app.db.write(op)


def _tier(app: Loyalist, pk: int, zone: tzinfo = UTC) -> str | None:
    return _book(app, lambda b: b.status(pk).key, zone)[0]


def _pay(
    app: Loyalist, pk: int, order_id: str, amount: int, at: datetime, zone: tzinfo = UTC
) -> list[TierEvent]:
    return _book(
        app, lambda b: b.record_order_paid(pk, order_id, "EUR", amount, amount // 100, at), zone
    )[1]


def _changes(app: Loyalist, pk: int) -> list[tuple[str | None, str | None, str]]:
    def op(uow: UnitOfWork) -> list[tuple[str | None, str | None, str]]:
        rows = uow.session.scalars(
            select(TierChange).where(TierChange.member_id == pk).order_by(TierChange.id)
        )
        return [(r.from_tier, r.to_tier, r.reason) for r in rows]

    return app.db.read(op)


def _reviews(app: Loyalist, now: datetime, zone: tzinfo = UTC) -> list[TierEvent]:
    def op(uow: UnitOfWork) -> list[TierEvent]:
        assert now == uow.now
        run_tier_reviews(uow, ProgramPolicy(timezone=str(zone)))
        return [e for e in uow.events if isinstance(e, TierUpgraded | TierDowngraded)]

    return app.db.write(op)


def _membership(
    pk: int, kind: str, at: datetime, membership_id: str = "ms-1", **data: Any
) -> ActivityRecorded:
    return ActivityRecorded(
        member_id=pk,
        external_member_id="M1",
        event_id=f"{kind}-{at.isoformat()}",
        type=f"membership.{kind}",
        occurred_at=at,
        data={"membership_id": membership_id, **data},
    )


class TestProgram:
    def test_stores_the_program_and_reads_it_back(self, app: Loyalist) -> None:
        assert app.db.read(export_program) == TierProgram()
        _setup(app)
        assert app.db.read(export_program) == PROGRAM

    def test_every_member_has_the_base_tier_before_any_activity(self, app: Loyalist) -> None:
        pk = _setup(app)
        status = _book(app, lambda b: b.status(pk))[0]
        assert (status.key, status.source, status.multiplier) == ("member", "qualified", Decimal(1))

    def test_without_a_program_nobody_has_a_tier(self, app: Loyalist) -> None:
        pk = app.db.write(lambda uow: members.ensure_members(uow, ["M1"])["M1"])
        status = _book(app, lambda b: b.status(pk))[0]
        assert (status.key, status.source, status.multiplier) == (None, "none", Decimal(1))


class TestUpgrade:
    def test_upgrades_as_soon_as_a_threshold_is_met(self, app: Loyalist) -> None:
        pk = _setup(app)
        assert _pay(app, pk, "o1", 15000, _utc(2026, 1, 10)) == []
        assert _tier(app, pk) == "member"
        events = _pay(app, pk, "o2", 6000, _utc(2026, 1, 12))
        assert events == [
            TierUpgraded(pk, "member", "silver", _utc(2026, 1, 12), "qualified", "qualified")
        ]
        assert _tier(app, pk) == "silver"
        assert _changes(app, pk) == [("member", "silver", "qualified")]

    def test_jumps_several_tiers_at_once_and_gives_the_perks(self, app: Loyalist) -> None:
        pk = _setup(app)
        _pay(app, pk, "o1", 60000, _utc(2026, 1, 10))
        status = _book(app, lambda b: b.status(pk))[0]
        assert (status.key, status.multiplier, status.perks) == ("gold", Decimal("1.5"), GOLD_PERKS)

    def test_a_tier_reached_by_one_order_applies_to_the_next_in_the_same_unit(
        self, app: Loyalist
    ) -> None:
        pk = _setup(app)

        def act(book: TierBook) -> list[str | None]:
            seen = [book.status(pk).key]
            book.record_order_paid(pk, "o1", "EUR", 25000, 250, _utc(2026, 1, 10))
            seen.append(book.status(pk).key)
            book.record_order_paid(pk, "o2", "EUR", 25000, 250, _utc(2026, 1, 11))
            seen.append(book.status(pk).key)
            return seen

        assert _book(app, act)[0] == ["member", "silver", "gold"]

    def test_counts_orders_in_other_currencies_but_not_their_spend(self, app: Loyalist) -> None:
        pk = _setup(app)

        def act(book: TierBook) -> Totals:
            for i in range(4):
                book.record_order_paid(pk, f"o{i}", "USD", 90000, 900, _utc(2026, 1, 10 + i))
            return book.window_totals(pk, _utc(2026, 1, 14))

        assert _book(app, act)[0] == Totals(spend=0, points=3600, orders=4)
        assert _tier(app, pk) == "member"

    def test_qualifying_points_from_other_rules_count(self, app: Loyalist) -> None:
        points_program = PROGRAM.model_copy(
            update={
                "levels": [
                    PROGRAM.levels[0],
                    TierLevel(
                        key="silver", name={"en": "S", "ru": "С"}, threshold=Threshold(points=300)
                    ),
                ],
                "plans": {},
            }
        )
        pk = _setup(app, points_program)
        _book(app, lambda b: b.record_points(pk, 200, _utc(2026, 1, 3), "review:r1"))
        events = _book(app, lambda b: b.record_points(pk, 100, _utc(2026, 1, 4), "review:r2"))[1]
        assert [e.to_tier for e in events] == ["silver"]

    def test_paying_the_same_order_twice_counts_once(self, app: Loyalist) -> None:
        pk = _setup(app)
        _pay(app, pk, "o1", 15000, _utc(2026, 1, 10))
        _pay(app, pk, "o1", 15000, _utc(2026, 1, 10))
        totals = _book(app, lambda b: b.window_totals(pk, _utc(2026, 1, 10)))[0]
        assert totals == Totals(15000, 150, 1)


class TestWindows:
    @pytest.mark.parametrize(
        ("zone", "at", "year"),
        [
            (MOSCOW, _utc(2026, 12, 31, 20, 30), 2026),  # 23:30 on 31 Dec in Moscow
            (MOSCOW, _utc(2026, 12, 31, 21, 30), 2027),  # 00:30 on 1 Jan in Moscow, UTC 2026
            (NEW_YORK, _utc(2027, 1, 1, 4, 30), 2026),  # 23:30 on 31 Dec in New York, UTC 2027
            (UTC, _utc(2026, 12, 31, 23, 59), 2026),
        ],
    )
    def test_an_order_counts_in_the_local_year_of_the_program_time_zone(
        self, app: Loyalist, clock: ManualClock, zone: tzinfo, at: datetime, year: int
    ) -> None:
        pk = _setup(app)
        clock.set(_utc(2027, 2, 1))
        _pay(app, pk, "o1", 30000, at, zone)

        def act(book: TierBook) -> tuple[int, int]:
            old = book.window_totals(pk, datetime(2026, 6, 1, tzinfo=zone)).spend
            new = book.window_totals(pk, datetime(2027, 6, 1, tzinfo=zone)).spend
            return old, new

        old, new = _book(app, act, zone)[0]
        assert (old, new) == ((30000, 0) if year == 2026 else (0, 30000))

    def test_lifetime_counts_activity_from_years_ago(self, app: Loyalist) -> None:
        pk = _setup(app, PROGRAM.model_copy(update={"window": "lifetime"}))
        _pay(app, pk, "o1", 15000, _utc(2019, 5, 1))
        _pay(app, pk, "o2", 1000, _utc(2025, 12, 1))
        events = _pay(app, pk, "o3", 4000, _utc(2026, 1, 2))
        assert [e.to_tier for e in events] == ["silver"]
        totals = _book(app, lambda b: b.window_totals(pk, _utc(2026, 1, 2)))[0]
        assert totals == Totals(20000, 200, 3)

    def test_a_late_order_from_an_earlier_year_counts_for_that_year(
        self, app: Loyalist, clock: ManualClock
    ) -> None:
        pk = _setup(app)
        clock.set(_utc(2026, 6, 1))
        _pay(app, pk, "o1", 15000, _utc(2023, 3, 1))
        events = _pay(app, pk, "o2", 6000, _utc(2023, 4, 1))  # long ago: reviewed at once
        assert [(e.to_tier, e.reason) for e in events] == [
            ("silver", "qualified"),
            ("member", "review"),  # 2024 did not keep it
        ]
        totals = _book(app, lambda b: b.window_totals(pk, _utc(2023, 6, 1)))[0]
        assert totals == Totals(21000, 210, 2)

    def test_rolling_window_drops_activity_older_than_twelve_months(
        self, app: Loyalist, clock: ManualClock
    ) -> None:
        pk = _setup(app, PROGRAM.model_copy(update={"window": "rolling_12_months"}))
        clock.set(_utc(2026, 9, 1))
        _pay(app, pk, "o1", 15000, _utc(2025, 9, 2))
        events = _pay(app, pk, "o2", 6000, _utc(2026, 8, 30))
        assert [e.to_tier for e in events] == ["silver"]  # 2025-09-02 is within 12 months
        clock.set(_utc(2026, 9, 5))
        totals = _book(app, lambda b: b.window_totals(pk, _utc(2026, 9, 5)))[0]
        assert totals.spend == 6000


class TestReviews:
    def _gold_in_2026(self, app: Loyalist, clock: ManualClock, program: TierProgram) -> int:
        pk = _setup(app, program)
        clock.set(_utc(2026, 3, 1))
        _pay(app, pk, "o1", 60000, _utc(2026, 3, 1))
        return pk

    def test_keeps_the_tier_through_the_next_year_and_its_grace_period(
        self, app: Loyalist, clock: ManualClock
    ) -> None:
        pk = self._gold_in_2026(app, clock, PROGRAM)
        clock.set(_utc(2027, 2, 1))
        assert _reviews(app, clock.now()) == []  # 2026 supports gold: kept for 2027
        clock.set(_utc(2028, 1, 30, 23, 59))
        assert _reviews(app, clock.now()) == []  # 2027 ended, grace runs to 31 Jan
        assert _tier(app, pk) == "gold"
        clock.set(_utc(2028, 1, 31))
        events = _reviews(app, clock.now())
        assert events == [
            TierDowngraded(pk, "gold", "silver", _utc(2028, 1, 31), "review", "qualified")
        ]
        assert _tier(app, pk) == "silver"

    def test_steps_down_one_tier_per_review(self, app: Loyalist, clock: ManualClock) -> None:
        pk = self._gold_in_2026(app, clock, PROGRAM)
        clock.set(_utc(2029, 3, 1))
        events = _reviews(app, clock.now())
        assert [(e.from_tier, e.to_tier, e.at) for e in events] == [
            ("gold", "silver", _utc(2028, 1, 31)),
            ("silver", "member", _utc(2029, 1, 31)),
        ]
        assert _changes(app, pk) == [
            ("member", "gold", "qualified"),
            ("gold", "silver", "review"),
            ("silver", "member", "review"),
        ]

    def test_drops_to_what_the_window_supports_with_to_qualified(
        self, app: Loyalist, clock: ManualClock
    ) -> None:
        pk = self._gold_in_2026(
            app, clock, PROGRAM.model_copy(update={"downgrade": "to_qualified"})
        )
        clock.set(_utc(2027, 5, 1))
        _pay(app, pk, "o2", 20000, _utc(2027, 5, 1))  # 2027 supports silver
        clock.set(_utc(2028, 2, 1))
        assert [e.to_tier for e in _reviews(app, clock.now())] == ["silver"]
        clock.set(_utc(2029, 2, 1))
        assert [e.to_tier for e in _reviews(app, clock.now())] == ["member"]

    def test_keeps_the_tier_when_the_next_year_qualifies_again(
        self, app: Loyalist, clock: ManualClock
    ) -> None:
        pk = self._gold_in_2026(app, clock, PROGRAM)
        clock.set(_utc(2027, 11, 1))
        _pay(app, pk, "o2", 50000, _utc(2027, 11, 1))
        clock.set(_utc(2028, 2, 15))
        assert _reviews(app, clock.now()) == []
        assert _tier(app, pk) == "gold"

    def test_reviews_are_applied_when_the_member_is_next_touched(
        self, app: Loyalist, clock: ManualClock
    ) -> None:
        pk = self._gold_in_2026(app, clock, PROGRAM)
        clock.set(_utc(2028, 2, 15))
        status, events = _book(app, lambda b: b.status(pk))
        assert status.key == "silver"
        assert [e.to_tier for e in events] == ["silver"]
        assert _reviews(app, clock.now()) == []

    def test_running_the_job_twice_changes_nothing_more(
        self, app: Loyalist, clock: ManualClock
    ) -> None:
        pk = self._gold_in_2026(app, clock, PROGRAM)
        clock.set(_utc(2028, 2, 15))
        assert len(_reviews(app, clock.now())) == 1
        assert _reviews(app, clock.now()) == []
        assert len(_changes(app, pk)) == 2

    def test_rolling_window_reviews_on_the_anniversary_plus_grace(
        self, app: Loyalist, clock: ManualClock
    ) -> None:
        program = PROGRAM.model_copy(update={"window": "rolling_12_months", "grace_days": 10})
        self._gold_in_2026(app, clock, program)
        clock.set(_utc(2027, 3, 10, 23))
        assert _reviews(app, clock.now()) == []
        clock.set(_utc(2027, 3, 11))
        assert [(e.to_tier, e.at) for e in _reviews(app, clock.now())] == [
            ("silver", _utc(2027, 3, 11))
        ]

    def test_lifetime_tier_is_never_reviewed_without_returns(
        self, app: Loyalist, clock: ManualClock
    ) -> None:
        pk = self._gold_in_2026(app, clock, PROGRAM.model_copy(update={"window": "lifetime"}))
        clock.set(_utc(2036, 1, 1))
        assert _reviews(app, clock.now()) == []
        assert _tier(app, pk) == "gold"


class TestReturns:
    def test_a_return_lowers_qualification_and_the_review_downgrades(
        self, app: Loyalist, clock: ManualClock
    ) -> None:
        pk = _setup(app)
        clock.set(_utc(2026, 3, 1))
        _pay(app, pk, "o1", 60000, _utc(2026, 3, 1))
        clock.set(_utc(2026, 3, 20))
        _, events = _book(
            app, lambda b: b.record_order_returned(pk, "o1", 30000, 60000, clock.now())
        )
        assert events == []  # never an immediate downgrade
        totals = _book(app, lambda b: b.window_totals(pk, _utc(2026, 6, 1)))[0]
        assert totals == Totals(spend=30000, points=300, orders=1)
        clock.set(_utc(2027, 2, 1))
        assert [e.to_tier for e in _reviews(app, clock.now())] == ["silver"]

    def test_the_same_cumulative_return_counts_once_and_a_full_return_removes_the_order(
        self, app: Loyalist, clock: ManualClock
    ) -> None:
        pk = _setup(app)
        _pay(app, pk, "o1", 10000, _utc(2026, 1, 10))
        for _ in range(2):
            _book(app, lambda b: b.record_order_returned(pk, "o1", 2500, 10000, clock.now()))
        assert _book(app, lambda b: b.window_totals(pk, clock.now()))[0] == Totals(7500, 75, 1)
        _book(app, lambda b: b.record_order_returned(pk, "o1", 10000, 10000, clock.now()))
        assert _book(app, lambda b: b.window_totals(pk, clock.now()))[0] == Totals()

        def credits(uow: UnitOfWork) -> int:
            query = select(func.count()).select_from(TierCredit).where(TierCredit.member_id == pk)
            return int(uow.session.scalar(query) or 0)

        assert app.db.read(credits) == 3  # the order, one partial return, the rest

    def test_a_return_of_an_order_from_an_earlier_year_lowers_that_year(
        self, app: Loyalist, clock: ManualClock
    ) -> None:
        pk = _setup(app)
        clock.set(_utc(2026, 12, 20))
        _pay(app, pk, "o1", 60000, _utc(2026, 12, 20))
        clock.set(_utc(2027, 1, 10))  # within the grace period of 2026's review
        _book(app, lambda b: b.record_order_returned(pk, "o1", 60000, 60000, clock.now()))
        totals = _book(app, lambda b: b.window_totals(pk, _utc(2026, 12, 1)))[0]
        assert totals == Totals()
        clock.set(_utc(2027, 2, 1))
        assert [e.to_tier for e in _reviews(app, clock.now())] == ["silver"]

    def test_sums_stay_right_when_orders_and_returns_mix_in_one_unit(
        self, app: Loyalist, clock: ManualClock
    ) -> None:
        pk = _setup(app)
        clock.set(_utc(2027, 3, 1))

        def act(book: TierBook) -> list[Totals]:
            seen = [book.window_totals(pk, _utc(2026, 6, 1))]
            book.record_order_paid(pk, "o1", "EUR", 10000, 100, _utc(2026, 5, 1))
            seen.append(book.window_totals(pk, _utc(2026, 6, 1)))
            book.record_order_paid(pk, "o2", "EUR", 5000, 50, _utc(2027, 2, 1))
            book.record_order_returned(pk, "o1", 4000, 10000, _utc(2027, 2, 2))
            seen.append(book.window_totals(pk, _utc(2026, 6, 1)))
            seen.append(book.window_totals(pk, _utc(2027, 6, 1)))
            return seen

        assert _book(app, act)[0] == [
            Totals(),
            Totals(10000, 100, 1),
            Totals(6000, 60, 1),
            Totals(5000, 50, 1),
        ]
        fresh = _book(app, lambda b: b.window_totals(pk, _utc(2026, 6, 1)))[0]
        assert fresh == Totals(6000, 60, 1)

    def test_a_cancellation_removes_spend_order_and_points(self, app: Loyalist) -> None:
        pk = _setup(app)
        _pay(app, pk, "o1", 10000, _utc(2026, 1, 10))
        _book(app, lambda b: b.record_order_returned(pk, "o1", 5000, 10000, _utc(2026, 1, 11)))
        _book(app, lambda b: b.record_order_cancelled(pk, "o1", _utc(2026, 1, 12)))
        assert _book(app, lambda b: b.window_totals(pk, _utc(2026, 1, 12)))[0] == Totals()

    def test_a_lifetime_tier_lost_to_returns_is_reviewed_after_grace(
        self, app: Loyalist, clock: ManualClock
    ) -> None:
        pk = _setup(app, PROGRAM.model_copy(update={"window": "lifetime", "grace_days": 14}))
        _pay(app, pk, "o1", 60000, _utc(2026, 1, 10))
        _book(app, lambda b: b.record_order_cancelled(pk, "o1", clock.now()))
        clock.advance(13 * DAY)
        assert _reviews(app, clock.now()) == []
        clock.advance(DAY)
        assert [e.to_tier for e in _reviews(app, clock.now())] == ["silver"]
        clock.advance(14 * DAY)
        assert [e.to_tier for e in _reviews(app, clock.now())] == ["member"]

    def test_a_return_for_an_order_that_never_counted_is_ignored(self, app: Loyalist) -> None:
        pk = _setup(app)
        _book(app, lambda b: b.record_order_returned(pk, "unknown", 1, 1, _utc(2026, 1, 10)))
        assert _book(app, lambda b: b.window_totals(pk, _utc(2026, 1, 10)))[0] == Totals()


class TestMemberships:
    def test_a_paid_plan_grants_its_tier_regardless_of_qualification(
        self, app: Loyalist, clock: ManualClock
    ) -> None:
        pk = _setup(app)
        started = _membership(
            pk, "started", clock.now(), plan="plus-monthly", period_end=clock.now() + 30 * DAY
        )
        _, events = _book(app, lambda b: b.record_activity(started))
        assert events == [
            TierUpgraded(pk, "member", "plus", clock.now(), "membership_started", "membership")
        ]
        status = _book(app, lambda b: b.status(pk))[0]
        assert (status.key, status.source, status.multiplier) == ("plus", "membership", Decimal(2))

    def test_an_explicit_tier_in_the_event_wins_over_the_plan_map(self, app: Loyalist) -> None:
        pk = _setup(app)
        started = _membership(
            pk, "started", _utc(2026, 1, 15), plan="other", period_end=_utc(2026, 3, 1), tier="gold"
        )
        _book(app, lambda b: b.record_activity(started))
        assert _tier(app, pk) == "gold"

    def test_a_cancelled_plan_lasts_to_the_end_of_the_paid_period_then_falls_back(
        self, app: Loyalist, clock: ManualClock
    ) -> None:
        pk = _setup(app)
        _pay(app, pk, "o1", 25000, clock.now())  # silver by qualification
        end = clock.now() + 30 * DAY
        for activity in (
            _membership(pk, "started", clock.now(), plan="plus-monthly", period_end=end),
            _membership(pk, "cancelled", clock.now() + DAY),
        ):
            _book(app, lambda b, a=activity: b.record_activity(a))  # type: ignore[misc]
        clock.set(end - timedelta(minutes=1))
        assert _reviews(app, clock.now()) == []
        assert _tier(app, pk) == "plus"
        clock.set(end + DAY)
        events = _reviews(app, clock.now())
        assert events == [
            TierDowngraded(pk, "plus", "silver", end, "membership_ended", "qualified")
        ]
        assert _tier(app, pk) == "silver"
        assert _changes(app, pk) == [
            ("member", "silver", "qualified"),
            ("silver", "plus", "membership_started"),
            ("plus", "silver", "membership_ended"),
        ]

    def test_a_renewal_extends_the_period(self, app: Loyalist, clock: ManualClock) -> None:
        pk = _setup(app)
        end = clock.now() + 30 * DAY
        for activity in (
            _membership(pk, "started", clock.now(), plan="plus-monthly", period_end=end),
            _membership(pk, "renewed", end - DAY, plan="plus-monthly", period_end=end + 30 * DAY),
        ):
            _book(app, lambda b, a=activity: b.record_activity(a))  # type: ignore[misc]
        clock.set(end + DAY)
        assert _reviews(app, clock.now()) == []
        assert _tier(app, pk) == "plus"

    def test_an_expired_plan_ends_at_once(self, app: Loyalist, clock: ManualClock) -> None:
        pk = _setup(app)
        started = _membership(
            pk, "started", clock.now(), plan="plus-monthly", period_end=clock.now() + 30 * DAY
        )
        _book(app, lambda b: b.record_activity(started))
        clock.advance(DAY)
        expired = _membership(pk, "expired", clock.now(), reason="payment failed")
        _, events = _book(app, lambda b: b.record_activity(expired))
        assert [(e.from_tier, e.to_tier, e.reason) for e in events] == [
            ("plus", "member", "membership_ended")
        ]
        assert _tier(app, pk) == "member"

    def test_qualification_keeps_running_under_a_paid_plan(
        self, app: Loyalist, clock: ManualClock
    ) -> None:
        pk = _setup(app)
        started = _membership(
            pk, "started", clock.now(), plan="plus-monthly", period_end=clock.now() + 30 * DAY
        )
        _book(app, lambda b: b.record_activity(started))
        assert _pay(app, pk, "o1", 60000, clock.now()) == []  # plus stays in effect
        assert _changes(app, pk)[-1] == ("plus", "plus", "qualified")
        clock.advance(31 * DAY)
        assert [e.to_tier for e in _reviews(app, clock.now())] == ["gold"]

    def test_other_activities_are_ignored(self, app: Loyalist) -> None:
        pk = _setup(app)
        review = ActivityRecorded(pk, "M1", "r1", "review.published", _utc(2026, 1, 1), {})
        assert _book(app, lambda b: b.record_activity(review))[1] == []


class TestProgramChanges:
    def test_a_tier_removed_from_the_program_becomes_what_the_window_supports(
        self, app: Loyalist
    ) -> None:
        pk = _setup(app)
        _pay(app, pk, "o1", 60000, _utc(2026, 1, 10))
        smaller = PROGRAM.model_copy(update={"levels": PROGRAM.levels[:2], "plans": {}})
        app.db.write(lambda uow: apply_program(uow, smaller))
        status, events = _book(app, lambda b: b.status(pk))
        assert status.key == "silver"
        assert [(e.from_tier, e.to_tier, e.reason) for e in events] == [
            ("gold", "silver", "program_changed")
        ]

    def test_state_rows_hold_the_next_review(self, app: Loyalist, clock: ManualClock) -> None:
        pk = _setup(app, member="M2")
        _pay(app, pk, "o1", 60000, clock.now())

        def op(uow: UnitOfWork) -> tuple[str | None, datetime | None, datetime | None]:
            row = uow.session.get(MemberTier, pk)
            assert row is not None
            return row.tier, row.window_end, row.review_at

        assert app.db.read(op) == (
            "gold",
            _utc(2027, 1, 1),
            _utc(2027, 1, 31),
        )
