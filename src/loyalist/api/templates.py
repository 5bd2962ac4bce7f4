"""Template routes: the templates with their live versions, a template's source and
versions, a new version (checked against the sample data first), and previews in both
languages without sending anything."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Path, Request
from starlette.responses import Response

from loyalist.api.deps import GuardedRoute, app_of, read, refuse_nul, require, write
from loyalist.api.problems import problem_responses
from loyalist.api.responses import Items, JsonResponse
from loyalist.db.uow import UnitOfWork
from loyalist.members.errors import MemberNotFoundError
from loyalist.messages import editing, previews
from loyalist.messages import service as messages
from loyalist.messages.errors import (
    TemplateContextInvalidError,
    TemplateNotFoundError,
    TemplateOutputTooLargeError,
    TemplatePartsInvalidError,
    TemplateRenderFailedError,
    TemplateRenderTooLongError,
    TemplateSyntaxInvalidError,
    TemplateUnsafeError,
    TemplateVariableUndefinedError,
)
from loyalist.messages.schemas import (
    PreviewIn,
    PreviewRead,
    TemplateIn,
    TemplateListItem,
    TemplateVersionRead,
)
from loyalist.staff.models import Permission
from loyalist.staff.service import Principal

router = APIRouter(
    prefix="/api/v1",
    tags=["messages"],
    dependencies=[Depends(refuse_nul)],
    route_class=GuardedRoute,
)

TemplateKeyPath = Annotated[
    str,
    Path(
        min_length=1,
        max_length=64,
        description="the template's key: welcome, order_confirmation, shipped, delivered, "
        "post_purchase_tips, review_request, nps_survey, points_matured, points_expiring, "
        "balance_statement, tier_upgrade, tier_downgrade_warning, membership_renewal, "
        "reward_issued, referral_converted, referral_friend_welcome, birthday, win_back, "
        "packing_note",
    ),
]
LocalePath = Annotated[str, Path(min_length=2, max_length=8, description="en or ru")]
_VERSION_EXAMPLES: dict[str, Any] = {
    "points_matured": {
        "summary": "points_matured in English (subject, text, html)",
        "value": {
            "subject": "{{ matured_points|points }} are ready to spend",
            "text": "Hi {{ member.first_name }},\n\n{{ matured_points|points }} are now "
            "available. Balance: {{ member.points_balance|points }}.\n{{ portal_url }}",
            "html": "<p>Hi {{ member.first_name }},</p><p><strong>{{ matured_points|points }}"
            '</strong> are now available.</p><p><a href="{{ portal_url }}">Spend them</a></p>',
        },
    },
}
_EXAMPLES: dict[str, Any] = {
    "sample": {"summary": "the shipped sample data", "value": {}},
    "member": {
        "summary": "a member's name, balance, tier and time zone in the sample",
        "value": {"member_id": "cust-1001"},
    },
    "context": {
        "summary": "a whole context (points_matured)",
        "value": {
            "context": {
                "member": {"first_name": "Anna", "points_balance": 1250, "tier": "Gold"},
                "matured_points": 320,
                "portal_url": "https://shop.example/account/points",
            }
        },
    },
}


@router.post(
    "/templates/{key}/preview",
    response_model=PreviewRead,
    dependencies=[Depends(require(Permission.MESSAGES_READ))],
    responses=problem_responses(
        TemplateNotFoundError,
        MemberNotFoundError,
        TemplateContextInvalidError,
        TemplateVariableUndefinedError,
        TemplateRenderFailedError,
        TemplateOutputTooLargeError,
        TemplateRenderTooLongError,
    ),
)
async def preview_template(
    key: TemplateKeyPath,
    request: Request,
    body: Annotated[PreviewIn | None, Body(openapi_examples=_EXAMPLES)] = None,
) -> Response:
    """Render a template (subject, text, HTML in the brand layout, short text) in English
    and Russian, nothing sent: with the shipped sample data, a whole context of your own
    (problems point into it: `/context/order/lines/0/quantity`), and/or a member's own
    name, balance, tier and time zone."""
    app = app_of(request)
    brand = messages.brand_kit(app.settings)

    def op(uow: UnitOfWork) -> dict[str, Any]:
        found = previews.preview_template(
            uow, key, body or PreviewIn(), brand=brand, program=app.program
        )
        return found.model_dump(mode="json")

    return JsonResponse(await read(request, op))


@router.get(
    "/templates",
    response_model=Items[TemplateListItem],
    dependencies=[Depends(require(Permission.MESSAGES_READ))],
)
async def list_templates(request: Request) -> Response:
    """Every template with its parts and its live version per locale (0: the shipped
    default)."""

    def op(uow: UnitOfWork) -> list[dict[str, Any]]:
        return [item.model_dump(mode="json") for item in editing.list_templates(uow)]

    return JsonResponse({"items": await read(request, op)})


@router.get(
    "/templates/{key}/{locale}",
    response_model=TemplateVersionRead,
    dependencies=[Depends(require(Permission.MESSAGES_READ))],
    responses=problem_responses(TemplateNotFoundError),
)
async def get_template(key: TemplateKeyPath, locale: LocalePath, request: Request) -> Response:
    """The live source of a template in a locale: the newest stored version, else the
    shipped default (version 0)."""

    def op(uow: UnitOfWork) -> dict[str, Any]:
        return editing.template_view(uow, key, locale).model_dump(mode="json")

    return JsonResponse(await read(request, op))


@router.get(
    "/templates/{key}/{locale}/versions",
    dependencies=[Depends(require(Permission.MESSAGES_READ))],
    responses=problem_responses(TemplateNotFoundError),
)
async def template_versions(key: TemplateKeyPath, locale: LocalePath, request: Request) -> Response:
    """Every version of a template in a locale, newest (live) first, ending with the
    shipped default (version 0). A message keeps the version live when it was queued."""

    def op(uow: UnitOfWork) -> list[dict[str, Any]]:
        return [v.model_dump(mode="json") for v in editing.template_versions(uow, key, locale)]

    return JsonResponse({"items": await read(request, op)})


@router.put(
    "/templates/{key}/{locale}",
    responses=problem_responses(
        TemplateNotFoundError,
        TemplatePartsInvalidError,
        TemplateSyntaxInvalidError,
        TemplateVariableUndefinedError,
        TemplateUnsafeError,
        TemplateRenderFailedError,
        TemplateOutputTooLargeError,
        TemplateRenderTooLongError,
        success={200: {"description": "unchanged"}, 201: {"description": "new version"}},
    ),
)
async def put_template(
    key: TemplateKeyPath,
    locale: LocalePath,
    body: Annotated[TemplateIn, Body(openapi_examples=_VERSION_EXAMPLES)],
    request: Request,
    who: Principal = Depends(require(Permission.MESSAGES_WRITE)),
) -> Response:
    """Store a new version of a template in a locale, live for messages queued from now
    on. It must have exactly the template's parts, compile in the sandbox and render the
    template's sample data (a variable the template's context has not: 422 pointing at
    the part). The same content as the live version again: 200, no version."""

    def op(uow: UnitOfWork) -> tuple[dict[str, Any], bool]:
        found, created = editing.save_template(uow, key, locale, body, who.actor, who=who.name)
        return found.model_dump(mode="json"), created

    content, created = await write(request, op)
    return JsonResponse(content, status_code=201 if created else 200)
