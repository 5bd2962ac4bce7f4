"""Member routes: upsert, read, look up, push devices, timeline (consents: ``api.consents``)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import BaseModel, ConfigDict, Field
from starlette.responses import Response

from loyalist.activities import service as activities
from loyalist.activities.models import Activity
from loyalist.api.deps import GuardedRoute, MemberId, read, refuse_nul, require, write
from loyalist.api.errors import CursorInvalidError
from loyalist.api.masking import member_for
from loyalist.api.paging import TIMELINE_RANKS, parse_timeline_key, timeline_cursor
from loyalist.api.problems import problem_responses
from loyalist.api.responses import JsonResponse
from loyalist.coupons import service as coupons
from loyalist.db.keyset import Key, bound_for, int_before, merge
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
    MEMBER_EXAMPLE,
    MEMBER_PAGE_EXAMPLE,
    DeviceIn,
    DeviceRead,
    MemberPage,
    MemberProfile,
    MemberRead,
)
from loyalist.messages import service as messages
from loyalist.messages.schemas import MessageRead
from loyalist.rewards import service as rewards
from loyalist.rules import programs
from loyalist.staff.models import Permission
from loyalist.staff.service import Principal
from loyalist.tiers import service as tiers

router = APIRouter(
    prefix="/api/v1/members",
    tags=["members"],
    dependencies=[Depends(refuse_nul)],
    route_class=GuardedRoute,
)


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
    response_model=list[MemberRead] | MemberPage,
    responses={
        200: {
            "description": "the members found (a lookup), or a page of a segment's members",
            "content": {
                "application/json": {
                    "examples": {
                        "lookup": {
                            "summary": "GET /api/v1/members?email=anna@example.ru",
                            "value": [MEMBER_EXAMPLE],
                        },
                        "segment": {
                            "summary": "GET /api/v1/members?segment=at_risk&limit=1",
                            "value": MEMBER_PAGE_EXAMPLE,
                        },
                    }
                }
            },
        },
        **problem_responses(LookupInvalidError),
    },
)
async def find_members(
    request: Request,
    member_id: Annotated[str | None, Query(description="the shop's member id, exactly")] = None,
    email: Annotated[str | None, Query(description="an e-mail address, exactly")] = None,
    phone: Annotated[str | None, Query(description="a phone number, exactly")] = None,
    segment: Annotated[
        str | None,
        Query(
            min_length=1,
            max_length=64,
            description="list the members holding this segment (e.g. `at_risk`), a page at a time",
        ),
    ] = None,
    after: Annotated[
        str | None,
        Query(max_length=128, description="with `segment`: `next_after` of the last page"),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=200, description="with `segment`: page size")] = 50,
    who: Principal = Depends(require(Permission.MEMBERS_READ)),
) -> list[MemberRead] | MemberPage:
    """Exact lookup by the shop's member id, an e-mail address or a phone number (these two
    through the blind index: no plaintext is searched, part of a value finds nothing), or
    with ``segment`` a page of the members holding that segment (``member.segments``: the
    shop's and the RFM ones the daily scores set, e.g. ``at_risk``), by member id: pass
    ``next_after`` as ``after`` for the next page. The members are masked for callers
    without ``members.read_pii``. 422 ``lookup_invalid`` for none or several of the four,
    or an e-mail address or phone number that is none."""
    given = [
        (key, value)
        for key, value in (
            (LookupKey.MEMBER_ID, member_id),
            (LookupKey.EMAIL, email),
            (LookupKey.PHONE, phone),
        )
        if value
    ]
    if segment is not None and not given:
        wanted = segment

        def page(uow: UnitOfWork) -> MemberPage:
            found, next_after = members.members_in_segment(uow, wanted, after=after, limit=limit)
            return MemberPage(items=[member_for(who, m) for m in found], next_after=next_after)

        return await read(request, page)
    if len(given) != 1 or segment is not None:
        first = given[0][0].value if given else "email"
        raise LookupInvalidError(
            "give exactly one of member_id, email, phone or segment",
            errors=[FieldError(f"#query/{first}", "one of member_id, email, phone or segment")],
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


class TimelineItem(BaseModel):
    """One thing that happened to the member; ``data`` depends on ``type`` (see the
    operation's description). Clients ignore types they do not know."""

    id: str
    type: str = Field(description="an activity's event type, or message, tier, points, …")
    occurred_at: datetime
    received_at: datetime
    data: dict[str, Any]


class TimelinePage(BaseModel):
    """A page of the member's timeline, newest first."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "items": [
                        {
                            "id": "points.381",
                            "type": "points",
                            "occurred_at": "2026-03-08T10:15:02Z",
                            "received_at": "2026-03-08T10:15:02Z",
                            "data": {
                                "points": 120,
                                "text": "120 points for order 1001",
                                "reason": "earn",
                                "rule": {"key": "base-earn", "version": 3, "name": "1 point per €"},
                            },
                        },
                        {
                            "id": "shop-order-1001-paid",
                            "type": "order.paid",
                            "occurred_at": "2026-03-08T10:15:00Z",
                            "received_at": "2026-03-08T10:15:01Z",
                            "data": {"order_id": "1001"},
                        },
                    ],
                    "next_before": "2026-03-08T10:15:00Z~shop-order-1001-paid",
                }
            ]
        }
    )

    items: list[TimelineItem]
    next_before: str | None = Field(description="pass as `before` for the next page")


@router.get(
    "/{member_id}/timeline",
    response_model=TimelinePage,
    responses=problem_responses(MemberNotFoundError, CursorInvalidError),
)
async def get_timeline(
    member_id: MemberId,
    request: Request,
    who: Annotated[Principal, Depends(require(Permission.MEMBERS_READ))],
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    before: Annotated[str | None, Query(description="cursor from next_before")] = None,
) -> Response:
    """Everything that happened to the member, newest first; page with ``before``.

    Each item has ``id``, ``type``, ``occurred_at``, ``received_at`` and ``data``:

    - activities (``order.paid``, ``review.published``, ``survey.answered``, …) with their
      public event data;
    - ``message``: when it was queued, with its channel, journey, template key, status and
      the reason it was not delivered (its content is under
      ``GET /api/v1/members/{id}/messages``, scope ``messages:read``);
    - ``tier``: a tier move (``from_tier``, ``to_tier``, ``reason``, ``text``);
    - with ``points.read``: ``points`` (a point movement: ``points``, ``text`` explaining it,
      ``reason`` and the ``rule`` — key, version, name — that earned it) and ``reward`` (a
      reward given: ``reward``, ``name``, ``points`` paid, ``status``; its code is under
      ``GET /api/v1/members/{id}/rewards``);
    - with ``checkout.read``: ``coupon`` (a use of a coupon code at checkout: ``campaign``,
      ``name``, ``order_id``, ``discount``, ``currency``, ``status``; not the code).

    At one instant the order is coupon use, message, reward, activity, tier move, point
    movement.
    Clients should ignore types they do not know: more kinds may be added."""
    cursor = parse_timeline_key(before)
    kinds = timeline_kinds(who)
    return JsonResponse(
        await read(
            request,
            lambda uow: timeline_page(uow, member_id, limit=limit, cursor=cursor, kinds=kinds),
        )
    )


def timeline_kinds(who: Principal) -> frozenset[str]:
    """The timeline's kinds the caller may see: points and rewards need ``points.read``,
    coupon uses ``checkout.read`` (as the member's points and coupons elsewhere)."""
    money = {"points", "reward"} if Permission.POINTS_READ in who.permissions else set()
    codes = {"coupon"} if Permission.CHECKOUT_READ in who.permissions else set()
    return frozenset({"activity", "message", "tier", *money, *codes})


def timeline_page(
    uow: UnitOfWork,
    member_id: str,
    *,
    limit: int,
    cursor: Key | None,
    kinds: frozenset[str],
    locale: str | None = "en",
) -> dict[str, object]:
    """One page of the member's unified timeline (``kinds`` of entries, newest first) after
    ``cursor``: ``items`` and ``next_before`` (None on the last page). Each kind is read
    from its own domain with one bounded keyset query of ``limit + 1`` rows, then merged
    (the console's member page shows it too).

    Raises:
        MemberNotFoundError: no such member.
    """
    take = limit + 1
    rank = TIMELINE_RANKS
    found, internal_id = activities.timeline(
        uow, member_id, limit=take, before=int_before(bound_for(cursor, rank["activity"]))
    )
    streams: list[list[tuple[Key, dict[str, object]]]] = [
        [(Key(a.occurred_at, rank["activity"], a.id), _activity_item(a)) for a in found]
    ]
    if "message" in kinds:
        after = bound_for(cursor, rank["message"])  # ranked highest: never "at or before"
        sent = messages.timeline(
            uow,
            internal_id,
            limit=take,
            before_at=after.at if after else None,
            before_id=after.ident if after and isinstance(after.ident, str) else None,
        )
        streams.append([(Key(m.created_at, rank["message"], m.id), _message_item(m)) for m in sent])
    if "tier" in kinds:
        moves = tiers.timeline_changes(
            uow, internal_id, limit=take, before=bound_for(cursor, rank["tier"]), locale=locale
        )
        streams.append([(Key(t["at"], rank["tier"], t["id"]), _tier_item(t)) for t in moves])
    if "points" in kinds:
        points = programs.timeline_points(
            uow, internal_id, limit=take, before=bound_for(cursor, rank["points"]), locale=locale
        )
        streams.append([(Key(p["at"], rank["points"], p["id"]), _points_item(p)) for p in points])
    if "reward" in kinds:
        given = rewards.timeline_redemptions(
            uow, internal_id, limit=take, before=bound_for(cursor, rank["reward"])
        )
        streams.append([(Key(r["at"], rank["reward"], r["id"]), _reward_item(r)) for r in given])
    if "coupon" in kinds:
        uses = coupons.timeline_uses(
            uow, internal_id, limit=take, before=bound_for(cursor, rank["coupon"])
        )
        streams.append([(Key(u["at"], rank["coupon"], u["id"]), _coupon_item(u)) for u in uses])
    page = merge(streams, limit)
    return {
        "items": [item for _, item in page.rows],
        "next_before": timeline_cursor(page.next_key) if page.next_key else None,
    }


def _tier_item(move: dict[str, Any]) -> dict[str, object]:
    return _row_item("tier", move, f"tier.{move['id']}")


def _points_item(entry: dict[str, Any]) -> dict[str, object]:
    return _row_item("points", entry, f"points.{entry['id']}")


def _reward_item(given: dict[str, Any]) -> dict[str, object]:
    return _row_item("reward", given, given["id"])


def _coupon_item(use: dict[str, Any]) -> dict[str, object]:
    return _row_item("coupon", use, use["id"])


def _row_item(kind: str, row: dict[str, Any], ident: str) -> dict[str, object]:
    """A domain's timeline row as an item: its time and id out of ``data``."""
    return {
        "id": ident,
        "type": kind,
        "occurred_at": row["at"],
        "received_at": row.get("recorded_at", row["at"]),
        "data": {k: v for k, v in row.items() if k not in ("id", "at", "recorded_at")},
    }


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
