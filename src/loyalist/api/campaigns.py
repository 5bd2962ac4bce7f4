"""Campaign routes: create and change campaigns (and their history), pause, resume,
cancel; the seasonal calendar."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from starlette.responses import Response

from loyalist.api.deps import GuardedRoute, app_of, read, refuse_nul, require, write
from loyalist.api.problems import problem_responses
from loyalist.api.responses import Items, JsonResponse
from loyalist.campaigns import seasons
from loyalist.campaigns import service as campaigns
from loyalist.campaigns.errors import (
    CampaignExistsError,
    CampaignInvalidError,
    CampaignNotEditableError,
    CampaignOfferInactiveError,
    CampaignOfferInvalidError,
    CampaignSeasonNotFoundError,
    CampaignStateConflictError,
    MarketingCampaignNotFoundError,
)
from loyalist.campaigns.schemas import (
    CAMPAIGN_KEY,
    CampaignHistory,
    CampaignRead,
    CampaignSpec,
    Season,
    SeasonCopy,
)
from loyalist.db.uow import UnitOfWork
from loyalist.messages.errors import (
    TemplateOutputTooLargeError,
    TemplatePartsInvalidError,
    TemplateRenderFailedError,
    TemplateRenderTooLongError,
    TemplateSyntaxInvalidError,
    TemplateUnsafeError,
    TemplateVariableUndefinedError,
)
from loyalist.staff.models import Permission
from loyalist.staff.service import Principal

router = APIRouter(
    prefix="/api/v1",
    tags=["campaigns"],
    dependencies=[Depends(refuse_nul)],
    route_class=GuardedRoute,
)

Key = Annotated[
    str,
    Path(
        pattern=CAMPAIGN_KEY,
        description="the campaign's key: lower-case letters, digits, _ and -, up to 32",
    ),
]
#: What a campaign's inline content may answer when it is stored (launch, or a change of
#: a scheduled campaign): a part that does not compile or render, with its pointer.
CONTENT_PROBLEMS = (
    TemplatePartsInvalidError,
    TemplateSyntaxInvalidError,
    TemplateVariableUndefinedError,
    TemplateUnsafeError,
    TemplateOutputTooLargeError,
    TemplateRenderTooLongError,
    TemplateRenderFailedError,
)
SeasonKey = Annotated[str, Path(max_length=32, description="a season's key (GET …/seasons)")]


def _view(found: CampaignRead) -> dict[str, Any]:
    return found.model_dump(mode="json")


# -- the seasonal calendar (before /campaigns/{key}, which would take "seasons") -----------
@router.get(
    "/campaigns/seasons",
    response_model=Items[Season],
    dependencies=[Depends(require(Permission.CAMPAIGNS_READ))],
)
async def list_seasons(request: Request) -> Response:
    """The seasonal calendar: New Year, 8 March, Black Friday, back to school and the
    other seasons a shop runs, each with its next occurrence (soonest first) and a
    ready-to-copy campaign spec in English and Russian (send time local to each member,
    the offer ending in the program's time zone)."""
    app = app_of(request)
    zone = app.program.zone
    today = app.clock.now().astimezone(zone).date()
    return JsonResponse({"items": seasons.calendar(today, zone)})


@router.post(
    "/campaigns/seasons/{season}/copy",
    status_code=201,
    response_model=CampaignRead,
    responses=problem_responses(CampaignSeasonNotFoundError, CampaignExistsError),
)
async def copy_season(
    season: SeasonKey,
    body: SeasonCopy,
    request: Request,
    who: Principal = Depends(require(Permission.CAMPAIGNS_WRITE)),
) -> Response:
    """A new draft from a season, dated for its next occurrence; change it with PUT before
    launching it."""
    zone = app_of(request).program.zone

    def op(uow: UnitOfWork) -> dict[str, Any]:
        today = uow.now.astimezone(zone).date()
        return _view(
            campaigns.copy_season(uow, season, body.key, who.actor, today=today, zone=zone)
        )

    return JsonResponse(await write(request, op), status_code=201)


# -- campaigns ----------------------------------------------------------------------------
@router.get(
    "/campaigns",
    response_model=Items[CampaignRead],
    dependencies=[Depends(require(Permission.CAMPAIGNS_READ))],
)
async def list_campaigns(request: Request) -> Response:
    """Every campaign by key, with its state and its sends by status."""

    def op(uow: UnitOfWork) -> list[dict[str, Any]]:
        return [_view(found) for found in campaigns.list_campaigns(uow)]

    return JsonResponse({"items": await read(request, op)})


@router.put(
    "/campaigns/{key}",
    response_model=CampaignRead,
    status_code=201,
    responses=problem_responses(
        CampaignInvalidError,
        CampaignNotEditableError,
        # A scheduled campaign's change: its content and offer are checked as at launch.
        CampaignOfferInvalidError,
        CampaignOfferInactiveError,
        *CONTENT_PROBLEMS,
        success={
            200: {"model": CampaignRead, "description": "unchanged (the stored spec)"},
            201: {"description": "created, or a new revision"},
        },
    ),
)
async def put_campaign(
    key: Key,
    spec: CampaignSpec,
    request: Request,
    who: Principal = Depends(require(Permission.CAMPAIGNS_WRITE)),
) -> Response:
    """Create a campaign (a draft) or change its spec. The same spec again: 200, nothing
    written. A campaign's spec changes only while it is a draft or scheduled before its
    first send (409 ``campaign_not_editable`` after)."""

    def op(uow: UnitOfWork) -> tuple[dict[str, Any], bool]:
        found, written = campaigns.put_campaign(uow, key, spec, who.actor)
        return _view(found), written

    view, written = await write(request, op)
    return JsonResponse(view, status_code=201 if written else 200)


@router.get(
    "/campaigns/{key}",
    response_model=CampaignRead,
    dependencies=[Depends(require(Permission.CAMPAIGNS_READ))],
    responses=problem_responses(MarketingCampaignNotFoundError),
)
async def get_campaign(key: Key, request: Request) -> Response:
    """The campaign: its spec, state, revision and sends by status."""

    def op(uow: UnitOfWork) -> dict[str, Any]:
        return _view(campaigns.read(uow, campaigns.get(uow, key)))

    return JsonResponse(await read(request, op))


@router.delete(
    "/campaigns/{key}",
    status_code=204,
    responses=problem_responses(MarketingCampaignNotFoundError, CampaignNotEditableError),
)
async def delete_campaign(
    key: Key, request: Request, who: Principal = Depends(require(Permission.CAMPAIGNS_WRITE))
) -> Response:
    """Delete a draft and its history (409 ``campaign_not_editable`` once launched: cancel
    it instead)."""

    def op(uow: UnitOfWork) -> None:
        campaigns.delete_campaign(uow, key, who.actor)

    await write(request, op)
    return Response(status_code=204)


@router.get(
    "/campaigns/{key}/history",
    response_model=CampaignHistory,
    dependencies=[Depends(require(Permission.CAMPAIGNS_READ))],
    responses=problem_responses(MarketingCampaignNotFoundError),
)
async def campaign_history(key: Key, request: Request) -> Response:
    """Every change of the campaign, oldest first: its spec after each change, each state
    move, who made it and when."""

    def op(uow: UnitOfWork) -> list[dict[str, Any]]:
        return campaigns.history(uow, key)

    return JsonResponse({"key": key, "items": await read(request, op)})


@router.post(
    "/campaigns/{key}/pause",
    response_model=CampaignRead,
    responses=problem_responses(MarketingCampaignNotFoundError, CampaignStateConflictError),
)
async def pause_campaign(
    key: Key, request: Request, who: Principal = Depends(require(Permission.CAMPAIGNS_WRITE))
) -> Response:
    """Stop sending where it is; a paused campaign stays paused (repeat-safe)."""

    def op(uow: UnitOfWork) -> dict[str, Any]:
        return _view(campaigns.pause(uow, key, who.actor))

    return JsonResponse(await write(request, op))


@router.post(
    "/campaigns/{key}/resume",
    response_model=CampaignRead,
    responses=problem_responses(MarketingCampaignNotFoundError, CampaignStateConflictError),
)
async def resume_campaign(
    key: Key, request: Request, who: Principal = Depends(require(Permission.CAMPAIGNS_WRITE))
) -> Response:
    """Go on from where it was paused: no member is sent twice or skipped (repeat-safe)."""

    def op(uow: UnitOfWork) -> dict[str, Any]:
        return _view(campaigns.resume(uow, key, who.actor))

    return JsonResponse(await write(request, op))


@router.post(
    "/campaigns/{key}/cancel",
    response_model=CampaignRead,
    responses=problem_responses(MarketingCampaignNotFoundError, CampaignStateConflictError),
)
async def cancel_campaign(
    key: Key, request: Request, who: Principal = Depends(require(Permission.CAMPAIGNS_WRITE))
) -> Response:
    """End the campaign for good: pending sends cancelled, waiting messages stopped; what
    was sent is still measured (repeat-safe)."""

    def op(uow: UnitOfWork) -> dict[str, Any]:
        return _view(campaigns.cancel(uow, key, who.actor))

    return JsonResponse(await write(request, op))
