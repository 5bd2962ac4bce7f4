"""The rewards and referrals journey: a reward a rule granted, with its code; a referral
converted, to the referrer; the friend's welcome offer when a friend is attributed.

Kinds: what the member earned (the issued reward, the points a conversion gave the
referrer) is ``transactional`` — it tells them what they now hold, and a marketing
unsubscribe must not hide a code that is theirs; the friend's offer is ``marketing``. A
conversion that earned the referrer no points (past their cap, a coupon reward) sends
nothing: the message is the thank-you for points.
"""

from __future__ import annotations

from collections.abc import Sequence

from loyalist.db.uow import UnitOfWork
from loyalist.messages import journeyconf, service
from loyalist.messages import journeys_kit as kit
from loyalist.messages.contexts import (
    ReferralConvertedContext,
    ReferralFriendWelcomeContext,
    RewardIssuedContext,
    TemplateKey,
)
from loyalist.messages.models import MessageKind
from loyalist.referrals import service as referrals
from loyalist.referrals.events import ReferralAttributed, ReferralConverted
from loyalist.rewards import service as rewards
from loyalist.rules.events import RewardGranted
from loyalist.settings import ProgramPolicy

REWARDS_REFERRALS = "rewards_referrals"
#: The status of an attribution that goes on (not held for review or blocked).
_PENDING = "pending"


def _text(names: dict[str, str] | None, locale: str) -> str | None:
    if not names:
        return None
    return names.get(locale) or names.get("en") or next(iter(names.values()), None)


def rewards_issued(
    uow: UnitOfWork, facts: Sequence[RewardGranted], program: ProgramPolicy, setup: kit.Setup
) -> int:
    """Queue "your reward" with its code once per reward the rewards domain issued for a
    fresh grant (it runs before this in the event's row); returns how many were queued."""
    conf = journeyconf.journeys(uow).rewards_referrals
    if not conf.enabled or not conf.reward_issued:
        return 0
    live = kit.fresh(uow, REWARDS_REFERRALS, facts, lambda f: f.occurred_at, program)
    if not live:
        return 0
    grants = {
        f: rewards.Grant(f.member_id, f.reward, f"rule:{f.rule_key}:{f.ref}:{f.reward}")
        for f in live
    }
    issued = rewards.issued_for_grants(uow, list(grants.values()))
    if not issued:
        return 0
    people = kit.recipients(uow, {i.member_id for i in issued.values()}, program)
    kit.prepare_members(uow, people.keys(), program)
    shop = setup.shop_url
    drafts: list[service.MessageDraft] = []
    for fact, grant in grants.items():
        reward = issued.get(grant)
        if reward is None:
            continue
        person = people[fact.member_id]
        context: RewardIssuedContext = {
            "member": kit.member(uow, person, program),
            "reward": {
                "name": _text(reward.name, person.locale) or fact.reward,
                "code": reward.code,
                "expires_on": reward.expires_at.astimezone(person.zone).date()
                if reward.expires_at
                else None,
                "instructions": _text(reward.description, person.locale),
            },
            "points_spent": 0,
            "shop_url": shop,
        }
        drafts += kit.drafts(
            person,
            conf.channels,
            journey=REWARDS_REFERRALS,
            kind=MessageKind.TRANSACTIONAL,
            key=TemplateKey.REWARD_ISSUED,
            natural_key=f"reward:{reward.redemption_id}",
            context=context,
        )
    return kit.queue(uow, drafts)


def referrals_converted(
    uow: UnitOfWork,
    facts: Sequence[ReferralConverted],
    program: ProgramPolicy,
    setup: kit.Setup,
) -> int:
    """Tell the referrer once per fresh conversion that their friend ordered and the points
    it earned them; returns how many were queued now."""
    conf = journeyconf.journeys(uow).rewards_referrals
    if not conf.enabled or not conf.referral_converted:
        return 0
    live = kit.fresh(uow, REWARDS_REFERRALS, facts, lambda f: f.converted_at, program)
    points = referrals.referrer_points(uow) if live else 0
    live = [f for f in live if f.rewarded]
    if not live or points == 0:
        return 0
    people = kit.recipients(
        uow, {f.referrer_id for f in live} | {f.friend_id for f in live}, program
    )
    referrers = {f.referrer_id for f in live}
    kit.prepare_members(uow, referrers, program)
    codes = referrals.share_codes(uow, {m: people[m].contact.first_name for m in referrers})
    offers = referrals.friend_offer(uow)
    drafts: list[service.MessageDraft] = []
    for fact in live:
        person = people[fact.referrer_id]
        code = codes.get(fact.referrer_id)
        if code is None:  # the program is no longer active
            continue
        context: ReferralConvertedContext = {
            "member": kit.member(uow, person, program),
            "friend_name": people[fact.friend_id].contact.first_name or "",
            "points_earned": points,
            "referral": {
                "code": code[0],
                "link": code[1],
                "friend_offer": offers.get(person.locale) if offers else None,
            },
        }
        drafts += kit.drafts(
            person,
            conf.channels,
            journey=REWARDS_REFERRALS,
            kind=MessageKind.TRANSACTIONAL,
            key=TemplateKey.REFERRAL_CONVERTED,
            natural_key=f"referral:{fact.referral_id}:converted",
            context=context,
        )
    return kit.queue(uow, drafts)


def friends_welcomed(
    uow: UnitOfWork,
    facts: Sequence[ReferralAttributed],
    program: ProgramPolicy,
    setup: kit.Setup,
) -> int:
    """Welcome a friend once per fresh attribution that goes on (``pending``) with what the
    program offers them, when it offers something; returns how many were queued now."""
    conf = journeyconf.journeys(uow).rewards_referrals
    if not conf.enabled or not conf.friend_welcome:
        return 0
    live = kit.fresh(
        uow,
        REWARDS_REFERRALS,
        [f for f in facts if f.status == _PENDING],
        lambda f: f.attributed_at,
        program,
    )
    if not live:
        return 0
    people = kit.recipients(
        uow, {f.referrer_id for f in live} | {f.friend_id for f in live}, program
    )
    kit.prepare_members(uow, {f.friend_id for f in live}, program)
    offer = referrals.friend_offer(uow)
    if offer is None:
        return 0
    shop = setup.shop_url
    drafts: list[service.MessageDraft] = []
    for fact in live:
        person = people[fact.friend_id]
        referrer = people[fact.referrer_id].contact.first_name or ""
        context: ReferralFriendWelcomeContext = {
            "member": kit.member(uow, person, program),
            "referrer_name": referrer,
            "offer": {"description": offer.get(person.locale) or offer["en"], "coupon": None},
            "shop_url": shop,
        }
        drafts += kit.drafts(
            person,
            conf.channels,
            journey=REWARDS_REFERRALS,
            kind=MessageKind.MARKETING,
            key=TemplateKey.REFERRAL_FRIEND_WELCOME,
            natural_key=f"referral:{fact.referral_id}:friend_welcome",
            context=context,
        )
    return kit.queue(uow, drafts)
