"""The public "how the program works" page: for guests, in the language of ``?lang=en|ru``
(remembered), else the browser's ``Accept-Language``; generated from the program in force,
with rule and tier names as the program file gives them."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from loyalist.api.deps import read
from loyalist.web.portal import kit
from loyalist.web.portal.home import program_view

router = kit.portal_router()


@router.get("/how-it-works")
async def how_it_works(request: Request) -> Response:
    """How members earn, the tiers and how points are used; open to anyone."""
    found = await kit.current(request)
    locale = kit.page_locale(request, found.locale if found else None)
    shown = await read(request, program_view(request, locale))
    if found is not None:
        shown["visitor"] = await kit.visitor(request)
        shown["nav"] = kit.PORTAL_NAV
    return kit.public_page(request, "portal/how_it_works.html.j2", shown, locale=locale)
