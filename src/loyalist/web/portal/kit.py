"""What every portal page shares: the signed-in member (a :class:`Visitor`, from the member
session's cookie, with the session's CSRF token that HTMX sends back in ``X-CSRF-Token``),
the page's language, the navigation, and rendering a page in that language (with a few
helpers for money, :data:`HELPERS`).

The language is ``?lang=en|ru`` (remembered in the ``loyalist_lang`` cookie), else the
cookie, else the member's own locale, else the browser's ``Accept-Language``, else English.
A feature's module makes its router with :func:`portal_router`, takes the member with
``await visitor(request)`` and renders with ``await member_page(request, template, {...})``;
without a live session :func:`visitor` raises ``MemberSessionMissingError`` and the
application sends the visitor to ``/portal/sign-in``.
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from loyalist.api.deps import SAFE_METHODS, app_of, read, write
from loyalist.api.errors import CsrfFailedError
from loyalist.i18n import SUPPORTED
from loyalist.members import sessions
from loyalist.members.errors import MemberSessionMissingError
from loyalist.settings import Settings
from loyalist.web.portal import explain
from loyalist.web.templating import choose_locale, render

#: The cookie that remembers the language a visitor chose with ``?lang=``.
LANG_COOKIE = "loyalist_lang"
_VISITOR = "portal_visitor"


def N_(message: str) -> str:
    """Marks ``message`` for translation where it is defined (the templates translate it
    with ``_()`` where shown); Babel's extractor finds it by this name."""
    return message


@dataclass(frozen=True, slots=True)
class Visitor:
    """The signed-in member a portal page is rendered for."""

    member_id: str  # the shop's external member id
    locale: str  # "en" | "ru"
    csrf_token: str  # sent back by HTMX in X-CSRF-Token (hx-headers on <body>)


@dataclass(frozen=True, slots=True)
class NavEntry:
    """An entry of the portal's navigation: ``label`` is the English text (the msgid)."""

    label: str
    href: str


#: The portal's navigation, in order; the base template translates the labels.
PORTAL_NAV: tuple[NavEntry, ...] = (
    NavEntry(N_("Home"), "/portal/"),
    NavEntry(N_("History"), "/portal/history"),
    NavEntry(N_("Ways to earn"), "/portal/earn"),
    NavEntry(N_("Rewards"), "/portal/rewards"),
    NavEntry(N_("My coupons"), "/portal/coupons"),
    NavEntry(N_("Invite friends"), "/portal/referral"),
    NavEntry(N_("Achievements"), "/portal/achievements"),
    NavEntry(N_("Inbox"), "/portal/inbox"),
    NavEntry(N_("Preferences"), "/portal/preferences"),
    NavEntry(N_("Privacy"), "/portal/privacy"),
)


#: Functions every portal template may call: money in minor units as whole units, and
#: money without a fraction it does not have.
HELPERS: Mapping[str, Any] = {"minor": explain.minor, "short_money": explain.short_money}


def portal_router() -> APIRouter:
    """A portal module's router: pages under ``/portal``, not in the OpenAPI document."""
    return APIRouter(prefix="/portal", include_in_schema=False)


def session_cookie(settings: Settings) -> str:
    """The member session's cookie: ``__Host-`` prefixed when Secure (as the staff
    cookie is, ``LOYALIST_STAFF__COOKIE_SECURE``), plain for loopback development."""
    secure = settings.staff.cookie_secure
    return "__Host-loyalist_member_session" if secure else "loyalist_member_session"


def session_config(settings: Settings) -> sessions.SessionConfig:
    portal = settings.portal
    return sessions.SessionConfig(
        idle=timedelta(minutes=portal.idle_minutes),
        absolute=timedelta(hours=portal.absolute_hours),
    )


async def current(request: Request) -> sessions.Current | None:
    """The live member session of the request's cookie (read once per request), or None."""
    if hasattr(request.state, "portal_current"):
        found: sessions.Current | None = request.state.portal_current
        return found
    settings = app_of(request).settings
    session_id = request.cookies.get(session_cookie(settings))
    found = None
    if session_id:
        config = session_config(settings)
        found = await read(request, lambda uow: sessions.current_session(uow, session_id, config))
        if found is not None and found.is_stale:
            id_hash = found.id_hash
            await write(request, lambda uow: sessions.see_session(uow, id_hash))
    request.state.portal_current = found
    return found


def page_locale(request: Request, member_locale: str | None = None) -> str:
    """The page's language: ``?lang``, else the remembered choice, else the member's
    locale, else ``Accept-Language``, else English."""
    remembered = request.cookies.get(LANG_COOKIE)
    return choose_locale(request, remembered if remembered in SUPPORTED else member_locale)


async def visitor(request: Request) -> Visitor:
    """The signed-in member of the request; an unsafe method must send the session's CSRF
    token in ``X-CSRF-Token``.

    Raises:
        MemberSessionMissingError: no cookie, or its session ended.
        CsrfFailedError: an unsafe method without the session's CSRF token.
    """
    cached = getattr(request.state, _VISITOR, None)
    if isinstance(cached, Visitor):
        return cached
    found = await current(request)
    if found is None:
        raise MemberSessionMissingError("sign in to the portal first")
    if request.method not in SAFE_METHODS:
        given = request.headers.get("x-csrf-token", "")
        if not hmac.compare_digest(given.encode(), found.csrf_token.encode()):
            raise CsrfFailedError("send the page's CSRF token in the X-CSRF-Token header")
    who = Visitor(found.external_id, page_locale(request, found.locale), found.csrf_token)
    setattr(request.state, _VISITOR, who)
    return who


def remember_locale(request: Request, response: Response) -> None:
    """Keep a ``?lang=`` choice in the language cookie (a year, readable by no script)."""
    asked = request.query_params.get("lang", "")
    if asked in SUPPORTED and request.cookies.get(LANG_COOKIE) != asked:
        response.set_cookie(
            LANG_COOKIE,
            asked,
            max_age=365 * 24 * 3600,
            path="/",
            secure=app_of(request).settings.staff.cookie_secure,
            httponly=True,
            samesite="lax",
        )


async def member_page(
    request: Request,
    template: str,
    context: Mapping[str, Any] | None = None,
    *,
    status: int = 200,
) -> HTMLResponse:
    """``template`` (a page extending ``portal/base.html.j2``, or a fragment) rendered in
    the visitor's language; the context gains ``visitor``, ``nav`` and ``path``.

    Raises:
        MemberSessionMissingError: no live member session (see :func:`visitor`).
    """
    who = await visitor(request)
    shown = {"visitor": who, "nav": PORTAL_NAV, "path": request.url.path, **HELPERS}
    response = render(template, {**shown, **(context or {})}, locale=who.locale, status=status)
    remember_locale(request, response)
    return response


def public_page(
    request: Request,
    template: str,
    context: Mapping[str, Any] | None = None,
    *,
    status: int = 200,
    locale: str | None = None,
) -> HTMLResponse:
    """A page anyone may open (sign-in, how it works, a refused link), in ``locale`` or the
    page's language; the context gains ``nav`` (empty) and ``path``."""
    shown = {"nav": (), "path": request.url.path, **HELPERS, **(context or {})}
    chosen = locale or page_locale(request)
    response = render(template, shown, locale=chosen, status=status)
    remember_locale(request, response)
    return response
