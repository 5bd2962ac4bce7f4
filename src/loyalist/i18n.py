"""Member-facing text in English and Russian: locale choice and plural forms."""

from __future__ import annotations

SUPPORTED = ("en", "ru")
DEFAULT = "en"


def pick_locale(requested: str | None) -> str:
    """The best supported locale for ``ru-RU``, ``en_GB``, ``RU`` …; English otherwise."""
    if not requested:
        return DEFAULT
    base = requested.replace("_", "-").split("-")[0].lower()
    return base if base in SUPPORTED else DEFAULT


def plural(locale: str, count: int, forms: tuple[str, ...]) -> str:
    """English: (one, other). Russian: (one, few, many) by CLDR rules for integers."""
    n = abs(count)
    if locale == "ru":
        if n % 10 == 1 and n % 100 != 11:
            return forms[0]
        if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
            return forms[1]
        return forms[2]
    return forms[0] if n == 1 else forms[1]
