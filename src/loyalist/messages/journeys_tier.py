"""The tier journey's upgrade message: the new tier and what it gives, the tier it
replaces and the way to the next one. (The downgrade warning and the paid plan's renewal
reminder are time-driven: another module.)"""

from __future__ import annotations

from collections.abc import Sequence

from loyalist.db.uow import UnitOfWork
from loyalist.messages import journeyconf, service
from loyalist.messages import journeys_kit as kit
from loyalist.messages.contexts import TemplateKey, TierUpgradeContext
from loyalist.messages.models import MessageKind
from loyalist.settings import ProgramPolicy
from loyalist.tiers import service as tiers
from loyalist.tiers.events import TierUpgraded

TIER = "tier"


def upgraded(
    uow: UnitOfWork, facts: Sequence[TierUpgraded], program: ProgramPolicy, setup: kit.Setup
) -> int:
    """Congratulate once per fresh upgrade to a tier (marketing); returns how many were
    queued now."""
    conf = journeyconf.journeys(uow).tier
    if not conf.enabled or not conf.upgrade:
        return 0
    live = kit.fresh(
        uow, TIER, [f for f in facts if f.to_tier is not None], lambda f: f.at, program
    )
    if not live:
        return 0
    levels = {level.key: level for level in tiers.export_program(uow).levels}
    people = kit.recipients(uow, {f.member_id for f in live}, program)
    kit.prepare_members(uow, people.keys(), program)
    portal = setup.shop_url
    drafts: list[service.MessageDraft] = []
    for fact in live:
        level = levels.get(fact.to_tier or "")
        if level is None:  # the program changed since
            continue
        person = people[fact.member_id]
        locale = person.locale
        before = levels.get(fact.from_tier or "")
        context: TierUpgradeContext = {
            "member": kit.member(uow, person, program),
            "tier": {
                "name": level.name.get(locale) or level.name["en"],
                "perks": kit.tier_perks(level.perks, locale),
            },
            "previous_tier": (before.name.get(locale) or before.name["en"]) if before else None,
            "progress": kit.tier_progress(uow, fact.member_id, program, locale),
            "portal_url": portal,
        }
        drafts += kit.drafts(
            person,
            conf.channels,
            journey=TIER,
            kind=MessageKind.MARKETING,
            key=TemplateKey.TIER_UPGRADE,
            natural_key=f"upgrade:{level.key}:{fact.at.isoformat()}",
            context=context,
        )
    return kit.queue(uow, drafts)
