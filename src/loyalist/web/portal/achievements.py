"""``/portal/achievements``: the member's badges, the quests running now with their
steps, streaks (current and best) and level, in the member's language."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse

from loyalist.api.deps import app_of, read
from loyalist.db.uow import UnitOfWork
from loyalist.gamification import service as gamification
from loyalist.members import service as members
from loyalist.web.portal import kit

router = kit.portal_router()


@router.get("/achievements")
async def achievements_page(request: Request) -> HTMLResponse:
    """Badges earned (newest first, as the gamification domain lists them), quests with
    each step's progress, streaks and the level with the points to the next one."""
    who = await kit.visitor(request)
    program = app_of(request).program

    def op(uow: UnitOfWork) -> dict[str, Any]:
        member_pk = members.get_member_id(uow, who.member_id)
        return gamification.member_gamification(uow, member_pk, program, who.locale)

    return await kit.member_page(request, "portal/achievements.html.j2", await read(request, op))
