"""The unit of work: one database transaction, the time it runs at, and the events it raised."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session


@dataclass
class UnitOfWork:
    """Passed first to every service function; services never commit.

    ``now`` is read once from the clock when the unit starts, so every row written by one
    operation carries the same instant. ``emit`` records a domain event that higher domains
    handle inside the same transaction (see ``bootstrap``).
    """

    session: Session
    now: datetime
    events: list[Any] = field(default_factory=list)

    @property
    def dialect(self) -> str:
        return self.session.get_bind().dialect.name

    def emit(self, event: Any) -> None:
        self.events.append(event)
