"""What every console page shares: who is looking (their name, permissions and the
session's CSRF token, which HTMX sends back in ``X-CSRF-Token``), the navigation they may
use, and rendering a page or a fragment for them.

A page's route is guarded like an API route (``dependencies=[Depends(require(P))]`` on a
``GuardedRoute`` router); :func:`page` then reads the session once more for the CSRF token.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Depends
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.types import Lifespan

from loyalist.api.deps import GuardedRoute, refuse_nul, staff_session
from loyalist.staff.models import Permission as P
from loyalist.web.templating import render


@dataclass(frozen=True, slots=True)
class Viewer:
    """The signed-in staff user a page is rendered for."""

    user_id: int
    name: str
    permissions: frozenset[P]
    csrf_token: str

    def can(self, permission: P | str) -> bool:
        return P(permission) in self.permissions


@dataclass(frozen=True, slots=True)
class Section:
    """An entry of the console's navigation: shown to whoever holds any of ``needs``."""

    label: str
    href: str
    needs: tuple[P, ...]


#: The console's sections, in the order of the navigation. Each ``href`` is a page of the
#: section's module, guarded by (one of) ``needs``.
SECTIONS: tuple[Section, ...] = (
    Section("Dashboard", "/console/dashboard", (P.ANALYTICS_READ,)),
    Section("Members", "/console/members", (P.MEMBERS_READ,)),
    Section("Program", "/console/program", (P.PROGRAM_READ,)),
    Section("Coupons", "/console/coupons", (P.PROGRAM_READ,)),
    Section("Referrals", "/console/referrals", (P.REFERRALS_READ,)),
    Section("Messages", "/console/messages", (P.MESSAGES_READ,)),
    Section("Campaigns", "/console/campaigns", (P.CAMPAIGNS_READ,)),
    Section(
        "Operations",
        "/console/operations",
        (
            P.STAFF_MANAGE,
            P.KEYS_MANAGE,
            P.MESSAGES_READ,
            P.EVENTS_WRITE,
            P.AUDIT_READ,
            P.PRIVACY_REQUESTS,
        ),
    ),
)


def console_router(*, lifespan: Lifespan[Any] | None = None) -> APIRouter:
    """A section's router: pages under ``/console``, guarded like the API, not in the
    OpenAPI document; U+0000 in a path, query or form field is refused (400-class) as by
    the API, not left to fail in PostgreSQL. ``lifespan``: the section's part of the
    application's (what it must stop at shutdown)."""
    return APIRouter(
        prefix="/console",
        route_class=GuardedRoute,
        include_in_schema=False,
        dependencies=[Depends(refuse_nul)],
        lifespan=lifespan,
    )


async def viewer(request: Request) -> Viewer:
    """The signed-in staff user of the request's session (the guard has admitted them)."""
    current = await staff_session(request)
    return Viewer(current.user_id, current.name, frozenset(current.permissions), current.csrf_token)


def sections(who: Viewer) -> list[Section]:
    """The sections ``who`` may open."""
    return [s for s in SECTIONS if any(who.can(p) for p in s.needs)]


async def page(
    request: Request,
    template: str,
    context: Mapping[str, Any] | None = None,
    *,
    status: int = 200,
    headers: Mapping[str, str] | None = None,
) -> HTMLResponse:
    """``template`` (a page extending ``console/base.html.j2``, or a fragment) rendered for
    the request's staff user; the context gains ``viewer``, ``sections`` and ``path``."""
    who = await viewer(request)
    shown = {"viewer": who, "sections": sections(who), "path": request.url.path}
    return render(template, {**shown, **(context or {})}, status=status, headers=headers)


def is_htmx(request: Request) -> bool:
    """Whether the request is HTMX's (it wants a fragment, not a whole page)."""
    return request.headers.get("hx-request") == "true"
