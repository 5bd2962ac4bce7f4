"""Earning use cases: run the program's rules for an occurrence, book what they decide in
the ledger, issue the coupons they grant and announce the badges and rewards.

The decisions themselves are pure (``policy.decide``); this module loads what they read
(the member's tier through ``tiers.service``, statistics and counters from the unit's
``RuleBook``) and hands the awards to ``ledger.service``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from loyalist.coupons import service as coupons
from loyalist.db.uow import UnitOfWork
from loyalist.errors import FieldError
from loyalist.ledger import service as ledger
from loyalist.members import service as members
from loyalist.rules import repository
from loyalist.rules.books import RuleBook, current_program
from loyalist.rules.engine import (
    CompiledProgram,
    MemberView,
    Occurrence,
    RuleCompileError,
    compile_member_condition,
)
from loyalist.rules.engine import MemberCondition as MemberCondition
from loyalist.rules.engine import member_holds as engine_member_holds
from loyalist.rules.errors import RuleInvalidError
from loyalist.rules.events import BadgeGranted, RewardGranted
from loyalist.rules.policy import Outcome, decide
from loyalist.settings import ProgramPolicy
from loyalist.tiers import service as tiers


def award_trigger(
    uow: UnitOfWork,
    book: RuleBook,
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
    (under ``order_ref`` in the ledger when the grant may be reversed, e.g. a review's).
    Call ``book.prepare`` for the member and trigger first."""
    status = tiers.status(uow, member_id, policy.zone)
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
        tier_name=status.name,
    )
    if outcome.awards:
        ledger.award_points(
            uow,
            member_id,
            outcome.awards,
            policy,
            order_ref=order_ref,
            earned_at=occurred_at,
            source=ref,
            trigger=trigger,
        )
    apply_effects(uow, member_id, outcome, ref, occurred_at)
    return outcome


def apply_effects(
    uow: UnitOfWork, member_id: int, outcome: Outcome, ref: str, occurred_at: datetime
) -> None:
    """What the fired rules grant besides points: coupons are issued here (once per rule,
    campaign and occurrence ``ref``); badges and rewards belong to higher domains and are
    announced as events (rewards with when the occurrence happened)."""
    granted: list[tuple[int, str, str]] = []
    for g in outcome.grants:
        rule = g.hit.rule
        granted.extend((member_id, c, f"rule:{rule.key}:{ref}") for c in g.hit.coupons)
        for badge in g.hit.badges:
            uow.emit(BadgeGranted(member_id, badge, rule.key, rule.version_id, ref))
        for reward in g.hit.rewards:
            uow.emit(RewardGranted(member_id, reward, rule.key, rule.version_id, ref, occurred_at))
    if granted:
        coupons.issue_granted(uow, granted)


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
    ledger.lock(uow, [member_id])
    if not book.claim_triggers({key: member_id}):
        return None
    book.prepare(program, [trigger], [(member_id, occurred_at)], policy)
    return award_trigger(
        uow,
        book,
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
def birthday_key(member_id: int, year: int) -> str:
    """The trigger key of a member's birthday in a year: claimed once by the birthday job."""
    return f"birthday:{member_id}:{year}"


def birthdays_settled(
    uow: UnitOfWork, policy: ProgramPolicy, rule_key: str, pairs: Sequence[tuple[int, int]]
) -> set[tuple[int, int]]:
    """The ``(member, year)`` pairs whose birthday grant of rule ``rule_key`` is settled:
    the birthday job ran for them, or the rule is no live birthday rule (it never will)."""
    program = current_program(uow, policy)
    if not any(rule.key == rule_key for rule in program.rules_for("birthday")):
        return set(pairs)
    keys = {birthday_key(m, y): (m, y) for m, y in pairs}
    return {keys[k] for k in repository.existing_triggers(uow.session, sorted(keys))}


@dataclass(frozen=True, slots=True)
class BirthdayGift:
    """What one rule granted for a member's birthday: the rule's names (by language), the
    points and the coupon code (a rule grants a campaign's code once per occurrence)."""

    names: dict[str, str]
    points: int
    code: coupons.GrantedCode | None


def birthday_gift(
    uow: UnitOfWork, policy: ProgramPolicy, rule_key: str, member_id: int, day: date
) -> BirthdayGift | None:
    """What rule ``rule_key`` granted the member for the birthday the birthday job kept on
    ``day`` (the program's date of it); None when it granted nothing."""
    start = datetime.combine(day, time(0), policy.zone)
    points = ledger.rule_points(uow, member_id, rule_key, start, start + timedelta(days=1))
    code = coupons.granted_by_rule(uow, member_id, rule_key, birthday_key(member_id, day.year))
    if not points and code is None:
        return None
    names = next(
        (
            dict(r.names)
            for r in current_program(uow, policy).rules_for("birthday")
            if r.key == rule_key
        ),
        {},
    )
    return BirthdayGift(names, points, code)


# -- audiences: conditions over the member ----------------------------------------------------
def audience_condition(source: str, pointer: str) -> MemberCondition:
    """Compile a campaign audience's CEL condition over ``member`` (the fields rules see,
    plus ``scores`` and ``favourites``) and ``now``.

    Raises:
        RuleInvalidError: ``rule_invalid`` with ``pointer`` when it does not compile or
            reads what ``member`` does not have.
    """
    try:
        return compile_member_condition(source, pointer)
    except RuleCompileError as exc:
        raise RuleInvalidError(
            f"audience condition: {exc.message}",
            errors=[FieldError(pointer, f"{exc.message}: `{exc.expression}`")],
        ) from None


def member_views(
    uow: UnitOfWork, member_ids: Sequence[int], policy: ProgramPolicy, fields: frozenset[str]
) -> dict[int, MemberView]:
    """The members as rules see them (tier, segments, attributes, order statistics …), in
    a few reads for them all; only what ``fields`` (``member`` fields) needs is loaded."""
    wanted = sorted(set(member_ids))
    facts = members.member_facts(uow, wanted) if fields & _PROFILE else {}
    stats = repository.order_stats(uow.session, wanted) if fields & _STATISTICS else {}
    reader = tiers.reader(uow, policy.zone)
    if "tier" in fields:
        reader.prepare(wanted)
    views: dict[int, MemberView] = {}
    for member_id in wanted:
        fact = facts.get(member_id)
        row = stats.get(member_id)
        views[member_id] = MemberView(
            id=fact.external_id if fact else str(member_id),
            tier=reader.status(member_id).key if "tier" in fields else None,
            segments=fact.segments if fact else (),
            attributes=fact.attributes if fact else {},
            order_count=row[1] if row else 0,
            lifetime_spend=row[2] if row else 0,
            last_order_at=row[4] if row else None,
            enrolled_at=fact.enrolled_at if fact else None,
            birthday=fact.birthday if fact else None,
        )
    return views


def member_holds(
    condition: MemberCondition,
    member: MemberView,
    extra: Mapping[str, Any],
    now: datetime,
    zone: ZoneInfo,
) -> bool:
    """Whether an audience's condition holds for the member (``engine.member_holds``)."""
    return engine_member_holds(condition, member, extra, now, zone)


_PROFILE = frozenset({"id", "segments", "attributes", "enrolled_at", "birthday"})
_STATISTICS = frozenset({"order_count", "lifetime_spend", "days_since_last_order"})


def points_awarded(uow: UnitOfWork, keys: Sequence[str]) -> dict[str, int]:
    """Points every version of these rules awarded, net of reversals, by rule key (rules
    that never existed are left out)."""
    versions = repository.version_ids_of(uow.session, keys)
    points = ledger.points_by_rule_version(uow, [v for ids in versions.values() for v in ids])
    return {key: sum(points.get(v, 0) for v in ids) for key, ids in versions.items()}
