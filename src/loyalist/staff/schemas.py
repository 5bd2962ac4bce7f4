"""The shapes of roles and API keys over the API: what is sent to create or change one, and
what is read back (never a key's secret, except once in the answer that made it)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
#: Permission values are checked by the use case (an unknown one is a 422 pointing at it).
Permissions = Annotated[
    list[Annotated[str, StringConstraints(max_length=64)]], Field(max_length=64)
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RoleUpdate(_Strict):
    """A custom role's name and permissions (replaced whole)."""

    name: Name
    permissions: Permissions


class RoleIn(RoleUpdate):
    """A new custom role; ``slug`` names it in keys and staff accounts."""

    slug: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{1,39}$")]


class RoleRead(BaseModel):
    slug: str
    name: str
    permissions: list[str]
    is_builtin: bool
    created_at: datetime
    updated_at: datetime


class ApiKeyIn(_Strict):
    """A new key: ``scopes`` or a ``role`` (not both); owned by a staff user
    (``owner_staff_id``) or a named integration (``owner``; default: the key's name)."""

    name: Name
    scopes: list[Annotated[str, StringConstraints(max_length=40)]] = Field(
        default_factory=list, max_length=32
    )
    role: Annotated[str, StringConstraints(max_length=40)] | None = None
    owner: Name | None = None
    owner_staff_id: int | None = Field(default=None, ge=1, le=2**63 - 1)


class ApiKeyRead(BaseModel):
    """A key as listed: its prefix, never its secret."""

    id: int
    name: str
    prefix: str
    scopes: list[str]
    role: str | None
    owner: str | None
    owner_staff_id: int | None
    created_at: datetime
    rotated_at: datetime | None
    revoked_at: datetime | None


class ApiKeyIssued(ApiKeyRead):
    """The answer that creates or rotates a key: the whole token, shown this once."""

    token: str
