"""The points journey: "your points are now available" (from ``PointsMatured``), "your
points expire in 30 / 7 days" (a due job over the lots, in the member's local days, once per
expiring batch and horizon) and the monthly balance statement (a due job, for members who
asked for it).

Each honours the journey's ``enabled``, its part's switch and ``channels``. The due jobs
work a chunk of members per unit of work (``journeys_timed.run_in_chunks``); every message
is queued once per ``(member, journey, natural_key, channel)``, so reruns and two workers
add nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta

from loyalist.db.uow import UnitOfWork
from loyalist.ledger import service as ledger
from loyalist.ledger.events import PointsMatured
from loyalist.messages import journeys_kit as kit
from loyalist.messages import policy, repository, service
from loyalist.messages.contexts import RewardInfo, TemplateKey
from loyalist.messages.journeyconf import journeys
from loyalist.messages.models import MessageKind, Topic
from loyalist.rewards import catalogue as rewards
from loyalist.settings import ProgramPolicy

#: The messages' journeys: each part its own, so a member's preferences can tell them apart
#: (``points.statement`` is the opt-in topic ``statement``; see ``policy.topic_of``).
MATURED, EXPIRING, STATEMENT = "points.matured", "points.expiring", "points.statement"
#: Rewards an expiry reminder suggests at most (the dearest the member can redeem first).
_REWARDS_SHOWN = 3


# -- matured --------------------------------------------------------------------------------
def on_matured(
    uow: UnitOfWork, facts: Sequence[PointsMatured], program: ProgramPolicy, setup: kit.Setup
) -> int:
    """One "points available" message per member for the fresh lots this unit matured
    (their sum, over every wave of the unit), once per member's local day
    (``matured:<date>``: a second maturing the same day is not announced again). A lot is
    fresh when it was *due* to mature within the freshness window, so the late maturing of
    loaded history starts nothing."""
    conf = journeys(uow).points
    if not (conf.enabled and conf.matured):
        return 0
    live = kit.fresh(uow, MATURED, facts, lambda f: f.available_at, program)
    if not live:
        return 0
    # A handler gets one event per member per wave: the member's other lots matured in
    # this unit are in the round's later waves, summed now (their waves then add nothing).
    wanted = {fact.member_id for fact in live}
    window = program.messages.freshness_hours
    totals: dict[int, int] = defaultdict(int)
    for fact in uow.upcoming(PointsMatured) or live:
        if fact.member_id in wanted and policy.is_fresh(fact.available_at, uow.now, window):
            totals[fact.member_id] += fact.points
    people = kit.recipients(uow, totals, program)
    kit.prepare_members(uow, totals, program)
    drafts: list[service.MessageDraft] = []
    for member_id in sorted(totals):
        person = people[member_id]
        day = uow.now.astimezone(person.zone).date()
        drafts += kit.drafts(
            person,
            conf.channels,
            journey=MATURED,
            kind=MessageKind.MARKETING,
            key=TemplateKey.POINTS_MATURED,
            natural_key=f"matured:{day.isoformat()}",
            context={
                "member": kit.member(uow, person, program),
                "matured_points": totals[member_id],
                "portal_url": setup.shop_url,
            },
        )
    return kit.queue(uow, drafts)


# -- expiring -------------------------------------------------------------------------------
def _reach(horizons: Sequence[int]) -> timedelta:
    """How far ahead of now a lot can expire and still be due for a reminder (a local day
    starts up to 14 hours before or 12 after UTC's; a margin of two days covers both)."""
    return timedelta(days=max(horizons) + 2)


def expiring_candidates(uow: UnitOfWork, program: ProgramPolicy) -> list[int]:
    """Members whose points may be due for an expiry reminder now: a lot whose horizon is
    crossed about now (a band per horizon as wide as the freshness window and the zones),
    or a lot made available within the freshness window (points earned with a short
    life)."""
    conf = journeys(uow).points
    if not conf.enabled or not conf.expiring_days:
        return []
    now, margin = uow.now, timedelta(days=2)
    window = timedelta(hours=program.messages.freshness_hours)
    bands = [
        (now + timedelta(days=h) - window - margin, now + timedelta(days=h) + margin)
        for h in conf.expiring_days
    ]
    return ledger.expiring_members(
        uow, bands, available_since=now - window - margin, until=now + _reach(conf.expiring_days)
    )


def remind_expiring(
    uow: UnitOfWork, member_ids: Sequence[int], program: ProgramPolicy, setup: kit.Setup
) -> int:
    """Queue the expiry reminders due now for these members: their lots grouped by the
    local day they expire on (one batch, one message), the smallest horizon reached
    (``expiring:<date>:<days>``), only while that moment is fresh. Returns messages queued."""
    conf = journeys(uow).points
    if not conf.enabled or not conf.expiring_days:
        return 0
    now, window = uow.now, program.messages.freshness_hours
    lots = ledger.expiring_lots(uow, member_ids, now + _reach(conf.expiring_days))
    people = kit.recipients(uow, {lot.member_id for lot in lots}, program)
    batches: dict[tuple[int, date], list[ledger.ExpiringLot]] = defaultdict(list)
    for lot in lots:
        zone = people[lot.member_id].zone
        batches[lot.member_id, lot.expires_at.astimezone(zone).date()].append(lot)
    due: dict[tuple[int, date], tuple[int, int]] = {}
    for (member_id, expires_on), batch in sorted(batches.items()):
        zone = people[member_id].zone
        today = now.astimezone(zone).date()
        horizon = policy.expiry_horizon(expires_on, today, conf.expiring_days)
        if horizon is None:
            continue
        crossed = policy.local_midnight(expires_on - timedelta(days=horizon), zone)
        if policy.due_and_fresh(crossed, now, window) or any(
            policy.due_and_fresh(lot.available_at, now, window) for lot in batch
        ):
            due[member_id, expires_on] = (horizon, sum(lot.points for lot in batch))
    if not due:
        return 0
    kit.prepare_members(uow, {m for m, _ in due}, program)
    drafts: list[service.MessageDraft] = []
    for (member_id, expires_on), (horizon, points) in sorted(due.items()):
        person = people[member_id]
        member = kit.member(uow, person, program)
        drafts += kit.drafts(
            person,
            conf.channels,
            journey=EXPIRING,
            kind=MessageKind.MARKETING,
            key=TemplateKey.POINTS_EXPIRING,
            natural_key=f"expiring:{expires_on.isoformat()}:{horizon}",
            context={
                "member": member,
                "expiring_points": points,
                "expires_on": expires_on,
                "days_left": (expires_on - now.astimezone(person.zone).date()).days,
                "portal_url": setup.shop_url,
                "rewards": _redeemable(uow, member_id, program, person.locale),
            },
        )
    return kit.queue(uow, drafts)


def _redeemable(
    uow: UnitOfWork, member_id: int, program: ProgramPolicy, locale: str
) -> list[RewardInfo]:
    """The rewards the member can redeem now (their balance pays for them), dearest first."""
    found = rewards.catalogue(uow, member_id, program, locale=locale, redeemable_only=True)
    return [
        RewardInfo(name=item["name"] or "", points_cost=item["cost_points"])
        for item in sorted(found, key=lambda item: -item["cost_points"])
    ][:_REWARDS_SHOWN]


# -- monthly statement ------------------------------------------------------------------------
def statement_candidates(uow: UnitOfWork, program: ProgramPolicy) -> list[int]:
    """Members who opted in to the monthly statement (the topic ``statement``), while a
    month began on some wall clock within the freshness window (else nobody)."""
    conf = journeys(uow).points
    window = program.messages.freshness_hours
    if not (conf.enabled and conf.statement) or policy.month_begun(uow.now, window) is None:
        return []
    return repository.subscribed_members(uow.session, Topic.STATEMENT)


def send_statements(
    uow: UnitOfWork, member_ids: Sequence[int], program: ProgramPolicy, setup: kit.Setup
) -> int:
    """Queue last month's statement (transactional: the member asked for it) to each of
    these members whose month ended on their wall clock within the freshness window
    (``statement:<yyyy-mm>``). Returns messages queued."""
    conf = journeys(uow).points
    now, window = uow.now, program.messages.freshness_hours
    first = policy.month_begun(now, window)
    if not (conf.enabled and conf.statement) or first is None:
        return 0
    end_on = first - timedelta(days=1)
    start_on = end_on.replace(day=1)
    people = kit.recipients(uow, member_ids, program)
    due = {
        m: policy.local_midnight(first, p.zone)
        for m, p in sorted(people.items())
        if policy.due_and_fresh(policy.local_midnight(first, p.zone), now, window)
    }
    if not due:
        return 0
    kit.prepare_members(uow, due, program)
    soon = ledger.expiring_lots(uow, sorted(due), now + timedelta(days=31))
    drafts: list[service.MessageDraft] = []
    for member_id, end in due.items():
        person = people[member_id]
        start = policy.local_midnight(start_on, person.zone)
        flows = ledger.period_flows(uow, [member_id], start, end).get(member_id)
        mine = [lot for lot in soon if lot.member_id == member_id]
        first_expiry = min((lot.expires_at for lot in mine), default=None)
        drafts += kit.drafts(
            person,
            conf.channels,
            journey=STATEMENT,
            kind=MessageKind.TRANSACTIONAL,
            key=TemplateKey.BALANCE_STATEMENT,
            natural_key=f"statement:{start_on.strftime('%Y-%m')}",
            context={
                "member": kit.member(uow, person, program),
                "period": {"start_on": start_on, "end_on": end_on},
                "opening_balance": flows.opening if flows else 0,
                "earned": flows.earned if flows else 0,
                "spent": flows.spent if flows else 0,
                "expired": flows.expired if flows else 0,
                "closing_balance": flows.closing if flows else 0,
                "expiring_soon": None
                if first_expiry is None
                else {
                    "points": sum(lot.points for lot in mine if lot.expires_at == first_expiry),
                    "expires_on": first_expiry.astimezone(person.zone).date(),
                },
                "portal_url": setup.shop_url,
            },
        )
    return kit.queue(uow, drafts)
