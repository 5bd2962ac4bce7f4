"""The audit trail's rows, the head of its hash chain, and who acts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from loyalist.db.base import Base, BigId, JsonDoc


class ActorKind(StrEnum):
    STAFF = "staff"
    API_KEY = "api_key"
    MEMBER = "member"
    SYSTEM = "system"


@dataclass(frozen=True, slots=True)
class Actor:
    """Who acts and from where: built by the entry point (request, CLI command, job) and
    passed to every use case that writes an audit row."""

    kind: ActorKind
    id: str | None = None
    label: str | None = None
    ip: str | None = None
    request_id: str | None = None


#: Work the system does by itself (jobs, retention, the demo).
SYSTEM = Actor(ActorKind.SYSTEM, label="system")


class AuditRecord(Base):
    """One audited act. Never updated or deleted except by the retention job (PostgreSQL
    refuses UPDATE and DELETE otherwise, by trigger); ``seq`` orders the hash chain."""

    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_at", "at"),
        Index("ix_audit_log_member", "member_id", "seq"),
        Index("ix_audit_log_action", "action", "seq"),
        Index("ix_audit_log_actor", "actor_kind", "actor_id", "seq"),
        Index("ix_audit_log_target", "target_type", "target_id", "seq"),
    )

    seq: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=False)
    at: Mapped[datetime]
    actor_kind: Mapped[ActorKind] = mapped_column(String(16))
    actor_id: Mapped[str | None] = mapped_column(String(64))
    actor_label: Mapped[str | None] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(64))
    target_type: Mapped[str | None] = mapped_column(String(32))
    target_id: Mapped[str | None] = mapped_column(String(128))
    member_id: Mapped[int | None] = mapped_column(BigId)
    before: Mapped[dict[str, Any] | None] = mapped_column(JsonDoc)
    after: Mapped[dict[str, Any] | None] = mapped_column(JsonDoc)
    reason: Mapped[str | None] = mapped_column(Text)
    ip: Mapped[str | None] = mapped_column(String(45))
    request_id: Mapped[str | None] = mapped_column(String(64))
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHead(Base):
    """The one row holding the chain's last sequence number and hash: every writer locks it
    first, so concurrent writers append one after another and never fork the chain."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(BigId)
    hash: Mapped[str] = mapped_column(String(64))
