"""Reactions to lower domains' facts: badge criteria, quest steps and streaks.

Each handler first asks for the active definitions (one indexed query; with none, it
returns at once) and keeps only the facts that change a member's statistics or that some
definition listens to; everything else about the run's members is loaded in a few queries.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from loyalist.activities.events import (
    ActivityRecorded,
    OrderCancelled,
    OrderPaid,
    OrderReturned,
)
from loyalist.db.uow import UnitOfWork
from loyalist.gamification import definitions
from loyalist.gamification.books import GameBook
from loyalist.gamification.definitions import Definitions
from loyalist.gamification.progress import Moment, Run, Sighting
from loyalist.members import service as members
from loyalist.referrals.events import ReferralAttributed, ReferralConverted
from loyalist.rules.events import BadgeGranted
from loyalist.settings import ProgramPolicy

_PROFILE_EVENTS = ("member.enrolled", "member.updated")


def on_order_paid(uow: UnitOfWork, events: Sequence[OrderPaid], program: ProgramPolicy) -> None:
    """Orders, spend and categories grow; quests, streaks and badges listening react."""
    _on_facts(uow, events, program)


def on_order_returned(
    uow: UnitOfWork, events: Sequence[OrderReturned], program: ProgramPolicy
) -> None:
    """Spend shrinks by what came back."""
    _on_facts(uow, events, program)


def on_order_cancelled(
    uow: UnitOfWork, events: Sequence[OrderCancelled], program: ProgramPolicy
) -> None:
    """The order no longer counts."""
    _on_facts(uow, events, program)


def on_activity_recorded(
    uow: UnitOfWork, events: Sequence[ActivityRecorded], program: ProgramPolicy
) -> None:
    """Reviews, survey answers, profile changes and custom events."""
    _on_facts(uow, events, program)


def _on_facts(uow: UnitOfWork, run: Sequence[Any], program: ProgramPolicy) -> None:
    """Facts of one kind, in the order they happened (one wave of the dispatch round; the
    first wave also loads the state of the members of the round's later waves)."""
    defs = definitions.active(uow)
    if not defs.has_reactions:
        return
    moments = _relevant(defs, run)
    if moments:
        ahead = [g for f in _round_ahead(uow, type(run[0])) if (g := _glance(defs, f))]
        _apply(uow, defs, program, moments, ahead)


def _relevant(defs: Definitions, facts: Sequence[Any]) -> list[Moment]:
    """The facts' moments that change statistics or that some definition listens to."""
    profiles = defs.listens("profile.completed")
    return [
        m
        for fact in facts
        if (m := _moment(fact)) is not None
        and (m.change or defs.listens(m.type) or (profiles and m.type in _PROFILE_EVENTS))
    ]


def _glance(defs: Definitions, fact: Any) -> Sighting | None:
    """Who, what and when of a later fact of the round whose moment is relevant (paid,
    returned and cancelled orders always change statistics), without building it."""
    if isinstance(fact, OrderPaid):
        return Sighting(fact.member_id, "order.paid", fact.paid_at)
    if isinstance(fact, OrderReturned):
        return Sighting(fact.member_id, "order.returned", fact.occurred_at)
    if isinstance(fact, OrderCancelled):
        return Sighting(fact.member_id, "order.cancelled", fact.cancelled_at)
    found = _relevant(defs, [fact])
    return Sighting(found[0].member_id, found[0].type, found[0].at) if found else None


def _round_ahead(uow: UnitOfWork, kind: type) -> Sequence[Any]:
    """Every fact of ``kind`` the current dispatch round hands out, the first time a wave
    of it arrives (afterwards nothing: its members are loaded)."""
    upcoming: list[Any] = uow.upcoming(kind)
    book = GameBook.of(uow)
    if not upcoming or any(seen is upcoming for seen in book.rounds):
        return ()
    book.rounds.append(upcoming)
    return upcoming


def on_referral_attributed(
    uow: UnitOfWork, events: Sequence[ReferralAttributed], program: ProgramPolicy
) -> None:
    """A friend was attributed: a step of the referrer's ``referral.attributed`` quests."""
    _on_referrals(uow, events, program)


def on_referral_converted(
    uow: UnitOfWork, events: Sequence[ReferralConverted], program: ProgramPolicy
) -> None:
    """A referral converted: the referrer's referral count, quests and badges."""
    _on_referrals(uow, events, program)


def _on_referrals(uow: UnitOfWork, run: Sequence[Any], program: ProgramPolicy) -> None:
    defs = definitions.active(uow)
    if not defs.has_reactions:
        return
    moments: list[Moment] = []
    for fact in run:
        if isinstance(fact, ReferralConverted):
            moments.append(
                Moment(
                    fact.referrer_id,
                    "referral.converted",
                    fact.converted_at,
                    {
                        "referral_id": fact.referral_id,
                        "order_id": fact.order_id,
                        "rewarded": fact.rewarded,
                    },
                    {"referrals": 1},
                )
            )
        elif isinstance(fact, ReferralAttributed) and defs.listens("referral.attributed"):
            moments.append(
                Moment(
                    fact.referrer_id,
                    "referral.attributed",
                    fact.attributed_at,
                    {"referral_id": fact.referral_id, "status": fact.status},
                )
            )
    if moments:
        _apply(uow, defs, program, moments)


def on_badge_granted(
    uow: UnitOfWork, grants: Sequence[BadgeGranted], program: ProgramPolicy
) -> None:
    """A rule's ``badge`` effect fired: award the badge once (whether or not a badge of that
    key is defined: the rule names it; texts come from its definition when there is one)."""
    defs = definitions.active(uow)
    state = Run(uow, defs, program, [g.member_id for g in grants])
    for grant in grants:
        if grant.member_id in state.stats:
            state.award_badge(grant.member_id, grant.badge, f"rule:{grant.rule_key}:{grant.ref}")
    state.finish()


def _apply(
    uow: UnitOfWork,
    defs: Definitions,
    program: ProgramPolicy,
    moments: list[Moment],
    ahead: Sequence[Sighting] = (),
) -> None:
    """Apply the moments; the state of the members of ``ahead`` (the round's later
    moments) is locked and loaded with theirs, in the same few queries."""
    paying = {s.event for q in defs.quests if q.spec.reward.points for s in q.steps}
    if "profile.completed" in paying:
        paying.update(_PROFILE_EVENTS)
    every: list[Moment | Sighting] = [*moments, *ahead]
    state = Run(
        uow,
        defs,
        program,
        [m.member_id for m in every],
        ledger_ids=[m.member_id for m in every if m.type in paying],
    )
    if defs.listens("profile.completed"):
        moments = _with_profile_completions(state, moments)
    state.load_progress([*moments, *ahead])
    for moment in moments:
        state.apply(moment)
    state.finish()


def _with_profile_completions(state: Run, moments: list[Moment]) -> list[Moment]:
    """After a member's first profile event of the run that leaves the profile complete,
    a ``profile.completed`` moment (once per member, ever: the statistics row keeps it)."""
    pending = {
        m.member_id
        for m in moments
        if m.type in _PROFILE_EVENTS and not state.stats[m.member_id].is_profile_complete
    }
    if not pending:
        return moments
    facts = members.member_facts(state.uow, pending)
    complete = {m for m, f in facts.items() if f.is_profile_complete}
    result: list[Moment] = []
    for moment in moments:
        result.append(moment)
        if moment.type in _PROFILE_EVENTS and moment.member_id in complete:
            complete.discard(moment.member_id)
            result.append(
                Moment(
                    moment.member_id,
                    "profile.completed",
                    moment.at,
                    {},
                    {"profile_complete": True},
                )
            )
    return result


def _moment(fact: Any) -> Moment | None:
    if isinstance(fact, OrderPaid):
        categories = sorted({line.category for line in fact.lines if line.category})
        return Moment(
            fact.member_id,
            "order.paid",
            fact.paid_at,
            {
                "order_id": fact.order_id,
                "amount": fact.net_amount,
                "currency": fact.currency,
                "channel": fact.channel,
                "categories": categories,
                "skus": sorted({line.sku for line in fact.lines}),
                "item_count": sum(line.quantity for line in fact.lines),
            },
            {
                "orders": 1,
                "spend": fact.net_amount,
                "categories": categories,
                "ordered_at": fact.paid_at,
            },
        )
    if isinstance(fact, OrderReturned):
        return Moment(
            fact.member_id,
            "order.returned",
            fact.occurred_at,
            {"order_id": fact.order_id, "amount": fact.returned_amount},
            {"spend": -fact.returned_amount},
        )
    if isinstance(fact, OrderCancelled):
        return Moment(
            fact.member_id,
            "order.cancelled",
            fact.cancelled_at,
            {"order_id": fact.order_id},
            {"orders": -1, "spend": -(fact.net_amount - fact.returned_amount)},
        )
    if isinstance(fact, ActivityRecorded):
        return _activity(fact)
    return None  # delivered, abandoned: nothing for gamification


def _activity(fact: ActivityRecorded) -> Moment:
    data = dict(fact.data)
    change: dict[str, Any] = {}
    if (
        fact.type == "review.published"
        and data.get("verified_purchase") is True
        and data.get("removed") is not True  # its removal arrived first
    ):
        change["review_added"] = data.get("review_id")
    elif fact.type == "review.removed" and data.get("review_id") is not None:
        change["review_removed"] = data["review_id"]
    elif fact.type == "survey.answered" and data.get("survey_id") is not None:
        change["survey"] = data["survey_id"]
    return Moment(fact.member_id, fact.type, fact.occurred_at, data, change)
