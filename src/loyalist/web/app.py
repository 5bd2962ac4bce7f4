"""The whole application: the API (``loyalist.api.app``) with the console, the portal and their
static files, and errors on pages answered as pages.

An error on a console or portal path is a page, not problem+json: no session (or an ended
one) goes to the sign-in page (a console path that does not exist too, so a signed-out
visitor learns nothing of which pages there are) — by ``HX-Redirect`` for an HTMX request,
since a redirect would be followed inside the fragment — and any other problem is shown with
its fields. An HTMX request gets the problem as a fragment, which the layout's
``htmx-config`` swaps in (4xx answers are swapped, not dropped).
"""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable
from typing import Any, cast

import orjson
from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.staticfiles import StaticFiles

from loyalist.api import app as api_app
from loyalist.api.deps import app_of, session_cookie
from loyalist.bootstrap import Loyalist
from loyalist.errors import DomainError, UnauthorizedError
from loyalist.staff.errors import TwoFactorEnrolmentRequiredError, TwoFactorRequiredError
from loyalist.web.console import (
    auth,
    coupons,
    dashboard,
    kit,
    members,
    messaging,
    operations,
    program,
    referrals,
)
from loyalist.web.portal import achievements as portal_achievements
from loyalist.web.portal import coupons as portal_coupons
from loyalist.web.portal import inbox as portal_inbox
from loyalist.web.portal import preferences as portal_preferences
from loyalist.web.portal import privacy as portal_privacy
from loyalist.web.portal import referral as portal_referral
from loyalist.web.portal import rewards as portal_rewards
from loyalist.web.portal import routes as portal
from loyalist.web.templating import STATIC, render

Handler = Callable[[Request, Any], Awaitable[Response]]
CONSOLE = "/console"
PORTAL = "/portal"
#: Where the portal sends a visitor without a member session.
PORTAL_SIGN_IN = "/portal/sign-in"


def create_app(
    loyalist: Loyalist, *, embedded_worker: bool | None = None, owns_loyalist: bool = False
) -> FastAPI:
    """The API with the console and the portal (``owns_loyalist``: see ``api.app``)."""
    app = api_app.create_app(loyalist, embedded_worker=embedded_worker, owns_loyalist=owns_loyalist)
    install(app)
    return app


def install(app: FastAPI) -> None:
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for module in (
        auth,
        dashboard,
        members,
        program,
        coupons,
        referrals,
        messaging,
        operations,
        portal_rewards,
        portal_coupons,
        portal_referral,
        portal_achievements,
        portal_inbox,
        portal_preferences,
        portal_privacy,
    ):
        app.include_router(module.router)
    app.include_router(portal.router)
    for kind in (DomainError, RequestValidationError, StarletteHTTPException):
        app.exception_handlers[kind] = _on_pages(cast(Handler, app.exception_handlers[kind]))


def _on_pages(api_handler: Handler) -> Handler:
    async def handle(request: Request, exc: Any) -> Response:
        path = request.url.path
        if not (path.startswith((f"{CONSOLE}/", f"{PORTAL}/")) or path in (CONSOLE, PORTAL)):
            return await api_handler(request, exc)
        answer = await api_handler(request, exc)
        return await _page_problem(request, exc, answer)

    return handle


async def _page_problem(request: Request, exc: Any, answer: Response) -> Response:
    path = request.url.path
    in_console = path.startswith(CONSOLE)
    signed_out = (
        in_console
        and answer.status_code == 404
        and session_cookie(app_of(request).settings.staff) not in request.cookies
    )
    if signed_out or isinstance(
        exc, UnauthorizedError | TwoFactorRequiredError | TwoFactorEnrolmentRequiredError
    ):
        target = auth.sign_in_location(path) if in_console else PORTAL_SIGN_IN
        if request.headers.get("hx-request") == "true":
            return Response(status_code=204, headers={"HX-Redirect": target})
        return RedirectResponse(target, status_code=303)
    body = orjson.loads(bytes(answer.body)) if answer.body else {}
    shown = {"problem": body, "home": f"{CONSOLE}/" if in_console else f"{PORTAL}/"}
    if request.headers.get("hx-request") == "true":
        return render("problem_fragment.html.j2", shown, status=answer.status_code)
    if in_console:
        # A signed-in user sees the problem inside the console, with its navigation.
        with contextlib.suppress(DomainError):
            return await kit.page(
                request, "console/problem.html.j2", shown, status=answer.status_code
            )
    return render("problem.html.j2", shown, status=answer.status_code)
