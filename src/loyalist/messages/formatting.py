"""Locale-aware values for message templates (Babel/CLDR): plurals, numbers, money, dates.

One ``Formatting`` is made per render for the member's locale and time zone; the template
filters (``points``, ``plural``, ``number``, ``money``, ``date``, ``datetime``,
``date_range``, ``needs``, ``any_of``) call it. Plural categories come from CLDR through
Babel, never from hand-written rules.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale
from babel.dates import (
    format_date,
    format_datetime,
    format_interval,
    format_time,
    match_skeleton,
)
from babel.lists import format_list
from babel.numbers import NumberPattern, format_decimal, parse_pattern

from loyalist.ledger.policy import minor_unit_exponent

#: CLDR's plural categories in the order CLDR lists them.
_CATEGORY_ORDER = ("zero", "one", "two", "few", "many", "other")
#: The nouns the ``points`` and ``needs`` filters put after a number, one form per category
#: of ``plural_categories`` (en: one, other; ru: one, few, many).
_NOUNS: Mapping[str, Mapping[str, tuple[str, ...]]] = {
    "points": {"en": ("point", "points"), "ru": ("балл", "балла", "баллов")},
    "orders": {"en": ("order", "orders"), "ru": ("заказ", "заказа", "заказов")},
}
_WHOLE_FRACTION = re.compile(r"\.0+")
#: Named date formats; anything else given to the ``date`` filter is a CLDR skeleton.
_NAMED = ("short", "medium", "long", "full")
#: Day and month, e.g. "31 December" / "31 декабря" (the ``date`` filter's default).
DAY_MONTH = "dMMMM"


@functools.cache
def _locale(code: str) -> Locale:
    return Locale.parse(code)


@functools.cache
def _currency_pattern(code: str, whole: bool) -> NumberPattern:
    """The locale's standard currency pattern, parsed once; ``whole`` without its zero
    fraction ("€80", "4 900 ₽"), as shops print whole prices."""
    pattern = _locale(code).currency_formats["standard"].pattern
    return parse_pattern(_WHOLE_FRACTION.sub("", pattern) if whole else pattern)


#: Whole numbers ``_whole_number`` checks its shortcut against Babel on, once per locale,
#: and where the shortcut ends.
_PROBES = (0, 7, -7, 999, 1000, -1000, 12345, 999999, 1000000, -1234567, 10**17 - 1)
_LARGE = 10**17


@functools.cache
def _grouping(code: str) -> tuple[str, str] | None:
    """The group separator and minus sign with which the locale writes a whole number as
    Python's ``f"{n:,}"`` groups it (in threes), or None where Babel writes one otherwise
    (checked on ``_PROBES``)."""
    symbols = _locale(code).number_symbols["latn"]
    group, minus = str(symbols["group"]), str(symbols["minusSign"])
    for n in _PROBES:
        plain = f"{abs(n):,}".replace(",", group)
        if (minus + plain if n < 0 else plain) != format_decimal(n, locale=_locale(code)):
            return None
    return group, minus


def _whole_number(code: str, n: int) -> str:
    """``format_decimal(n)`` for a whole number: a hundred times faster where the locale
    groups in threes (en, ru; ``number`` and ``points`` are most of a template's filters).
    Numbers of 18 digits and more are left to Babel (which fails past its decimal
    precision, and so the template)."""
    found = _grouping(code)
    if found is None or not -_LARGE < n < _LARGE:
        return str(format_decimal(n, locale=_locale(code)))
    plain = f"{abs(n):,}".replace(",", found[0])
    return found[1] + plain if n < 0 else plain


@functools.cache
def plural_categories(code: str) -> tuple[str, ...]:
    """The CLDR categories a whole number can fall in for the locale, in CLDR order: the
    order in which the ``plural`` filter takes its forms. Found by evaluating Babel's rule
    over 0…1099 (CLDR integer rules depend on n mod 10, n mod 100 and small n only)."""
    rule = _locale(code).plural_form
    seen = {rule(n) for n in range(1100)}
    return tuple(category for category in _CATEGORY_ORDER if category in seen)


@functools.cache
def _skeleton(code: str, skeleton: str) -> str:
    """The locale's pattern closest to a CLDR skeleton (Babel's matching is slow: cached)."""
    patterns = _locale(code).datetime_skeletons
    best = match_skeleton(skeleton, patterns)
    if best is None:
        raise ValueError(f"no date format for the skeleton {skeleton!r}")
    return str(patterns[best].pattern)


def plural_category(code: str, count: int) -> str:
    """CLDR's plural category of a whole number in the locale (``one``, ``few``, …).
    Babel's rule is evaluated once per locale and residue: CLDR integer rules depend on
    n mod 10, n mod 100 and small n only (``plural_categories``), so 1000 + n mod 100
    stands for any n from 1100 on (of either sign: the rules read its absolute value)."""
    n = abs(count)
    return _category(code, n if n < 1100 else 1000 + n % 100)


@functools.cache
def _category(code: str, n: int) -> str:
    return str(_locale(code).plural_form(n))


def zone(name: str) -> tzinfo:
    """The IANA time zone ``name``; ``ValueError`` if there is none by that name."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {name!r}") from exc


def _whole(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} needs a whole number, not {value!r}")
    return value


def _moment(value: object) -> date | datetime:
    """A date or an aware datetime, also from the ISO text a JSON context carries."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
        except ValueError as exc:
            raise ValueError(f"{value!r} is not an ISO date or date-time") from exc
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError(f"date-time {value.isoformat()} has no time zone")
        return value
    if isinstance(value, date):
        return value
    raise TypeError(f"expected a date or date-time, not {value!r}")


def _local_day(moment: date | datetime, time_zone: tzinfo) -> date:
    return moment.astimezone(time_zone).date() if isinstance(moment, datetime) else moment


@dataclass(frozen=True, slots=True)
class Formatting:
    """Values shown the way a reader of ``locale`` (``en``/``ru``) in ``time_zone`` expects."""

    locale: str
    time_zone: tzinfo

    @property
    def _babel(self) -> Locale:
        return _locale(self.locale)

    def plural(self, count: object, *forms: str) -> str:
        """The form of ``forms`` (one per ``plural_categories(locale)``) for ``count``."""
        n = _whole(count, "plural")
        categories = plural_categories(self.locale)
        if len(forms) != len(categories):
            raise ValueError(
                f"plural in {self.locale!r} takes {len(categories)} forms "
                f"({', '.join(categories)}), not {len(forms)}"
            )
        return forms[categories.index(plural_category(self.locale, n))]

    def number(self, value: object) -> str:
        """``1,234,567`` / ``1 234 567`` (no-break spaces in Russian)."""
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
            raise TypeError(f"number needs a number, not {value!r}")
        if isinstance(value, int):
            return _whole_number(self.locale, value)
        return str(format_decimal(value, locale=self._babel))

    def counted(self, count: object, noun: str) -> str:
        """``5 points`` / ``5 баллов``: the number and its noun in the right form."""
        n = _whole(count, noun)
        return f"{self.number(n)}\u00a0{self.plural(n, *_NOUNS[noun][self.locale])}"

    def points(self, count: object) -> str:
        return self.counted(count, "points")

    def money(self, value: object) -> str:
        """A ``{"amount_minor": int, "currency": "EUR"}`` amount: ``€80.50`` / ``80,50 €``,
        ``€80`` / ``80 €`` when whole."""
        if not isinstance(value, Mapping):
            raise TypeError(f"money needs {{amount_minor, currency}}, not {value!r}")
        minor = _whole(value.get("amount_minor"), "money's amount_minor")
        currency = value.get("currency")
        if not isinstance(currency, str) or len(currency) != 3 or not currency.isalpha():
            raise ValueError(f"money needs an ISO 4217 currency, not {currency!r}")
        units = Decimal(minor).scaleb(-minor_unit_exponent(currency))
        whole = units == units.to_integral_value()
        pattern = _currency_pattern(self.locale, whole)
        return str(
            pattern.apply(units, self._babel, currency=currency.upper(), currency_digits=not whole)
        )

    def date(self, value: object, form: str = DAY_MONTH) -> str:
        """A date (a date-time is first moved into the reader's time zone): ``form`` is
        ``short|medium|long|full`` or a CLDR skeleton (default ``dMMMM``: 31 December)."""
        day = _local_day(_moment(value), self.time_zone)
        pattern = form if form in _NAMED else _skeleton(self.locale, form)
        return str(format_date(day, pattern, locale=self._babel))

    def datetime(self, value: object, form: str = "medium") -> str:
        """An aware date-time in the reader's time zone, to the minute: ``form`` is the
        date's (``short|medium|long|full``: "Mar 29, 2026, 1:45 AM" / "29 мар. 2026 г.,
        01:45") or a CLDR skeleton."""
        moment = _moment(value)
        if not isinstance(moment, datetime):
            raise TypeError(f"datetime needs a date-time, not the date {moment.isoformat()}")
        local = moment.astimezone(self.time_zone)
        if form in _NAMED:
            day = format_date(local.date(), form, locale=self._babel)
            clock = format_time(local, "short", tzinfo=self.time_zone, locale=self._babel)
            return str(self._babel.datetime_formats["medium"]).format(clock, day)
        pattern = _skeleton(self.locale, form)
        return str(format_datetime(local, pattern, tzinfo=self.time_zone, locale=self._babel))

    def date_range(self, start: object, end: object, form: str = "yMMMd") -> str:
        """Two days as one span, ``form`` a CLDR skeleton: ``Mar 1 – 31, 2026`` /
        ``1–31 мар. 2026 г.``."""
        first, last = (_local_day(_moment(value), self.time_zone) for value in (start, end))
        return str(format_interval(first, last, form, locale=self._babel))

    def needs(self, value: object) -> str:
        """What a tier takes, any one part enough: a ``{"points", "spend", "orders"}``
        mapping (absent or null parts left out) → ``€80 or 2 orders`` / ``80 € или 2 заказа``."""
        if not isinstance(value, Mapping):
            raise TypeError(f"needs takes {{points, spend, orders}}, not {value!r}")
        parts: list[str] = []
        if value.get("spend") is not None:
            parts.append(self.money(value["spend"]))
        if value.get("points") is not None:
            parts.append(self.points(value["points"]))
        if value.get("orders") is not None:
            parts.append(self.counted(value["orders"], "orders"))
        return self.any_of(parts)

    def any_of(self, items: Sequence[Any]) -> str:
        """``a, b or c`` / ``a, b или c`` (CLDR's "or" list)."""
        return str(format_list([str(item) for item in items], style="or", locale=self._babel))
