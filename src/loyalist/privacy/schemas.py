"""Privacy requests and answers: an erasure request, a destruction record."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from loyalist.audit.models import ActorKind
from loyalist.privacy.models import DestructionKind, LegalBasis


class ErasureIn(BaseModel):
    """Why a member's personal data is erased, as the destruction record will say."""

    model_config = ConfigDict(extra="forbid")

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
    id: str | None
    label: str | None


class DestructionRecordRead(BaseModel):
    """What was destroyed of one member, how, when, by whom and on what ground."""

    id: int
    subject: str = Field(description="the opaque id the member row carries now")
    kind: DestructionKind
    legal_basis: LegalBasis
    reference: str | None
    note: str | None
    categories: dict[str, Any] = Field(
        description="what was destroyed: personal fields by name, rows or fields per category"
    )
    method: str
    points_closed: int = Field(description="net points the erasure entry closed")
    actor: ActorRead
    audit_seq: int | None = Field(description="the `privacy.erasure` row of the audit trail")
    performed_at: datetime


class DestructionRecordPage(BaseModel):
    items: list[DestructionRecordRead]
    next_before: str | None
