"""What the staff domain tells others: a user's second step was locked after failed codes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class TwoFactorLockedOut:
    """Too many wrong two-factor codes: the user's second step is locked until
    ``locked_until`` (messages tells the user by email)."""

    user_id: int
    locked_until: datetime
    failure_count: int
    ip: str | None
