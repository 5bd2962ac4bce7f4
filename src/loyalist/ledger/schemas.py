"""What the points routes answer: balances, history, holds, spends, adjustments, liability.

Documentation models: the routes build their answers as plain dicts on the hot paths, and
these models describe them in the OpenAPI document (schemathesis checks that they agree).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from loyalist.ledger.models import AdjustmentState, HoldStatus, PostingKind


class NextExpiry(BaseModel):
    """The soonest expiry: its instant, its day in the program's time zone and the points
    expiring that day."""

    at: datetime
    on: str = Field(description="the day (YYYY-MM-DD) in the program's time zone")
    points: int


class PointsBalance(BaseModel):
    """A member's points: what they can spend now and the lifetime figures."""

    member_id: str = Field(description="the member's external id")
    available: int = Field(description="spendable now")
    pending: int = Field(description="earned, not yet spendable (returns window)")
    on_hold: int = Field(description="reserved by open holds")
    debt: int = Field(description="points owed after a reversal took more than was left")
    lifetime_earned: int
    spent: int
    expired: int
    reversed: int
    next_expiry: NextExpiry | None = Field(default=None, description="null: nothing expires")


class BalanceChange(BaseModel):
    """How a posting changed each of the member's accounts."""

    available: int
    pending: int
    held: int


class Reason(BaseModel):
    """Why a posting was written: a stable code and its parameters."""

    code: str = Field(examples=["earn_order", "adjust", "hold"])
    params: dict[str, Any]


class HistoryEntry(BaseModel):
    """One ledger posting as the member sees it."""

    id: int
    at: datetime = Field(description="when it took effect")
    recorded_at: datetime
    kind: PostingKind
    points: int = Field(description="the signed change of the member's points")
    change: BalanceChange
    reason: Reason
    text: str = Field(description="the reason in the member's (or the asked) language")
    hold_id: str | None = None
    issuer: str | None = Field(default=None, description="who booked a manual adjustment")
    rule_version_id: int | None = None


class HistoryPage(BaseModel):
    """A page of history, newest first; ``next_before`` asks for the next one."""

    items: list[HistoryEntry]
    next_before: str | None = Field(
        default=None, description="the cursor of the next page; null: last page"
    )


class SpendRead(BaseModel):
    """Points spent at once."""

    posting_id: int
    member_id: str
    points: int
    reference: str | None = None


class HoldRead(BaseModel):
    """A reservation of points: active until confirmed, released or timed out."""

    id: str
    member_id: str | None = Field(default=None, description="null once the member is erased")
    points: int = Field(description="the points reserved")
    confirmed_points: int = Field(description="the points spent on confirmation (0 before)")
    status: HoldStatus
    reference: str | None = None
    created_at: datetime
    expires_at: datetime
    settled_at: datetime | None = None


class AdjustmentRead(BaseModel):
    """A manual adjustment, booked."""

    posting_id: int
    member_id: str
    points: int
    reason: str
    issuer: str = Field(description="``api-key:<name>`` or the staff user who booked it")


class AdjustmentRequestRead(BaseModel):
    """A manual adjustment above the approval threshold, waiting for (or after) a second
    person's decision."""

    request_id: int
    member_id: str | None = Field(default=None, description="null once the member is erased")
    points: int
    reason: str
    state: AdjustmentState
    requested_by: str
    requested_at: datetime
    decided_at: datetime | None = None
    decision_reason: str | None = None
    posting_id: int | None = Field(default=None, description="the booked posting, once approved")


class Liability(BaseModel):
    """Outstanding points: minus the sum of the system accounts."""

    outstanding_points: int
    system_accounts: dict[str, int] = Field(description="balance by system account")
    as_of: datetime
