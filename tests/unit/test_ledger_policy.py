"""Pure ledger decisions: points for money, shares, maturity, expiry, lot allocation, reasons."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loyalist.ledger import policy, reasons
from loyalist.ledger.policy import Take
from loyalist.settings import ExpiryKind, ExpiryPolicy, ProgramPolicy

MOSCOW = ZoneInfo("Europe/Moscow")
BERLIN = ZoneInfo("Europe/Berlin")


@dataclass
class _Lot:
    id: int
    remaining: int
    expires_at: datetime | None


def _utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def _end_of_month(months: int, timezone: str = "UTC") -> tuple[ExpiryPolicy, ProgramPolicy]:
    rule = ExpiryPolicy(kind=ExpiryKind.END_OF_MONTH, months=months)
    return rule, ProgramPolicy(timezone=timezone, expiry=rule)


class TestBasePoints:
    @pytest.mark.parametrize(
        ("amount", "currency", "rate", "expected"),
        [
            (11000, "EUR", Decimal(1), 110),  # 110.00 EUR
            (10999, "EUR", Decimal(1), 109),  # rounded down, never up
            (1500, "JPY", Decimal("0.1"), 150),  # yen have no minor unit
            (12345, "KWD", Decimal(1), 12),  # three decimals: 12.345 KWD
            (150000, "RUB", Decimal("0.01"), 15),  # 1500.00 RUB at 1 point per 100 RUB
            (999, "USD", Decimal("1.5"), 14),  # 9.99 × 1.5 = 14.985
        ],
    )
    def test_scales_by_currency_exponent_and_rounds_down(
        self, amount: int, currency: str, rate: Decimal, expected: int
    ) -> None:
        program = ProgramPolicy(base_rates={currency: rate})
        assert policy.base_points(amount, currency, program) == expected

    def test_matches_currency_code_case_insensitively(self) -> None:
        program = ProgramPolicy(base_rates={"eur": Decimal(2)})
        assert policy.base_points(1000, "Eur", program) == 20

    def test_gives_nothing_for_currency_without_rate(self) -> None:
        assert policy.base_points(100_000, "CHF", ProgramPolicy()) == 0

    @pytest.mark.parametrize("amount", [0, -500])
    def test_gives_nothing_for_non_positive_amount(self, amount: int) -> None:
        assert policy.base_points(amount, "EUR", ProgramPolicy()) == 0

    def test_exponents_of_common_currencies(self) -> None:
        exponents = {c: policy.minor_unit_exponent(c) for c in ("EUR", "jpy", "KRW", "BHD", "RUB")}
        assert exponents == {"EUR": 2, "jpy": 0, "KRW": 0, "BHD": 3, "RUB": 2}


class TestProportionalShare:
    @pytest.mark.parametrize(
        ("total", "part", "whole", "expected"),
        [
            (110, 50, 110, 50),
            (3, 1, 2, 2),  # 1.5 rounds half up
            (5, 1, 3, 2),  # 1.67
            (5, 1, 4, 1),  # 1.25
            (110, 110, 110, 110),
            (110, 200, 110, 110),  # more than the whole is the whole
            (110, 0, 110, 0),
            (110, -5, 110, 0),
            (110, 5, 0, 0),
            (0, 5, 10, 0),
        ],
    )
    def test_rounds_half_up_and_clamps(
        self, total: int, part: int, whole: int, expected: int
    ) -> None:
        assert policy.proportional_share(total, part, whole) == expected

    @given(
        total=st.integers(min_value=0, max_value=10**9),
        parts=st.lists(st.integers(min_value=1, max_value=10**6), min_size=1, max_size=12),
    )
    def test_cumulative_shares_of_any_split_sum_exactly_to_total(
        self, total: int, parts: list[int]
    ) -> None:
        whole = sum(parts)
        cumulative = 0
        granted = 0
        for part in parts:
            cumulative += part
            step = policy.proportional_share(total, cumulative, whole) - granted
            assert step >= 0
            # each step is within one point of its exact proportion
            assert abs(step * whole - total * part) <= whole
            granted += step
        assert granted == total


class TestMaturity:
    def test_matures_return_window_after_delivery(self) -> None:
        program = ProgramPolicy(return_window_days=14, undelivered_maturity_days=60)
        paid, delivered = _utc(2026, 1, 1, 9), _utc(2026, 1, 4, 17, 30)
        assert policy.maturity(paid, delivered, program) == delivered + timedelta(days=14)

    def test_undelivered_matures_provisionally_after_payment_plus_window(self) -> None:
        program = ProgramPolicy(return_window_days=14, undelivered_maturity_days=60)
        paid = _utc(2026, 1, 1, 9)
        assert policy.maturity(paid, None, program) == paid + timedelta(days=74)


class TestExpiry:
    def test_never_expires_with_never_kind(self) -> None:
        rule = ExpiryPolicy(kind=ExpiryKind.NEVER)
        assert policy.expiry(_utc(2026, 3, 1), rule, ProgramPolicy(expiry=rule)) is None

    def test_expires_days_after_available(self) -> None:
        rule = ExpiryPolicy(kind=ExpiryKind.DAYS_AFTER_AVAILABLE, days=90)
        at = _utc(2026, 12, 15, 10, 30)
        assert policy.expiry(at, rule, ProgramPolicy(expiry=rule)) == _utc(2027, 3, 15, 10, 30)

    @pytest.mark.parametrize(
        ("available_at", "months", "expected"),
        [
            (_utc(2026, 1, 15, 12), 0, _utc(2026, 2, 1)),
            (_utc(2026, 1, 15, 12), 12, _utc(2027, 2, 1)),
            (_utc(2026, 11, 30, 23, 59), 1, _utc(2027, 1, 1)),  # across the year boundary
            (_utc(2026, 12, 31, 23, 59), 0, _utc(2027, 1, 1)),
            (_utc(2028, 1, 31), 1, _utc(2028, 3, 1)),  # leap February
            (_utc(2026, 5, 1), 20, _utc(2028, 2, 1)),
        ],
    )
    def test_end_of_month_in_utc(
        self, available_at: datetime, months: int, expected: datetime
    ) -> None:
        rule, program = _end_of_month(months)
        assert policy.expiry(available_at, rule, program) == expected

    @pytest.mark.parametrize(
        ("available_at", "months", "expected"),
        [
            # 22:30 UTC on 31 January is already 1 February in Moscow (UTC+3)
            (_utc(2026, 1, 31, 22, 30), 0, _utc(2026, 2, 28, 21)),
            (_utc(2026, 1, 31, 20, 59), 0, _utc(2026, 1, 31, 21)),
            # 21:30 UTC on 31 December 2026 is New Year 2027 in Moscow
            (_utc(2026, 12, 31, 21, 30), 0, _utc(2027, 1, 31, 21)),
            (_utc(2026, 12, 31, 20, 30), 0, _utc(2026, 12, 31, 21)),
            (_utc(2026, 11, 10), 1, _utc(2026, 12, 31, 21)),
            (_utc(2026, 11, 10), 14, _utc(2028, 1, 31, 21)),
        ],
    )
    def test_end_of_month_is_local_midnight_in_program_timezone(
        self, available_at: datetime, months: int, expected: datetime
    ) -> None:
        rule, program = _end_of_month(months, "Europe/Moscow")
        assert policy.expiry(available_at, rule, program) == expected

    def test_end_of_month_follows_daylight_saving_of_program_timezone(self) -> None:
        rule, program = _end_of_month(0, "Europe/Berlin")
        # 1 April 2026 00:00 CEST (UTC+2) and 1 January 2027 00:00 CET (UTC+1)
        assert policy.expiry(_utc(2026, 3, 5), rule, program) == _utc(2026, 3, 31, 22)
        assert policy.expiry(_utc(2026, 12, 5), rule, program) == _utc(2026, 12, 31, 23)

    @given(
        available_at=st.datetimes(
            min_value=datetime(2000, 1, 1),  # noqa: DTZ001 - hypothesis bounds are naive
            max_value=datetime(2090, 1, 1),  # noqa: DTZ001
            timezones=st.just(UTC),
        ),
        months=st.integers(min_value=0, max_value=36),
        timezone=st.sampled_from(["UTC", "Europe/Moscow", "Europe/Berlin", "America/New_York"]),
    )
    def test_end_of_month_is_first_local_midnight_after_the_target_month(
        self, available_at: datetime, months: int, timezone: str
    ) -> None:
        rule, program = _end_of_month(months, timezone)
        expires = policy.expiry(available_at, rule, program)
        assert expires is not None
        assert expires.utcoffset() == timedelta(0)
        assert expires > available_at
        local_start, local_end = (
            available_at.astimezone(program.zone),
            expires.astimezone(program.zone),
        )
        assert (local_end.day, local_end.hour, local_end.minute) == (1, 0, 0)
        month_gap = (local_end.year - local_start.year) * 12 + local_end.month - local_start.month
        assert month_gap == months + 1


class TestAllocate:
    def test_takes_earliest_expiry_first_and_never_expiring_last(self) -> None:
        lots = [
            _Lot(1, 50, None),
            _Lot(2, 30, _utc(2027, 1, 1)),
            _Lot(3, 20, _utc(2026, 6, 1)),
            _Lot(4, 40, _utc(2026, 6, 1)),
        ]
        assert policy.allocate(lots, 100) == [Take(3, 20), Take(4, 40), Take(2, 30), Take(1, 10)]

    def test_breaks_expiry_ties_by_oldest_lot(self) -> None:
        same = _utc(2026, 6, 1)
        lots = [_Lot(9, 10, same), _Lot(2, 10, same), _Lot(5, 10, same)]
        assert policy.allocate(lots, 15) == [Take(2, 10), Take(5, 5)]

    def test_skips_empty_lots(self) -> None:
        lots = [_Lot(1, 0, _utc(2026, 2, 1)), _Lot(2, 5, _utc(2026, 3, 1))]
        assert policy.allocate(lots, 5) == [Take(2, 5)]

    def test_raises_when_lots_hold_too_little(self) -> None:
        with pytest.raises(ValueError, match="lots hold 30 of the 31 points"):
            policy.allocate([_Lot(1, 10, None), _Lot(2, 20, _utc(2026, 3, 1))], 31)

    @given(
        spec=st.lists(
            st.tuples(
                st.integers(min_value=0, max_value=100),
                st.one_of(st.none(), st.integers(min_value=0, max_value=5)),
            ),
            min_size=1,
            max_size=10,
        ),
        data=st.data(),
    )
    def test_takes_exactly_the_amount_greedily_in_expiry_order(
        self, spec: list[tuple[int, int | None]], data: st.DataObject
    ) -> None:
        base = _utc(2026, 1, 1)
        lots = [
            _Lot(i + 1, remaining, None if days is None else base + timedelta(days=days))
            for i, (remaining, days) in enumerate(spec)
        ]
        held = sum(lot.remaining for lot in lots)
        amount = data.draw(st.integers(min_value=0, max_value=held))
        takes = policy.allocate(lots, amount)
        assert sum(t.amount for t in takes) == amount
        by_id = {lot.id: lot for lot in lots}
        order = sorted(
            (lot for lot in lots if lot.remaining > 0),
            key=lambda lot: (lot.expires_at is None, lot.expires_at or policy.FAR_FUTURE, lot.id),
        )
        assert [t.lot_id for t in takes] == [lot.id for lot in order[: len(takes)]]
        assert all(0 < t.amount <= by_id[t.lot_id].remaining for t in takes)
        assert all(t.amount == by_id[t.lot_id].remaining for t in takes[:-1])


class TestReasons:
    @pytest.mark.parametrize(
        ("amount", "expected"),
        [
            (1, "+1 балл за заказ 1043"),
            (2, "+2 балла за заказ 1043"),
            (4, "+4 балла за заказ 1043"),
            (5, "+5 баллов за заказ 1043"),
            (11, "+11 баллов за заказ 1043"),
            (12, "+12 баллов за заказ 1043"),
            (21, "+21 балл за заказ 1043"),
            (22, "+22 балла за заказ 1043"),
            (111, "+111 баллов за заказ 1043"),
            (0, "0 баллов за заказ 1043"),
        ],
    )
    def test_russian_uses_one_few_many_plural_forms(self, amount: int, expected: str) -> None:
        assert reasons.render("earn_order", {"order_id": "1043"}, amount, "ru") == expected

    @pytest.mark.parametrize(
        ("amount", "expected"), [(1, "+1 point for order 7"), (2, "+2 points for order 7")]
    )
    def test_english_uses_one_other_plural_forms(self, amount: int, expected: str) -> None:
        assert reasons.render("earn_order", {"order_id": "7"}, amount, "en") == expected

    def test_negative_amount_has_minus_sign_and_plural_of_its_magnitude(self) -> None:
        assert reasons.render("reverse_return", {"order_id": "7"}, -21, "ru") == (
            "−21 балл: возврат товаров из заказа 7"
        )
        assert reasons.render("expire", {}, -1, "en") == "−1 point expired"

    def test_picks_base_language_of_regional_locale(self) -> None:
        assert reasons.render("redeem", {}, 3, "ru-RU") == "+3 балла: списание баллов"
        assert reasons.render("redeem", {}, 3, "ru_RU") == "+3 балла: списание баллов"

    @pytest.mark.parametrize("locale", [None, "", "de-DE"])
    def test_falls_back_to_english_for_missing_or_unsupported_locale(
        self, locale: str | None
    ) -> None:
        assert reasons.render("redeem", {}, 5, locale) == "+5 points redeemed"

    def test_unknown_code_renders_amount_and_code_without_failing(self) -> None:
        assert reasons.render("no_such_reason", {"x": 1}, -5, "ru") == "−5 (no_such_reason)"

    def test_missing_parameters_render_placeholders(self) -> None:
        assert reasons.render("earn_order", {}, 5, "en") == "+5 points for order ?"
        assert reasons.render("adjust", {"note": "goodwill"}, 10, "ru") == (
            "+10 баллов: корректировка (goodwill)"
        )


class TestRussianWording:
    @pytest.mark.parametrize("amount", [-1, -2, -5, -11, -21, -22, -25, -101])
    def test_expiry_text_has_no_verb_to_agree_with_the_number(self, amount: int) -> None:
        text = reasons.render("expire", {}, amount, "ru")
        assert text.endswith(": срок действия истёк")
        assert "сгорел" not in text

    def test_maturity_text_agrees_with_its_plural_subject(self) -> None:
        text = reasons.render("mature", {"order_id": "7"}, 0, "ru", count=21)
        assert text == "Баллы за заказ 7 теперь доступны: 21 балл"
