"""Pure earning decisions: what an occurrence earns under the program, as ledger awards.

Nothing here reads the database or the clock. The live handlers, dry runs and backtests
all decide here; the only state that changes is the ``Usage`` of the rules' counters that
limits are checked against.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from loyalist.activities.events import OrderPaid
from loyalist.activities.models import EventType
from loyalist.ledger import policy as ledger_policy
from loyalist.ledger.service import Award
from loyalist.rules import engine
from loyalist.rules.engine import (
    CompiledProgram,
    Evaluation,
    Grant,
    LineView,
    Occurrence,
    OrderView,
    Usage,
)
from loyalist.rules.schemas import Availability, RuleSpec
from loyalist.settings import ProgramPolicy

#: Activity types that are rule triggers as they are (custom ``x.*`` ones too).
ACTIVITY_TRIGGERS = frozenset(
    {"member.enrolled", "member.updated", "review.published", "survey.answered"}
)
PROFILE_EVENTS = ("member.enrolled", "member.updated")


@dataclass(frozen=True, slots=True)
class Outcome:
    """What the rules granted for one occurrence (for dry runs, backtests, explanations)."""

    occurrence: Occurrence
    evaluation: Evaluation
    grants: tuple[Grant, ...]
    tier_key: str | None
    tier_bonus: int
    awards: tuple[Award, ...] = field(default=())

    @property
    def points(self) -> int:
        return sum(award.points for award in self.awards)


def order_view(fact: OrderPaid) -> OrderView:
    return OrderView(
        order_id=fact.order_id,
        currency=fact.currency,
        net_amount=fact.net_amount,
        shipping=fact.shipping,
        channel=fact.channel,
        lines=tuple(
            LineView(line.sku, line.category, line.quantity, line.unit_price, line.discount)
            for line in fact.lines
        ),
        exponent=ledger_policy.minor_unit_exponent(fact.currency),
    )


def decide(
    program: CompiledProgram,
    occurrence: Occurrence,
    member_key: str,
    usage: Usage,
    policy: ProgramPolicy,
    *,
    tier_key: str | None,
    tier_multiplier: Decimal,
    paid_at: datetime | None = None,
    delivered_at: datetime | None = None,
    tier_name: Mapping[str, str] | None = None,
) -> Outcome:
    """Evaluate, apply limits (consuming ``usage``) and turn grants into ledger awards
    (``qualifying`` as the rule says; the tier bonus never qualifies)."""
    evaluation, grants = engine.decide(program, occurrence, policy.zone, member_key, usage)
    order_id = occurrence.order.order_id if occurrence.order else None
    awards: list[Award] = []
    for g in grants:
        if g.points <= 0:
            continue
        rule = g.hit.rule
        if rule.version_id is None:  # the base rates before any rule: the order is enough
            params: dict[str, Any] = {"order_id": order_id}
        else:
            params = {"rule": rule.key, "name": dict(rule.names)}
        if order_id is not None:
            params["order_id"] = order_id
        if g.limited_by:
            params["limited_by"] = g.limited_by
        awards.append(
            Award(
                points=g.points,
                reason_code="earn_order" if rule.version_id is None else "earn_rule",
                reason_params=params if rule.version_id is not None else {"order_id": order_id},
                available_at=_available_at(rule.spec, occurrence, policy, paid_at, delivered_at),
                rule_version_id=rule.version_id,
                qualifying=rule.spec.qualifying,
            )
        )
    base = sum(g.points for g in grants if g.hit.is_base)
    bonus = engine.tier_bonus(base, tier_multiplier)
    if bonus > 0 and tier_key is not None:
        base_rule = next(g.hit.rule for g in grants if g.hit.is_base)
        awards.append(
            Award(
                points=bonus,
                reason_code="earn_tier",
                reason_params={
                    "tier": dict(tier_name) if tier_name else tier_key,
                    "multiplier": str(tier_multiplier),
                    "order_id": order_id,
                },
                available_at=_available_at(
                    base_rule.spec, occurrence, policy, paid_at, delivered_at
                ),
            )
        )
    return Outcome(occurrence, evaluation, grants, tier_key, bonus, tuple(awards))


def _available_at(
    spec: RuleSpec,
    occurrence: Occurrence,
    policy: ProgramPolicy,
    paid_at: datetime | None,
    delivered_at: datetime | None,
) -> datetime | None:
    available = spec.available
    if occurrence.trigger == "order.paid":
        if available == Availability.IMMEDIATELY:
            return None
        return ledger_policy.maturity(paid_at or occurrence.occurred_at, delivered_at, policy)
    if available == Availability.AFTER_DAYS and spec.available_after_days:
        return occurrence.occurred_at + timedelta(days=spec.available_after_days)
    return None


def activity_triggers(activity_type: str, program: CompiledProgram) -> list[str]:
    """The rule triggers an activity may fire (before checking once-only ones)."""
    found = []
    if (activity_type in ACTIVITY_TRIGGERS or activity_type.startswith("x.")) and (
        program.rules_for(activity_type)
    ):
        found.append(activity_type)
    if activity_type in PROFILE_EVENTS and program.rules_for("profile.completed"):
        found.append("profile.completed")
    return found


def is_rewardable(trigger: str, data: Mapping[str, Any]) -> bool:
    """A platform guarantee, before any rule runs: a review earns only for a verified
    purchase and only as the member's one live review of that product; a survey earns
    only on the member's first answer to it (see docs/reviews.md)."""
    if trigger == EventType.REVIEW_PUBLISHED:
        return (
            data.get("verified_purchase") is True
            and data.get("first_for_product") is True
            and data.get("removed") is not True
        )
    if trigger == EventType.SURVEY_ANSWERED:
        return data.get("first_answer") is True
    return True
