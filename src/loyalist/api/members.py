"""Member routes: upsert, read, look up, push devices, timeline (consents: ``api.consents``)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Final

from fastapi import APIRouter, Depends, Path, Query, Request
from starlette.responses import Response

from loyalist.activities import service as activities
from loyalist.activities.models import Activity
from loyalist.api.deps import GuardedRoute, MemberId, read, refuse_nul, require, write
from loyalist.api.errors import CursorInvalidError
from loyalist.api.masking import member_for
from loyalist.api.paging import make_cursor, parse_timeline_cursor
from loyalist.api.problems import problem_responses
from loyalist.api.responses import JsonResponse
from loyalist.db.uow import UnitOfWork
from loyalist.errors import FieldError
from loyalist.members import service as members
from loyalist.members.errors import (
    DeviceNotFoundError,
    LookupInvalidError,
    MemberErasedError,
    MemberNotFoundError,
)
from loyalist.members.models import LookupKey
from loyalist.members.schemas import (
    DeviceIn,
    DeviceRead,
    MemberProfile,
    MemberRead,
)
from loyalist.messages import service as messages
from loyalist.messages.schemas import MessageRead
from loyalist.staff.models import Permission
from loyalist.staff.service import Principal

router = APIRouter(
    prefix="/api/v1/members",
    tags=["members"],
    dependencies=[Depends(refuse_nul)],
    route_class=GuardedRoute,
)
#: Greater than every activity id (a 64-bit key).
_AFTER_EVERY_ID: Final = 2**63 - 1


@router.put(
    "/{member_id}",
    response_model=MemberRead,
    responses=problem_responses(
        MemberErasedError, success={201: {"model": MemberRead, "description": "created"}}
    ),
)
async def put_member(
    member_id: MemberId,
    profile: MemberProfile,
    request: Request,
    who: Principal = Depends(require(Permission.MEMBERS_WRITE)),
) -> Response:
    """Create or update a member by the shop's id; only fields present change. The answer
    is masked for callers without ``members.read_pii``."""

    def op(uow: UnitOfWork) -> tuple[MemberRead, bool]:
        member, created = members.upsert_member(uow, member_id, profile, source="api")
        return member_for(who, members.read_member(uow, member)), created

    result, created = await write(request, op)
    return JsonResponse(result.model_dump(mode="json"), status_code=201 if created else 200)


@router.get(
    "/{member_id}",
    response_model=MemberRead,
    responses=problem_responses(MemberNotFoundError),
)
async def get_member(
    member_id: MemberId,
    request: Request,
    who: Principal = Depends(require(Permission.MEMBERS_READ)),
) -> MemberRead:
    """The member; personal data masked for callers without ``members.read_pii``."""
    return await read(
        request,
        lambda uow: member_for(who, members.read_member(uow, members.get_member(uow, member_id))),
    )


@router.get(
    "",
    response_model=list[MemberRead],
    responses=problem_responses(LookupInvalidError),
)
async def find_members(
    request: Request,
    member_id: Annotated[str | None, Query(description="the shop's member id, exactly")] = None,
    email: Annotated[str | None, Query(description="an e-mail address, exactly")] = None,
    phone: Annotated[str | None, Query(description="a phone number, exactly")] = None,
    who: Principal = Depends(require(Permission.MEMBERS_READ)),
) -> list[MemberRead]:
    """Exact lookup by the shop's member id, an e-mail address or a phone number (these two
    through the blind index: no plaintext is searched, part of a value finds nothing); the
    members found are masked for callers without ``members.read_pii``. 422
    ``lookup_invalid`` for none or several of the three, or an e-mail address or phone
    number that is none."""
    given = [
        (key, value)
        for key, value in (
            (LookupKey.MEMBER_ID, member_id),
            (LookupKey.EMAIL, email),
            (LookupKey.PHONE, phone),
        )
        if value
    ]
    if len(given) != 1:
        first = given[0][0] if given else LookupKey.EMAIL
        raise LookupInvalidError(
            "give exactly one of member_id, email or phone",
            errors=[FieldError(f"#query/{first.value}", "one of member_id, email or phone")],
        )
    key, value = given[0]

    def op(uow: UnitOfWork) -> list[MemberRead]:
        found = members.find_members(uow, key, value, pointer=f"#query/{key.value}")
        return [member_for(who, members.read_member(uow, m)) for m in found]

    return await read(request, op)


DeviceId = Annotated[str, Path(min_length=1, max_length=40, description="the device's id")]


@router.post(
    "/{member_id}/devices",
    response_model=DeviceRead,
    dependencies=[Depends(require(Permission.MEMBERS_WRITE))],
    responses={
        201: {"model": DeviceRead, "description": "registered"},
        **problem_responses(MemberNotFoundError),
    },
)
async def register_device(member_id: MemberId, body: DeviceIn, request: Request) -> Response:
    """Register a device of the member's app for push messages (the token in the body, kept
    encrypted and never shown again). Registering a known token again answers 200 and
    makes it the member's newest device (push goes to the newest one the configured
    provider serves); a token another member registered moves to this member."""

    def op(uow: UnitOfWork) -> tuple[DeviceRead, bool]:
        return members.register_device(uow, members.get_member_id(uow, member_id), body)

    device, created = await write(request, op)
    return JsonResponse(device.model_dump(mode="json"), status_code=201 if created else 200)


@router.get(
    "/{member_id}/devices",
    response_model=list[DeviceRead],
    dependencies=[Depends(require(Permission.MEMBERS_READ))],
    responses=problem_responses(MemberNotFoundError),
)
async def list_devices(member_id: MemberId, request: Request) -> list[DeviceRead]:
    """The member's devices, the most recently registered first."""
    return await read(
        request, lambda uow: members.devices(uow, members.get_member_id(uow, member_id))
    )


@router.delete(
    "/{member_id}/devices/{device_id}",
    status_code=204,
    dependencies=[Depends(require(Permission.MEMBERS_WRITE))],
    responses=problem_responses(MemberNotFoundError, DeviceNotFoundError),
)
async def delete_device(member_id: MemberId, device_id: DeviceId, request: Request) -> Response:
    """Forget a device (the app signed out): it gets no more push messages."""

    def op(uow: UnitOfWork) -> None:
        members.remove_device(uow, members.get_member_id(uow, member_id), device_id)

    await write(request, op)
    return Response(status_code=204)


@router.get(
    "/{member_id}/timeline",
    dependencies=[Depends(require(Permission.MEMBERS_READ))],
    responses=problem_responses(MemberNotFoundError, CursorInvalidError),
)
async def get_timeline(
    member_id: MemberId,
    request: Request,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    before: Annotated[str | None, Query(description="cursor from next_before")] = None,
) -> Response:
    """Every activity of the member and every message sent (or not) to them, newest
    first; page with ``before``. A message shows when it was queued, with its channel,
    journey, template key, status and the reason it was not delivered (its content is
    under ``GET /api/v1/members/{id}/messages``, scope ``messages:read``)."""
    cursor = parse_timeline_cursor(before)
    return JsonResponse(
        await read(request, lambda uow: timeline_page(uow, member_id, limit=limit, cursor=cursor))
    )


def timeline_page(
    uow: UnitOfWork,
    member_id: str,
    *,
    limit: int,
    cursor: tuple[datetime, int | str] | None,
) -> dict[str, object]:
    """One page of the member's timeline (activities and messages, newest first) before
    ``cursor``: ``items`` and ``next_before`` (the console's member page shows it too).

    Raises:
        MemberNotFoundError: no such member.
    """
    found, internal_id = activities.timeline(
        uow, member_id, limit=limit, before=_activities_before(cursor)
    )
    at, ident = cursor if cursor is not None else (None, None)
    sent = messages.timeline(
        uow,
        internal_id,
        limit=limit,
        before_at=at,
        before_id=ident if isinstance(ident, str) else None,
    )
    # Newest first; at one instant a message (caused by the activity) before it.
    entries = sorted(
        [(a.occurred_at, 0, a.id, _activity_item(a)) for a in found]
        + [(m.created_at, 1, m.id, _message_item(m)) for m in sent],
        key=lambda entry: (entry[0], entry[1], entry[2]),
        reverse=True,
    )[:limit]
    last = entries[-1] if len(entries) == limit else None
    return {
        "items": [entry[3] for entry in entries],
        "next_before": make_cursor(last[0], last[2]) if last else None,
    }


def _activities_before(cursor: tuple[datetime, int | str] | None) -> tuple[datetime, int] | None:
    """After a message at ``t``, every activity at ``t`` is still to come."""
    if cursor is None:
        return None
    at, ident = cursor
    return (at, ident) if isinstance(ident, int) else (at, _AFTER_EVERY_ID)


def _activity_item(activity: Activity) -> dict[str, object]:
    return {
        "id": activity.event_id,
        "type": activity.type,
        "occurred_at": activity.occurred_at,
        "received_at": activity.received_at,
        "data": activities.public_data(activity),
    }


def _message_item(message: MessageRead) -> dict[str, object]:
    return {
        "id": message.id,
        "type": "message",
        "occurred_at": message.created_at,
        "received_at": message.created_at,
        "data": {
            "channel": message.channel.value,
            "kind": message.kind.value,
            "journey": message.journey,
            "template_key": message.template_key,
            "status": message.status.value,
            "reason": message.reason,
            "finished_at": message.finished_at,
            "history": [h.model_dump(mode="json") for h in message.history],
        },
    }
