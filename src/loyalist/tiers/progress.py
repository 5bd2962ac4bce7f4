"""What is still needed for the next tier, in words a member understands (en, ru)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from loyalist.i18n import pick_locale, plural
from loyalist.ledger.policy import minor_unit_exponent

_SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "RUB": "₽"}
_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
#: Genitive month names: "до 31 декабря".
_MONTHS_RU = (
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
)
_POINTS = {"en": ("point", "points"), "ru": ("балл", "балла", "баллов")}
_ORDERS = {"en": ("order", "orders"), "ru": ("заказ", "заказа", "заказов")}
_NBSP = "\u00a0"


def money(amount_minor: int, currency: str, locale: str) -> str:
    """``€80``, ``€80.50``, ``$1,200`` in English; ``80 €``, ``1 200,50 ₽`` in Russian."""
    lang = pick_locale(locale)
    exponent = minor_unit_exponent(currency)
    units = Decimal(amount_minor).scaleb(-exponent)
    whole = amount_minor % (10**exponent) == 0 if exponent else True
    figure = f"{units:,.0f}" if whole else f"{units:,.{exponent}f}"
    symbol = _SYMBOLS.get(currency.upper())
    if lang == "ru":
        figure = figure.replace(",", _NBSP).replace(".", ",")
        return f"{figure}{_NBSP}{symbol or currency.upper()}"
    return f"{symbol}{figure}" if symbol else f"{figure} {currency.upper()}"


def day_month(day: date, locale: str) -> str:
    if pick_locale(locale) == "ru":
        return f"{day.day} {_MONTHS_RU[day.month - 1]}"
    return f"{day.day} {_MONTHS_EN[day.month - 1]}"


def next_tier_text(
    locale: str, tier_name: str, needs: dict[str, int], currency: str, by: date | None
) -> str:
    """ "€80 or 2 orders to Gold by 31 Dec" / "80 € или 2 заказа до уровня «Золото» — успейте
    до 31 декабря". ``needs`` holds the set metrics (spend, points, orders), any one enough."""
    lang = pick_locale(locale)
    parts: list[str] = []
    if "spend" in needs:
        parts.append(money(needs["spend"], currency, lang))
    if "points" in needs:
        parts.append(f"{needs['points']} {plural(lang, needs['points'], _POINTS[lang])}")
    if "orders" in needs:
        parts.append(f"{needs['orders']} {plural(lang, needs['orders'], _ORDERS[lang])}")
    if lang == "ru":
        text = f"{' или '.join(parts)} до уровня «{tier_name}»"
        return text + (f" — успейте до {day_month(by, lang)}" if by else "")
    text = f"{' or '.join(parts)} to {tier_name}"
    return text + (f" by {day_month(by, lang)}" if by else "")


def top_tier_text(locale: str, tier_name: str) -> str:
    if pick_locale(locale) == "ru":
        return f"«{tier_name}» — высший уровень"
    return f"{tier_name} is the top tier"


def tier_name(names: dict[str, str], locale: str) -> str:
    return names.get(pick_locale(locale)) or names.get("en") or next(iter(names.values()), "")
