"""Role routes: the built-in and custom roles, and custom roles' creation, change and
deletion (built-in roles are neither changed nor deleted)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from starlette.responses import Response

from loyalist.api.deps import GuardedRoute, KeyCache, read, refuse_nul, require, write
from loyalist.api.problems import problem_responses
from loyalist.api.responses import Items, JsonResponse
from loyalist.db.uow import UnitOfWork
from loyalist.staff import service as staff
from loyalist.staff.errors import (
    GrantBeyondOwnError,
    PermissionUnknownError,
    RoleBuiltinError,
    RoleExistsError,
    RoleInUseError,
    RoleNotFoundError,
)
from loyalist.staff.models import Permission, Role
from loyalist.staff.schemas import RoleIn, RoleRead, RoleUpdate
from loyalist.staff.service import Principal

router = APIRouter(
    prefix="/api/v1", tags=["staff"], dependencies=[Depends(refuse_nul)], route_class=GuardedRoute
)

RoleSlug = Annotated[str, Path(min_length=1, max_length=40, description="the role's slug")]


def role_view(role: Role) -> dict[str, Any]:
    return RoleRead.model_validate(role, from_attributes=True).model_dump(mode="json")


def _forget_keys(request: Request) -> None:
    """Keys acting with a changed role act with its new permissions here at once."""
    cache: KeyCache = request.app.state.key_cache
    cache.clear()


@router.get(
    "/roles",
    response_model=Items[RoleRead],
    dependencies=[Depends(require(Permission.STAFF_MANAGE))],
)
async def list_roles(request: Request) -> Response:
    """Every role with its permissions: the built-in ones first, then custom ones."""

    def op(uow: UnitOfWork) -> list[dict[str, Any]]:
        return [role_view(role) for role in staff.list_roles(uow)]

    return JsonResponse({"items": await read(request, op)})


@router.post(
    "/roles",
    status_code=201,
    response_model=RoleRead,
    responses=problem_responses(PermissionUnknownError, RoleExistsError, GrantBeyondOwnError),
)
async def create_role(
    body: RoleIn, request: Request, who: Principal = Depends(require(Permission.STAFF_MANAGE))
) -> Response:
    """A custom role: a slug, a name and permissions (422 ``permission_unknown`` pointing
    at an unknown one; 403 ``grant_beyond_own`` for one you do not hold)."""

    def op(uow: UnitOfWork) -> dict[str, Any]:
        return role_view(staff.create_role(uow, body, by=who))

    return JsonResponse(await write(request, op), status_code=201)


@router.put(
    "/roles/{slug}",
    response_model=RoleRead,
    responses=problem_responses(
        RoleNotFoundError, RoleBuiltinError, PermissionUnknownError, GrantBeyondOwnError
    ),
)
async def update_role(
    slug: RoleSlug,
    body: RoleUpdate,
    request: Request,
    who: Principal = Depends(require(Permission.STAFF_MANAGE)),
) -> Response:
    """Replace a custom role's name and permissions; keys acting with it act with the new
    ones within seconds. Built-in roles: 409 ``role_builtin``."""

    def op(uow: UnitOfWork) -> dict[str, Any]:
        return role_view(staff.update_role(uow, slug, body, by=who))

    view = await write(request, op)
    _forget_keys(request)
    return JsonResponse(view)


@router.delete(
    "/roles/{slug}",
    status_code=204,
    responses=problem_responses(RoleNotFoundError, RoleBuiltinError, RoleInUseError),
)
async def delete_role(
    slug: RoleSlug, request: Request, who: Principal = Depends(require(Permission.STAFF_MANAGE))
) -> Response:
    """Delete a custom role; 409 ``role_in_use`` while active keys act with it, 409
    ``role_builtin`` for a built-in role."""

    def op(uow: UnitOfWork) -> None:
        staff.delete_role(uow, slug, by=who)

    await write(request, op)
    _forget_keys(request)
    return Response(status_code=204)
