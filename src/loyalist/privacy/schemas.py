"""Privacy requests and answers: an erasure request, a destruction record."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from loyalist.audit.models import ActorKind
from loyalist.privacy.models import DestructionKind, LegalBasis


class ErasureIn(BaseModel):
    """Why a member's personal data is erased, as the destruction record will say."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "legal_basis": "subject_request",
                    "reference": "DSR-2026-0042",
                    "note": "the member asked by e-mail on 2026-01-14",
                }
            ]
        },
    )

    legal_basis: LegalBasis = Field(
        default=LegalBasis.SUBJECT_REQUEST,
        description="the ground of the erasure (docs/privacy.md); `retention_expired` is "
        "the retention job's own",
    )
    reference: str | None = Field(
        default=None,
        max_length=200,
        description="the operator's number for the request: its register of requests links "
        "the person to this record, which names them only by an opaque id",
    )
    note: str | None = Field(default=None, max_length=2000, description="why, in words")

    @field_validator("legal_basis")
    @classmethod
    def _not_retention(cls, value: LegalBasis) -> LegalBasis:
        if value == LegalBasis.RETENTION_EXPIRED:
            raise ValueError("retention_expired is the retention job's ground")
        return value


class ActorRead(BaseModel):
    kind: ActorKind
    id: str | None = None
    label: str | None = None


class DestructionRecordRead(BaseModel):
    """What was destroyed of one member, how, when, by whom and on what ground."""

    id: int
    subject: str = Field(description="the opaque id the member row carries now")
    kind: DestructionKind
    legal_basis: LegalBasis
    reference: str | None = None
    note: str | None = None
    categories: dict[str, Any] = Field(
        description="what was destroyed: personal fields by name, rows or fields per category"
    )
    method: str
    points_closed: int = Field(description="net points the erasure entry closed")
    actor: ActorRead
    audit_seq: int | None = Field(
        default=None, description="the `privacy.erasure` row of the audit trail"
    )
    performed_at: datetime


class DestructionRecordPage(BaseModel):
    items: list[DestructionRecordRead]
    next_before: str | None = None


class MemberExport(BaseModel):
    """A member's export bundle (``loyalist.member-export``, version 1): one section per
    domain, each described in docs/privacy.md."""

    format: str = Field(examples=["loyalist.member-export"])
    version: int
    generated_at: datetime
    member: dict[str, Any] = Field(description="id, erased_at, profile, devices")
    consents: dict[str, Any]
    ledger: dict[str, Any] = Field(description="summary, balance, entries, lots, holds")
    events: list[dict[str, Any]]
    orders: list[dict[str, Any]]
    reviews: list[dict[str, Any]]
    survey_answers: list[dict[str, Any]]
    checkouts: list[dict[str, Any]]
    coupons: dict[str, Any]
    rewards: dict[str, Any]
    referrals: dict[str, Any]
    messages: list[dict[str, Any]]
    suppressions: list[dict[str, Any]]
    gamification: dict[str, Any]
    tiers: dict[str, Any]
    rules: dict[str, Any]
    insights: dict[str, Any]
    audit: list[dict[str, Any]]
    destruction_record: dict[str, Any] | None = Field(
        default=None, description="after an erasure: what was destroyed, how and by whom"
    )
