"""The member's home page: balance (available, pending with when it matures, on hold),
points expiring per lot with their dates, and the tier with its progress."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from loyalist.web.portal import kit

router = kit.portal_router()


@router.get("/")
async def home(request: Request) -> Response:
    """The member's home page."""
    return await kit.member_page(request, "portal/home.html.j2", {})
