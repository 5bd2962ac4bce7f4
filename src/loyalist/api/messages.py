"""Message routes: a member's messages with their status history, the in-app inbox and the
journeys' skipped counts (the unsubscribe link's routes are in ``api.unsubscribe``)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Path, Query, Request
from pydantic import BaseModel, ConfigDict, Field
from starlette.responses import Response

from loyalist.api.deps import GuardedRoute, MemberId, read, refuse_nul, require, write
from loyalist.api.masking import content_for
from loyalist.api.problems import problem_responses
from loyalist.api.responses import JsonResponse
from loyalist.db.uow import UnitOfWork
from loyalist.errors import FieldError, RequestInvalidError
from loyalist.members import service as members
from loyalist.members.errors import MemberNotFoundError
from loyalist.messages import preferences
from loyalist.messages import service as messages
from loyalist.messages.errors import MessageNotFoundError, MessageNotResendableError
from loyalist.messages.models import MessageChannel, SuppressionReason
from loyalist.messages.schemas import (
    InboxRead,
    MessageRead,
    PreferencesRead,
    PreferencesUpdate,
    ResendIn,
    SuppressionIn,
)
from loyalist.staff.models import Permission
from loyalist.staff.service import Principal

router = APIRouter(
    prefix="/api/v1",
    tags=["messages"],
    dependencies=[Depends(refuse_nul)],
    route_class=GuardedRoute,
)


class MessageReadAt(BaseModel):
    """An inbox message marked read."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"id": "msg_3f9a1c", "read_at": "2026-03-02T11:05:00Z"}]}
    )

    id: str
    read_at: datetime = Field(description="when it was first read")


class SkippedCount(BaseModel):
    """A journey's facts that started nothing, being older than the freshness window."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "journey": "welcome",
                    "skipped_count": 3,
                    "last_skipped_at": "2026-03-02T11:05:00Z",
                }
            ]
        }
    )

    journey: str
    skipped_count: int
    last_skipped_at: datetime


class SuppressionRead(BaseModel):
    """A suppression added."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"channel": "email", "reason": "hard_bounce"}]}
    )

    channel: MessageChannel
    reason: SuppressionReason


MessageId = Annotated[str, Path(min_length=1, max_length=40, description="the message's id")]
Limit = Annotated[int, Query(ge=1, le=200)]


@router.get(
    "/members/{member_id}/messages",
    response_model=list[MessageRead],
    responses=problem_responses(MemberNotFoundError),
)
async def list_messages(
    member_id: MemberId,
    request: Request,
    limit: Limit = 50,
    who: Principal = Depends(require(Permission.MESSAGES_READ)),
) -> Response:
    """The member's messages, newest first, each with its status history (queued, held,
    sent, delivered, failed, suppressed, capped, not_configured) and the reason for each
    hold, retry and non-delivery. Without ``members.read_pii`` the member's e-mail,
    phone, last name and birthday are starred out of the content."""

    def op(uow: UnitOfWork) -> list[dict[str, Any]]:
        found = messages.list_messages(uow, member_id, limit=limit)
        shown = [m.model_dump(mode="json") for m in found]
        return content_for(who, shown, members.personal_values(uow, member_id))

    return JsonResponse(await read(request, op))


_RESEND: dict[str, Any] = {
    "after_outage": {
        "summary": "the mail server refused it and has been fixed",
        "value": {"reason": "SMTP relay fixed (ticket 4711)"},
    }
}


@router.post(
    "/members/{member_id}/messages/{message_id}/resend",
    response_model=MessageRead,
    responses=problem_responses(
        MemberNotFoundError, MessageNotFoundError, MessageNotResendableError
    ),
)
async def resend_message(
    member_id: MemberId,
    message_id: MessageId,
    request: Request,
    body: Annotated[ResendIn | None, Body(openapi_examples=_RESEND)] = None,
    who: Principal = Depends(require(Permission.MESSAGES_SEND)),
) -> Response:
    """Send a `failed` or `not_configured` message again: the same message (same id, which
    is the email's Message-ID and the webhook-id, so receivers deduplicate) goes back to
    `queued`, with who resent it and why in its history. The send-time check runs again:
    consent, suppression, quiet hours and caps. A `suppressed` or `capped` message is not
    resent (409): that would overrule the member's consent or the program's cap."""
    why = body.reason if body is not None else None

    def op(uow: UnitOfWork) -> dict[str, Any]:
        resent = messages.resend(uow, member_id, message_id, by=f"api key {who.name}", why=why)
        shown = resent.model_dump(mode="json")
        return content_for(who, shown, members.personal_values(uow, member_id))

    return JsonResponse(await write(request, op))


@router.get(
    "/members/{member_id}/inbox",
    response_model=InboxRead,
    responses=problem_responses(MemberNotFoundError),
)
async def get_inbox(
    member_id: MemberId,
    request: Request,
    limit: Limit = 50,
    who: Principal = Depends(require(Permission.MESSAGES_READ)),
) -> Response:
    """The member's in-app inbox, newest first, with the unread count (personal data
    starred out of the content as in the messages list)."""

    def op(uow: UnitOfWork) -> dict[str, Any]:
        shown = messages.inbox(uow, member_id, limit=limit).model_dump(mode="json")
        return content_for(who, shown, members.personal_values(uow, member_id))

    return JsonResponse(await read(request, op))


@router.post(
    "/members/{member_id}/inbox/{message_id}/read",
    response_model=MessageReadAt,
    dependencies=[Depends(require(Permission.MESSAGES_WRITE))],
    responses=problem_responses(MemberNotFoundError, MessageNotFoundError),
)
async def mark_read(member_id: MemberId, message_id: MessageId, request: Request) -> Response:
    """Mark an inbox message read (again: keeps the first ``read_at``)."""

    def op(uow: UnitOfWork) -> dict[str, Any]:
        return {"id": message_id, "read_at": messages.mark_read(uow, member_id, message_id)}

    return JsonResponse(await write(request, op))


@router.get(
    "/journeys/skipped",
    response_model=list[SkippedCount],
    dependencies=[Depends(require(Permission.MESSAGES_READ))],
)
async def skipped(request: Request) -> Response:
    """Per journey: facts older than the freshness window that started nothing."""
    return JsonResponse(await read(request, messages.skipped_counts))


@router.post(
    "/members/{member_id}/suppressions",
    status_code=201,
    response_model=SuppressionRead,
    dependencies=[Depends(require(Permission.MESSAGES_WRITE))],
    responses=problem_responses(MemberNotFoundError, RequestInvalidError),
)
async def add_suppression(member_id: MemberId, body: SuppressionIn, request: Request) -> Response:
    """Suppress a member's channel: every message stops (transactional too) until the
    suppression is lifted; a bounce or complaint only for the member's current address."""
    if body.reason == SuppressionReason.UNSUBSCRIBE:
        raise RequestInvalidError(
            "an unsubscribe withdraws consent: PUT /api/v1/members/{id}/consents/{channel}",
            errors=[FieldError("/reason", "unsubscribe is not a suppression to add here")],
        )

    def op(uow: UnitOfWork) -> dict[str, Any]:
        internal = members.get_member_id(uow, member_id)
        messages.suppress(uow, internal, body.channel, body.reason, source="api")
        return {"channel": body.channel, "reason": body.reason}

    return JsonResponse(await write(request, op), status_code=201)


@router.get(
    "/members/{member_id}/preferences",
    response_model=PreferencesRead,
    dependencies=[Depends(require(Permission.MESSAGES_READ))],
    responses=problem_responses(MemberNotFoundError),
)
async def get_preferences(member_id: MemberId, request: Request) -> Response:
    """The member's marketing consent per channel, their choice per topic (``statement``
    is opt-in; the others are on until switched off) and the newest changes of both."""

    def op(uow: UnitOfWork) -> PreferencesRead:
        return preferences.read_preferences(uow, members.get_member_id(uow, member_id))

    return JsonResponse((await read(request, op)).model_dump(mode="json"))


@router.put(
    "/members/{member_id}/preferences",
    response_model=PreferencesRead,
    dependencies=[Depends(require(Permission.MESSAGES_WRITE))],
    responses=problem_responses(MemberNotFoundError),
)
async def put_preferences(
    member_id: MemberId, body: PreferencesUpdate, request: Request
) -> Response:
    """Change channels and topics (those left out keep their value), recorded with
    ``source`` and the time; unchanged values are not recorded again."""

    def op(uow: UnitOfWork) -> PreferencesRead:
        internal = members.get_member_id(uow, member_id)
        return preferences.update_preferences(
            uow, internal, channels=body.channels, topics=body.topics, source=body.source
        )

    return JsonResponse((await write(request, op)).model_dump(mode="json"))
