"""The win-back journey: members the current scores put in one of ``segments`` (RFM) or at
a churn risk of at least ``churn_risk_at_least`` get a personal single-use coupon of
``coupon_campaign``, once per scores generation (``win_back:<generation>``) and never again
within ``cooldown_days``; the journey ends when they order: a win-back still waiting when
the member has paid an order since it was queued is not sent (``exits``, the send-time
check).

The moment is the generation's publication: a generation published longer ago than the
freshness window starts nothing (scores of a restored backup, a worker down for days).
Without a coupon campaign (or with one that is not active) nothing is sent: the message
is the coupon.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import timedelta

from loyalist.activities import service as activities
from loyalist.coupons import service as coupons
from loyalist.db.uow import UnitOfWork
from loyalist.insights import segments as insights
from loyalist.members import service as members
from loyalist.messages import journeys_kit as kit
from loyalist.messages import policy, repository, service
from loyalist.messages.contexts import TemplateKey
from loyalist.messages.journeyconf import journeys
from loyalist.messages.models import Message, MessageKind
from loyalist.settings import ProgramPolicy

JOURNEY = "win_back"


def _at_risk(
    uow: UnitOfWork, program: ProgramPolicy, member_ids: Sequence[int] | None = None
) -> insights.AtRisk | None:
    """The current generation's members at risk, if the journey runs and the generation
    is fresh."""
    conf = journeys(uow).win_back
    if not conf.enabled or conf.coupon_campaign is None:
        return None
    found = insights.members_at_risk(
        uow, conf.segments, conf.churn_risk_at_least, member_ids=member_ids
    )
    hours = program.messages.freshness_hours
    if found is None or not policy.due_and_fresh(found.published_at, uow.now, hours):
        return None
    return found


def candidates(uow: UnitOfWork, program: ProgramPolicy) -> list[int]:
    """The members at risk in a freshly published generation."""
    found = _at_risk(uow, program)
    return found.member_ids if found else []


def win_back(
    uow: UnitOfWork, member_ids: Sequence[int], program: ProgramPolicy, setup: kit.Setup
) -> int:
    """Queue a win-back with a personal coupon for these members if still at risk in the
    current generation and not sent one within the cooldown (marketing). The members are
    locked first, so two workers never both pass the cooldown for one member. Returns
    messages queued."""
    found = _at_risk(uow, program, member_ids)
    if found is None or not found.member_ids:
        return 0
    conf = journeys(uow).win_back
    campaign = conf.coupon_campaign
    assert campaign is not None  # _at_risk checked
    members.lock_members(uow, found.member_ids)
    since = uow.now - timedelta(days=conf.cooldown_days)
    cooling = repository.members_messaged_since(uow.session, JOURNEY, found.member_ids, since)
    chosen = [m for m in found.member_ids if m not in cooling]
    if not chosen:
        return 0
    people = kit.recipients(uow, chosen, program)
    kit.prepare_members(uow, chosen, program)
    drafts: list[service.MessageDraft] = []
    for member_id in chosen:
        person = people[member_id]
        code = coupons.issue_to_member(
            uow, campaign, member_id, source=f"win_back:{member_id}:{found.generation}"
        )
        if code is None:  # the campaign was paused or removed since it was configured
            return 0
        locale = person.locale
        drafts += kit.drafts(
            person,
            conf.channels,
            journey=JOURNEY,
            kind=MessageKind.MARKETING,
            key=TemplateKey.WIN_BACK,
            natural_key=f"win_back:{found.generation}",
            context={
                "member": kit.member(uow, person, program),
                "coupon": {
                    "code": code.code,
                    "description": code.name.get(locale) or code.name.get("en") or "",
                    "expires_on": code.valid_until.astimezone(person.zone).date()
                    if code.valid_until
                    else None,
                },
                "recommendations": [],
                "shop_url": setup.shop_url,
            },
        )
    return kit.queue(uow, drafts)


def exits(uow: UnitOfWork, due: Sequence[Message]) -> Mapping[tuple[int, str], str]:
    """The send-time exit: a waiting win-back whose member paid an order after it was
    queued is not sent (the journey's goal is met)."""
    waiting = [m for m in due if m.journey == JOURNEY]
    if not waiting:
        return {}
    paid = activities.last_paid(uow, {m.member_id for m in waiting})
    return {
        (m.member_id, m.id): "the member ordered since: the win-back journey ended"
        for m in waiting
        if (at := paid.get(m.member_id)) is not None and at > m.created_at
    }
