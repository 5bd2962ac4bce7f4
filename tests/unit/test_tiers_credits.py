"""What tiers judge, without a database: window sums over credits held in memory, older
credits asked for, orders rebuilt from credit rows, what returns and cancellations take."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loyalist.ledger.policy import proportional_share
from loyalist.tiers import credits
from loyalist.tiers.credits import Credit, Credits, CreditsNeeded, Order
from loyalist.tiers.policy import Totals, Window

EPOCH = datetime(2024, 1, 1, tzinfo=UTC)
LIFETIME = Window(None, None)


def _utc(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, tzinfo=UTC)


def _year(year: int) -> Window:
    return Window(_utc(year, 1, 1), _utc(year + 1, 1, 1))


def _sum_in(items: list[tuple[datetime, Totals]], window: Window) -> Totals:
    total = Totals()
    for at, totals in items:
        if window.holds(at):
            total = total + totals
    return total


class TestWindowSums:
    def test_sums_the_credits_dated_in_the_window(self) -> None:
        held = Credits()
        held.add(_utc(2025, 12, 31), Totals(100, 1, 1))
        held.add(_utc(2026, 1, 1), Totals(200, 2, 1))
        held.add(_utc(2026, 6, 1), Totals(-50, -1, 0))
        assert held.totals(_year(2026)) == Totals(150, 1, 1)
        assert held.totals(_year(2025)) == Totals(100, 1, 1)
        assert held.totals(LIFETIME) == Totals(250, 2, 2)

    def test_a_credit_added_or_grown_later_counts_in_the_sums_already_taken(self) -> None:
        held = Credits()
        assert held.totals(_year(2026)) == Totals()
        credit = held.add(_utc(2026, 3, 1), Totals(0, 40, 0))
        held.grow(credit, Totals(5000, 0, 1))
        held.add(_utc(2027, 3, 1), Totals(700, 7, 1))
        assert held.totals(_year(2026)) == Totals(5000, 40, 1)
        assert credit.totals == Totals(5000, 40, 1)

    def test_asks_for_credits_older_than_it_holds(self) -> None:
        held = Credits(_utc(2025, 1, 1), None)
        held.add(_utc(2025, 5, 1), Totals(100, 0, 1))
        with pytest.raises(CreditsNeeded) as need:
            held.totals(_year(2024))
        assert need.value.start == _utc(2024, 1, 1)
        with pytest.raises(CreditsNeeded) as need:
            held.totals(LIFETIME)  # older credits were not summed either
        assert need.value.start is None
        assert held.totals(_year(2025)) == Totals(100, 0, 1)

    def test_a_lifetime_sum_reads_older_credits_as_one_figure(self) -> None:
        held = Credits(_utc(2025, 1, 1), Totals(9000, 90, 3))
        held.add(_utc(2025, 5, 1), Totals(100, 0, 1))
        held.add(_utc(2019, 5, 1), Totals(50, 0, 1))  # a late fact from long ago
        assert held.totals(LIFETIME) == Totals(9150, 90, 5)

    def test_holding_older_credits_answers_what_it_asked_for(self) -> None:
        held = Credits(_utc(2025, 1, 1), None)
        held.add(_utc(2025, 5, 1), Totals(100, 0, 1))
        held.add(_utc(2024, 8, 1), Totals(30, 0, 1))  # recorded now, dated before it holds
        held.hold_from(_utc(2024, 1, 1), [Credit(_utc(2024, 2, 1), Totals(70, 0, 1))])
        assert held.totals(_year(2024)) == Totals(100, 0, 2)
        assert held.totals(_year(2025)) == Totals(100, 0, 1)
        with pytest.raises(CreditsNeeded):
            held.totals(_year(2023))

    @settings(max_examples=150, deadline=None)
    @given(
        st.lists(
            st.tuples(
                st.integers(0, 3 * 365),
                st.integers(-500, 500),
                st.integers(-50, 50),
                st.integers(-1, 1),
            ),
            max_size=25,
        ),
        st.integers(0, 3 * 365),
        st.booleans(),
        st.lists(st.tuples(st.integers(0, 3 * 365), st.integers(0, 400)), max_size=6),
    )
    def test_sums_match_a_fresh_sum_however_credits_and_questions_interleave(
        self,
        facts: list[tuple[int, int, int, int]],
        horizon_day: int,
        lifetime: bool,
        windows: list[tuple[int, int]],
    ) -> None:
        """Stored credits before a horizon are summed (lifetime) or asked for; credits
        arrive between questions; every answer equals the plain sum."""
        items = [(EPOCH + timedelta(days=d), Totals(s, p, o)) for d, s, p, o in facts]
        asked = [
            Window(EPOCH + timedelta(days=start), EPOCH + timedelta(days=start + length))
            for start, length in windows
        ] + [LIFETIME]
        stored, arriving = items[: len(items) // 2], items[len(items) // 2 :]
        horizon = EPOCH + timedelta(days=horizon_day)
        older = [(at, t) for at, t in stored if at < horizon]
        held = Credits(horizon, _sum_in(older, LIFETIME) if lifetime else None)
        held.held = [Credit(at, t) for at, t in stored if at >= horizon]
        so_far = list(stored)
        for step, (at, totals) in enumerate(arriving + [(EPOCH, Totals())] * len(asked)):
            window = asked[step % len(asked)]
            try:
                answer = held.totals(window)
            except CreditsNeeded as need:
                start = need.start
                assert held.held_from is not None
                assert start is None or start < held.held_from
                missing = [
                    Credit(a, t)
                    for a, t in older
                    if (start is None or a >= start) and a < held.held_from
                ]
                held.hold_from(start, missing)
                answer = held.totals(window)
            assert answer == _sum_in(so_far, window)
            if step < len(arriving):
                held.add(at, totals)
                so_far.append((at, totals))


class TestOrders:
    def test_rebuilds_an_order_from_its_credit_rows(self) -> None:
        orders: dict[str, Order] = {}
        at = _utc(2026, 1, 10)
        credits.adopt(orders, "order", "o1", at, Totals(10000, 0, 1))
        credits.adopt(orders, "order", "o1", at, Totals(0, 100, 0))  # points written later
        credits.adopt(orders, "return", "o1", at, Totals(-2500, -25, 0))
        credits.adopt(orders, "points", "review:r1", at, Totals(0, 30, 0))
        credits.adopt(orders, "cancel", "o2", at, Totals(-1, 0, -1))
        assert orders == {
            "o1": Order(at, Totals(10000, 100, 1), Totals(2500, 25, 0)),
            "o2": Order(at, Totals(), Totals(1, 0, 1)),
        }

    def test_an_order_counts_spend_only_in_the_program_currency(self) -> None:
        assert credits.paid_order(15000, "eur", 150, "EUR") == Totals(15000, 150, 1)
        assert credits.paid_order(15000, "USD", 150, "EUR") == Totals(0, 150, 1)
        assert credits.paid_order(-300, "EUR", 0, "EUR") == Totals(0, 0, 1)

    def test_a_return_takes_its_cumulative_share_and_the_order_once_returned_in_full(
        self,
    ) -> None:
        order = Order(_utc(2026, 1, 10), Totals(10000, 101, 1))
        assert credits.returned(order, 2500, 10000) == Totals(2500, 25, 0)
        assert credits.returned(order, 9999, 10000) == Totals(9999, 101, 0)
        assert credits.returned(order, 10000, 10000) == Totals(10000, 101, 1)

    def test_the_same_cumulative_return_takes_nothing_more(self) -> None:
        order = Order(_utc(2026, 1, 10), Totals(10000, 100, 1), taken=Totals(2500, 25, 0))
        assert credits.still_due(order, credits.returned(order, 2500, 10000)) is None
        assert credits.still_due(order, credits.returned(order, 4000, 10000)) == Totals(1500, 15, 0)
        assert credits.still_due(order, order.given) == Totals(7500, 75, 1)  # cancelled

    @given(
        st.integers(0, 10**7),
        st.integers(0, 10**5),
        st.lists(st.integers(0, 100), min_size=1, max_size=6),
        st.booleans(),
    )
    def test_returns_and_a_cancellation_never_take_more_than_the_order_gave(
        self, spend: int, points: int, shares: list[int], cancel: bool
    ) -> None:
        order = Order(_utc(2026, 1, 10), Totals(spend, points, 1))
        for share in shares:
            due = credits.still_due(order, credits.returned(order, share, 100))
            if due is not None:
                order.taken = order.taken + due
        if cancel:
            due = credits.still_due(order, order.given)
            if due is not None:
                order.taken = order.taken + due
        top = 100 if cancel else max(shares)
        assert order.taken == Totals(
            proportional_share(spend, top, 100),
            proportional_share(points, top, 100),
            1 if top >= 100 else 0,
        )
