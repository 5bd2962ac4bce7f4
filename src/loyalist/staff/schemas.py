"""Staff input and output shapes: roles and API keys (never a key's secret, except once in
the answer that made it), users, sign-in, two factors."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from loyalist.staff.models import SessionStage

#: A staff email: checked for shape only (the address receives security notices).
StaffEmail = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=3, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s.]+$"
    ),
]
#: What a client may send as a password: the policy (8–128 characters after NFKC) is
#: checked by the service, with its own problem codes; this only bounds the work.
Password = Annotated[str, Field(min_length=1, max_length=1024)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
RoleSlug = Annotated[str, StringConstraints(min_length=1, max_length=64)]
StaffLocale = Annotated[str, Field(pattern=r"^(en|ru)$")]


class StaffUserCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: StaffEmail
    name: Name
    roles: list[RoleSlug] = Field(min_length=1, max_length=20)
    password: Password
    locale: StaffLocale = "en"


class StaffUserUpdate(BaseModel):
    """Only the fields present change; ``is_active: false`` ends the user's sessions."""

    model_config = ConfigDict(extra="forbid")

    name: Name | None = None
    roles: list[RoleSlug] | None = Field(default=None, min_length=1, max_length=20)
    is_active: bool | None = None
    locale: StaffLocale | None = None


class StaffUserRead(BaseModel):
    id: int
    email: str
    name: str
    roles: list[str]
    locale: str
    is_active: bool
    has_two_factors: bool
    created_at: datetime
    updated_at: datetime


RoleName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
#: Permission values are checked by the use case (an unknown one is a 422 pointing at it).
Permissions = Annotated[
    list[Annotated[str, StringConstraints(max_length=64)]], Field(max_length=64)
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RoleUpdate(_Strict):
    """A custom role's name and permissions (replaced whole)."""

    name: RoleName
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

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"name": "till 3, Tverskaya store", "scopes": ["points:read", "checkout"]}]
        }
    )

    name: RoleName
    scopes: list[Annotated[str, StringConstraints(max_length=40)]] = Field(
        default_factory=list, max_length=32
    )
    role: Annotated[str, StringConstraints(max_length=40)] | None = None
    owner: RoleName | None = None
    owner_staff_id: int | None = Field(default=None, ge=1, le=2**63 - 1)


class ApiKeyRead(BaseModel):
    """A key as listed: its prefix, never its secret."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": 1,
                    "name": "only events:write",
                    "prefix": "14d60c078a1b",
                    "scopes": ["events:write"],
                    "role": None,
                    "owner": "only events:write",
                    "owner_staff_id": None,
                    "created_at": "2026-01-15T12:00:00Z",
                    "rotated_at": None,
                    "revoked_at": None,
                }
            ]
        }
    )

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

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": 18,
                    "name": "till",
                    "prefix": "fac9af4d5ae4",
                    "scopes": ["points:read"],
                    "role": None,
                    "owner": "till",
                    "owner_staff_id": None,
                    "created_at": "2026-01-15T12:00:00Z",
                    "rotated_at": "2026-01-15T12:00:00Z",
                    "revoked_at": None,
                    "token": "lk_fac9af4d5ae4_exampleexampleexampleexampleexample00",
                }
            ]
        }
    )

    token: str


class SignIn(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"email": "anna@shop.example", "password": "correct horse battery staple"}]
        },
        extra="forbid",
    )

    email: Annotated[str, Field(min_length=1, max_length=320)]
    password: Password


class TwoFactorCode(BaseModel):
    """A code of the authenticator app, or one of the recovery codes: exactly one."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"code": "492039"}]}, extra="forbid")

    code: Annotated[str, Field(min_length=1, max_length=16)] | None = None
    recovery_code: Annotated[str, Field(min_length=1, max_length=32)] | None = None

    @model_validator(mode="after")
    def _one(self) -> TwoFactorCode:
        if (self.code is None) == (self.recovery_code is None):
            raise ValueError("send either code or recovery_code")
        return self


class PasswordConfirmation(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"password": "correct horse battery staple"}]},
        extra="forbid",
    )

    password: Password


class EnrolmentCode(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"code": "492039"}]}, extra="forbid")

    code: Annotated[str, Field(min_length=1, max_length=16)]


class EnrolmentRead(BaseModel):
    """A started enrolment: the secret as text (base32), the otpauth URI and its QR code
    (SVG). Active only once a code of it is confirmed."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "secret": "JBSWY3DPEHPK3PXP",
                    "otpauth_uri": "otpauth://totp/Loyalist:anna%40shop.example?secret=JBSWY3DPEHPK3PXP&issuer=Loyalist",
                    "qr_svg": '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 29 29">…</svg>',
                }
            ]
        }
    )

    secret: str
    otpauth_uri: str
    qr_svg: str


class RecoveryCodesRead(BaseModel):
    """The ten single-use recovery codes: shown this once, stored only as digests."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"recovery_codes": ["7KQ4-M2XD", "P9TA-3VHC", "R6WN-8ZEB"]}]
        }
    )

    recovery_codes: list[str]


class SessionRead(BaseModel):
    """The signed-in user as the console needs it; send ``csrf_token`` back in the
    ``X-CSRF-Token`` header of every unsafe request."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "user": {
                        "id": 7,
                        "email": "anna@shop.example",
                        "name": "Anna Petrova",
                        "roles": ["marketer"],
                        "locale": "ru",
                        "is_active": True,
                        "has_two_factors": True,
                        "created_at": "2026-01-10T09:00:00Z",
                        "updated_at": "2026-02-01T09:00:00Z",
                    },
                    "stage": "complete",
                    "csrf_token": "3q2-7Vx0bC9rT1kYgA5mZw",
                    "permissions": ["campaigns.read", "campaigns.write", "members.read"],
                    "expires_at": "2026-03-08T18:15:00Z",
                }
            ]
        }
    )

    user: StaffUserRead
    stage: SessionStage
    csrf_token: str
    permissions: list[str]
    expires_at: datetime
