"""API key routes: list (prefixes, never secrets), create (the token shown once), rotate
(a new secret for the same key) and revoke."""

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
    ApiKeyNameMissingError,
    ApiKeyNotFoundError,
    ApiKeyOwnerInvalidError,
    ApiKeyRevokedAlreadyError,
    ApiKeyRoleUnknownError,
    ApiKeyScopeInvalidError,
    GrantBeyondOwnError,
)
from loyalist.staff.models import ApiKey, Permission
from loyalist.staff.schemas import ApiKeyIn, ApiKeyIssued, ApiKeyRead
from loyalist.staff.service import Principal

router = APIRouter(
    prefix="/api/v1", tags=["staff"], dependencies=[Depends(refuse_nul)], route_class=GuardedRoute
)

KeyId = Annotated[int, Path(ge=1, le=2**63 - 1, description="the key's id")]


def key_view(key: ApiKey, token: str | None = None) -> dict[str, Any]:
    fields = {
        "id": key.id,
        "name": key.name,
        "prefix": key.prefix,
        "scopes": list(key.scopes),
        "role": key.role_slug,
        "owner": key.owner,
        "owner_staff_id": key.owner_staff_id,
        "created_at": key.created_at,
        "rotated_at": key.rotated_at,
        "revoked_at": key.revoked_at,
    }
    shape = ApiKeyRead if token is None else ApiKeyIssued
    return shape.model_validate(fields | ({"token": token} if token else {})).model_dump(
        mode="json"
    )


def forget_keys(request: Request) -> None:
    """A rotated or revoked key's old secret stops working here at once."""
    cache: KeyCache = request.app.state.key_cache
    cache.clear()


@router.get(
    "/api-keys",
    response_model=Items[ApiKeyRead],
    dependencies=[Depends(require(Permission.KEYS_MANAGE))],
)
async def list_keys(request: Request) -> Response:
    """Every key with its prefix, grants and owner (secrets are never shown)."""

    def op(uow: UnitOfWork) -> list[dict[str, Any]]:
        return [key_view(key) for key in staff.list_api_keys(uow)]

    return JsonResponse({"items": await read(request, op)})


@router.post(
    "/api-keys",
    status_code=201,
    response_model=ApiKeyIssued,
    responses=problem_responses(
        ApiKeyNameMissingError,
        ApiKeyScopeInvalidError,
        ApiKeyRoleUnknownError,
        ApiKeyOwnerInvalidError,
        GrantBeyondOwnError,
    ),
)
async def create_key(
    body: ApiKeyIn, request: Request, who: Principal = Depends(require(Permission.KEYS_MANAGE))
) -> Response:
    """A key with ``scopes`` or a ``role`` (it acts with the role's permissions). The
    answer's ``token`` is shown this once; afterwards only its ``prefix``. 403
    ``grant_beyond_own`` when it would hold a permission you do not."""

    def op(uow: UnitOfWork) -> dict[str, Any]:
        key, token = staff.create_api_key(
            uow,
            body.name,
            body.scopes,
            role=body.role,
            owner=body.owner,
            owner_staff_id=body.owner_staff_id,
            by=who,
        )
        return key_view(key, token)

    return JsonResponse(await write(request, op), status_code=201)


@router.post(
    "/api-keys/{key_id}/rotate",
    response_model=ApiKeyIssued,
    responses=problem_responses(
        ApiKeyNotFoundError, ApiKeyRevokedAlreadyError, GrantBeyondOwnError
    ),
)
async def rotate_key(
    key_id: KeyId, request: Request, who: Principal = Depends(require(Permission.KEYS_MANAGE))
) -> Response:
    """A new secret for the key (same id, prefix and grants); the old secret stops working
    (here at once, on other server processes within seconds). The new ``token`` is shown
    this once."""

    def op(uow: UnitOfWork) -> dict[str, Any]:
        key, token = staff.rotate_api_key(uow, key_id, by=who)
        return key_view(key, token)

    view = await write(request, op)
    forget_keys(request)
    return JsonResponse(view)


@router.delete(
    "/api-keys/{key_id}",
    response_model=ApiKeyRead,
    responses=problem_responses(ApiKeyNotFoundError),
)
async def revoke_key(
    key_id: KeyId, request: Request, who: Principal = Depends(require(Permission.KEYS_MANAGE))
) -> Response:
    """Revoke the key (again: no change); it stops working within seconds."""

    def op(uow: UnitOfWork) -> dict[str, Any]:
        return key_view(staff.revoke_api_key(uow, key_id, by=who))

    view = await write(request, op)
    forget_keys(request)
    return JsonResponse(view)
