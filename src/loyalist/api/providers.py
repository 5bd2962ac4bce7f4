"""What providers post back: Amazon SES (through SNS) and Postmark bounce, complaint and
delivery events, and Twilio's inbound SMS (STOP replies). No API key: each provider
authenticates as it can.

- SES/SNS and Postmark: HTTP basic auth (user and password in the webhook URL, which both
  support), the password per provider from ``LOYALIST_INBOUND__*``. SNS message signatures
  are not verified: that needs fetching the signing certificate from AWS at run time
  (``SigningCertURL``), and basic auth over HTTPS already proves the sender knows the
  secret.
- Twilio: ``X-Twilio-Signature`` (HMAC-SHA1 under the account's auth token) over the
  public URL it called (``LOYALIST_MESSAGES__BASE_URL`` + path, as Twilio saw it behind
  any proxy) and the sorted form fields.

A provider whose secret is not set gets 404 ``provider_events_not_configured``.
"""

from __future__ import annotations

import base64
import hmac
import logging
from typing import Any
from urllib.parse import parse_qsl

from fastapi import APIRouter, Request
from pydantic import BaseModel, SecretStr
from starlette.responses import Response

from loyalist.api.deps import GuardedRoute, app_of, write
from loyalist.api.problems import problem_responses
from loyalist.api.responses import JsonResponse, success
from loyalist.db.uow import UnitOfWork
from loyalist.errors import FieldError
from loyalist.messages import providers
from loyalist.messages.channels.esp import EspEvent, SnsSubscription, read_postmark, read_sns
from loyalist.messages.channels.sms import is_from_twilio, stop_request
from loyalist.messages.errors import (
    ProviderEventsInvalidError,
    ProviderEventsNotConfiguredError,
    ProviderEventsUnauthorizedError,
)
from loyalist.settings import SmsProvider

log = logging.getLogger(__name__)

router = APIRouter(prefix="/api/v1/providers", tags=["providers"], route_class=GuardedRoute)


class EventsApplied(BaseModel):
    """What a provider's post changed."""

    suppressed: int
    delivered: int
    ignored: int
    engaged: int


class SubscriptionPending(BaseModel):
    """An SNS subscription confirmation: logged for the operator to confirm."""

    subscription: str


_PROBLEMS = (
    ProviderEventsNotConfiguredError,
    ProviderEventsUnauthorizedError,
    ProviderEventsInvalidError,
)
_EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'
_APPLIED = {"suppressed": 1, "delivered": 0, "ignored": 0, "engaged": 0}
_SNS = {
    "Type": "Notification",
    "MessageId": "22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324",
    "TopicArn": "arn:aws:sns:eu-west-1:123456789012:ses-events",
    "Message": '{"notificationType":"Bounce","bounce":{"bounceType":"Permanent",'
    '"bouncedRecipients":[{"emailAddress":"anna@example.com"}]},'
    '"mail":{"messageId":"0100018c","headers":[{"name":"X-Loyalist-Message",'
    '"value":"msg_5d1c"}]}}',
    "Timestamp": "2026-01-15T12:00:00.000Z",
}
_POSTMARK = {
    "RecordType": "Bounce",
    "Type": "HardBounce",
    "TypeCode": 1,
    "MessageStream": "outbound",
    "MessageID": "883953f4-6105-42a2-a16a-77a8eac79483",
    "Email": "anna@example.com",
    "BouncedAt": "2026-01-15T12:00:00Z",
    "Metadata": {"loyalist-message": "msg_5d1c"},
}


def _json_body(example: dict[str, Any], what: str) -> dict[str, Any]:
    """The request body of a provider's post, read raw by the route (documentation)."""
    schema = {"type": "object", "description": what, "additionalProperties": True}
    return {
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": schema, "example": example}},
        }
    }


def _check_basic(request: Request, username: str, password: SecretStr, provider: str) -> None:
    expected = password.get_secret_value()
    if not expected:
        raise ProviderEventsNotConfiguredError(f"{provider} events are not configured")
    scheme, _, encoded = request.headers.get("authorization", "").partition(" ")
    try:
        given = base64.b64decode(encoded, validate=True).decode()
    except ValueError:  # not base64, not UTF-8, or not ASCII (a Latin-1 header)
        given = ""
    user, _, secret = given.partition(":")
    ok = (
        scheme.lower() == "basic"
        and hmac.compare_digest(user.encode(), username.encode())
        and hmac.compare_digest(secret.encode(), expected.encode())
    )
    if not ok:
        raise ProviderEventsUnauthorizedError(f"{provider} events need the configured basic auth")


async def _apply(request: Request, events: list[EspEvent], source: str) -> Response:
    def op(uow: UnitOfWork) -> providers.Applied:
        return providers.apply_email_events(uow, events, source=source)

    applied = await write(request, op)
    return JsonResponse(
        {
            "suppressed": applied.suppressed,
            "delivered": applied.delivered,
            "ignored": applied.ignored,
            "engaged": applied.engaged,
        }
    )


def _invalid(provider: str, exc: ValueError) -> ProviderEventsInvalidError:
    return ProviderEventsInvalidError(
        f"not a {provider} event: {exc}", errors=[FieldError("", str(exc))]
    )


@router.post(
    "/ses/events",
    responses=problem_responses(
        *_PROBLEMS,
        success={
            200: {
                **success(EventsApplied, _APPLIED, "Applied (or a subscription to confirm)"),
                "model": EventsApplied | SubscriptionPending,
            }
        },
    ),
    openapi_extra=_json_body(_SNS, "an SNS notification (or subscription confirmation)"),
)
async def ses_events(request: Request) -> Response:
    """Amazon SES bounce, complaint, delivery, open and click notifications posted by an
    SNS HTTPS subscription (or with raw message delivery). A permanent bounce or a
    complaint suppresses email to the address; a delivery marks our message
    ``delivered``; an open or a click is recorded on it once (``engaged``). A
    subscription confirmation is logged with its SubscribeURL for the operator to open."""
    inbound = app_of(request).settings.inbound
    _check_basic(request, inbound.username, inbound.ses_password, "Amazon SES")
    try:
        found = read_sns(await request.body())
    except ValueError as exc:
        raise _invalid("SNS/SES", exc) from None
    if isinstance(found, SnsSubscription):
        log.warning(
            "SNS asks to confirm the subscription to %s: open %s",
            found.topic_arn,
            found.subscribe_url,
        )
        return JsonResponse({"subscription": "confirm by opening the SubscribeURL"})
    return await _apply(request, found, "ses")


@router.post(
    "/postmark/events",
    responses=problem_responses(
        *_PROBLEMS, success={200: success(EventsApplied, _APPLIED, "Applied")}
    ),
    openapi_extra=_json_body(_POSTMARK, "a Postmark webhook (bounce, delivery, open, …)"),
)
async def postmark_events(request: Request) -> Response:
    """Postmark bounce, spam complaint, delivery, open and click webhooks. A hard bounce or
    a spam complaint suppresses email to the address; soft bounces change nothing; an
    open or a click is recorded on our message once (``engaged``)."""
    inbound = app_of(request).settings.inbound
    _check_basic(request, inbound.username, inbound.postmark_password, "Postmark")
    try:
        found = read_postmark(await request.body())
    except ValueError as exc:
        raise _invalid("Postmark", exc) from None
    return await _apply(request, found, "postmark")


@router.post(
    "/twilio/sms",
    response_class=Response,
    responses=problem_responses(
        *_PROBLEMS,
        success={
            200: {
                "description": "Empty TwiML",
                "content": {"text/xml": {"schema": {"type": "string"}, "example": _EMPTY_TWIML}},
            }
        },
    ),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/x-www-form-urlencoded": {
                    "schema": {
                        "type": "object",
                        "properties": {"From": {"type": "string"}, "Body": {"type": "string"}},
                        "additionalProperties": True,
                    },
                    "example": {
                        "MessageSid": "SM1f0e8ae6ade43cb3c0ce4525424e404f",
                        "From": "+79161234567",
                        "To": "+79990001122",
                        "Body": "STOP",
                    },
                }
            },
        }
    },
)
async def twilio_sms(request: Request) -> Response:
    """Twilio's inbound SMS webhook (form ``From``, ``Body``, …). A STOP reply (STOP,
    UNSUBSCRIBE, СТОП, …: the whole reply) suppresses SMS to the members with that
    number and withdraws their SMS consent; email is not affected. Answers empty TwiML
    (Twilio itself confirms the opt-out to the sender)."""
    settings = app_of(request).settings
    token = settings.sms.auth_token.get_secret_value()
    if settings.sms.provider != SmsProvider.TWILIO or not token:
        raise ProviderEventsNotConfiguredError("Twilio is not the configured SMS provider")
    params = parse_qsl((await request.body()).decode("utf-8", "replace"), keep_blank_values=True)
    url = settings.messages.base_url + request.url.path
    if request.url.query:
        url += f"?{request.url.query}"
    signature = request.headers.get("x-twilio-signature", "")
    if not is_from_twilio(token, url, params, signature):
        raise ProviderEventsUnauthorizedError("the request does not carry Twilio's signature")
    phone = stop_request(dict(params))
    if phone is not None:

        def op(uow: UnitOfWork) -> int:
            return providers.apply_sms_stop(uow, phone, source="sms-stop")

        await write(request, op)
    return Response(_EMPTY_TWIML, media_type="text/xml")
