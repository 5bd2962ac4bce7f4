"""The audit trail's read route: filtered, newest first, paged by cursor."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field
from starlette.responses import Response

from loyalist.api.deps import GuardedRoute, read, refuse_nul, require
from loyalist.api.errors import CursorInvalidError
from loyalist.api.paging import make_cursor, parse_cursor
from loyalist.api.problems import problem_responses
from loyalist.api.responses import JsonResponse
from loyalist.audit import service as audit
from loyalist.audit.models import ActorKind
from loyalist.audit.schemas import AuditFilter
from loyalist.db.uow import UnitOfWork
from loyalist.members import service as members
from loyalist.members.errors import MemberNotFoundError
from loyalist.staff.models import Permission

router = APIRouter(
    prefix="/api/v1", tags=["audit"], dependencies=[Depends(refuse_nul)], route_class=GuardedRoute
)

Text = Annotated[str | None, Query(min_length=1, max_length=128)]


class Actor(BaseModel):
    """Who acted: a staff user, an API key, a member (portal) or the system."""

    kind: ActorKind
    id: str | None
    label: str | None = Field(description="a name to show (the staff user's, the key's)")


class AuditRecordRead(BaseModel):
    """One entry of the trail."""

    seq: int = Field(description="its place in the hash chain")
    at: datetime
    actor: Actor
    action: str = Field(description="what was done, e.g. `reward.updated`")
    target_type: str | None
    target_id: str | None
    member_id: str | None = Field(description="the member concerned (the shop's id)")
    before: dict[str, Any] | None = Field(description="the target before the change")
    after: dict[str, Any] | None = Field(description="the target after the change")
    reason: str | None
    ip: str | None = Field(description="the address, cut to its network (IPv4 /24, IPv6 /48)")
    request_id: str | None


class AuditPage(BaseModel):
    """A page of the trail, newest first."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "items": [
                        {
                            "seq": 912,
                            "at": "2026-03-02T11:05:00Z",
                            "actor": {"kind": "staff", "id": "7", "label": "Anna Petrova"},
                            "action": "reward.updated",
                            "target_type": "reward",
                            "target_id": "free-coffee",
                            "member_id": None,
                            "before": {"cost": 500},
                            "after": {"cost": 400},
                            "reason": None,
                            "ip": "203.0.113.0/24",
                            "request_id": "5f0c2a9e1b7d4c3a",
                        }
                    ],
                    "next_before": "2026-03-02T11:05:00Z~912",
                }
            ]
        }
    )

    items: list[AuditRecordRead]
    next_before: str | None = Field(description="pass as `before` for the next page")


@router.get(
    "/audit",
    response_model=AuditPage,
    dependencies=[Depends(require(Permission.AUDIT_READ))],
    responses=problem_responses(MemberNotFoundError, CursorInvalidError),
)
async def list_audit(
    request: Request,
    actor_kind: Annotated[ActorKind | None, Query(description="staff, api_key, system")] = None,
    actor_id: Text = None,
    action: Text = None,
    member_id: Annotated[
        str | None, Query(min_length=1, max_length=128, description="the shop's member id")
    ] = None,
    target_type: Text = None,
    target_id: Text = None,
    since: Annotated[AwareDatetime | None, Query(alias="from", description="inclusive")] = None,
    until: Annotated[AwareDatetime | None, Query(alias="to", description="exclusive")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    before: Annotated[str | None, Query(description="next_before of the last page")] = None,
) -> Response:
    """Who did what, to which target or member, when and from where (the address cut to
    its network: IPv4 /24, IPv6 /48), newest first; every filter given must match.
    ``member_id`` is the member's id in the shop (404 when no member has it)."""
    cursor = parse_cursor(before)
    wanted = AuditFilter(
        actor_kind=actor_kind,
        actor_id=actor_id,
        action=action,
        target_type=target_type,
        target_id=target_id,
        since=since,
        until=until,
    )

    def op(uow: UnitOfWork) -> dict[str, Any]:
        return audit_page(uow, wanted, member_id, limit, cursor[1] if cursor else None)

    return JsonResponse(await read(request, op))


def audit_page(
    uow: UnitOfWork,
    wanted: AuditFilter,
    member_id: str | None,
    limit: int,
    before_seq: int | None,
) -> dict[str, Any]:
    """A page of the trail as staff read it (the console's audit page too): ``items``
    with the shop's member ids, and ``next_before`` when there may be more.

    Raises:
        MemberNotFoundError: no member has the shop's id ``member_id``.
    """
    if member_id is not None:
        wanted = wanted.model_copy(update={"member_id": members.get_member_id(uow, member_id)})
    rows = audit.list_records(uow, wanted, limit=limit, before_seq=before_seq)
    shop_ids = members.external_ids(uow, {r.member_id for r in rows if r.member_id})
    items = [
        audit.record_view(row) | {"member_id": shop_ids.get(row.member_id or 0)} for row in rows
    ]
    last = rows[-1] if len(rows) == limit else None
    return {"items": items, "next_before": make_cursor(last.at, last.seq) if last else None}
