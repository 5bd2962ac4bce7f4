"""Values in messages per locale (Babel/CLDR): plurals, numbers, money, dates in a time zone."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from babel import Locale
from babel.numbers import format_decimal
from hypothesis import given
from hypothesis import strategies as st

from loyalist.i18n import SUPPORTED
from loyalist.messages.formatting import Formatting, plural_categories, plural_category, zone

NBSP = "\u00a0"
BERLIN = ZoneInfo("Europe/Berlin")
EN = Formatting("en", BERLIN)
RU = Formatting("ru", BERLIN)


def _plain(text: str) -> str:
    """CLDR's no-break and narrow no-break spaces as plain spaces, for readable expectations."""
    return text.replace(NBSP, " ").replace("\u202f", " ")


def _cldr_ru(n: int) -> str:
    """CLDR's Russian integer rule, written out here as an independent oracle: one: i%10=1
    and i%100≠11; few: i%10=2..4 and i%100≠12..14; many: the rest."""
    i = abs(n)
    if i % 10 == 1 and i % 100 != 11:
        return "one"
    if 2 <= i % 10 <= 4 and not 12 <= i % 100 <= 14:
        return "few"
    return "many"


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_russian_plural_picks_the_form_of_cldr_category(n: int) -> None:
    picked = RU.plural(n, "one", "few", "many")
    assert picked == plural_category("ru", n) == _cldr_ru(n)


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_english_plural_is_singular_for_one_only(n: int) -> None:
    assert EN.plural(n, "one", "other") == ("one" if abs(n) == 1 else "other")


def test_plural_forms_follow_cldr_categories_of_whole_numbers() -> None:
    assert plural_categories("ru") == ("one", "few", "many")
    assert plural_categories("en") == ("one", "other")


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (0, "0 баллов"),
        (1, "1 балл"),
        (2, "2 балла"),
        (4, "4 балла"),
        (5, "5 баллов"),
        (11, "11 баллов"),
        (12, "12 баллов"),
        (21, "21 балл"),
        (22, "22 балла"),
        (111, "111 баллов"),
        (1001, f"1{NBSP}001 балл"),
        (1250, f"1{NBSP}250 баллов"),
    ],
)
def test_russian_points_agree_with_their_number(count: int, expected: str) -> None:
    assert RU.points(count) == expected.replace(" ", NBSP)


@pytest.mark.parametrize(
    ("count", "expected"),
    [(0, "0 points"), (1, "1 point"), (2, "2 points"), (1250, "1,250 points")],
)
def test_english_points_agree_with_their_number(count: int, expected: str) -> None:
    assert EN.points(count) == expected.replace(" ", NBSP)


def test_plural_refuses_the_wrong_number_of_forms_and_fractions() -> None:
    with pytest.raises(ValueError, match="takes 3 forms"):
        RU.plural(5, "балл", "баллов")
    with pytest.raises(TypeError, match="whole number"):
        RU.plural(1.5, "балл", "балла", "баллов")


@pytest.mark.parametrize(
    ("fmt", "money", "expected"),
    [
        (EN, {"amount_minor": 8050, "currency": "EUR"}, "€80.50"),
        (EN, {"amount_minor": 8000, "currency": "EUR"}, "€80"),
        (EN, {"amount_minor": 120000, "currency": "USD"}, "$1,200"),
        (EN, {"amount_minor": 1500, "currency": "JPY"}, "¥1,500"),
        (EN, {"amount_minor": 1234, "currency": "KWD"}, "KWD1.234"),
        (RU, {"amount_minor": 123450, "currency": "RUB"}, "1 234,50 ₽"),
        (RU, {"amount_minor": 490000, "currency": "RUB"}, "4 900 ₽"),
        (RU, {"amount_minor": 8050, "currency": "EUR"}, "80,50 €"),
    ],
)
def test_money_in_minor_units_is_shown_per_locale(
    fmt: Formatting, money: dict[str, object], expected: str
) -> None:
    assert _plain(fmt.money(money)) == expected


def test_money_refuses_a_currency_that_is_not_iso() -> None:
    with pytest.raises(ValueError, match="ISO 4217"):
        EN.money({"amount_minor": 100, "currency": "euro"})


def test_numbers_group_thousands_per_locale() -> None:
    assert EN.number(1234567) == "1,234,567"
    assert RU.number(1234567) == f"1{NBSP}234{NBSP}567"


@given(st.sampled_from(SUPPORTED), st.integers(min_value=-(10**30), max_value=10**30))
def test_whole_numbers_are_written_as_babel_writes_them(locale: str, n: int) -> None:
    try:
        expected = format_decimal(n, locale=Locale.parse(locale))
    except ArithmeticError as exc:  # past Babel's decimal precision: the same failure
        with pytest.raises(type(exc)):
            Formatting(locale, UTC).number(n)
        return

    assert Formatting(locale, UTC).number(n) == expected
    assert Formatting(locale, UTC).points(n).startswith(f"{expected}\u00a0")


@given(st.sampled_from(SUPPORTED), st.integers(min_value=-(10**12), max_value=10**12))
def test_plural_categories_are_babels(locale: str, n: int) -> None:
    assert plural_category(locale, n) == Locale.parse(locale).plural_form(n)


def test_dates_are_spelled_per_locale() -> None:
    day = date(2026, 12, 31)
    assert EN.date(day) == "December 31"
    assert RU.date(day) == "31 декабря"
    assert EN.date(day, "long") == "December 31, 2026"
    assert _plain(RU.date(day, "long")) == "31 декабря 2026 г."
    assert _plain(RU.date("2026-03-01", "yMMMM")) == "март 2026 г."
    assert _plain(RU.date_range(date(2026, 3, 1), date(2026, 3, 31))) == "1–31 мар. 2026 г."


def test_moments_are_shown_in_the_readers_time_zone_across_dst() -> None:
    before = datetime(2026, 3, 29, 0, 45, tzinfo=UTC)  # 01:45 CET
    after = datetime(2026, 3, 29, 1, 30, tzinfo=UTC)  # 03:30 CEST: clocks went forward
    assert _plain(RU.datetime(before)) == "29 мар. 2026 г., 01:45"
    assert _plain(RU.datetime(after)) == "29 мар. 2026 г., 03:30"
    assert _plain(EN.datetime(after)) == "Mar 29, 2026, 3:30 AM"
    tokyo = Formatting("en", ZoneInfo("Asia/Tokyo"))
    assert _plain(tokyo.datetime("2026-03-29T01:30:00+00:00")) == "Mar 29, 2026, 10:30 AM"
    # the local day, not the UTC day, decides a date: 23:30 UTC is the next day in Tokyo
    assert tokyo.date(datetime(2026, 12, 31, 23, 30, tzinfo=UTC)) == "January 1"


def test_naive_moments_and_unknown_zones_are_refused() -> None:
    with pytest.raises(ValueError, match="no time zone"):
        EN.datetime(datetime(2026, 1, 1, 12, 0))  # noqa: DTZ001 - the case under test
    with pytest.raises(ValueError, match="unknown time zone"):
        zone("Mars/Olympus")


def test_tier_needs_read_as_alternatives() -> None:
    needs = {"points": 250, "spend": {"amount_minor": 8000, "currency": "EUR"}, "orders": None}
    assert EN.needs(needs) == f"€80 or 250{NBSP}points"
    assert RU.needs({"points": None, "spend": None, "orders": 2}) == f"2{NBSP}заказа"
    assert RU.needs({"points": 120, "spend": None, "orders": 5}) == (
        f"120{NBSP}баллов или 5{NBSP}заказов"
    )
