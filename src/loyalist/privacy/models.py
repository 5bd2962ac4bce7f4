"""Privacy rows: the destruction records (the "act" of each erasure) and the retention scans."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from loyalist.audit.models import ActorKind
from loyalist.db.base import Base, BigId, JsonDoc


class DestructionKind(StrEnum):
    """Why a member's personal data was destroyed: someone asked (the member, an authority,
    the operator), or the retention period after the member's last activity ran out."""

    REQUEST = "request"
    RETENTION = "retention"


class LegalBasis(StrEnum):
    """The ground of a destruction, as the act states it (docs/privacy.md maps each to the
    articles of the GDPR and 152-FZ)."""

    SUBJECT_REQUEST = "subject_request"
    CONSENT_WITHDRAWN = "consent_withdrawn"
    UNLAWFUL_PROCESSING = "unlawful_processing"
    AUTHORITY_ORDER = "authority_order"
    RETENTION_EXPIRED = "retention_expired"


class RetentionKind(StrEnum):
    """What a retention scan walks: members (inactivity) or orders (accounting period)."""

    MEMBERS = "members"
    ORDERS = "orders"


class DestructionRecord(Base):
    """What was destroyed of one member, how, when, by whom and on what ground: the record
    152-FZ asks an operator to keep (an act of destruction with the event log's extract:
    ``audit_seq`` is the ``privacy.erasure`` row). One per member; the member row stays as
    an opaque shell named ``subject`` that keeps the books."""

    __tablename__ = "privacy_destruction_records"
    __table_args__ = (Index("ix_privacy_destruction_records_at", "performed_at", "id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    member_id: Mapped[int] = mapped_column(BigId, ForeignKey("members.id"), unique=True)
    subject: Mapped[str] = mapped_column(String(128))
    kind: Mapped[DestructionKind] = mapped_column(String(16))
    legal_basis: Mapped[LegalBasis] = mapped_column(String(32))
    reference: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)
    #: What was destroyed, by category: ``{category: rows or fields}``.
    categories: Mapped[dict[str, Any]] = mapped_column(JsonDoc)
    method: Mapped[str] = mapped_column(Text)
    points_closed: Mapped[int]
    actor_kind: Mapped[ActorKind] = mapped_column(String(16))
    actor_id: Mapped[str | None] = mapped_column(String(64))
    actor_label: Mapped[str | None] = mapped_column(String(200))
    audit_seq: Mapped[int | None] = mapped_column(BigId)
    performed_at: Mapped[datetime]


class RetentionScan(Base):
    """Where the retention job's walk of members or orders stands: a scan starts at most
    once a day and visits rows in key order, a chunk per unit of work, after ``after_id``;
    ``finished_at`` is set when it reaches the end."""

    __tablename__ = "privacy_retention_scans"

    kind: Mapped[RetentionKind] = mapped_column(String(16), primary_key=True)
    after_id: Mapped[int] = mapped_column(BigId)
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
