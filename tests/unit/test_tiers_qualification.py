"""Tier decisions without a database: upgrades on facts, reviews with grace and downgrade
modes, paid plans (also out of order), returns, a tier the program lost; and properties of
any run of facts, replayed in one unit or several."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any, Literal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loyalist.tiers import credits, policy, qualification
from loyalist.tiers.credits import Credit, Credits, CreditsNeeded, Order
from loyalist.tiers.models import ChangeReason, MembershipStatus
from loyalist.tiers.policy import Totals, Window
from loyalist.tiers.qualification import Change, Decision, Ladder, Membership, TierState
from loyalist.tiers.schemas import Threshold, TierLevel, TierProgram, WindowKind

MOSCOW = ZoneInfo("Europe/Moscow")
DAY = timedelta(days=1)
PROGRAM = TierProgram(
    window="calendar_year",
    grace_days=30,
    downgrade="one_step",
    currency="EUR",
    levels=[
        TierLevel(key="member", name={"en": "Member", "ru": "Участник"}),
        TierLevel(
            key="silver", name={"en": "Silver", "ru": "Серебро"}, threshold=Threshold(spend=20000)
        ),
        TierLevel(
            key="gold", name={"en": "Gold", "ru": "Золото"}, threshold=Threshold(spend=50000)
        ),
        TierLevel(key="plus", name={"en": "Plus", "ru": "Плюс"}),
    ],
    plans={"plus-monthly": "plus"},
)


def _utc(year: int, month: int, day: int, hour: int = 0) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


def _ladder(zone: tzinfo = UTC, **changes: Any) -> Ladder:
    return Ladder(PROGRAM.model_copy(update=changes), zone)


def _spent(*orders: tuple[datetime, int]) -> Credits:
    held = Credits()
    for at, spend in orders:
        held.add(at, Totals(spend, 0, 1))
    return held


def _gold_reached(at: datetime, ladder: Ladder) -> tuple[TierState, Credits]:
    held = _spent((at, 60000))
    decision = qualification.qualify(ladder, TierState(), held, at, "o1", at)
    assert decision is not None
    return decision.state, held


def _moves(decision: Decision | None) -> list[tuple[str | None, str | None, str, str | None]]:
    assert decision is not None
    return [(c.from_tier, c.to_tier, c.reason.value, c.moved) for c in decision.changes]


class TestQualify:
    def test_upgrades_as_soon_as_the_window_reaches_a_threshold(self) -> None:
        ladder, at = _ladder(), _utc(2026, 1, 12)
        held = _spent((_utc(2026, 1, 10), 15000), (at, 6000))
        decision = qualification.qualify(ladder, TierState(), held, at, "o2", at)
        assert decision == Decision(
            TierState("silver", at, _utc(2027, 1, 1), _utc(2027, 1, 31)),
            (
                Change(
                    at,
                    "member",
                    "silver",
                    "silver",
                    "qualified",
                    ChangeReason.QUALIFIED,
                    {"ref": "o2"},
                    "up",
                ),
            ),
        )

    def test_changes_nothing_below_the_next_threshold(self) -> None:
        at = _utc(2026, 1, 10)
        held = _spent((_utc(2025, 12, 31), 15000), (at, 15000))  # another year each
        assert qualification.qualify(_ladder(), TierState(), held, at, "o2", at) is None

    def test_jumps_several_tiers_at_once(self) -> None:
        state, _ = _gold_reached(_utc(2026, 3, 1), _ladder())
        assert state.tier == "gold"

    def test_counts_the_local_year_of_the_program_time_zone(self) -> None:
        at = _utc(2026, 12, 31, 21)  # 00:00 on 1 January 2027 in Moscow
        held = _spent((_utc(2026, 12, 31, 20), 15000), (at, 15000))
        assert qualification.qualify(_ladder(MOSCOW), TierState(), held, at, "o2", at) is None
        assert qualification.qualify(_ladder(), TierState(), held, at, "o2", at) is not None

    def test_a_late_fact_whose_review_has_passed_is_reviewed_at_once(self) -> None:
        at, now = _utc(2023, 4, 1), _utc(2026, 6, 1)
        held = _spent((_utc(2023, 3, 1), 15000), (at, 6000))
        decision = qualification.qualify(_ladder(), TierState(), held, at, "o2", now)
        assert _moves(decision) == [
            ("member", "silver", "qualified", "up"),
            ("silver", "member", "review", "down"),  # 2024 did not keep it
        ]
        assert decision is not None
        assert decision.changes[1].at == _utc(2025, 1, 31)
        assert decision.state == TierState()

    def test_under_a_higher_paid_plan_only_the_qualified_tier_changes(self) -> None:
        ladder, now = _ladder(), _utc(2026, 1, 15)
        planned = qualification.start_period(
            ladder,
            TierState(),
            membership_id="ms-1",
            plan="plus-monthly",
            tier=None,
            period_end=now + 30 * DAY,
            occurred_at=now,
            now=now,
        )
        held = _spent((now, 60000))
        decision = qualification.qualify(ladder, planned.state, held, now, "o1", now)
        assert _moves(decision) == [("plus", "plus", "qualified", None)]
        assert decision is not None
        assert decision.changes[0].qualified_tier == "gold"
        assert decision.changes[0].source == "membership"

    def test_asks_for_older_credits_than_it_holds(self) -> None:
        held = Credits(_utc(2025, 1, 1), None)
        at = _utc(2024, 6, 1)
        with pytest.raises(CreditsNeeded) as need:
            qualification.qualify(_ladder(), TierState(), held, at, "o1", _utc(2026, 1, 1))
        assert need.value.start == _utc(2024, 1, 1)


class TestReviews:
    def test_keeps_the_tier_through_the_next_year_and_its_grace_period(self) -> None:
        ladder = _ladder()
        state, held = _gold_reached(_utc(2026, 3, 1), ladder)
        assert (state.window_end, state.review_at) == (_utc(2027, 1, 1), _utc(2027, 1, 31))
        kept = qualification.settle(ladder, state, held, _utc(2027, 2, 1))  # 2026 keeps it
        assert kept is not None
        assert _moves(kept) == []
        assert (kept.state.tier, kept.state.review_at) == ("gold", _utc(2028, 1, 31))
        assert kept.state.reached_at == _utc(2026, 3, 1)
        assert qualification.settle(ladder, kept.state, held, _utc(2028, 1, 30, 23)) is None
        lowered = qualification.settle(ladder, kept.state, held, _utc(2028, 1, 31))
        assert _moves(lowered) == [("gold", "silver", "review", "down")]
        assert lowered is not None
        assert lowered.changes[0].details == {
            "window_start": "2027-01-01T00:00:00+00:00",
            "window_end": "2028-01-01T00:00:00+00:00",
        }
        assert lowered.state == TierState(
            "silver", _utc(2028, 1, 31), _utc(2029, 1, 1), _utc(2029, 1, 31)
        )

    def test_steps_down_one_tier_per_overdue_review(self) -> None:
        ladder = _ladder()
        state, held = _gold_reached(_utc(2026, 3, 1), ladder)
        decision = qualification.settle(ladder, state, held, _utc(2029, 3, 1))
        assert _moves(decision) == [
            ("gold", "silver", "review", "down"),
            ("silver", "member", "review", "down"),
        ]
        assert decision is not None
        assert [c.at for c in decision.changes] == [_utc(2028, 1, 31), _utc(2029, 1, 31)]
        assert decision.state == TierState()

    def test_drops_to_what_the_window_supports_with_to_qualified(self) -> None:
        ladder = _ladder(downgrade="to_qualified")
        state, held = _gold_reached(_utc(2026, 3, 1), ladder)
        decision = qualification.settle(ladder, state, held, _utc(2028, 2, 1))
        assert _moves(decision) == [("gold", "member", "review", "down")]

    def test_raises_to_what_the_window_supports_when_it_is_more(self) -> None:
        ladder = _ladder()
        held = _spent((_utc(2026, 5, 1), 60000))  # counted after silver was reached
        state = TierState("silver", _utc(2026, 1, 1), _utc(2027, 1, 1), _utc(2027, 1, 31))
        decision = qualification.settle(ladder, state, held, _utc(2027, 1, 31))
        assert _moves(decision) == [("silver", "gold", "review", "up")]

    def test_rolling_window_reviews_on_the_anniversary_without_what_reached_the_tier(
        self,
    ) -> None:
        ladder = _ladder(window="rolling_12_months", grace_days=10)
        state, held = _gold_reached(_utc(2026, 3, 1), ladder)
        held.add(_utc(2026, 9, 1), Totals(25000, 0, 1))
        assert state.review_at == _utc(2027, 3, 11)
        assert qualification.settle(ladder, state, held, _utc(2027, 3, 10, 23)) is None
        decision = qualification.settle(ladder, state, held, _utc(2027, 3, 11))
        assert _moves(decision) == [("gold", "silver", "review", "down")]
        assert decision is not None
        assert decision.state.review_at == _utc(2028, 3, 11)

    def test_a_lifetime_tier_is_reviewed_only_after_a_loss(self) -> None:
        ladder = _ladder(window="lifetime", grace_days=14)
        state, held = _gold_reached(_utc(2026, 1, 10), ladder)
        assert state.review_at is None
        assert qualification.settle(ladder, state, held, _utc(2036, 1, 1)) is None
        assert (
            qualification.after_loss(ladder, state, held, _utc(2026, 2, 1), _utc(2026, 2, 1))
            is None
        )
        held.add(_utc(2026, 1, 10), Totals(-60000, 0, -1))  # cancelled
        lost = qualification.after_loss(ladder, state, held, _utc(2026, 2, 1), _utc(2026, 2, 1))
        assert lost is not None
        assert (lost.changes, lost.state.review_at) == ((), _utc(2026, 2, 15))
        first = qualification.settle(ladder, lost.state, held, _utc(2026, 2, 15))
        assert _moves(first) == [("gold", "silver", "review", "down")]
        assert first is not None
        assert first.state.review_at == _utc(2026, 3, 1)  # still unsupported: again
        second = qualification.settle(ladder, first.state, held, _utc(2026, 3, 1))
        assert _moves(second) == [("silver", "member", "review", "down")]
        assert second is not None
        assert second.state == TierState()

    def test_says_whether_the_next_review_keeps_the_tier(self) -> None:
        ladder = _ladder()
        state, held = _gold_reached(_utc(2026, 3, 1), ladder)
        assert qualification.keeps_tier_at_review(ladder, state, held) is True
        held.add(_utc(2026, 3, 1), Totals(-20000, 0, 0))
        assert qualification.keeps_tier_at_review(ladder, state, held) is False
        assert qualification.keeps_tier_at_review(ladder, TierState(), held) is None

    @settings(max_examples=200, deadline=None)
    @given(
        st.sampled_from(["calendar_year", "rolling_12_months", "lifetime"]),
        st.sampled_from(["one_step", "to_qualified"]),
        st.sampled_from(["silver", "gold"]),
        st.lists(st.tuples(st.integers(0, 3 * 365), st.integers(-30000, 60000)), max_size=8),
        st.integers(0, 2 * 365),
    )
    def test_a_review_lands_between_what_the_window_supports_and_the_tier_it_judges(
        self,
        kind: WindowKind,
        mode: Literal["one_step", "to_qualified"],
        tier: str,
        spends: list[tuple[int, int]],
        reached_day: int,
    ) -> None:
        ladder = _ladder(window=kind, downgrade=mode)
        held = _spent(*((_utc(2024, 1, 1) + d * DAY, s) for d, s in spends))
        reached = _utc(2024, 1, 1) + reached_day * DAY
        window_end = policy.first_window_end(kind, reached, UTC)
        review_at = reached if window_end is None else policy.review_time(window_end, 30)
        state = TierState(tier, reached, window_end, review_at)
        judged = ladder.review_window(state)
        supported = policy.supported_index(ladder.levels, held.totals(judged))
        current = ladder.qualified(state)
        decision = qualification.settle(ladder, state, held, review_at)
        assert decision is not None
        after = ladder.qualified(decision.state)
        assert supported <= after <= max(current, supported)
        if mode == "one_step" and supported < current:
            assert after == max(policy.lower_qualifiable(ladder.levels, current), supported)


class TestPaidPlans:
    NOW = _utc(2026, 1, 15)

    def _start(
        self,
        ladder: Ladder,
        state: TierState,
        period_end: datetime,
        occurred_at: datetime | None = None,
        **data: Any,
    ) -> Decision:
        return qualification.start_period(
            ladder,
            state,
            membership_id=data.get("membership_id", "ms-1"),
            plan=data.get("plan", "plus-monthly"),
            tier=data.get("tier"),
            period_end=period_end,
            occurred_at=occurred_at or self.NOW,
            now=data.get("now", self.NOW),
        )

    def _end(
        self, ladder: Ladder, state: TierState, occurred_at: datetime, **data: Any
    ) -> Decision | None:
        return qualification.end_plan(
            ladder,
            state,
            membership_id=data.get("membership_id", "ms-1"),
            ends_at=data.get("ends_at"),
            expired=data.get("expired", False),
            occurred_at=occurred_at,
            now=data.get("now", occurred_at),
        )

    def test_a_plan_grants_its_tier_regardless_of_qualification(self) -> None:
        ladder = _ladder()
        started = self._start(ladder, TierState(), self.NOW + 30 * DAY)
        assert _moves(started) == [("member", "plus", "membership_started", "up")]
        assert started.changes[0].source == "membership"
        assert ladder.effective(started.state) == (3, "membership")

    def test_an_explicit_tier_wins_over_the_plan_map(self) -> None:
        ladder = _ladder()
        started = self._start(ladder, TierState(), self.NOW + DAY, plan="other", tier="gold")
        assert ladder.effective(started.state) == (2, "membership")

    def test_a_cancelled_plan_lasts_to_the_paid_end_then_falls_back(self) -> None:
        ladder = _ladder()
        silver = TierState("silver", self.NOW, _utc(2027, 1, 1), _utc(2027, 1, 31))
        end = self.NOW + 30 * DAY
        started = self._start(ladder, silver, end)
        cancelled = self._end(ladder, started.state, self.NOW + DAY)
        assert cancelled is not None
        assert cancelled.changes == ()
        plan = cancelled.state.memberships["ms-1"]
        assert (plan.status, plan.ends_at) == (MembershipStatus.CANCELLED, end)
        assert qualification.settle(ladder, cancelled.state, Credits(), end - DAY) is None
        lapsed = qualification.settle(ladder, cancelled.state, Credits(), end)  # at its end
        assert _moves(lapsed) == [("plus", "silver", "membership_ended", "down")]
        assert lapsed is not None
        assert lapsed.changes[0].at == end
        assert lapsed.state.memberships["ms-1"].status == MembershipStatus.ENDED

    def test_a_renewal_extends_the_period(self) -> None:
        ladder = _ladder()
        end = self.NOW + 30 * DAY
        started = self._start(ladder, TierState(), end)
        renewed = self._start(ladder, started.state, end + 30 * DAY, end - DAY, now=end)
        assert renewed.changes == ()
        assert qualification.settle(ladder, renewed.state, Credits(), end + DAY) is None
        assert ladder.effective(renewed.state) == (3, "membership")

    def test_reviews_and_lapses_apply_in_time_order(self) -> None:
        ladder = _ladder()
        state, held = _gold_reached(_utc(2026, 3, 1), ladder)
        kept = qualification.settle(ladder, state, held, _utc(2027, 2, 1))
        assert kept is not None
        started = self._start(ladder, kept.state, _utc(2028, 3, 1), now=_utc(2027, 2, 1))
        decision = qualification.settle(ladder, started.state, held, _utc(2028, 4, 1))
        assert decision is not None
        assert [(c.at, c.from_tier, c.to_tier, c.qualified_tier) for c in decision.changes] == [
            (_utc(2028, 1, 31), "plus", "plus", "silver"),  # the review, under the plan
            (_utc(2028, 3, 1), "plus", "silver", "silver"),  # then the lapse
        ]

    def test_an_expired_plan_ends_at_once(self) -> None:
        ladder = _ladder()
        started = self._start(ladder, TierState(), self.NOW + 30 * DAY)
        expired = self._end(ladder, started.state, self.NOW + DAY, expired=True)
        assert _moves(expired) == [("plus", "member", "membership_ended", "down")]

    def test_an_end_older_than_the_last_event_changes_nothing(self) -> None:
        ladder = _ladder()
        started = self._start(ladder, TierState(), self.NOW + 30 * DAY)
        assert self._end(ladder, started.state, self.NOW - DAY, now=self.NOW) is None

    def test_a_renewal_older_than_the_last_event_only_extends_the_period(self) -> None:
        ladder = _ladder()
        end = self.NOW + 30 * DAY
        started = self._start(ladder, TierState(), end)
        cancelled = self._end(ladder, started.state, self.NOW + DAY, now=self.NOW + DAY)
        assert cancelled is not None
        late = self._start(
            ladder, cancelled.state, end + 30 * DAY, self.NOW, plan="other", now=self.NOW + DAY
        )
        plan = late.state.memberships["ms-1"]
        assert (plan.plan, plan.status, plan.period_end, plan.ends_at) == (
            "plus-monthly",
            MembershipStatus.CANCELLED,
            end + 30 * DAY,
            end,
        )

    def test_an_end_before_the_start_is_remembered_and_grants_nothing(self) -> None:
        ladder = _ladder()
        ended = self._end(ladder, TierState(), self.NOW, expired=True)
        assert ended is not None
        assert ended.changes == ()
        assert ended.state.memberships["ms-1"] == Membership(
            "ms-1", "", None, MembershipStatus.ENDED, self.NOW, self.NOW, self.NOW
        )
        late_start = self._start(ladder, ended.state, self.NOW + 30 * DAY, self.NOW - DAY)
        assert late_start.changes == ()
        assert ladder.effective(late_start.state) == (0, "qualified")

    def test_a_period_already_over_is_recorded_as_ended(self) -> None:
        ladder = _ladder()
        started = self._start(ladder, TierState(), self.NOW - DAY, self.NOW - 30 * DAY)
        assert started.changes == ()
        assert started.state.memberships["ms-1"].status == MembershipStatus.ENDED


class TestProgramChanges:
    def test_a_tier_removed_from_the_program_becomes_what_the_window_supports(self) -> None:
        now = _utc(2026, 6, 1)
        state = TierState("gold", _utc(2026, 1, 10), _utc(2027, 1, 1), _utc(2027, 1, 31))
        held = _spent((_utc(2026, 1, 10), 60000))
        smaller = _ladder(levels=PROGRAM.levels[:2], plans={})
        assert smaller.snapshot(state) == ("gold", "gold")  # shown as stored until settled
        decision = qualification.settle(smaller, state, held, now)
        assert _moves(decision) == [("gold", "silver", "program_changed", "down")]
        assert decision is not None
        assert decision.state == TierState("silver", now, _utc(2027, 1, 1), _utc(2027, 1, 31))

    def test_a_removed_tier_the_window_does_not_support_leaves_no_tier(self) -> None:
        state = TierState("gold", _utc(2025, 1, 10), _utc(2026, 1, 1), _utc(2026, 1, 31))
        decision = qualification.settle(
            _ladder(levels=PROGRAM.levels[:2]), state, Credits(), _utc(2026, 6, 1)
        )
        assert _moves(decision) == [("gold", "member", "program_changed", "down")]
        assert decision is not None
        assert decision.state == TierState()


# -- runs of facts ------------------------------------------------------------------------------
@dataclass
class _Row:
    kind: str
    ref: str | None
    at: datetime
    totals: Totals


@dataclass
class _Stored:
    """What units leave behind: the state row, credit rows and history."""

    state: TierState = field(default_factory=TierState)
    rows: list[_Row] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)


class _Unit:
    """The tier book's flow over the pure decisions for one member, with rows in lists:
    load from a horizon (older credits when a decision asks), record facts, write back."""

    def __init__(self, ladder: Ladder, stored: _Stored, now: datetime) -> None:
        self.ladder, self.stored, self.now = ladder, stored, now
        horizon = now - 400 * DAY
        lifetime = ladder.kind == "lifetime"
        self.credits = Credits(horizon, Totals() if lifetime else None)
        self.orders: dict[str, Order] = {}
        for row in stored.rows:
            if row.at >= horizon:
                self.credits.held.append(Credit(row.at, row.totals))
                credits.adopt(self.orders, row.kind, row.ref, row.at, row.totals)
            elif self.credits.before is not None:
                self.credits.before = self.credits.before + row.totals
        self.state = stored.state
        self.rows: list[_Row] = []
        self.changes: list[Change] = []
        self._decide(qualification.settle, self.ladder, self.state, self.credits, now)

    def _decide(self, decide: Any, *args: Any) -> None:
        """``decide(*args)``, holding older credits first when it asks for them."""
        for _ in range(5):  # each request reaches further back; all credits end it
            try:
                decision = decide(*args)
            except CreditsNeeded as need:
                self._extend(need.start)
                continue
            self._take(decision)
            return
        raise AssertionError("asked for older credits again and again")

    def _take(self, decision: Decision | None) -> None:
        if decision is not None:
            self.state = decision.state
            self.changes.extend(decision.changes)

    def _extend(self, start: datetime | None) -> None:
        held_from = self.credits.held_from
        assert held_from is not None
        rows = [
            r for r in self.stored.rows if (start is None or r.at >= start) and r.at < held_from
        ]
        known = set(self.orders)
        for r in rows:
            if r.ref not in known:
                credits.adopt(self.orders, r.kind, r.ref, r.at, r.totals)
        self.credits.hold_from(start, [Credit(r.at, r.totals) for r in rows])

    def _find_order(self, ref: str) -> Order | None:
        if ref not in self.orders and self.credits.held_from is not None:
            for r in self.stored.rows:
                if r.ref == ref:
                    credits.adopt(self.orders, r.kind, r.ref, r.at, r.totals)
        return self.orders.get(ref)

    def _credit(self, kind: str, ref: str, at: datetime, totals: Totals) -> None:
        self.credits.add(at, totals)
        self.rows.append(_Row(kind, ref, at, totals))

    def pay(self, order_id: str, spend: int, points: int, at: datetime) -> None:
        at = min(at, self.now)
        if self._find_order(order_id) is not None:
            return  # paid once
        given = credits.paid_order(spend, "EUR", points, "EUR")
        self._credit("order", order_id, at, given)
        self.orders[order_id] = Order(at, given)
        self._decide(
            qualification.qualify, self.ladder, self.state, self.credits, at, order_id, self.now
        )

    def take_back(self, order_id: str, share: int | None, at: datetime) -> None:
        """A cumulative return of ``share`` percent, or (None) a cancellation."""
        order = self._find_order(order_id)
        if order is None:
            return
        target = order.given if share is None else credits.returned(order, share, 100)
        due = credits.still_due(order, target)
        if due is None:
            return
        order.taken = order.taken + due
        kind = "cancel" if share is None else "return"
        self._credit(kind, order_id, order.at, credits.negate(due))
        self._decide(qualification.after_loss, self.ladder, self.state, self.credits, at, self.now)

    def start_plan(self, plan_id: str, period_end: datetime, at: datetime) -> None:
        self._take(
            qualification.start_period(
                self.ladder,
                self.state,
                membership_id=plan_id,
                plan="plus-monthly",
                tier=None,
                period_end=period_end,
                occurred_at=at,
                now=self.now,
            )
        )

    def end_plan(self, plan_id: str, expired: bool, at: datetime) -> None:
        self._take(
            qualification.end_plan(
                self.ladder,
                self.state,
                membership_id=plan_id,
                ends_at=None,
                expired=expired,
                occurred_at=at,
                now=self.now,
            )
        )

    def close(self) -> None:
        self.stored.state = self.state
        self.stored.rows.extend(self.rows)
        self.stored.changes.extend(self.changes)


_Fact = tuple[str, int, int, int]  # what, which, figure, day
_START = _utc(2024, 1, 1)


def _facts(*, takebacks: bool) -> st.SearchStrategy[list[_Fact]]:
    kinds = ["pay"] * 5 + ["start", "cancel_plan", "expire"]
    if takebacks:
        kinds += ["return", "cancel"]
    return st.lists(
        st.tuples(
            st.sampled_from(kinds),
            st.integers(0, 5),
            st.sampled_from([5000, 15000, 25000, 55000]) | st.integers(0, 60000),
            st.integers(0, 3 * 365),
        ),
        min_size=2,
        max_size=30,
    )


def _record(unit: _Unit, fact: _Fact) -> None:
    what, which, figure, day = fact
    at = _START + day * DAY
    if what == "pay":
        unit.pay(f"o{which}", figure, figure // 100, at)
    elif what in ("return", "cancel"):
        unit.take_back(f"o{which}", figure % 101 if what == "return" else None, at)
    elif what == "start":
        unit.start_plan(f"ms-{which % 2}", at + (figure % 90) * DAY, at)
    else:
        unit.end_plan(f"ms-{which % 2}", what == "expire", at)


def _replay(ladder: Ladder, batches: list[list[_Fact]], nows: list[datetime]) -> _Stored:
    stored = _Stored()
    for batch, now in zip(batches, nows, strict=True):
        unit = _Unit(ladder, stored, now)
        for fact in batch:
            _record(unit, fact)
        unit.close()
    _Unit(ladder, stored, nows[-1]).close()  # the next touch applies what fell due
    return stored


def _most_supported(ladder: Ladder, rows: list[_Row]) -> int:
    """The highest tier any window supports counting only what was added (no returns)."""
    added = [r for r in rows if r.totals.spend >= 0 and r.totals.orders >= 0]
    best = ladder.base
    for row in added:
        window = policy.window_containing(ladder.kind, row.at, ladder.zone)
        total = Totals()
        for other in added:
            if window.holds(other.at):
                total = total + other.totals
        best = max(best, policy.supported_index(ladder.levels, total))
    return best


class TestRunsOfFacts:
    @settings(max_examples=150, deadline=None)
    @given(
        st.sampled_from(["calendar_year", "rolling_12_months", "lifetime"]),
        st.sampled_from(["one_step", "to_qualified"]),
        st.sampled_from([UTC, MOSCOW]),
        _facts(takebacks=True),
        st.lists(st.integers(0, 400), min_size=1, max_size=4),
    )
    def test_the_tier_is_never_above_what_a_window_or_an_active_plan_supports(
        self,
        kind: WindowKind,
        mode: Literal["one_step", "to_qualified"],
        zone: tzinfo,
        facts: list[_Fact],
        gaps: list[int],
    ) -> None:
        """Units at later and later times, facts in any order (late ones too)."""
        ladder = _ladder(zone, window=kind, downgrade=mode)
        size = -(-len(facts) // len(gaps)) or 1
        batches = [facts[i * size : (i + 1) * size] for i in range(len(gaps))]
        nows: list[datetime] = []
        now = _START
        for batch, gap in zip(batches, gaps, strict=True):
            latest = max((_START + f[3] * DAY for f in batch), default=now)
            now = max(now, latest) + gap * DAY
            nows.append(now)
        stored = _replay(ladder, batches, nows)
        qualified = ladder.qualified(stored.state)
        assert qualified <= _most_supported(ladder, stored.rows)
        plans = [m for m in stored.state.memberships.values() if m.status != "ended"]
        assert all(m.ends_at > nows[-1] for m in plans)  # what ran out has lapsed
        granted = max((ladder.rank(m.tier) for m in plans), default=-1)
        assert ladder.effective(stored.state)[0] == max(qualified, granted)

    @settings(max_examples=150, deadline=None)
    @given(
        st.sampled_from(["calendar_year", "rolling_12_months", "lifetime"]),
        st.sampled_from([UTC, MOSCOW]),
        st.data(),
    )
    def test_replaying_the_same_facts_in_one_unit_or_several_gives_the_same_state(
        self, kind: WindowKind, zone: tzinfo, data: st.DataObject
    ) -> None:
        """All at one ``now``. Lifetime without returns: a lifetime review a late return
        makes due at once waits for the member's next unit (see ``after_loss``)."""
        facts = data.draw(_facts(takebacks=kind != "lifetime"))
        cuts = sorted(data.draw(st.lists(st.integers(0, len(facts)), max_size=4)))
        ladder = _ladder(zone, window=kind)
        now = _START + (3 * 365 + 10) * DAY
        bounds = [0, *cuts, len(facts)]
        batches = [facts[a:b] for a, b in itertools.pairwise(bounds)]
        once = _replay(ladder, [facts], [now])
        split = _replay(ladder, batches, [now] * len(batches))
        assert split.state == once.state
        assert split.changes == once.changes
        for day in range(0, 3 * 365, 91):
            window = policy.window_containing(kind, _START + day * DAY, zone)
            assert _sum(split.rows, window) == _sum(once.rows, window)


def _sum(rows: list[_Row], window: Window) -> Totals:
    total = Totals()
    for row in rows:
        if window.holds(row.at):
            total = total + row.totals
    return total
