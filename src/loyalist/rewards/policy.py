"""Whether a member may take a reward now: pure decisions, no I/O, ``now`` passed in.

Every refusal has a stable code, the same in the catalogue (why a reward cannot be taken)
and in the problem a redemption answers, checked in this order: ``reward_not_available``
(paused, not started, ended), ``reward_not_eligible`` (tier or segment gating),
``reward_limit_reached``, ``reward_out_of_stock``, ``insufficient_points``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from loyalist.errors import DomainError
from loyalist.ledger.errors import InsufficientPointsError
from loyalist.rewards.errors import (
    RewardLimitReachedError,
    RewardNotAvailableError,
    RewardNotEligibleError,
    RewardOutOfStockError,
)
from loyalist.rewards.models import RewardStatus


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why the member cannot take a reward now: the problem a redemption raises for it
    (409: the state may change; 422: this member cannot take this reward now) and words
    for a person."""

    problem: type[DomainError]
    detail: str

    @property
    def code(self) -> str:
        return self.problem.code

    def error(self) -> DomainError:
        return self.problem(self.detail)


@dataclass(frozen=True, slots=True)
class Offer:
    """The facts of a reward its checks read (a plain copy of the row)."""

    status: str
    valid_from: datetime | None
    valid_until: datetime | None
    tiers: Sequence[str]
    segments: Sequence[str]
    per_member_limit: int | None
    stock: int | None
    issued: int
    cost_points: int


def availability(offer: Offer, now: datetime) -> Refusal | None:
    if offer.status != RewardStatus.ACTIVE:
        return Refusal(RewardNotAvailableError, "the reward is paused")
    if offer.valid_from is not None and now < offer.valid_from:
        return Refusal(
            RewardNotAvailableError, f"the reward is offered from {offer.valid_from.isoformat()}"
        )
    if offer.valid_until is not None and now >= offer.valid_until:
        return Refusal(
            RewardNotAvailableError, f"the reward ended at {offer.valid_until.isoformat()}"
        )
    return None


def eligibility(offer: Offer, tier: str | None, segments: Sequence[str]) -> Refusal | None:
    """Tier or segment gating: any listed tier, and any listed segment (none listed = all)."""
    if offer.tiers and tier not in offer.tiers:
        return Refusal(
            RewardNotEligibleError, f"the reward is for the tiers {', '.join(offer.tiers)}"
        )
    if offer.segments and not set(offer.segments) & set(segments):
        return Refusal(RewardNotEligibleError, "the reward is for other customer segments")
    return None


def member_limit(offer: Offer, taken: int) -> Refusal | None:
    """``taken``: the member's rewards of this kind that were not refunded."""
    if offer.per_member_limit is not None and taken >= offer.per_member_limit:
        return Refusal(
            RewardLimitReachedError,
            f"the member already took this reward {offer.per_member_limit} time(s)",
        )
    return None


def in_stock(offer: Offer) -> Refusal | None:
    if offer.stock is not None and offer.issued >= offer.stock:
        return Refusal(RewardOutOfStockError, "the reward is out of stock")
    return None


def affordable(offer: Offer, available: int) -> Refusal | None:
    if available < offer.cost_points:
        return Refusal(
            InsufficientPointsError,
            f"not enough points: {available} available, {offer.cost_points} needed",
        )
    return None


def refusals(
    offer: Offer,
    now: datetime,
    *,
    tier: str | None,
    segments: Sequence[str],
    taken: int,
    available: int,
) -> list[Refusal]:
    """Every reason the member cannot take the reward now, in the order redemption checks
    them (the first is the problem a redemption would answer)."""
    found = [
        availability(offer, now),
        eligibility(offer, tier, segments),
        member_limit(offer, taken),
        in_stock(offer),
        affordable(offer, available),
    ]
    return [refusal for refusal in found if refusal is not None]
