"""Backtest: replay stored history through a candidate program beside the live one, writing
nothing, and compare what each would have issued."""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from loyalist.activities import service as activities
from loyalist.activities.events import ActivityRecorded, OrderPaid
from loyalist.db.uow import UnitOfWork
from loyalist.ledger import policy as ledger_policy
from loyalist.members import service as members
from loyalist.rules.books import current_program
from loyalist.rules.engine import MemberView, MemoryUsage, Occurrence
from loyalist.rules.policy import decide, is_rewardable, order_view
from loyalist.rules.programs import compile_or_raise
from loyalist.rules.schemas import ProgramFile
from loyalist.settings import ProgramPolicy
from loyalist.tiers import service as tier_service

_ACTION_TYPES = ("member.enrolled", "member.updated", "review.published", "survey.answered")


@dataclass
class Side:
    """What one program issues over the period."""

    issued: int = 0
    reversed: int = 0
    by_rule: Counter[str] = field(default_factory=Counter)
    by_member: Counter[int] = field(default_factory=Counter)
    events_with_points: int = 0

    @property
    def net(self) -> int:
        return self.issued - self.reversed


@dataclass
class BacktestReport:
    start: datetime
    end: datetime
    orders: int
    activities: int
    current: Side
    candidate: Side
    point_value: Decimal
    currency: str

    def money(self, points: int) -> Decimal:
        return (Decimal(points) * self.point_value).quantize(Decimal("0.01"))

    @property
    def members_affected(self) -> int:
        everyone = set(self.current.by_member) | set(self.candidate.by_member)
        return sum(1 for m in everyone if self.current.by_member[m] != self.candidate.by_member[m])

    def as_dict(self, top: int = 10) -> dict[str, Any]:
        def side(s: Side) -> dict[str, Any]:
            return {
                "points_issued": s.issued,
                "points_reversed": s.reversed,
                "points_net": s.net,
                "cost": str(self.money(s.net)),
                "members_earning": sum(1 for v in s.by_member.values() if v > 0),
                "events_with_points": s.events_with_points,
                "top_rules": [
                    {"rule": key, "points": pts, "cost": str(self.money(pts))}
                    for key, pts in s.by_rule.most_common(top)
                ],
            }

        change = self.candidate.net - self.current.net
        return {
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "orders": self.orders,
            "activities": self.activities,
            "currency": self.currency,
            "point_value": str(self.point_value),
            "current": side(self.current),
            "candidate": side(self.candidate),
            "difference": {
                "points_issued": self.candidate.issued - self.current.issued,
                "cost": str(self.money(change)),
                "liability_change_points": change,
                "liability_change": str(self.money(change)),
                "members_affected": self.members_affected,
            },
        }


def backtest(
    uow: UnitOfWork,
    candidate: ProgramFile,
    policy: ProgramPolicy,
    start: datetime,
    end: datetime,
    *,
    progress: Callable[[int], None] | None = None,
) -> BacktestReport:
    """Replay orders paid and member events in ``[start, end)`` through the live program and
    through ``candidate``, each with its own counters and member statistics, in time order.

    Points of returned or cancelled orders are reversed in proportion, as the ledger does.
    Limits count from ``start``; members have their current tier throughout (tier changes
    within the period are not simulated). Nothing is written.

    Raises:
        InvalidRequestError: a candidate rule does not compile.
    """
    programs = {
        "current": current_program(uow, policy),
        "candidate": current_program(uow, policy)
        if candidate.rules is None  # a file without rules keeps the live ones
        else compile_or_raise(candidate.rules),
    }
    sides = {"current": Side(), "candidate": Side()}
    usage = {"current": MemoryUsage(), "candidate": MemoryUsage()}
    stats: dict[int, list[Any]] = {
        m: [n, spend, last]
        for m, (n, spend, last) in activities.order_stats_before(uow, start).items()
    }
    facts_cache: dict[int, members.MemberFacts] = {}
    with_offers = any(p.targets_offers for p in programs.values())
    tiers = tier_service.reader(uow, policy.zone)
    orders = events = 0
    triggers = sorted(
        {t for p in programs.values() for t in p.triggers if t != "order.paid"}
        & (
            {*_ACTION_TYPES}
            | {t for p in programs.values() for t in p.triggers if t.startswith("x.")}
        )
    )
    for at, item in _merged(uow, start, end, triggers):
        if isinstance(item, tuple):
            fact, returned = item
            orders += 1
        else:
            fact, returned = item, 0
            events += 1
        member_id = fact.member_id
        if member_id not in facts_cache:
            # Offers as members hold them now (a campaign's offers are not kept by date).
            facts_cache.update(members.member_facts(uow, [member_id], offers=with_offers))
        status = tiers.status(member_id)
        view = _view(facts_cache.get(member_id), stats.get(member_id), status.key, member_id)
        for name, program in programs.items():
            occurrence = _occurrence(fact, view)
            if not program.rules_for(occurrence.trigger) or not is_rewardable(
                occurrence.trigger, occurrence.data
            ):
                continue
            outcome = decide(
                program,
                occurrence,
                str(member_id),
                usage[name],
                policy,
                tier_key=status.key,
                tier_multiplier=status.multiplier,
                tier_name=status.name,
                paid_at=at,
            )
            side = sides[name]
            points = outcome.points
            if points:
                side.events_with_points += 1
            side.issued += points
            side.by_member[member_id] += points
            for g in outcome.grants:
                side.by_rule[g.hit.rule.key] += g.points
            if outcome.tier_bonus:
                side.by_rule[f"tier:{status.key}"] += outcome.tier_bonus
            if returned and isinstance(fact, OrderPaid):
                back = sum(
                    ledger_policy.proportional_share(a.points, returned, fact.net_amount)
                    for a in outcome.awards
                )
                side.reversed += back
                side.by_member[member_id] -= back
        if isinstance(fact, OrderPaid):
            row = stats.setdefault(member_id, [0, 0, None])
            row[0] += 1
            row[1] += fact.net_amount - returned
            row[2] = at
        if progress is not None:
            progress(1)
    return BacktestReport(
        start,
        end,
        orders,
        events,
        sides["current"],
        sides["candidate"],
        policy.point_value,
        policy.currency,
    )


def count_items(uow: UnitOfWork, start: datetime, end: datetime) -> int:
    """How many orders the backtest will replay (for a progress bar)."""
    return sum(1 for _ in activities.paid_orders_between(uow, start, end))


def _merged(
    uow: UnitOfWork, start: datetime, end: datetime, types: list[str]
) -> Iterator[tuple[datetime, Any]]:
    orders = (
        (fact.paid_at, 0, (fact, returned))
        for fact, returned in activities.paid_orders_between(uow, start, end)
    )
    acts: Iterator[tuple[datetime, int, Any]] = (
        ((a.occurred_at, 1, a) for a in activities.activities_between(uow, start, end, types))
        if types
        else iter(())
    )
    for at, _, item in heapq.merge(orders, acts, key=lambda t: (t[0], t[1])):
        yield at, item


def _view(
    facts: members.MemberFacts | None, stats: list[Any] | None, tier: str | None, member_id: int
) -> MemberView:
    count, spend, last = stats if stats is not None else (0, 0, None)
    if facts is None:
        return MemberView(
            id=str(member_id),
            tier=tier,
            order_count=count,
            lifetime_spend=spend,
            last_order_at=last,
        )
    return MemberView(
        id=facts.external_id,
        tier=tier,
        segments=facts.segments,
        attributes=facts.attributes,
        order_count=count,
        lifetime_spend=spend,
        last_order_at=last,
        enrolled_at=facts.enrolled_at,
        birthday=facts.birthday,
        offers=facts.offers,
    )


def _occurrence(fact: OrderPaid | ActivityRecorded, view: MemberView) -> Occurrence:
    if isinstance(fact, OrderPaid):
        return Occurrence(
            trigger="order.paid",
            occurred_at=fact.paid_at,
            member=view,
            order=order_view(fact),
            event_type="order.paid",
        )
    return Occurrence(
        trigger=fact.type,
        occurred_at=fact.occurred_at,
        member=view,
        data=fact.data,
        event_type=fact.type,
    )
