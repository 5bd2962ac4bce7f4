"""Earning: run the program's rules on order facts and member activities, grant points
through the ledger, and keep tiers informed; manage rule versions and the program file."""

from __future__ import annotations

import calendar
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any

from loyalist.activities import reviews as activity_reviews
from loyalist.activities.events import (
    ActivityRecorded,
    OrderCancelled,
    OrderDelivered,
    OrderPaid,
    OrderReturned,
)
from loyalist.activities.models import EventType
from loyalist.db.uow import UnitOfWork
from loyalist.ledger import handlers as ledger_handlers
from loyalist.ledger import policy as ledger_policy
from loyalist.ledger.service import Award
from loyalist.members import service as members
from loyalist.rules import engine
from loyalist.rules.book import RuleBook, current_program
from loyalist.rules.engine import (
    CompiledProgram,
    Evaluation,
    Grant,
    LineView,
    Occurrence,
    OrderView,
    Usage,
)
from loyalist.rules.events import BadgeGranted, CouponGranted, RewardGranted
from loyalist.rules.schemas import Availability
from loyalist.settings import ProgramPolicy
from loyalist.tiers.service import TierBook

Fact = OrderPaid | OrderDelivered | OrderReturned | OrderCancelled | ActivityRecorded

#: Activity types that are rule triggers as they are (custom ``x.*`` ones too).
_ACTIVITY_TRIGGERS = frozenset(
    {"member.enrolled", "member.updated", "review.published", "survey.answered"}
)


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
    tier_multiplier: Any,
    paid_at: datetime | None = None,
    delivered_at: datetime | None = None,
    tier_name: Mapping[str, str] | None = None,
) -> Outcome:
    """Evaluate, apply limits (consuming ``usage``) and turn grants into ledger awards.

    Pure apart from ``usage``: the live handler, dry runs and backtests all decide here.
    """
    evaluation, grants = engine.decide(program, occurrence, policy.zone, member_key, usage)
    order_id = occurrence.order.order_id if occurrence.order else None
    awards: list[Award] = []
    for g in grants:
        if g.points <= 0:
            continue
        rule = g.hit.rule
        params: dict[str, Any] = {"rule": rule.key, "name": rule.spec.name.model_dump()}
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


def tier_name(tiers: TierBook, key: str | None) -> Mapping[str, str] | None:
    """The tier's name in every language (what the tier bonus entry shows)."""
    if key is None:
        return None
    return next((dict(level.name) for level in tiers.levels if level.key == key), None)


def _available_at(
    spec: Any,
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


# -- the live handler ---------------------------------------------------------------------
def apply_facts(uow: UnitOfWork, facts: Sequence[Fact], policy: ProgramPolicy) -> None:
    """Apply a run of order facts and activities in the order they happened.

    An order's points are decided by the rules at the member's tier before the order; the
    ledger is written, then tiers and the order statistics rules read are updated, so the
    next fact of the same batch sees them (the result does not depend on batching).
    """
    program = current_program(uow, policy)
    tiers = TierBook.of(uow, policy.zone)
    # Most activities (a sign-up without a welcome rule, a custom event no rule reads)
    # need nothing here: leave them out before loading or locking anything.
    facts = [
        f for f in facts if not isinstance(f, ActivityRecorded) or _has_work(f, program, tiers)
    ]
    if not facts:
        return
    order_facts = [f for f in facts if not isinstance(f, ActivityRecorded)]
    activities = [f for f in facts if isinstance(f, ActivityRecorded)]
    member_ids = {f.member_id for f in facts}
    book = RuleBook.of(uow)
    # Every member whose points may move, locked in one go in key order (two separate
    # sorted batches could interleave with another writer's and deadlock).
    earning = [
        a.member_id
        for a in activities
        if _rule_triggers(a, program) or a.type == EventType.REVIEW_REMOVED
    ]
    ledger_handlers.lock_members(uow, [*(f.member_id for f in order_facts), *earning])
    ledger_handlers.prepare(uow, order_facts)
    triggers = {"order.paid"} if order_facts else set()
    for activity in activities:
        triggers.update(_rule_triggers(activity, program))
    book.prepare(program, triggers, member_ids, [_at(f) for f in facts], policy)
    tiers.prepare(member_ids)
    completed = _newly_completed(uow, book, program, activities)
    for fact in facts:
        if isinstance(fact, OrderPaid):
            _order_paid(uow, book, tiers, program, fact, policy)
        elif isinstance(fact, ActivityRecorded):
            _activity(uow, book, tiers, program, fact, policy, completed)
        else:
            ledger_handlers.apply_fact(uow, fact, policy, ())
            if isinstance(fact, OrderReturned):
                book.order_changed(fact.member_id, orders=0, spend=-fact.returned_amount)
                tiers.record_order_returned(
                    fact.member_id,
                    fact.order_id,
                    fact.cumulative_returned_amount,
                    fact.net_amount,
                    fact.occurred_at,
                )
            elif isinstance(fact, OrderCancelled):
                book.order_changed(
                    fact.member_id, orders=-1, spend=-(fact.net_amount - fact.returned_amount)
                )
                tiers.record_order_cancelled(fact.member_id, fact.order_id, fact.cancelled_at)


def _at(fact: Fact) -> datetime:
    if isinstance(fact, OrderPaid):
        return fact.paid_at
    if isinstance(fact, OrderDelivered):
        return fact.delivered_at
    if isinstance(fact, OrderCancelled):
        return fact.cancelled_at
    return fact.occurred_at


def _rule_triggers(activity: ActivityRecorded, program: CompiledProgram) -> list[str]:
    """The rule triggers an activity may fire (before checking once-only ones)."""
    found = []
    if (activity.type in _ACTIVITY_TRIGGERS or activity.type.startswith("x.")) and (
        program.rules_for(activity.type)
    ):
        found.append(activity.type)
    if activity.type in ("member.enrolled", "member.updated") and program.rules_for(
        "profile.completed"
    ):
        found.append("profile.completed")
    return found


def _has_work(activity: ActivityRecorded, program: CompiledProgram, tiers: TierBook) -> bool:
    if activity.type.startswith("membership."):
        return tiers.is_active
    if activity.type == EventType.REVIEW_REMOVED:
        return True  # reverses what the review earned, whatever the rules are now
    return bool(_rule_triggers(activity, program))


def _order_paid(
    uow: UnitOfWork,
    book: RuleBook,
    tiers: TierBook,
    program: CompiledProgram,
    fact: OrderPaid,
    policy: ProgramPolicy,
) -> None:
    status = tiers.status(fact.member_id)
    occurrence = Occurrence(
        trigger="order.paid",
        occurred_at=fact.paid_at,
        member=book.member_view(fact.member_id, status.key),
        order=order_view(fact),
        event_type="order.paid",
    )
    outcome = decide(
        program,
        occurrence,
        str(fact.member_id),
        book,
        policy,
        tier_key=status.key,
        tier_multiplier=status.multiplier,
        tier_name=tier_name(tiers, status.key),
        paid_at=fact.paid_at,
        delivered_at=fact.delivered_at,
    )
    ledger_handlers.apply_fact(uow, fact, policy, outcome.awards)
    _side_effects(uow, fact.member_id, outcome, f"order:{fact.order_id}")
    book.order_paid(fact.member_id, fact.net_amount, fact.paid_at)
    tiers.record_order_paid(
        fact.member_id,
        fact.order_id,
        fact.currency,
        fact.net_amount,
        _qualifying(outcome),
        fact.paid_at,
    )


def _activity(
    uow: UnitOfWork,
    book: RuleBook,
    tiers: TierBook,
    program: CompiledProgram,
    activity: ActivityRecorded,
    policy: ProgramPolicy,
    completed: set[int],
) -> None:
    tiers.record_activity(activity)
    if activity.type == EventType.REVIEW_REMOVED:
        _review_removed(uow, tiers, activity, policy)
        return
    triggers = []
    if activity.type in _ACTIVITY_TRIGGERS or activity.type.startswith("x."):
        triggers.append((activity.type, activity.data))
    if activity.type in ("member.enrolled", "member.updated") and (activity.member_id in completed):
        completed.discard(activity.member_id)  # once, on the first profile event of the run
        triggers.append(("profile.completed", activity.data))
    for trigger, data in triggers:
        if not program.rules_for(trigger) or not is_rewardable(trigger, data):
            continue
        review_id = data["review_id"] if trigger == EventType.REVIEW_PUBLISHED else None
        outcome = award_trigger(
            uow,
            book,
            tiers,
            program,
            policy,
            member_id=activity.member_id,
            trigger=trigger,
            occurred_at=activity.occurred_at,
            data=data,
            event_type=activity.type,
            ref=f"event:{activity.event_id}",
            order_ref=review_ref(review_id) if review_id is not None else None,
        )
        if review_id is not None and outcome.awards:
            activity_reviews.record_review_reward(
                uow, review_id, outcome.points, _qualifying(outcome)
            )


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


def review_ref(review_id: str) -> str:
    """The ledger reference of everything a review earned (its reversal finds it there)."""
    return f"review:{review_id}"


def _review_removed(
    uow: UnitOfWork, tiers: TierBook, activity: ActivityRecorded, policy: ProgramPolicy
) -> None:
    """Reverse exactly what the review earned, once (the ledger tracks what each lot has
    had reversed); points already spent follow the negative-balance policy."""
    from loyalist.ledger import service as ledger

    review_id = activity.data["review_id"]
    ledger.reverse_order_points(
        uow,
        activity.member_id,
        review_ref(review_id),
        1,
        1,
        "reverse_review",
        {"review_id": review_id, "sku": activity.data.get("sku")},
        policy,
        at=activity.occurred_at,
    )
    review = activity_reviews.find_review(uow, review_id)
    if review is not None and review.qualifying_points > 0:
        qualifying, review.qualifying_points = review.qualifying_points, 0
        ref = f"{review_ref(review_id)}:removed"
        tiers.record_points(activity.member_id, -qualifying, activity.occurred_at, ref)


def _newly_completed(
    uow: UnitOfWork, book: RuleBook, program: CompiledProgram, activities: list[ActivityRecorded]
) -> set[int]:
    """Members of the run whose profile is complete and who never got ``profile.completed``;
    their trigger is claimed now (one query each for profiles and claims)."""
    if not program.rules_for("profile.completed"):
        return set()
    ids = {a.member_id for a in activities if a.type in ("member.enrolled", "member.updated")}
    if not ids:
        return set()
    # Read after this unit's profile changes (the query flushes them first).
    facts = members.member_facts(uow, ids)
    book.facts.update(facts)
    keys = {f"profile.completed:{m}": m for m, f in facts.items() if f.is_profile_complete}
    return {keys[key] for key in book.claim_triggers(keys)}


def award_trigger(
    uow: UnitOfWork,
    book: RuleBook,
    tiers: TierBook,
    program: CompiledProgram,
    policy: ProgramPolicy,
    *,
    member_id: int,
    trigger: str,
    occurred_at: datetime,
    data: Any,
    event_type: str,
    ref: str,
    order_ref: str | None = None,
) -> Outcome:
    """Run the rules of a non-order trigger for a member and grant what they decide
    (under ``order_ref`` in the ledger when the grant may be reversed, e.g. a review's)."""
    from loyalist.ledger import service as ledger

    status = tiers.status(member_id)
    occurrence = Occurrence(
        trigger=trigger,
        occurred_at=occurred_at,
        member=book.member_view(member_id, status.key),
        data=data,
        event_type=event_type,
    )
    outcome = decide(
        program,
        occurrence,
        str(member_id),
        book,
        policy,
        tier_key=status.key,
        tier_multiplier=status.multiplier,
        tier_name=tier_name(tiers, status.key),
    )
    if outcome.awards:
        ledger.award_points(
            uow, member_id, outcome.awards, policy, order_ref=order_ref, earned_at=occurred_at
        )
    _side_effects(uow, member_id, outcome, ref)
    qualifying = _qualifying(outcome)
    if qualifying:
        tiers.record_points(member_id, qualifying, occurred_at, ref)
    return outcome


def _qualifying(outcome: Outcome) -> int:
    return sum(g.points for g in outcome.grants if g.hit.rule.spec.qualifying)


def _side_effects(uow: UnitOfWork, member_id: int, outcome: Outcome, ref: str) -> None:
    for g in outcome.grants:
        rule = g.hit.rule
        for campaign in g.hit.coupons:
            uow.emit(CouponGranted(member_id, campaign, rule.key, rule.version_id, ref))
        for badge in g.hit.badges:
            uow.emit(BadgeGranted(member_id, badge, rule.key, rule.version_id, ref))
        for reward in g.hit.rewards:
            uow.emit(RewardGranted(member_id, reward, rule.key, rule.version_id, ref))


# -- one trigger for one member -----------------------------------------------------------
def run_trigger(
    uow: UnitOfWork,
    policy: ProgramPolicy,
    *,
    member_id: int,
    trigger: str,
    key: str,
    occurred_at: datetime,
    data: Any,
) -> Outcome | None:
    """Run the rules of ``trigger`` for one member once per ``key`` (a claimed trigger key:
    a rerun or a concurrent run is a no-op), e.g. ``referral.converted`` from the
    referrals domain. Returns None when no rule listens or the key was used."""
    program = current_program(uow, policy)
    if not program.rules_for(trigger):
        return None
    book = RuleBook.of(uow)
    ledger_handlers.lock_members(uow, [member_id])
    if not book.claim_triggers({key: member_id}):
        return None
    book.prepare(program, [trigger], [member_id], [occurred_at], policy)
    tiers = TierBook.of(uow, policy.zone)
    tiers.prepare([member_id])
    return award_trigger(
        uow,
        book,
        tiers,
        program,
        policy,
        member_id=member_id,
        trigger=trigger,
        occurred_at=occurred_at,
        data=data,
        event_type=trigger,
        ref=key,
    )


# -- birthdays ----------------------------------------------------------------------------
def award_birthdays(uow: UnitOfWork, policy: ProgramPolicy, *, limit: int = 500) -> int:
    """Grant today's birthday rules (program time zone) to members born today, once a year
    each: a claimed trigger key per member and year makes a rerun or a concurrent run a
    no-op. Members born on 29 February celebrate on 28 February in other years.

    Returns how many members got a birthday trigger in this pass (call until 0).
    """
    program = current_program(uow, policy)
    if not program.rules_for("birthday"):
        return 0
    local_now = uow.now.astimezone(policy.zone)
    today = local_now.date()
    ids = members.members_with_birthday(uow, today.month, today.day)
    if today.month == 2 and today.day == 28 and not calendar.isleap(today.year):
        ids = sorted({*ids, *members.members_with_birthday(uow, 2, 29)})
    book = RuleBook.of(uow)
    keys = {f"birthday:{member_id}:{today.year}": member_id for member_id in ids}
    fresh = [key for key in sorted(keys) if key not in book.known_triggers]
    from loyalist.rules import repository

    taken = repository.existing_triggers(uow.session, fresh)
    todo = [key for key in fresh if key not in taken][:limit]
    if not todo:
        return 0
    chosen = {key: keys[key] for key in todo}
    member_ids = sorted(chosen.values())
    ledger_handlers.lock_members(uow, member_ids)
    claimed = book.claim_triggers(chosen)
    start = datetime.combine(today, time(0), policy.zone)
    book.prepare(program, ["birthday"], member_ids, [start], policy)
    tiers = TierBook.of(uow, policy.zone)
    tiers.prepare(member_ids)
    for key in sorted(claimed):
        award_trigger(
            uow,
            book,
            tiers,
            program,
            policy,
            member_id=chosen[key],
            trigger="birthday",
            occurred_at=start,
            data={"date": today.isoformat()},
            event_type="birthday",
            ref=key,
        )
    return len(claimed)
