"""The rules' reactions to order facts and member activities: decide what they earn
(``policy.decide``, pure), book it through the ledger and keep the statistics rules read.

Each handler receives one event type, a run of events of different members (the dispatcher
hands a member's events over one at a time, so the tier and statistics each decision reads
already include the member's earlier events of the same batch).
"""

from __future__ import annotations

from collections.abc import Sequence

from loyalist.activities import service as activities
from loyalist.activities.events import ActivityRecorded, OrderCancelled, OrderPaid, OrderReturned
from loyalist.activities.models import EventType
from loyalist.db.uow import UnitOfWork
from loyalist.ledger import policy as ledger_policy
from loyalist.ledger import service as ledger
from loyalist.members import service as members
from loyalist.rules.books import RuleBook, current_program
from loyalist.rules.engine import CompiledProgram, Occurrence
from loyalist.rules.policy import (
    ACTIVITY_TRIGGERS,
    PROFILE_EVENTS,
    activity_triggers,
    decide,
    is_rewardable,
    order_view,
)
from loyalist.rules.service import apply_effects, award_trigger
from loyalist.settings import ProgramPolicy
from loyalist.tiers import service as tiers


def on_order_paid(uow: UnitOfWork, events: Sequence[OrderPaid], policy: ProgramPolicy) -> None:
    """Decide each paid order's points at the member's tier before the order, book them
    (pending until the return window is over, unless a rule says otherwise) and issue what
    the fired rules grant besides points."""
    program = current_program(uow, policy)
    book = RuleBook.of(uow)
    ahead = uow.upcoming(OrderPaid) or events  # this and later waves, loaded at once
    member_ids = [e.member_id for e in ahead]
    ledger.lock(uow, member_ids)
    tiers.prepare(uow, member_ids, policy.zone)
    book.prepare(program, ["order.paid"], [(e.member_id, e.paid_at) for e in ahead], policy)
    for fact in events:
        status = tiers.status(uow, fact.member_id, policy.zone)
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
            tier_name=status.name,
            paid_at=fact.paid_at,
            delivered_at=fact.delivered_at,
        )
        source = f"order:{fact.order_id}"
        ledger.award_points(
            uow,
            fact.member_id,
            outcome.awards,
            policy,
            order_ref=fact.order_id,
            earned_at=fact.paid_at,
            source=source,
            trigger="order.paid",
        )
        apply_effects(uow, fact.member_id, outcome, source, fact.paid_at)
        book.order_paid(fact.member_id, fact.net_amount, fact.paid_at)


def on_order_returned(
    uow: UnitOfWork, events: Sequence[OrderReturned], policy: ProgramPolicy
) -> None:
    """The member's lifetime spend, as rules read it, loses what came back."""
    book = _statistics(uow, [e.member_id for e in uow.upcoming(OrderReturned) or events], policy)
    for fact in events:
        book.order_changed(fact.member_id, orders=0, spend=-fact.returned_amount)


def on_order_cancelled(
    uow: UnitOfWork, events: Sequence[OrderCancelled], policy: ProgramPolicy
) -> None:
    """A cancelled order no longer counts in the member's orders and spend."""
    book = _statistics(uow, [e.member_id for e in uow.upcoming(OrderCancelled) or events], policy)
    for fact in events:
        book.order_changed(
            fact.member_id, orders=-1, spend=-(fact.net_amount - fact.returned_amount)
        )


def _statistics(uow: UnitOfWork, member_ids: list[int], policy: ProgramPolicy) -> RuleBook:
    book = RuleBook.of(uow)
    book.prepare(current_program(uow, policy), (), [(m, uow.now) for m in member_ids], policy)
    return book


def on_activity_recorded(
    uow: UnitOfWork, events: Sequence[ActivityRecorded], policy: ProgramPolicy
) -> None:
    """Run the rules an activity triggers (sign-up, profile completed once, review, survey
    answer, custom ``x.*`` events); most activities trigger nothing and cost nothing here."""
    program = current_program(uow, policy)
    work = [e for e in events if activity_triggers(e.type, program)]
    if not work:
        return
    book = RuleBook.of(uow)
    ahead = [
        e for e in uow.upcoming(ActivityRecorded) or events if activity_triggers(e.type, program)
    ]
    member_ids = [e.member_id for e in ahead]
    ledger.lock(uow, member_ids)
    tiers.prepare(uow, member_ids, policy.zone)
    triggers = {t for e in ahead for t in activity_triggers(e.type, program)}
    book.prepare(program, triggers, [(e.member_id, e.occurred_at) for e in ahead], policy)
    completed = _newly_completed(uow, book, program, work)
    for activity in work:
        _activity(uow, book, program, activity, policy, completed)


def _activity(
    uow: UnitOfWork,
    book: RuleBook,
    program: CompiledProgram,
    activity: ActivityRecorded,
    policy: ProgramPolicy,
    completed: set[int],
) -> None:
    triggers = []
    if activity.type in ACTIVITY_TRIGGERS or activity.type.startswith("x."):
        triggers.append(activity.type)
    if activity.type in PROFILE_EVENTS and activity.member_id in completed:
        completed.discard(activity.member_id)  # once, on the first profile event of the run
        triggers.append("profile.completed")
    for trigger in triggers:
        data = activity.data
        if not program.rules_for(trigger) or not is_rewardable(trigger, data):
            continue
        review_id = str(data["review_id"]) if trigger == EventType.REVIEW_PUBLISHED else None
        outcome = award_trigger(
            uow,
            book,
            program,
            policy,
            member_id=activity.member_id,
            trigger=trigger,
            occurred_at=activity.occurred_at,
            data=data,
            event_type=activity.type,
            ref=f"event:{activity.event_id}",
            order_ref=ledger_policy.review_ref(review_id) if review_id is not None else None,
        )
        if review_id is not None and outcome.awards:
            activities.record_review_points(uow, review_id, outcome.points)


def _newly_completed(
    uow: UnitOfWork, book: RuleBook, program: CompiledProgram, activities_: list[ActivityRecorded]
) -> set[int]:
    """Members of the run whose profile is complete and who never got ``profile.completed``;
    their trigger is claimed now (one query each for profiles and claims)."""
    if not program.rules_for("profile.completed"):
        return set()
    ids = {a.member_id for a in activities_ if a.type in PROFILE_EVENTS}
    if not ids:
        return set()
    # Read after this unit's profile changes (the query flushes them first).
    facts = members.member_facts(uow, ids)
    book.facts.update(facts)
    keys = {f"profile.completed:{m}": m for m, f in facts.items() if f.is_profile_complete}
    return {keys[key] for key in book.claim_triggers(keys)}
