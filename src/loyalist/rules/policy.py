"""Pure earning decisions: what an occurrence earns under the program, as ledger awards.

Nothing here reads the database or the clock. The live handlers, dry runs and backtests
all decide here; the only state that changes is the ``Usage`` of the rules' counters that
limits are checked against.
"""

from __future__ import annotations

from collections import Counter
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
    MemoryUsage,
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


@dataclass
class Side:
    """What one program issues over a replayed period."""

    issued: int = 0
    reversed: int = 0
    by_rule: Counter[str] = field(default_factory=Counter)
    by_member: Counter[int] = field(default_factory=Counter)
    events_with_points: int = 0

    @property
    def net(self) -> int:
        return self.issued - self.reversed


class Replay:
    """Two programs, the live one (``current``) and a ``candidate``, fed the same history
    side by side, each with its own counters in memory: what a backtest decides, with no
    database. Points of a returned part of an order are reversed in proportion, as the
    ledger reverses them.

    Invariant: with the same program on both sides, both sides are equal after any history.
    """

    def __init__(
        self, current: CompiledProgram, candidate: CompiledProgram, policy: ProgramPolicy
    ) -> None:
        self.programs = {"current": current, "candidate": candidate}
        self.policy = policy
        self.sides = {"current": Side(), "candidate": Side()}
        self._usage = {"current": MemoryUsage(), "candidate": MemoryUsage()}

    @property
    def current(self) -> Side:
        return self.sides["current"]

    @property
    def candidate(self) -> Side:
        return self.sides["candidate"]

    def play(
        self,
        occurrence: Occurrence,
        member_id: int,
        *,
        tier_key: str | None = None,
        tier_multiplier: Decimal = Decimal(1),
        tier_name: Mapping[str, str] | None = None,
        returned: int = 0,
    ) -> None:
        """Decide ``occurrence`` under both programs and count what each issues;
        ``returned`` is the part of the order's net amount returned or cancelled since."""
        for name, program in self.programs.items():
            if not program.rules_for(occurrence.trigger) or not is_rewardable(
                occurrence.trigger, occurrence.data
            ):
                continue
            outcome = decide(
                program,
                occurrence,
                str(member_id),
                self._usage[name],
                self.policy,
                tier_key=tier_key,
                tier_multiplier=tier_multiplier,
                tier_name=tier_name,
                paid_at=occurrence.occurred_at,
            )
            side = self.sides[name]
            points = outcome.points
            if points:
                side.events_with_points += 1
            side.issued += points
            side.by_member[member_id] += points
            for g in outcome.grants:
                side.by_rule[g.hit.rule.key] += g.points
            if outcome.tier_bonus:
                side.by_rule[f"tier:{tier_key}"] += outcome.tier_bonus
            order = occurrence.order
            if returned and order is not None:
                back = sum(
                    ledger_policy.proportional_share(a.points, returned, order.net_amount)
                    for a in outcome.awards
                )
                side.reversed += back
                side.by_member[member_id] -= back
