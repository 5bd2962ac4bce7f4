"""Staff users, managed by an owner or admin: list, create, change (roles, name, language,
active). Disabling a user ends their sessions at once.

Guarded by the ``admin`` scope until routes are guarded by permissions (then
``staff.manage``); a staff user's session has that scope when their roles grant every
permission.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from loyalist.api.deps import GuardedRoute, read, require, write
from loyalist.api.problems import problem_responses
from loyalist.api.responses import JsonResponse, success
from loyalist.db.uow import UnitOfWork
from loyalist.staff import users
from loyalist.staff.errors import (
    LastOwnerError,
    PasswordTooCommonError,
    PasswordTooLongError,
    PasswordTooShortError,
    StaffEmailTakenError,
    StaffRoleUnknownError,
    StaffUserNotFoundError,
)
from loyalist.staff.models import Permission
from loyalist.staff.passwords import Hasher
from loyalist.staff.schemas import StaffUserCreate, StaffUserRead, StaffUserUpdate
from loyalist.staff.service import Principal

router = APIRouter(prefix="/api/v1/staff", tags=["staff"], route_class=GuardedRoute)
Manager = Annotated[Principal, Depends(require(Permission.STAFF_MANAGE))]
UserId = Annotated[int, Path(ge=1, le=2**62, description="the staff user's id")]


_USER = {
    "id": 2,
    "email": "analyst@shop.example",
    "name": "Boris",
    "roles": ["analyst"],
    "locale": "en",
    "is_active": True,
    "has_two_factors": False,
    "created_at": "2026-01-15T12:00:00Z",
    "updated_at": "2026-01-15T12:00:00Z",
}


@router.get(
    "",
    response_model=list[StaffUserRead],
    responses={
        200: success(
            None,
            [
                _USER
                | {"id": 1, "email": "owner@shop.example", "name": "Anna", "roles": ["owner"]}
                | {"has_two_factors": True},
                _USER,
            ],
            "The staff users",
        )
    },
)
async def list_staff(request: Request, who: Manager) -> Response:
    """Every staff user (with their email: staff are not members)."""
    found = await read(request, users.list_users)
    return JsonResponse([user.model_dump(mode="json") for user in found])


@router.post(
    "",
    status_code=201,
    response_model=StaffUserRead,
    responses=problem_responses(
        PasswordTooShortError,
        PasswordTooLongError,
        PasswordTooCommonError,
        StaffRoleUnknownError,
        StaffEmailTakenError,
        success={201: success(None, _USER, "Created")},
    ),
)
async def create_staff(body: StaffUserCreate, request: Request, who: Manager) -> Response:
    """Create a staff user with a first password (8–128 characters, not a common one);
    roles that reach personal data or manage staff make two factors compulsory at their
    first sign-in."""
    hasher: Hasher = request.app.state.password_hasher
    password_hash = await run_in_threadpool(
        users.new_password_hash, hasher, body.password, email=body.email, name=body.name
    )
    actor = who.actor
    created = await write(request, lambda uow: users.create_user(uow, body, password_hash, actor))
    return JsonResponse(created.model_dump(mode="json"), status_code=201)


@router.patch(
    "/{user_id}",
    response_model=StaffUserRead,
    responses=problem_responses(
        StaffUserNotFoundError,
        StaffRoleUnknownError,
        LastOwnerError,
        success={200: success(None, _USER | {"is_active": False}, "Changed")},
    ),
)
async def update_staff(
    user_id: UserId, body: StaffUserUpdate, request: Request, who: Manager
) -> Response:
    """Change roles, name, language or whether the user is active; ``is_active: false``
    ends their sessions at once. The last active owner cannot be disabled or demoted."""
    actor = who.actor

    def op(uow: UnitOfWork) -> StaffUserRead:
        return users.update_user(uow, user_id, body, actor)

    changed = await write(request, op)
    return JsonResponse(changed.model_dump(mode="json"))
