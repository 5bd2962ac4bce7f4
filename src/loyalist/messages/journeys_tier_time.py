"""The tier journey's time-driven messages: the downgrade warning ``downgrade_warning_days``
before the end of the window a review judges, when that review would lower the member's
tier, with what it takes to keep it; and the paid plan's renewal reminder
``renewal_reminder_days`` before its paid period ends.

Both are due at the start of the member's local day that many days before the last local
day of the window (or the day the plan renews), and only while that start is fresh; once per window
(``downgrade:<last day>``) and per plan period (``renewal:<plan>:<renewal day>``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from loyalist.db.uow import UnitOfWork
from loyalist.messages import journeys_kit as kit
from loyalist.messages import policy, service
from loyalist.messages.contexts import TemplateKey
from loyalist.messages.journeyconf import journeys
from loyalist.messages.models import MessageKind
from loyalist.settings import ProgramPolicy
from loyalist.tiers import service as tiers

JOURNEY = "tier"
#: A local day starts up to 14 hours before and 12 after UTC's: two days cover both.
_MARGIN = timedelta(days=2)


def _band(uow: UnitOfWork, days: int, program: ProgramPolicy) -> tuple[datetime, datetime]:
    """Moments ``days`` ahead whose reminder may be due and fresh now."""
    ahead = uow.now + timedelta(days=days)
    window = timedelta(hours=program.messages.freshness_hours)
    return ahead - window - _MARGIN, ahead + _MARGIN


def _due(day: date, moment: datetime, days: int, zone: ZoneInfo, now: datetime, hours: int) -> bool:
    """Whether the reminder ``days`` local days before ``day`` (the local day of
    ``moment``) is due now and fresh, with the moment still ahead."""
    start = policy.local_midnight(day - timedelta(days=days), zone)
    return moment > now and policy.due_and_fresh(start, now, hours)


def _last_day(end: datetime, zone: ZoneInfo) -> date:
    """The local day of the last instant before ``end``."""
    return (end - timedelta(microseconds=1)).astimezone(zone).date()


def _name(names: dict[str, str], locale: str) -> str:
    return names.get(locale) or names.get("en") or next(iter(names.values()), "")


# -- downgrade warning ------------------------------------------------------------------------
def warning_candidates(uow: UnitOfWork, program: ProgramPolicy) -> list[int]:
    """Members whose review is about ``downgrade_warning_days`` ahead."""
    conf = journeys(uow).tier
    if not conf.enabled:
        return []
    return tiers.members_judged_until(uow, *_band(uow, conf.downgrade_warning_days, program))


def warn_downgrades(
    uow: UnitOfWork, member_ids: Sequence[int], program: ProgramPolicy, setup: kit.Setup
) -> int:
    """Warn the members whose review would lower their tier as things stand, on the local
    day ``downgrade_warning_days`` before the last day of the window it judges (the last
    day activity still counts: after it, nothing the member does keeps the tier; the
    message's ``review_on`` is that day). Marketing. Returns messages queued."""
    conf = journeys(uow).tier
    if not conf.enabled:
        return 0
    days, hours, now = conf.downgrade_warning_days, program.messages.freshness_hours, uow.now
    people = kit.recipients(uow, member_ids, program)
    timely = [m for m in member_ids if m in people]
    risks = tiers.downgrade_risks(uow, timely, program.zone)
    due = {
        m: risk
        for m, risk in risks.items()
        if _due(
            _last_day(risk.window_end, people[m].zone),
            risk.window_end,
            days,
            people[m].zone,
            now,
            hours,
        )
    }
    if not due:
        return 0
    kit.prepare_members(uow, due, program)
    drafts: list[service.MessageDraft] = []
    for member_id, risk in sorted(due.items()):
        person = people[member_id]
        locale = person.locale
        spend = risk.keep.get("spend")
        review_on = _last_day(risk.window_end, person.zone)
        drafts += kit.drafts(
            person,
            conf.channels,
            journey=JOURNEY,
            kind=MessageKind.MARKETING,
            key=TemplateKey.TIER_DOWNGRADE_WARNING,
            natural_key=f"downgrade:{review_on.isoformat()}",
            context={
                "member": kit.member(uow, person, program),
                "tier": {
                    "name": _name(risk.tier, locale),
                    "perks": kit.tier_perks(risk.perks, locale),
                },
                "review_on": review_on,
                "keep": {
                    "points": risk.keep.get("points"),
                    "spend": None
                    if spend is None
                    else {"amount_minor": spend, "currency": risk.currency},
                    "orders": risk.keep.get("orders"),
                },
                "lower_tier": _name(risk.lower_tier, locale) if risk.lower_tier else None,
                "shop_url": setup.shop_url,
            },
        )
    return kit.queue(uow, drafts)


# -- paid plan renewal ------------------------------------------------------------------------
def renewal_candidates(uow: UnitOfWork, program: ProgramPolicy) -> list[int]:
    """Members with an active paid plan whose period ends about ``renewal_reminder_days``
    ahead."""
    conf = journeys(uow).tier
    if not conf.enabled:
        return []
    found = tiers.renewals_between(uow, *_band(uow, conf.renewal_reminder_days, program))
    return sorted({r.member_id for r in found})


def remind_renewals(
    uow: UnitOfWork, member_ids: Sequence[int], program: ProgramPolicy, setup: kit.Setup
) -> int:
    """Remind these members that their paid plan renews (the shop charges again) in
    ``renewal_reminder_days`` local days (transactional: it is about a plan they pay for).
    Returns messages queued."""
    conf = journeys(uow).tier
    if not conf.enabled:
        return 0
    days, hours, now = conf.renewal_reminder_days, program.messages.freshness_hours, uow.now
    wanted = set(member_ids)
    plans = [
        r for r in tiers.renewals_between(uow, *_band(uow, days, program)) if r.member_id in wanted
    ]
    people = kit.recipients(uow, {r.member_id for r in plans}, program)
    due = [
        r
        for r in plans
        if _due(
            r.period_end.astimezone(people[r.member_id].zone).date(),
            r.period_end,
            days,
            people[r.member_id].zone,
            now,
            hours,
        )
    ]
    if not due:
        return 0
    kit.prepare_members(uow, {r.member_id for r in due}, program)
    drafts: list[service.MessageDraft] = []
    for plan in due:
        person = people[plan.member_id]
        locale = person.locale
        renews_on = plan.period_end.astimezone(person.zone).date()
        drafts += kit.drafts(
            person,
            conf.channels,
            journey=JOURNEY,
            kind=MessageKind.TRANSACTIONAL,
            key=TemplateKey.MEMBERSHIP_RENEWAL,
            natural_key=f"renewal:{plan.membership_id}:{renews_on.isoformat()}",
            context={
                "member": kit.member(uow, person, program),
                "membership": {
                    "name": _name(plan.tier, locale) if plan.tier else plan.plan,
                    "renews_on": renews_on,
                    "price": None,
                    "manage_url": setup.shop_url,
                },
                "perks": kit.tier_perks(plan.perks, locale) if plan.perks else [],
            },
        )
    return kit.queue(uow, drafts)
