"""``POST /api/v1/events``: one event or a batch of up to 1,000."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from loyalist.activities import schemas
from loyalist.activities.errors import (
    BatchEmptyError,
    BatchInvalidError,
    BatchTooLargeError,
    EventIdReusedError,
    EventInvalidError,
    EventTypeUnknownError,
    OrderMemberMismatchError,
    ReturnSkuUnknownError,
    ReviewMemberMismatchError,
)
from loyalist.activities.service import ingest_events
from loyalist.api.deps import GuardedRoute, json_body, refuse_nul, require, write
from loyalist.api.problems import problem_responses
from loyalist.api.responses import JsonResponse
from loyalist.db.database import BatchOp
from loyalist.members.errors import MemberErasedError, MemberNotFoundError
from loyalist.metrics import INGESTED
from loyalist.staff.models import Permission

INGESTED_API = INGESTED.labels("api")
router = APIRouter(
    prefix="/api/v1", tags=["events"], dependencies=[Depends(refuse_nul)], route_class=GuardedRoute
)

_EVENT_SCHEMA = {"$ref": "#/components/schemas/EventIn"}


def document(schema: dict[str, Any]) -> None:
    """Publish the event format (``EventIn``, a union by ``type``) the route's body uses."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    for name, component in schemas.event_json_schemas("#/components/schemas/{model}").items():
        components.setdefault(name, component)


@router.post(
    "/events",
    status_code=202,
    response_model=schemas.EventAccepted | schemas.BatchAccepted,
    response_description="One event's result, or a batch's results and counts.",
    dependencies=[Depends(require(Permission.EVENTS_WRITE))],
    summary="Send one event or a batch of up to 1,000",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {
                        "oneOf": [
                            _EVENT_SCHEMA,
                            {"type": "array", "items": _EVENT_SCHEMA, "maxItems": 1000},
                            {
                                "type": "object",
                                "properties": {
                                    "events": {
                                        "type": "array",
                                        "items": _EVENT_SCHEMA,
                                        "maxItems": 1000,
                                    }
                                },
                                "required": ["events"],
                            },
                        ]
                    },
                    "examples": {
                        "one": {"summary": "one event", "value": schemas.EVENT_EXAMPLE},
                        "batch": {
                            "summary": "a batch",
                            "value": {"events": [schemas.EVENT_EXAMPLE]},
                        },
                    },
                }
            },
        }
    },
    responses=problem_responses(
        EventInvalidError,
        EventTypeUnknownError,
        BatchInvalidError,
        BatchEmptyError,
        BatchTooLargeError,
        ReturnSkuUnknownError,
        MemberNotFoundError,
        MemberErasedError,
        EventIdReusedError,
        OrderMemberMismatchError,
        ReviewMemberMismatchError,
    ),
)
async def post_events(request: Request) -> Response:
    """Send what happened in the shop: an order placed, paid, shipped, returned, a
    member enrolled, a review… (`EventIn`: `type` selects the shape of `data`; custom
    events are `x.<name>`).

    Idempotent by event id: a replay answers what the first call answered (header
    ``Idempotent-Replayed: true``) and changes nothing. A batch applies whole or not at all.
    """
    body = await json_body(request)
    events, is_batch = schemas.parse_batch(body)
    outcomes = await write(request, BatchOp(events, ingest_events))
    INGESTED_API.inc(sum(not o.replayed for o in outcomes))
    replayed = all(o.replayed for o in outcomes)
    headers = {"Idempotent-Replayed": "true"} if replayed else None
    content: Any
    if is_batch:
        content = {
            "results": [o.result for o in outcomes],
            "accepted": sum(not o.replayed for o in outcomes),
            "replayed": sum(o.replayed for o in outcomes),
        }
    else:
        content = outcomes[0].result
    return JsonResponse(content, status_code=202, headers=headers)
