"""The welcome journey (marketing): on enrolment, how the program works — ways to earn
from the live rules, the tiers, the rewards catalogue, how long points last — and the
member's referral code and share link. Built from the live program every time, so it is
never out of date; read once per unit and language, and not at all while the journey is
off.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from loyalist.activities.events import ActivityRecorded
from loyalist.db.uow import UnitOfWork
from loyalist.ledger.policy import minor_unit_exponent
from loyalist.messages import journeyconf, service
from loyalist.messages import journeys_kit as kit
from loyalist.messages.contexts import (
    EarnWay,
    ProgramInfo,
    RewardInfo,
    TemplateKey,
    TierInfo,
    WelcomeContext,
)
from loyalist.messages.formatting import Formatting, zone
from loyalist.messages.models import MessageKind
from loyalist.referrals import service as referrals
from loyalist.rewards.catalogue import active_rewards
from loyalist.rules import programs as rules
from loyalist.settings import ExpiryKind, ProgramPolicy
from loyalist.tiers import service as tiers

WELCOME = "welcome"
ENROLLED = "member.enrolled"
_PROGRAM = "messages.welcome.program"

#: How an effect reads, in English and Russian ({n}: the formatted number of points).
_EFFECT = {
    "coupon": ("a coupon", "купон"),
    "badge": ("a badge", "значок"),
    "reward": ("a gift from the catalogue", "подарок из каталога"),
}


def _effect(effect: Any, text: Formatting, ru: bool) -> str:
    kind = effect.type
    if kind == "fixed":
        return text.points(effect.points)
    if kind == "per_item":
        each = "за каждый товар" if ru else "per item"
        return f"{text.points(effect.points)} {each}"
    if kind == "per_unit":
        currency, rate = next(iter(sorted(effect.rates.items())))
        if rate == rate.to_integral_value():
            points = text.points(int(rate))
        else:  # a fraction takes the genitive singular in Russian: "0,5 балла"
            points = f"{text.number(rate)} {'балла' if ru else 'points'}"
        per = text.money({"amount_minor": _minor_unit(currency), "currency": currency})
        return f"{points} {'за' if ru else 'per'} {per}"
    if kind == "multiplier":
        return f"×{text.number(effect.factor.normalize())} {'баллов' if ru else 'points'}"
    en, russian = _EFFECT[kind]
    return russian if ru else en


def _minor_unit(currency: str) -> int:
    return int(10 ** minor_unit_exponent(currency))


def _program(uow: UnitOfWork, locale: str, program: ProgramPolicy) -> ProgramInfo:
    """The live program as the welcome explains it, built once per unit and language."""
    built: dict[str, ProgramInfo] = uow.state.setdefault(_PROGRAM, {})
    if locale in built:
        return built[locale]
    ru = locale == "ru"
    text = Formatting(locale, zone(program.zone.key))
    earn: list[EarnWay] = [
        {
            "label": rule.spec.name.ru if ru else rule.spec.name.en,
            "detail": ", ".join(_effect(e, text, ru) for e in rule.spec.effects),
        }
        for rule in rules.list_rules(uow)
        if rule.spec.is_active
    ]
    tier_program = tiers.export_program(uow)
    levels: list[TierInfo] = []
    for level in tier_program.levels:
        threshold = level.threshold
        if threshold is None:
            requirement = "сразу после регистрации" if ru else "from the start"
        else:
            spend = threshold.spend
            requirement = text.needs(
                {
                    "points": threshold.points,
                    "orders": threshold.orders,
                    "spend": None
                    if spend is None
                    else {"amount_minor": spend, "currency": tier_program.currency},
                }
            )
        levels.append(
            {
                "name": level.name.get(locale) or level.name["en"],
                "requirement": requirement,
                "perks": kit.tier_perks(level.perks, locale),
            }
        )
    rewards: list[RewardInfo] = [
        {
            "name": str(reward.name.get(locale) or reward.name.get("en") or reward.key),
            "points_cost": reward.cost_points,
        }
        for reward in sorted(active_rewards(uow), key=lambda r: (r.cost_points, r.key))
    ]
    expiry = program.expiry
    months = {
        ExpiryKind.NEVER: None,
        ExpiryKind.END_OF_MONTH: expiry.months,
        ExpiryKind.DAYS_AFTER_AVAILABLE: max(1, expiry.days // 30),
    }[expiry.kind]
    info: ProgramInfo = {
        "earn": earn,
        "tiers": levels,
        "rewards": rewards,
        "expiry_months": months,
    }
    built[locale] = info
    return info


def welcome(
    uow: UnitOfWork,
    facts: Sequence[ActivityRecorded],
    program: ProgramPolicy,
    setup: kit.Setup,
) -> int:
    """Queue the welcome once per fresh enrolment (``delay_hours`` after it); returns how
    many were queued now."""
    conf = journeyconf.journeys(uow).welcome
    if not conf.enabled:
        return 0
    enrolments = [f for f in facts if f.type == ENROLLED]
    if not enrolments:
        return 0
    live = kit.fresh(uow, WELCOME, enrolments, lambda f: f.occurred_at, program)
    if not live:
        return 0
    people = kit.recipients(uow, {f.member_id for f in live}, program)
    kit.prepare_members(uow, people.keys(), program)
    codes = referrals.share_codes(
        uow, {m: person.contact.first_name for m, person in people.items()}
    )
    offers = referrals.friend_offer(uow)
    portal = setup.shop_url
    drafts: list[service.MessageDraft] = []
    for fact in live:
        person = people[fact.member_id]
        code = codes.get(fact.member_id)
        context: WelcomeContext = {
            "member": kit.member(uow, person, program),
            "program": _program(uow, person.locale, program),
            "referral": None
            if code is None
            else {
                "code": code[0],
                "link": code[1],
                "friend_offer": offers.get(person.locale) if offers else None,
            },
            "portal_url": portal,
        }
        drafts += kit.drafts(
            person,
            conf.channels,
            journey=WELCOME,
            kind=MessageKind.MARKETING,
            key=TemplateKey.WELCOME,
            natural_key="enrolled",
            context=context,
            due_at=uow.now + timedelta(hours=conf.delay_hours) if conf.delay_hours else None,
        )
    return kit.queue(uow, drafts)
