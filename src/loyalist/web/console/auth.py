"""The console's sign-in pages and its front door.

Signing in is the API's (``/api/v1/auth``): the sign-in page's script posts JSON to its
steps (password, two-factor code, enrolment in two factors) and follows the stage it
answers, so the console has no second sign-in path to keep safe. ``/console/`` sends a
signed-in user to the first section they may open, anyone else to the sign-in page.
"""

from __future__ import annotations

from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from loyalist.api.deps import app_of, session_cookie, staff_session
from loyalist.staff.errors import SessionMissingError
from loyalist.staff.models import SessionStage
from loyalist.web.console.kit import console_router, page, sections, viewer
from loyalist.web.templating import render

router = console_router()
SIGN_IN = "/console/sign-in"


def sign_in_location(next_path: str | None = None) -> str:
    """The sign-in page, coming back to ``next_path`` (a console path) after."""
    if next_path and next_path.startswith("/console/") and not next_path.startswith(SIGN_IN):
        return f"{SIGN_IN}?next={quote(next_path, safe='/')}"
    return SIGN_IN


@router.get("/")
async def front_door(request: Request) -> Response:
    """The first section the signed-in user may open (the dashboard when they may see it);
    the sign-in page without a session."""
    if session_cookie(app_of(request).settings.staff) not in request.cookies:
        return RedirectResponse(SIGN_IN, status_code=303)
    try:
        await staff_session(request)
    except SessionMissingError:
        return RedirectResponse(SIGN_IN, status_code=303)
    allowed = sections(await viewer(request))
    if not allowed:
        return await page(request, "console/nothing.html.j2")
    return RedirectResponse(allowed[0].href, status_code=303)


@router.get("/sign-in")
async def sign_in_page(request: Request) -> Response:
    """The sign-in page: password, then the authenticator's code (or a recovery code),
    or — for a user whose roles need two factors and who has none — enrolment."""
    wanted = request.query_params.get("next", "")
    target = wanted if wanted.startswith("/console/") and "//" not in wanted else "/console/"
    stage, csrf = "password", ""
    if session_cookie(app_of(request).settings.staff) in request.cookies:
        try:
            current = await staff_session(request, frozenset(SessionStage))
        except SessionMissingError:
            pass
        else:
            if current.stage == SessionStage.COMPLETE:
                return RedirectResponse(target, status_code=303)
            stage, csrf = current.stage.value, current.csrf_token
    shown = {"next": target, "stage": stage, "csrf": csrf, "sections": [], "path": SIGN_IN}
    return render("console/sign_in.html.j2", shown)
