"""Shop connectors: create, list, read and change them (API key with ``keys.manage``), and
the route each platform posts its webhooks to, authenticated by the platform's signature."""

from __future__ import annotations

import logging
import time
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Body, Depends, Path, Request
from starlette.responses import Response

from loyalist.activities.errors import (
    EventIdReusedError,
    OrderMemberMismatchError,
    ReturnSkuUnknownError,
)
from loyalist.activities.schemas import parse_events
from loyalist.api.deps import GuardedRoute, read, refuse_nul, require, write
from loyalist.api.problems import problem_responses
from loyalist.api.responses import JsonResponse
from loyalist.connectors import service
from loyalist.connectors.adapters import adapter
from loyalist.connectors.adapters.base import Adapter, Adjustment, ConnectorConfig, Mapped
from loyalist.connectors.errors import (
    ConnectorExistsError,
    ConnectorNotFoundError,
    ConnectorPayloadInvalidError,
    ConnectorSignatureInvalidError,
)
from loyalist.connectors.schemas import (
    AdjustmentRead,
    ConnectorCreate,
    ConnectorRead,
    ConnectorUpdate,
    WebhookAnswer,
)
from loyalist.db.database import BatchOp
from loyalist.db.uow import UnitOfWork
from loyalist.errors import FieldError, InvalidRequestError, RequestInvalidError
from loyalist.members.errors import MemberErasedError, MemberNotFoundError
from loyalist.metrics import INGESTED
from loyalist.staff.models import Permission
from loyalist.staff.service import Principal

INGESTED_CONNECTOR = INGESTED.labels("connector")
log = logging.getLogger("loyalist.connectors")
router = APIRouter(prefix="/api/v1/connectors", tags=["connectors"], route_class=GuardedRoute)

ConnectorKey = Annotated[
    str, Path(min_length=1, max_length=64, description="the connector's key (in its URL)")
]
_NEW: dict[str, Any] = {
    "shopify": {
        "summary": "a Shopify shop",
        "value": {
            "platform": "shopify",
            "key": "main-shop",
            "secret": "the app's client secret",
            "currency": "EUR",
            "channel": "web",
        },
    }
}
_READ_EXAMPLE = {
    "key": "main-shop",
    "platform": "shopify",
    "webhook_path": "/api/v1/connectors/shopify/main-shop",
    "currency": "EUR",
    "channel": "web",
    "store": None,
    "is_enabled": True,
    "created_at": "2026-12-07T15:00:00Z",
    "updated_at": "2026-12-07T15:00:00Z",
}


@router.post(
    "",
    status_code=201,
    dependencies=[Depends(refuse_nul)],
    responses=problem_responses(
        ConnectorExistsError,
        success={
            201: {
                "model": ConnectorRead,
                "content": {"application/json": {"example": _READ_EXAMPLE}},
            }
        },
    ),
)
async def create_connector(
    body: Annotated[ConnectorCreate, Body(openapi_examples=_NEW)],
    request: Request,
    who: Principal = Depends(require(Permission.KEYS_MANAGE)),
) -> Response:
    """Connect a shop: its platform, the key its webhook URL ends with and the secret the
    platform signs webhooks with (write-only: stored encrypted, never shown again). Point the
    platform's webhooks at the answer's `webhook_path`."""

    def op(uow: UnitOfWork) -> dict[str, Any]:
        return service.create_connector(uow, body, actor=who.actor).model_dump(mode="json")

    made = await write(request, op)
    _receivers(request).forget(body.key)
    return JsonResponse(made, status_code=201)


@router.get(
    "",
    dependencies=[Depends(require(Permission.KEYS_MANAGE))],
    responses={200: {"model": list[ConnectorRead]}},
)
async def list_connectors(request: Request) -> Response:
    """Every connector (never a secret)."""

    def op(uow: UnitOfWork) -> list[dict[str, Any]]:
        return [c.model_dump(mode="json") for c in service.list_connectors(uow)]

    return JsonResponse(await read(request, op))


@router.get(
    "/{connector_key}",
    dependencies=[Depends(require(Permission.KEYS_MANAGE))],
    responses=problem_responses(ConnectorNotFoundError, success={200: {"model": ConnectorRead}}),
)
async def get_connector(connector_key: ConnectorKey, request: Request) -> Response:
    """One connector (never its secret)."""

    def op(uow: UnitOfWork) -> dict[str, Any]:
        return service.get_connector(uow, connector_key).model_dump(mode="json")

    return JsonResponse(await read(request, op))


@router.patch(
    "/{connector_key}",
    dependencies=[Depends(refuse_nul)],
    responses=problem_responses(ConnectorNotFoundError, success={200: {"model": ConnectorRead}}),
)
async def update_connector(
    connector_key: ConnectorKey,
    body: ConnectorUpdate,
    request: Request,
    who: Principal = Depends(require(Permission.KEYS_MANAGE)),
) -> Response:
    """Change the mapping, replace the secret, or disable (`is_enabled: false`: its webhooks
    are answered 404 until it is enabled again) or enable the connector."""

    def op(uow: UnitOfWork) -> dict[str, Any]:
        changed = service.update_connector(uow, connector_key, body, actor=who.actor)
        return changed.model_dump(mode="json")

    changed = await write(request, op)
    _receivers(request).forget(connector_key)
    return JsonResponse(changed)


class Receivers:
    """The enabled connectors webhooks came for, kept ``TTL`` seconds per process: a
    webhook then costs no read of its connector. A change made through this process's API
    applies at once; one made elsewhere (the CLI, another server) within ``TTL``."""

    TTL = 5.0

    def __init__(self) -> None:
        self._found: dict[tuple[str, str], tuple[float, service.Receiver | None]] = {}

    async def find(self, request: Request, platform: str, key: str) -> service.Receiver | None:
        now = time.monotonic()
        cached = self._found.get((platform, key))
        if cached is not None and now - cached[0] < self.TTL:
            return cached[1]
        found = await read(request, lambda uow: service.find_receiver(uow, platform, key))
        if len(self._found) > 10_000:  # keys in URLs are anyone's to invent
            self._found.clear()
        self._found[(platform, key)] = (now, found)
        return found

    def forget(self, key: str) -> None:
        for cached in [k for k in self._found if k[1] == key]:
            del self._found[cached]


def _receivers(request: Request) -> Receivers:
    state = request.app.state
    found: Receivers | None = getattr(state, "connector_receivers", None)
    if found is None:
        found = state.connector_receivers = Receivers()
    return found


def _adapter_of(platform: str) -> Adapter:
    """Raises:
    ConnectorNotFoundError: not a platform Loyalist has an adapter for."""
    if service.platform_of(platform) is None:
        raise ConnectorNotFoundError(f"no platform {platform!r}")
    try:
        return adapter(platform)
    except (KeyError, ImportError):
        raise ConnectorNotFoundError(f"no adapter for {platform!r} in this version") from None


def _notes(adjustments: list[Adjustment]) -> list[AdjustmentRead]:
    return [AdjustmentRead(pointer=a.pointer, note=a.note) for a in adjustments]


def _invalid(detail: str, pointer: str) -> ConnectorPayloadInvalidError:
    return ConnectorPayloadInvalidError(detail, errors=[FieldError(pointer, detail)])


def _mapped(chosen: Adapter, topic: str, body: bytes, config: ConnectorConfig) -> Mapped:
    """The events of a verified webhook's body.

    The parsed payload (hundreds of dicts and lists) is dropped on return, before the write is
    awaited: kept in the endpoint's frame, the payloads of the webhooks in flight outlived the
    garbage collector's young generation, and its collections of the older ones then cost
    about as much as the mapping itself (callgrind, PostgreSQL).

    Raises:
        ConnectorPayloadInvalidError: not a JSON object, or not a payload of ``topic``.
    """
    try:
        payload = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise _invalid(f"the body is not JSON: {exc}", "") from None
    if not isinstance(payload, dict):
        raise _invalid("the body is not a JSON object", "")
    try:
        return chosen.map(topic, payload, config)
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        pointer = getattr(exc, "pointer", "")
        raise _invalid(f"not a {config.platform} {topic} payload: {exc}", pointer) from None


_ANSWER = {
    "topic": "orders/paid",
    "ignored": None,
    "accepted": ["shopify:customer:207119551:enrolled:2026-12-07T10:00:00-05:00"],
    "replayed": [],
    "adjustments": [
        {
            "pointer": "/total",
            "note": "the platform's total 40994 ≠ lines … : the lines are taken as the truth",
        }
    ],
}


@router.post(
    "/{platform}/{connector_key}",
    summary="Receive a platform's webhook",
    openapi_extra={
        "requestBody": {
            "required": True,
            "description": "the platform's own payload, signed by it",
            "content": {
                "application/json": {
                    "schema": {"type": "object"},
                    "example": {
                        "id": 820982911946154508,
                        "email": "jon@example.com",
                        "currency": "EUR",
                        "total_price": "403.00",
                        "customer": {"id": 115310627314723954, "email": "jon@example.com"},
                        "line_items": [
                            {
                                "id": 866550311766439020,
                                "sku": "IPOD-342-N",
                                "quantity": 1,
                                "price": "199.00",
                                "title": "IPod Nano - 8GB",
                            }
                        ],
                    },
                }
            },
        }
    },
    responses=problem_responses(
        ConnectorSignatureInvalidError,
        ConnectorNotFoundError,
        ConnectorPayloadInvalidError,
        RequestInvalidError,
        MemberNotFoundError,
        MemberErasedError,
        EventIdReusedError,
        OrderMemberMismatchError,
        ReturnSkuUnknownError,
        success={
            200: {"model": WebhookAnswer, "content": {"application/json": {"example": _ANSWER}}}
        },
    ),
)
async def receive_webhook(
    platform: Annotated[str, Path(max_length=32, description="shopify, woocommerce or saleor")],
    connector_key: ConnectorKey,
    request: Request,
) -> Response:
    """No API key: the platform's signature over the raw body authenticates the call
    (Shopify `X-Shopify-Hmac-Sha256`, WooCommerce `X-WC-Webhook-Signature`, Saleor
    `Saleor-Signature`). A topic the adapter does not map is acknowledged and `ignored`;
    a mapped one becomes Loyalist events, ingested as `POST /api/v1/events` ingests them —
    idempotent on ids derived from the platform's own, so a redelivery is `replayed`."""
    chosen = _adapter_of(platform)
    receiver = await _receivers(request).find(request, platform, connector_key)
    if receiver is None:
        raise ConnectorNotFoundError(f"no enabled {platform} connector {connector_key!r}")
    body = await request.body()
    headers = request.headers
    if chosen.is_ping(headers, body):
        answer = WebhookAnswer(topic=None, ignored="the platform's ping: nothing to book")
        return JsonResponse(answer.model_dump(mode="json"))
    if not chosen.verify(receiver.secret, headers, body):
        log.warning(
            "refused an unsigned %s webhook for %r (delivery %s)",
            platform,
            connector_key,
            chosen.delivery_id(headers),
        )
        raise ConnectorSignatureInvalidError(
            f"the webhook is not signed with connector {connector_key!r}'s secret"
        )
    topic = chosen.topic(headers)
    if topic is None or topic not in chosen.topics:
        answer = WebhookAnswer(topic=topic, ignored=f"topic {topic!r} is not mapped")
        return JsonResponse(answer.model_dump(mode="json"))
    await refuse_nul(request)
    mapped = _mapped(chosen, topic, body, receiver.config)
    if not mapped.events:
        answer = WebhookAnswer(
            topic=topic,
            ignored=mapped.ignored or "nothing to book",
            adjustments=_notes(mapped.adjustments),
        )
        return JsonResponse(answer.model_dump(mode="json"))
    try:
        events = parse_events(mapped.events, pointer_base="/events")
    except InvalidRequestError as exc:
        raise ConnectorPayloadInvalidError(
            f"the {topic} payload maps to events Loyalist refuses: {exc.detail}", errors=exc.errors
        ) from None
    delivery = service.Delivery(events)
    (booked,) = await write(request, BatchOp([delivery], service.ingest_deliveries))
    answer = WebhookAnswer(
        topic=topic,
        accepted=[i for i, o in booked.outcomes if not o.replayed],
        replayed=[i for i, o in booked.outcomes if o.replayed],
        adjustments=_notes([*mapped.adjustments, *booked.adjustments]),
    )
    INGESTED_CONNECTOR.inc(len(answer.accepted))
    replay = bool(booked.outcomes) and not answer.accepted
    return JsonResponse(
        answer.model_dump(mode="json"), headers={"Idempotent-Replayed": "true"} if replay else None
    )
