"""Template routes: preview a lifecycle message's template in both languages, without
sending anything."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Path, Request
from starlette.responses import Response

from loyalist.api.deps import app_of, read, refuse_nul, require
from loyalist.api.problems import problem_responses
from loyalist.api.responses import JsonResponse
from loyalist.db.uow import UnitOfWork
from loyalist.members.errors import MemberNotFoundError
from loyalist.messages import previews
from loyalist.messages import service as messages
from loyalist.messages.errors import (
    TemplateContextInvalidError,
    TemplateNotFoundError,
    TemplateOutputTooLargeError,
    TemplateRenderFailedError,
    TemplateRenderTooLongError,
    TemplateVariableUndefinedError,
)
from loyalist.messages.schemas import PreviewIn, PreviewRead
from loyalist.staff.models import Scope

router = APIRouter(prefix="/api/v1", tags=["messages"], dependencies=[Depends(refuse_nul)])

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
    dependencies=[Depends(require(Scope.MESSAGES_READ))],
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
