"""Backtest: replay stored history through a candidate program beside the live one, writing
nothing, and compare what each would have issued."""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from itertools import islice
from typing import Any

from loyalist.activities import service as activities
from loyalist.activities.events import ActivityRecorded, OrderPaid
from loyalist.db.uow import UnitOfWork
from loyalist.members import service as members
from loyalist.rules.books import current_program
from loyalist.rules.engine import CompiledProgram, MemberView, Occurrence
from loyalist.rules.policy import Replay, Side, order_view
from loyalist.rules.programs import compile_or_raise, program_with
from loyalist.rules.schemas import ProgramFile, RuleSpec
from loyalist.settings import ProgramPolicy
from loyalist.tiers import service as tier_service

_ACTION_TYPES = ("member.enrolled", "member.updated", "review.published", "survey.answered")
#: Orders and events replayed per batch: the members' facts and tiers of one batch are read
#: together and forgotten after it, so memory stays bounded however long the period.
_CHUNK = 500


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
    through ``candidate`` (a program file: its rules replace the live ones), each with its
    own counters and member statistics, in time order.

    Points of returned or cancelled orders are reversed in proportion, as the ledger does.
    Limits count from ``start``; members have their current tier throughout (tier changes
    within the period are not simulated). Nothing is written.

    Raises:
        InvalidRequestError: a candidate rule does not compile.
    """
    live = current_program(uow, policy)
    program = live if candidate.rules is None else compile_or_raise(candidate.rules)
    return _replay(uow, live, program, policy, start, end, progress)


def backtest_rule(
    uow: UnitOfWork, spec: RuleSpec, policy: ProgramPolicy, start: datetime, end: datetime
) -> BacktestReport:
    """:func:`backtest` of the live program with one rule edited (or added): every other
    live rule, campaigns' included, stays as it is, so an unchanged rule changes nothing.

    Raises:
        InvalidRequestError: ``rule_invalid``, the rule does not compile (pointers from the
            rule's root).
    """
    return _replay(
        uow, current_program(uow, policy), program_with(uow, spec), policy, start, end, None
    )


def _replay(
    uow: UnitOfWork,
    live: CompiledProgram,
    candidate: CompiledProgram,
    policy: ProgramPolicy,
    start: datetime,
    end: datetime,
    progress: Callable[[int], None] | None,
) -> BacktestReport:
    replay = Replay(live, candidate, policy)
    stats: dict[int, list[Any]] = {
        m: [n, spend, last]
        for m, (n, spend, last) in activities.order_stats_before(uow, start).items()
    }
    with_offers = live.targets_offers or candidate.targets_offers
    orders = events = 0
    triggers = sorted(
        {t for p in (live, candidate) for t in p.triggers if t != "order.paid"}
        & (
            {*_ACTION_TYPES}
            | {t for p in (live, candidate) for t in p.triggers if t.startswith("x.")}
        )
    )
    items = _merged(uow, start, end, triggers)
    while chunk := list(islice(items, _CHUNK)):
        ids = sorted(
            {(item[0] if isinstance(item, tuple) else item).member_id for _, item in chunk}
        )
        # Offers as members hold them now (a campaign's offers are not kept by date).
        facts = members.member_facts(uow, ids, offers=with_offers)
        tiers = tier_service.reader(uow, policy.zone)
        tiers.prepare(ids)
        for at, item in chunk:
            if isinstance(item, tuple):
                fact, returned = item
                orders += 1
            else:
                fact, returned = item, 0
                events += 1
            member_id = fact.member_id
            status = tiers.status(member_id)
            view = _view(facts.get(member_id), stats.get(member_id), status.key, member_id)
            replay.play(
                _occurrence(fact, view),
                member_id,
                tier_key=status.key,
                tier_multiplier=status.multiplier,
                tier_name=status.name,
                returned=returned,
            )
            if isinstance(fact, OrderPaid):
                row = stats.setdefault(member_id, [0, 0, None])
                row[0] += 1
                row[1] += fact.net_amount - returned
                row[2] = at
        if progress is not None:
            progress(len(chunk))
    return BacktestReport(
        start,
        end,
        orders,
        events,
        replay.current,
        replay.candidate,
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
