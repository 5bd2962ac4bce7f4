"""Gamification routes: badge, quest, streak and level definitions; a member's game."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import BaseModel
from starlette.responses import Response

from loyalist.api.deps import GuardedRoute, MemberId, app_of, read, refuse_nul, require, write
from loyalist.api.problems import problem_responses
from loyalist.api.responses import Items, JsonResponse
from loyalist.audit import service as audit
from loyalist.db.uow import UnitOfWork
from loyalist.gamification import service as gamification
from loyalist.gamification.errors import NOT_FOUND, GamificationInvalidError
from loyalist.gamification.models import DefinitionKind
from loyalist.gamification.schemas import (
    BadgeRead,
    BadgeSpec,
    LevelRead,
    LevelSpec,
    MemberGame,
    MemberQuests,
    QuestRead,
    QuestSpec,
    Spec,
    StreakRead,
    StreakSpec,
)
from loyalist.members import service as members
from loyalist.members.errors import MemberNotFoundError
from loyalist.staff.models import Permission
from loyalist.staff.service import Principal

router = APIRouter(
    prefix="/api/v1",
    tags=["gamification"],
    dependencies=[Depends(refuse_nul)],
    route_class=GuardedRoute,
)

Key = Annotated[
    str,
    Path(
        pattern=r"^[a-z0-9][a-z0-9_\-]{0,63}$",
        description="the definition's key: lower-case letters, digits, _ and -, up to 64",
    ),
]
Locale = Annotated[
    str | None, Query(description="en or ru; default: Accept-Language, then the member's")
]


async def _put(
    request: Request, who: Principal, kind: DefinitionKind, key: str, spec: Spec
) -> Response:
    def op(uow: UnitOfWork) -> tuple[dict[str, Any], bool]:
        row, created = gamification.put_definition(uow, kind, key, spec)
        view = gamification.definition_view(row)
        audit.record(
            uow, who.actor, f"{kind}.changed", target_type=str(kind), target_id=key, after=view
        )
        return view, created

    view, created = await write(request, op)
    return JsonResponse(view, status_code=201 if created else 200)


#: The answer model of each kind of definition.
READS: dict[DefinitionKind, type[BaseModel]] = {
    DefinitionKind.BADGE: BadgeRead,
    DefinitionKind.QUEST: QuestRead,
    DefinitionKind.STREAK: StreakRead,
    DefinitionKind.LEVEL: LevelRead,
}


def _put_responses(kind: DefinitionKind) -> dict[int | str, dict[str, Any]]:
    return problem_responses(
        GamificationInvalidError,
        success={
            200: {"model": READS[kind], "description": "updated or unchanged"},
            201: {"description": "created"},
        },
    )


@router.put(
    "/badges/{key}",
    status_code=201,
    response_model=BadgeRead,
    responses=_put_responses(DefinitionKind.BADGE),
)
async def put_badge(
    key: Key,
    spec: BadgeSpec,
    request: Request,
    who: Principal = Depends(require(Permission.RULES_WRITE)),
) -> Response:
    """Create or replace a badge; ``criteria`` is CEL over ``member``, ``event`` and
    ``now``, compiled now (422 ``gamification_invalid`` with the pointer ``/criteria``)."""
    return await _put(request, who, DefinitionKind.BADGE, key, spec)


@router.put(
    "/quests/{key}",
    status_code=201,
    response_model=QuestRead,
    responses=_put_responses(DefinitionKind.QUEST),
)
async def put_quest(
    key: Key,
    spec: QuestSpec,
    request: Request,
    who: Principal = Depends(require(Permission.RULES_WRITE)),
) -> Response:
    """Create or replace a quest: steps, a period (fixed, or each month or week in the
    program time zone) and a reward (points, a coupon, a badge), granted once per period."""
    return await _put(request, who, DefinitionKind.QUEST, key, spec)


@router.put(
    "/streaks/{key}",
    status_code=201,
    response_model=StreakRead,
    responses=_put_responses(DefinitionKind.STREAK),
)
async def put_streak(
    key: Key,
    spec: StreakSpec,
    request: Request,
    who: Principal = Depends(require(Permission.RULES_WRITE)),
) -> Response:
    """Create or replace a streak: consecutive weeks or months with a qualifying event."""
    return await _put(request, who, DefinitionKind.STREAK, key, spec)


@router.put(
    "/levels/{key}",
    status_code=201,
    response_model=LevelRead,
    responses=_put_responses(DefinitionKind.LEVEL),
)
async def put_level(
    key: Key,
    spec: LevelSpec,
    request: Request,
    who: Principal = Depends(require(Permission.RULES_WRITE)),
) -> Response:
    """Create or replace a level, reached at ``points`` lifetime earned points."""
    return await _put(request, who, DefinitionKind.LEVEL, key, spec)


def _definition_routes(plural: str, kind: DefinitionKind) -> None:
    async def list_all(request: Request) -> Response:
        def op(uow: UnitOfWork) -> list[dict[str, Any]]:
            return [
                gamification.definition_view(r) for r in gamification.list_definitions(uow, kind)
            ]

        return JsonResponse({"items": await read(request, op)})

    async def get_one(key: Key, request: Request) -> Response:
        def op(uow: UnitOfWork) -> dict[str, Any]:
            return gamification.definition_view(gamification.get_definition(uow, kind, key))

        return JsonResponse(await read(request, op))

    async def deactivate(
        key: Key, request: Request, who: Principal = Depends(require(Permission.RULES_WRITE))
    ) -> Response:
        def op(uow: UnitOfWork) -> dict[str, Any]:
            view = gamification.definition_view(gamification.deactivate(uow, kind, key))
            audit.record(
                uow, who.actor, f"{kind}.deactivated", target_type=str(kind), target_id=key
            )
            return view

        return JsonResponse(await write(request, op))

    reader = [Depends(require(Permission.PROGRAM_READ))]
    handlers: list[tuple[str, str, Callable[..., Awaitable[Response]], str, Any]] = [
        ("GET", f"/{plural}", list_all, f"Every {kind} definition, active or not.", reader),
        ("GET", f"/{plural}/{{key}}", get_one, f"One {kind} definition.", reader),
        (
            "DELETE",
            f"/{plural}/{{key}}",
            deactivate,
            f"Stop the {kind} (``is_active: false``); what members earned stays.",
            None,
        ),
    ]
    for method, path, endpoint, summary, dependencies in handlers:
        router.add_api_route(
            path,
            endpoint,
            methods=[method],
            description=summary,
            name=f"{method.lower()}_{kind}{'s' if path.endswith(plural) else ''}",
            dependencies=dependencies,
            response_model=Items[READS[kind]] if path.endswith(plural) else READS[kind],  # type: ignore[valid-type]
            responses=None if path.endswith(plural) else problem_responses(NOT_FOUND[kind]),
        )


_definition_routes("badges", DefinitionKind.BADGE)
_definition_routes("quests", DefinitionKind.QUEST)
_definition_routes("streaks", DefinitionKind.STREAK)
_definition_routes("levels", DefinitionKind.LEVEL)


def _locale(request: Request, locale: str | None, member_locale: str) -> str:
    """``?locale=``, else the first language of ``Accept-Language``, else the member's."""
    header = request.headers.get("accept-language", "").split(",")[0].split(";")[0].strip()
    return locale or (header if header and header != "*" else member_locale)


@router.get(
    "/members/{member_id}/gamification",
    response_model=MemberGame,
    dependencies=[Depends(require(Permission.MEMBERS_READ))],
    responses=problem_responses(MemberNotFoundError),
)
async def member_gamification(
    member_id: MemberId, request: Request, locale: Locale = None
) -> Response:
    """The member's badges (with dates), quests in their current period, streaks (current
    and best) and level, in the member's language (or ``locale`` / ``Accept-Language``)."""
    program = app_of(request).program

    def op(uow: UnitOfWork) -> dict[str, Any]:
        member = members.get_member(uow, member_id)
        lang = _locale(request, locale, member.locale)
        return {
            "member_id": member_id,
            **gamification.member_gamification(uow, member.id, program, lang),
        }

    return JsonResponse(await read(request, op))


@router.get(
    "/members/{member_id}/quests",
    response_model=MemberQuests,
    dependencies=[Depends(require(Permission.MEMBERS_READ))],
    responses=problem_responses(MemberNotFoundError),
)
async def member_quests(member_id: MemberId, request: Request, locale: Locale = None) -> Response:
    """Every active quest in its current period with the member's steps done and needed."""
    program = app_of(request).program

    def op(uow: UnitOfWork) -> dict[str, Any]:
        member = members.get_member(uow, member_id)
        lang = _locale(request, locale, member.locale)
        return {
            "member_id": member_id,
            "items": gamification.member_quests(uow, member.id, program, lang),
        }

    return JsonResponse(await read(request, op))
