"""Webhook endpoint routes: register (the secret is shown once), list, change (URL, event
types, enable/disable: enabling replays what was held), rotate the secret."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Path, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from loyalist.api.deps import GuardedRoute, app_of, read, refuse_nul, require, write
from loyalist.api.problems import problem_responses
from loyalist.api.responses import JsonResponse, success
from loyalist.audit import service as audit
from loyalist.db.uow import UnitOfWork
from loyalist.messages import webhooks
from loyalist.messages.errors import WebhookEndpointNotFoundError, WebhookUrlRefusedError
from loyalist.messages.schemas import (
    EndpointIn,
    EndpointRead,
    EndpointUpdate,
    RotateIn,
    SecretRead,
)
from loyalist.staff.models import Permission
from loyalist.staff.service import Principal

router = APIRouter(
    prefix="/api/v1/webhook-endpoints",
    tags=["webhooks"],
    dependencies=[Depends(refuse_nul)],
    route_class=GuardedRoute,
)

EndpointId = Annotated[str, Path(min_length=1, max_length=40, description="the endpoint's id")]
_NEW: dict[str, Any] = {
    "points": {
        "summary": "points and tier changes to the shop",
        "value": {
            "url": "https://shop.example/hooks/loyalty",
            "description": "the shop's loyalty sync",
            "event_types": ["points.awarded", "points.matured", "tier.upgraded"],
        },
    }
}


def audit_change(
    uow: UnitOfWork,
    who: Principal,
    done: str,
    endpoint_id: str,
    after: dict[str, Any] | None = None,
) -> None:
    """Audit a change to an endpoint (never its secret)."""
    audit.record(
        uow,
        who.actor,
        f"webhook_endpoint.{done}",
        target_type="webhook_endpoint",
        target_id=endpoint_id,
        after=after,
    )


async def check_url(request: Request, url: str | None) -> None:
    if url is not None:
        allow = app_of(request).settings.messages.webhook_allow_private
        await run_in_threadpool(webhooks.checked_url, url, allow_private=allow)


_ENDPOINT = {
    "id": "whe_3c2a1de31b773a8c59b9",
    "url": "https://hooks.shop.example/loyalist",
    "description": "the storefront's sync",
    "event_types": ["points.awarded", "tier.upgraded"],
    "is_enabled": True,
    "failing_since": None,
    "disabled_at": None,
    "disabled_reason": None,
    "created_at": "2026-01-15T12:00:00Z",
}
_SECRET = {"endpoint": _ENDPOINT, "secret": "whsec_aY2YVoJxnjy4lXshT+2Gf+ycsu3/gogx1OTuWTkE558="}


@router.post(
    "",
    status_code=201,
    response_model=SecretRead,
    responses=problem_responses(
        WebhookUrlRefusedError,
        success={201: success(None, _SECRET, "Registered: the secret, shown this once")},
    ),
)
async def register_endpoint(
    body: Annotated[EndpointIn, Body(openapi_examples=_NEW)],
    request: Request,
    who: Principal = Depends(require(Permission.MESSAGES_WRITE)),
) -> Response:
    """Register an endpoint for the event types it wants. The answer holds its signing
    secret (`whsec_…`, Standard Webhooks) — shown this once; rotate it to get a new one.
    Loopback and private addresses are refused unless the server allows them."""
    await check_url(request, body.url)

    def op(uow: UnitOfWork) -> dict[str, Any]:
        made = webhooks.register(uow, body).model_dump(mode="json")
        audit_change(
            uow, who, "created", made["endpoint"]["id"], after=body.model_dump(mode="json")
        )
        return made

    return JsonResponse(await write(request, op), status_code=201)


@router.get(
    "",
    response_model=list[EndpointRead],
    dependencies=[Depends(require(Permission.MESSAGES_READ))],
    responses={200: success(None, [_ENDPOINT], "The endpoints")},
)
async def list_endpoints(request: Request) -> Response:
    """Every endpoint with its event types and health (secrets are never shown)."""

    def op(uow: UnitOfWork) -> list[dict[str, Any]]:
        return [e.model_dump(mode="json") for e in webhooks.list_endpoints(uow)]

    return JsonResponse(await read(request, op))


@router.patch(
    "/{endpoint_id}",
    response_model=EndpointRead,
    responses=problem_responses(
        WebhookEndpointNotFoundError,
        WebhookUrlRefusedError,
        success={200: success(None, _ENDPOINT, "Changed")},
    ),
)
async def update_endpoint(
    endpoint_id: EndpointId,
    body: EndpointUpdate,
    request: Request,
    who: Principal = Depends(require(Permission.MESSAGES_WRITE)),
) -> Response:
    """Change the URL, description or event types, or enable/disable the endpoint.
    Enabling a disabled endpoint sends, once, the webhooks held while it was disabled."""
    await check_url(request, body.url)

    def op(uow: UnitOfWork) -> dict[str, Any]:
        changed = webhooks.update(uow, endpoint_id, body).model_dump(mode="json")
        audit_change(uow, who, "changed", endpoint_id, after=body.model_dump(mode="json"))
        return changed

    return JsonResponse(await write(request, op))


@router.delete(
    "/{endpoint_id}",
    status_code=204,
    responses=problem_responses(
        WebhookEndpointNotFoundError, success={204: {"description": "Deleted"}}
    ),
)
async def delete_endpoint(
    endpoint_id: EndpointId,
    request: Request,
    who: Principal = Depends(require(Permission.MESSAGES_WRITE)),
) -> Response:
    """Delete the endpoint and its secrets. Webhooks still waiting for it end `failed`
    ("the webhook endpoint was deleted"); those already sent stay in the members'
    message histories. To pause an endpoint instead, PATCH `is_enabled: false`."""

    def op(uow: UnitOfWork) -> None:
        webhooks.delete(uow, endpoint_id)
        audit_change(uow, who, "deleted", endpoint_id)

    await write(request, op)
    return Response(status_code=204)


@router.post(
    "/{endpoint_id}/rotate-secret",
    response_model=SecretRead,
    responses=problem_responses(
        WebhookEndpointNotFoundError,
        success={200: success(None, _SECRET, "The new secret, shown this once")},
    ),
)
async def rotate_secret(
    endpoint_id: EndpointId,
    request: Request,
    body: RotateIn | None = None,
    who: Principal = Depends(require(Permission.MESSAGES_WRITE)),
) -> Response:
    """A new signing secret (shown this once). The old one keeps signing next to it for
    `overlap_hours` (two `v1,` signatures), so receivers switch without a gap."""
    overlap = timedelta(hours=(body or RotateIn()).overlap_hours)

    def op(uow: UnitOfWork) -> dict[str, Any]:
        rotated = webhooks.rotate(uow, endpoint_id, overlap=overlap).model_dump(mode="json")
        audit_change(uow, who, "secret_rotated", endpoint_id)
        return rotated

    return JsonResponse(await write(request, op))
