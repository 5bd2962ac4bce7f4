"""Journey settings routes: every lifecycle journey's switch, channels and timing."""

from __future__ import annotations

from typing import Annotated, Any, Union

from fastapi import APIRouter, Body, Depends, Path, Request
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from starlette.responses import Response

from loyalist.api.deps import GuardedRoute, read, refuse_nul, require, write
from loyalist.api.problems import problem_responses
from loyalist.api.responses import JsonResponse
from loyalist.db.uow import UnitOfWork
from loyalist.messages.errors import JourneyNotFoundError, JourneySettingsInvalidError
from loyalist.messages.journeyconf import (
    JourneysConfig,
    change_journey,
    journey_model,
    journeys,
)
from loyalist.staff.models import Permission
from loyalist.staff.service import Principal

router = APIRouter(
    prefix="/api/v1",
    tags=["messages"],
    dependencies=[Depends(refuse_nul)],
    route_class=GuardedRoute,
)

JourneyName = Annotated[
    str,
    Path(
        min_length=1,
        max_length=40,
        description="welcome, order_confirmation, shipping, post_purchase, points, tier, "
        "rewards_referrals, birthday, win_back",
    ),
]
_EXAMPLES: dict[str, Any] = {
    "welcome": {
        "summary": "welcome (PUT /journeys/welcome): on, two hours after enrolment",
        "value": {"enabled": True, "channels": ["email"], "delay_hours": 2},
    },
    "post_purchase": {
        "summary": "post_purchase: tips, review request and NPS survey",
        "value": {
            "enabled": True,
            "tips_after_days": 3,
            "review_after_days": 10,
            "nps_after_days": 30,
            "review_points": 50,
            "review_url": "https://shop.example/p/{sku}/review?order={order_id}",
            "nps_url": "https://shop.example/nps/{survey_id}",
            "tips": [
                {
                    "category": "coffee",
                    "title": {"en": "Grind it fresh", "ru": "Мелите перед варкой"},
                    "body": {
                        "en": "Grind the beans just before brewing.",
                        "ru": "Мелите зёрна прямо перед варкой.",
                    },
                }
            ],
        },
    },
    "win_back": {
        "summary": "win_back: at-risk members get a personal coupon",
        "value": {
            "enabled": True,
            "segments": ["at_risk", "cant_lose"],
            "churn_risk_at_least": 0.7,
            "coupon_campaign": "come-back",
            "cooldown_days": 90,
        },
    },
}


@router.get(
    "/journeys",
    response_model=JourneysConfig,
    dependencies=[Depends(require(Permission.MESSAGES_READ))],
)
async def list_journeys(request: Request) -> Response:
    """Every journey's live settings (defaults for a journey never configured): the
    transactional order confirmation and shipping are on, the marketing journeys off."""

    def op(uow: UnitOfWork) -> dict[str, Any]:
        return journeys(uow).model_dump(mode="json")

    return JsonResponse(await read(request, op))


#: The answer of ``PUT /journeys/{name}``: that journey's live settings.
JourneySettings: Any = Union[  # noqa: UP007
    tuple(field.annotation for field in JourneysConfig.model_fields.values())
]


@router.put(
    "/journeys/{name}",
    response_model=JourneySettings,
    responses=problem_responses(
        JourneyNotFoundError,
        JourneySettingsInvalidError,
        success={
            200: {
                "description": "the journey's live settings",
                "content": {"application/json": {"example": _EXAMPLES["welcome"]["value"]}},
            }
        },
    ),
)
async def put_journey(
    name: JourneyName,
    body: Annotated[dict[str, Any], Body(openapi_examples=_EXAMPLES)],
    request: Request,
    who: Principal = Depends(require(Permission.MESSAGES_WRITE)),
) -> Response:
    """Replace one journey's settings (fields left out take their defaults; the schema of
    each journey: the `JourneysConfig` schema of `GET /journeys`). The journeys read the
    new settings from the next event on, in every process."""
    model = journey_model(name)
    try:
        settings = model.model_validate(body)
    except ValidationError as exc:
        raise RequestValidationError(
            [{**e, "loc": ("body", *e["loc"])} for e in exc.errors()]
        ) from None

    def op(uow: UnitOfWork) -> dict[str, Any]:
        return change_journey(uow, name, settings, who.actor, who=who.name)

    return JsonResponse(await write(request, op))
