"""Pages: one Jinja2 environment per locale over ``web/templates`` (autoescaped, strict
about unknown variables), the portal's Russian texts from ``locale/ru/LC_MESSAGES/web.po``
through Babel (plural forms included), and number, money and date filters by Babel.

English is the message id itself; Russian is read from the ``.po`` catalogue at start-up
(compiled in memory, so no binary ``.mo`` is kept in the repository).
"""

from __future__ import annotations

import functools
import io
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from babel.core import negotiate_locale
from babel.dates import format_date, format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency, format_decimal, format_percent
from babel.support import NullTranslations, Translations
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from starlette.requests import Request
from starlette.responses import HTMLResponse

from loyalist.i18n import DEFAULT, SUPPORTED

HERE = Path(__file__).parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"
CATALOGUE = HERE / "locale" / "ru" / "LC_MESSAGES" / "web.po"


def translations(locale: str) -> NullTranslations:
    """The gettext translations of ``locale``: the catalogue for Russian, none for English."""
    if locale == DEFAULT:
        return NullTranslations()
    with CATALOGUE.open("rb") as source:
        catalogue = read_po(source, locale=locale)
    compiled = io.BytesIO()
    write_mo(compiled, catalogue)
    compiled.seek(0)
    return Translations(compiled)


def _environment(locale: str) -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_translations(translations(locale), newstyle=True)  # type: ignore[attr-defined]
    env.filters["number"] = lambda value, digits=0: format_decimal(
        value, format=f"#,##0{'.' + '0' * digits if digits else ''}", locale=locale
    )
    env.filters["money"] = lambda value, currency: format_currency(
        Decimal(str(value)), currency, locale=locale
    )
    env.filters["percent"] = lambda value, digits=0: format_percent(
        value, format=f"#,##0{'.' + '0' * digits if digits else ''}%", locale=locale
    )
    env.filters["date"] = lambda value, style="medium": _date(value, style, locale)
    env.filters["datetime"] = lambda value, style="medium": format_datetime(
        value, format=style, locale=locale
    )
    env.filters["sentence"] = sentence
    env.globals["locale"] = locale
    return env


def _date(value: date | datetime, style: str, locale: str) -> str:
    return format_date(value, format=style, locale=locale)


def sentence(text: str) -> str:
    """``text`` ended with one full stop. None is added when it already ends in one (a
    Russian date does: "31 декабря 2026 г."), so a sentence ending in a date has one stop."""
    return text if text.rstrip().endswith(".") else text + "."


@functools.cache
def environment(locale: str) -> Environment:
    """The environment of ``locale`` (one of :data:`loyalist.i18n.SUPPORTED`)."""
    return _environment(locale if locale in SUPPORTED else DEFAULT)


def render(
    template: str,
    context: Mapping[str, Any],
    *,
    locale: str = DEFAULT,
    status: int = 200,
    headers: Mapping[str, str] | None = None,
) -> HTMLResponse:
    """``template`` rendered in ``locale`` as an HTML answer."""
    body = environment(locale).get_template(template).render(context)
    return HTMLResponse(body, status_code=status, headers=dict(headers or {}))


def accepted_locale(request: Request) -> str | None:
    """The best supported locale of the request's ``Accept-Language`` (by q), or None."""
    header = request.headers.get("accept-language", "")
    ranked: list[tuple[float, str]] = []
    for position, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                continue
        if tag and quality > 0:
            ranked.append((-quality + position * 1e-6, tag.strip().replace("-", "_")))
    preferred = [tag for _, tag in sorted(ranked)]
    return negotiate_locale(preferred, list(SUPPORTED), sep="_") if preferred else None


def choose_locale(request: Request, preferred: str | None = None) -> str:
    """The page's language: ``?lang=en|ru`` first, then ``preferred`` (a member's own
    choice), then the browser's ``Accept-Language``, else English."""
    asked = request.query_params.get("lang", "")
    if asked in SUPPORTED:
        return asked
    if preferred in SUPPORTED:
        return str(preferred)
    return accepted_locale(request) or DEFAULT
