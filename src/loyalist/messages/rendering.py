"""Rendering a message from its templates: subject, plain text, HTML in the brand's layout
(CSS inlined) and the short SMS/push text, in the member's language and time zone.

Templates are rendered from their source text (the shipped defaults are read from
``messages/templates/`` the same way a stored version is), compiled once per source and
kept in a small cache. HTML is autoescaped; subject, text and short text are not (they are
never HTML) and are tidied to what their channel shows: one line for the subject and the
short text, no runs of blank lines in the text. Limits: ``sandbox.Limits`` (doc there).

Public surface: ``render_message`` (a journey's message), ``preview`` (both locales, sample
data or a given context), ``check_template`` (before a version is stored),
``shipped_template``, ``message_locale``, ``BrandKit``, ``TemplateSource``, ``Rendered``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from html import unescape
from importlib import resources
from typing import Any, NoReturn
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import css_inline
from jinja2 import Template, TemplateSyntaxError
from jinja2.exceptions import SecurityError, UndefinedError
from markupsafe import Markup, escape

from loyalist.errors import FieldError
from loyalist.i18n import SUPPORTED
from loyalist.messages.contexts import SPECS, Layout, Part, TemplateKey
from loyalist.messages.errors import (
    BrandInvalidError,
    TemplateOutputTooLargeError,
    TemplateRenderFailedError,
    TemplateRenderTooLongError,
    TemplateSyntaxInvalidError,
    TemplateUnsafeError,
    TemplateVariableUndefinedError,
)
from loyalist.messages.formatting import Formatting, zone
from loyalist.messages.models import MessageTemplate
from loyalist.messages.samples import sample_context
from loyalist.messages.sandbox import (
    Limits,
    Sandbox,
    TooLargeError,
    TooLongError,
    budget,
    run_with,
    stream,
)

_COLOUR = re.compile(r"#(?:[0-9a-fA-F]{3}){1,2}")
#: File name endings of the parts under ``templates/<locale>/``.
_SUFFIX = {Part.SUBJECT: "subject", Part.TEXT: "txt", Part.HTML: "html", Part.SHORT: "short"}
#: Jinja's messages for a missing name or attribute: ``'x' is undefined``,
#: ``'dict object' has no attribute 'x'``.
_UNDEFINED = re.compile(r"^'([^']*)' is undefined|has no (?:attribute|element) '?([^']*)'?$")
_TEMPLATE_FILE = "<template>"
_BREAKING_SPACE = re.compile(r"[ \t\r\n\f\v\u2028\u2029]+")
#: Media queries stay in a <style> element (they cannot be inlined); everything else is
#: moved into style attributes; no stylesheet is ever fetched.
_INLINER = css_inline.CSSInliner(keep_at_rules=True, load_remote_stylesheets=False)


@dataclass(frozen=True, slots=True)
class BrandKit:
    """What every email carries: the shop's name, logo, colours, legal footer.

    Raises:
        BrandInvalidError: a colour is not ``#rgb``/``#rrggbb`` or a link not http(s).
    """

    shop_name: str
    legal_address: str
    logo_url: str | None = None
    website_url: str | None = None
    support_email: str | None = None
    primary_colour: str = "#1f6feb"
    text_colour: str = "#1f2328"
    background_colour: str = "#f3f4f6"

    def __post_init__(self) -> None:
        errors = [
            FieldError(f"/{name}", "a colour is #rgb or #rrggbb")
            for name in ("primary_colour", "text_colour", "background_colour")
            if not _COLOUR.fullmatch(getattr(self, name))
        ]
        errors += [
            FieldError(f"/{name}", "a link starts with https:// or http://")
            for name in ("logo_url", "website_url")
            if getattr(self, name) is not None
            and urlsplit(getattr(self, name)).scheme not in ("https", "http")
        ]
        if not self.shop_name.strip():
            errors.append(FieldError("/shop_name", "the shop needs a name"))
        if errors:
            raise BrandInvalidError("the brand kit is invalid", errors=errors)


@dataclass(frozen=True, slots=True)
class TemplateSource:
    """One version of a template: the source of each part ("" for a part it has not)."""

    subject: str = ""
    text: str = ""
    html: str = ""
    short: str = ""

    def part(self, part: Part) -> str:
        return str(getattr(self, part.value))


def stored_source(row: MessageTemplate) -> TemplateSource:
    """A stored version's source."""
    return TemplateSource(
        subject=row.subject,
        text=row.body_text,
        html=row.body_html or "",
        short=row.body_short or "",
    )


@dataclass(frozen=True, slots=True)
class Rendered:
    """A rendered message; ``html`` and ``short`` are ``None`` where the template has none."""

    subject: str
    text: str
    html: str | None = None
    short: str | None = None


@dataclass(frozen=True, slots=True)
class _Where:
    key: str
    locale: str
    part: str
    extra: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"template {self.key} ({self.locale}, {self.part})"

    def problem(self, **more: Any) -> dict[str, Any]:
        return {"template": self.key, "locale": self.locale, "part": self.part, **more}


def message_locale(member_locale: str | None, program_default: str) -> str:
    """The member's language if we have templates in it, else the program's default (else
    English): ``ru-RU`` → ``ru``, ``de`` with default ``ru`` → ``ru``."""
    for candidate in (member_locale, program_default):
        base = (candidate or "").replace("_", "-").split("-")[0].lower()
        if base in SUPPORTED:
            return base
    return SUPPORTED[0]


@functools.cache
def shipped_template(key: TemplateKey, locale: str) -> TemplateSource:
    """The default template shipped for ``key`` in ``locale`` (``en``/``ru``)."""
    folder = resources.files("loyalist.messages").joinpath("templates", locale)
    parts = {
        part.value: folder.joinpath(f"{key.value}.{_SUFFIX[part]}.j2").read_text("utf-8")
        for part in SPECS[key].parts
    }
    return TemplateSource(**parts)


@functools.cache
def _layout(layout: Layout, part: Part) -> str:
    name = f"{layout.value}.{_SUFFIX[part]}.j2"
    return (
        resources.files("loyalist.messages")
        .joinpath("templates", "layouts", name)
        .read_text("utf-8")
    )


# -- the environments and their filters ------------------------------------------------------
def _formatting() -> Formatting:
    return budget().formatting


def _with_query(url: str, **params: Any) -> str:
    """``url`` with ``params`` added to its query (``survey.url|with_query(score=9)``)."""
    parts = urlsplit(str(url))
    query = parse_qsl(parts.query, keep_blank_values=True)
    query += [(name, str(value)) for name, value in params.items()]
    return urlunsplit(parts._replace(query=urlencode(query)))


_FILTERS: Mapping[str, Callable[..., str]] = {
    "points": lambda n: _formatting().points(n),
    "plural": lambda n, *forms: _formatting().plural(n, *forms),
    "number": lambda n: _formatting().number(n),
    "money": lambda value: _formatting().money(value),
    "date": lambda value, form="dMMMM": _formatting().date(value, form),
    "datetime": lambda value, form="medium": _formatting().datetime(value, form),
    "date_range": lambda start, end, form="yMMMd": _formatting().date_range(start, end, form),
    "needs": lambda value: _formatting().needs(value),
    "any_of": lambda items: _formatting().any_of(items),
    "with_query": _with_query,
}


def _environment(*, markup: bool) -> Sandbox:
    env = Sandbox(markup=markup)
    env.filters.update(_FILTERS)
    return env


_TEXT = _environment(markup=False)
_HTML = _environment(markup=True)


@functools.lru_cache(maxsize=512)
def _compiled(markup: bool, source: str) -> Template:
    env = _HTML if markup else _TEXT
    code = env.compile(env.guarded(source), filename=_TEMPLATE_FILE)
    return env.template_class.from_code(env, code, env.make_globals(None), None)


def _compile(source: str, *, markup: bool, where: _Where) -> Template:
    try:
        return _compiled(markup, source)
    except TemplateSyntaxError as exc:
        raise TemplateSyntaxInvalidError(
            f"{where}, line {exc.lineno}: {exc.message}",
            errors=[FieldError(f"/{where.part}", f"line {exc.lineno}: {exc.message}")],
            extra=where.problem(line=exc.lineno),
        ) from None


def check_template(key: TemplateKey, source: TemplateSource, locale: str) -> None:
    """Compiles every part ``key`` has, so a broken version is refused before it is stored.

    Raises:
        TemplateSyntaxInvalidError: a part is not valid Jinja (its pointer names the part).
    """
    for part in SPECS[key].parts:
        where = _Where(key.value, locale, part.value)
        _compile(source.part(part), markup=part is Part.HTML, where=where)


def _line(exc: BaseException) -> int | None:
    tb, line = exc.__traceback__, None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == _TEMPLATE_FILE:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _fail(exc: Exception, where: _Where) -> NoReturn:
    line = _line(exc)
    at = f"{where}, line {line}" if line else str(where)
    if isinstance(exc, TooLargeError):
        raise TemplateOutputTooLargeError(f"{at}: {exc}", extra=where.problem(line=line))
    if isinstance(exc, TooLongError | RecursionError):
        raise TemplateRenderTooLongError(f"{at}: {exc}", extra=where.problem(line=line))
    if isinstance(exc, SecurityError):
        raise TemplateUnsafeError(f"{at}: {exc}", extra=where.problem(line=line))
    if isinstance(exc, UndefinedError):
        found = _UNDEFINED.search(str(exc))
        variable = (found.group(1) or found.group(2)) if found else None
        raise TemplateVariableUndefinedError(
            f"{at}: {exc}", extra=where.problem(line=line, variable=variable)
        )
    raise TemplateRenderFailedError(f"{at}: {exc}", extra=where.problem(line=line))


def _render(
    template: Template, variables: Mapping[str, Any], where: _Where
) -> tuple[str, dict[str, Any]]:
    """The output of ``template`` and the top-level variables it set (``preheader``)."""
    context = template.new_context(dict(variables))
    try:
        try:
            return stream(template.root_render_func(context)), dict(context.vars)
        except Exception:
            template.environment.handle_exception()  # re-raises with template line numbers
    except Exception as exc:
        _fail(exc, where)


def _one_line(text: str) -> str:
    """One line; no-break spaces (between a number and its noun) are kept."""
    return _BREAKING_SPACE.sub(" ", text).strip()


def _tidy(text: str) -> str:
    lines = [line.rstrip() for line in text.strip().splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines))


#: A link in plain text: http(s) up to a space or bracket, without the sentence's closing
#: punctuation.
_LINK = re.compile(r"https?://[^\s<>\"']*[^\s<>\"'.,;:!?)\]]")
_PARAGRAPHS = re.compile(r"\n[ \t]*\n")
_LINE_END = re.compile(r"<br\s*/?>|</(?:li|tr|div)\s*>", re.IGNORECASE)
_PARAGRAPH_END = re.compile(r"</(?:p|h[1-6]|ul|ol|table)\s*>", re.IGNORECASE)
_HIDDEN = re.compile(r"<(style|script|head|title)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]*>")


def _linked(line: str) -> Markup:
    out, at = [], 0
    for found in _LINK.finditer(line):
        out += [escape(line[at : found.start()])]
        out += [Markup('<a href="{0}">{0}</a>').format(found.group())]
        at = found.end()
    return Markup("").join([*out, escape(line[at:])])


def text_to_html(text: str) -> str:
    """Plain text as HTML: escaped, a paragraph per run of lines between blank lines, line
    breaks kept, http(s) links made clickable (a campaign's ``body`` in the brand layout)."""
    paragraphs = [p.strip("\n") for p in _PARAGRAPHS.split(text.strip()) if p.strip()]
    return "\n".join(
        str(Markup("<p>{}</p>").format(Markup("<br>\n").join(_linked(x) for x in p.split("\n"))))
        for p in paragraphs
    )


def html_to_text(html: str) -> str:
    """The text of rendered HTML, a line per block (a campaign given only ``html`` still
    sends a plain-text part)."""
    text = _HIDDEN.sub("", html)
    text = _TAG.sub("", _PARAGRAPH_END.sub("\n\n", _LINE_END.sub("\n", text)))
    lines = [_one_line(line) for line in unescape(text).splitlines()]
    return _tidy("\n".join(lines))


def render_message(
    key: TemplateKey,
    source: TemplateSource,
    context: Mapping[str, Any],
    *,
    locale: str,
    time_zone: str,
    brand: BrandKit,
    unsubscribe_url: str | None = None,
    preferences_url: str | None = None,
    limits: Limits = Limits(),
    name: str | None = None,
) -> Rendered:
    """Renders every part ``key`` has from ``source`` with ``context`` (the key's
    ``contexts`` context type) for a reader of ``locale`` in ``time_zone`` (IANA name).
    HTML is wrapped in the brand's layout (email or print) with CSS inlined; the email
    layouts show ``unsubscribe_url`` and ``preferences_url`` (the member's preference
    centre) in their footer when they are given. A ``campaign`` source without HTML gets
    its text as HTML (``text_to_html``), one without text its HTML's text; ``name`` is the
    stored key the problems name (``campaign:<campaign>/<step>``; default ``key``).

    Raises:
        TemplateSyntaxInvalidError, TemplateVariableUndefinedError, TemplateUnsafeError,
        TemplateOutputTooLargeError, TemplateRenderTooLongError, TemplateRenderFailedError:
            the problem names the template, locale, part and line (and the variable).
        ValueError: ``locale`` is not one of ``i18n.SUPPORTED``, or ``time_zone`` unknown.
    """
    if locale not in SUPPORTED:
        raise ValueError(f"no templates in locale {locale!r}")
    spec = SPECS[key]
    formatting = Formatting(locale, zone(time_zone))
    variables = {**context, "brand": brand, "locale": locale}

    def part(
        label: str, markup: bool, variables: Mapping[str, Any], source_text: str
    ) -> tuple[str, dict[str, Any]]:
        where = _Where(name or key.value, locale, label)
        template = _compile(source_text, markup=markup, where=where)
        return run_with(limits, formatting, lambda: _render(template, variables, where))

    subject = text = ""
    html = short = None
    # A campaign's own content may leave out its HTML (made from the text) or its text
    # (made from the HTML); the shipped and staff-edited templates have every part.
    derive = key is TemplateKey.CAMPAIGN
    if Part.SUBJECT in spec.parts:
        subject = _one_line(part("subject", False, variables, source.subject)[0])
    body_text = body_html = ""
    exported: dict[str, Any] = {}
    if Part.HTML in spec.parts and (source.html.strip() or not derive):
        body_html, exported = part("html", True, variables, source.html)
    if Part.TEXT in spec.parts:
        if source.text.strip() or not derive:
            body_text = _tidy(part("text", False, variables, source.text)[0])
        else:
            body_text = html_to_text(body_html)
        links = {"unsubscribe_url": unsubscribe_url, "preferences_url": preferences_url}
        layout = {**variables, "content": body_text, **links}
        text = _tidy(part("layout text", False, layout, _layout(spec.layout, Part.TEXT))[0])
    if Part.HTML in spec.parts:
        if derive and not source.html.strip():
            body_html = text_to_html(body_text)
            exported = {"preheader": _one_line(body_text.partition("\n")[0])[:140]}
        layout = {
            **variables,
            "content": Markup(body_html),  # noqa: S704 - autoescaped output or text_to_html's
            "subject": subject,
            "preheader": exported.get("preheader", ""),
            "unsubscribe_url": unsubscribe_url,
            "preferences_url": preferences_url,
        }
        html = _INLINER.inline(
            part("layout html", True, layout, _layout(spec.layout, Part.HTML))[0]
        )
    if Part.SHORT in spec.parts:
        short = _one_line(part("short", False, variables, source.short)[0])
    return Rendered(subject=subject, text=text, html=html, short=short)


#: The brand a version is checked with (any brand renders the same variables).
_CHECK_BRAND = BrandKit(shop_name="Shop", legal_address="Street 1, City")


def check_sample(
    key: TemplateKey, source: TemplateSource, locale: str, *, name: str | None = None
) -> None:
    """Renders ``key``'s shipped sample data in ``locale`` from ``source``, so a version
    that does not compile or render is refused before it is stored.

    Raises:
        the problems of ``render_message`` (``extra["part"]`` names the part).
    """
    render_message(
        key,
        source,
        sample_context(key, locale),
        locale=locale,
        time_zone="UTC",
        brand=_CHECK_BRAND,
        unsubscribe_url="https://shop.example/unsubscribe",
        name=name,
    )


def preview(
    key: TemplateKey,
    *,
    brand: BrandKit,
    time_zone: str = "UTC",
    context: Mapping[str, Any] | None = None,
    sources: Mapping[str, TemplateSource] | None = None,
    locales: Sequence[str] = SUPPORTED,
    unsubscribe_url: str = "#unsubscribe",
    preferences_url: str = "#preferences",
) -> dict[str, Rendered]:
    """``key`` rendered in each of ``locales``, nothing sent: with ``context`` (a member's,
    or a preview body checked by ``contexts.validate_context``) or the shipped sample data
    of each locale; from ``sources`` (a stored version per locale) or the shipped defaults.
    The footer's links are ``unsubscribe_url`` and ``preferences_url`` (placeholders by
    default).

    Raises:
        the problems of ``render_message``.
    """
    chosen = sources or {}
    return {
        locale: render_message(
            key,
            chosen.get(locale) or shipped_template(key, locale),
            context if context is not None else sample_context(key, locale),
            locale=locale,
            time_zone=time_zone,
            brand=brand,
            unsubscribe_url=unsubscribe_url,
            preferences_url=preferences_url,
        )
        for locale in locales
    }
