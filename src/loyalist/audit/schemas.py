"""What the trail is read by: filters over actor, action, member, target and time."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict

from loyalist.audit.models import ActorKind


class AuditFilter(BaseModel):
    """Rows matching every filter given (none given: every row). ``member_id`` is the
    member's own key; ``since`` is inclusive, ``until`` exclusive."""

    model_config = ConfigDict(frozen=True)

    actor_kind: ActorKind | None = None
    actor_id: str | None = None
    action: str | None = None
    member_id: int | None = None
    target_type: str | None = None
    target_id: str | None = None
    since: datetime | None = None
    until: datetime | None = None
