"""A campaign's offers: checked and set up at launch (one earning rule per arm with a
points offer), granted to the members of its treatment arms as their sends are planned
(personal codes, the offer rules target, a surprise gift), and retired at its deadline.

Names: a member's offer is ``campaign:<campaign>/<arm>``, an arm's rule ``cmp-<campaign>-<arm>``
and a member's personal code has the source ``campaign:<campaign>:<member id>`` (at most one
per member and campaign, whatever is replayed).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from loyalist.campaigns.errors import CampaignOfferInactiveError, CampaignOfferInvalidError
from loyalist.campaigns.models import CONTROL, DEFAULT_ARM, Campaign
from loyalist.campaigns.schemas import CampaignSpec, Offer
from loyalist.coupons import service as coupons
from loyalist.coupons.models import CampaignStatus
from loyalist.db.uow import UnitOfWork
from loyalist.errors import FieldError
from loyalist.members import service as members
from loyalist.recommendations import service as recommendations
from loyalist.rewards import catalogue
from loyalist.rewards import service as rewards
from loyalist.rewards.models import RewardStatus
from loyalist.rules import programs
from loyalist.rules.schemas import (
    CAMPAIGN_RULE_PREFIX,
    FixedPoints,
    Limits,
    Multiplier,
    Name,
    RuleSpec,
    Targeting,
    Validity,
)


def offer_key(campaign_key: str, arm: str) -> str:
    """The offer members of an arm hold (what the arm's rule targets)."""
    return f"campaign:{campaign_key}/{arm}"


def rule_key(campaign_key: str, arm: str) -> str:
    return f"{CAMPAIGN_RULE_PREFIX}{campaign_key}-{arm}"


def code_source(campaign_key: str, member_id: int) -> str:
    """The source of the member's personal code of the campaign (one per member)."""
    return f"campaign:{campaign_key}:{member_id}"


@dataclass(frozen=True, slots=True)
class ArmOffer:
    """An arm's offer and where it is written in the spec (``/offer`` or
    ``/variants/<i>/offer``)."""

    arm: str
    offer: Offer
    pointer: str


def arm_offers(spec: CampaignSpec) -> list[ArmOffer]:
    """The treatment arms' offers (a variant without one has the campaign's); arms
    without any offer are left out."""
    if not spec.variants:
        return [ArmOffer(DEFAULT_ARM, spec.offer, "/offer")] if spec.offer else []
    found = []
    for index, variant in enumerate(spec.variants):
        if variant.offer is not None:
            found.append(ArmOffer(variant.key, variant.offer, f"/variants/{index}/offer"))
        elif spec.offer is not None:
            found.append(ArmOffer(variant.key, spec.offer, "/offer"))
    return found


def prepare(uow: UnitOfWork, campaign: Campaign, spec: CampaignSpec) -> None:
    """Check what the offers name and create each arm's rule (idempotent: an unchanged
    rule is kept as it is).

    Raises:
        InvalidRequestError: ``campaign_offer_invalid``, a coupon campaign or reward that
            does not exist, or a deadline already passed (pointers at the fields).
        ConflictError: ``campaign_offer_inactive``, one that is paused or over.
    """
    offers = arm_offers(spec)
    _check(uow, spec, offers)
    starts_at = campaign.launched_at or uow.now
    for item in offers:
        points = item.offer.points
        if points is None:
            continue
        effect: FixedPoints | Multiplier = (
            FixedPoints(type="fixed", points=points.points)
            if points.points is not None
            else Multiplier(type="multiplier", factor=points.multiplier or Decimal(1))
        )
        programs.put_rule(
            uow,
            RuleSpec(
                key=rule_key(campaign.key, item.arm),
                name=Name(en=spec.name.en[:200], ru=spec.name.ru[:200]),
                on=["order.paid"],
                effects=[effect],
                limits=Limits(uses_per_member=points.max_per_member),
                validity=Validity(starts_at=starts_at, ends_at=spec.ends_at),
                targeting=Targeting(offers=[offer_key(campaign.key, item.arm)]),
            ),
            actor=f"campaign:{campaign.key}",
        )


def _check(uow: UnitOfWork, spec: CampaignSpec, offers: Sequence[ArmOffer]) -> None:
    missing: list[FieldError] = []
    inactive: list[FieldError] = []
    # Without an offer too: a campaign past its deadline would finish having sent nothing.
    if spec.ends_at is not None and spec.ends_at <= uow.now:
        missing.append(FieldError("/ends_at", "the campaign's deadline has passed"))
    seen: set[str] = set()
    for item in offers:
        coupon = item.offer.coupon
        if coupon is not None:
            wanted = [(f"{item.pointer}/coupon/campaign", coupon.campaign)] + [
                (f"{item.pointer}/coupon/by_favourite_category/{category}", key)
                for category, key in coupon.by_favourite_category.items()
            ]
            for pointer, key in wanted:
                if pointer in seen:
                    continue
                seen.add(pointer)
                found = coupons.find_campaign(uow, key)
                if found is None:
                    missing.append(FieldError(pointer, f"no coupon campaign {key!r}"))
                elif found.status != CampaignStatus.ACTIVE or (
                    found.valid_until is not None and found.valid_until <= uow.now
                ):
                    inactive.append(FieldError(pointer, f"coupon campaign {key!r} is not active"))
        gift = item.offer.gift
        pointer = f"{item.pointer}/gift/reward"
        if gift is not None and pointer not in seen:
            seen.add(pointer)
            reward = catalogue.find_reward(uow, gift.reward)
            if reward is None:
                missing.append(FieldError(pointer, f"no reward {gift.reward!r}"))
            elif reward.status != RewardStatus.ACTIVE or (
                reward.valid_until is not None and reward.valid_until <= uow.now
            ):
                inactive.append(FieldError(pointer, f"reward {gift.reward!r} is not active"))
    if missing:
        raise CampaignOfferInvalidError(
            "the campaign's offer names what does not exist", errors=missing
        )
    if inactive:
        raise CampaignOfferInactiveError(
            "the campaign's offer names a paused or ended coupon campaign or reward",
            errors=inactive,
        )


def grant(
    uow: UnitOfWork, campaign: Campaign, spec: CampaignSpec, members_: Sequence[tuple[int, str]]
) -> None:
    """Give ``(member id, arm)`` their arm's offer: the offer the arm's rule targets (from
    now until the deadline), a personal code (of the coupon campaign for their favourite
    category when the offer names one, valid until the deadline) and the surprise gift.
    Control-group members get nothing. Idempotent: a replay adds nothing."""
    by_arm: dict[str, list[int]] = {}
    for member_id, arm in members_:
        if arm != CONTROL:
            by_arm.setdefault(arm, []).append(member_id)
    offered: list[tuple[int, str]] = []
    codes: dict[str, list[tuple[int, str]]] = {}
    gifts: list[rewards.Grant] = []
    for item in arm_offers(spec):
        ids = by_arm.get(item.arm, [])
        if not ids:
            continue
        offer = item.offer
        if offer.points is not None:
            offered.extend((m, offer_key(campaign.key, item.arm)) for m in ids)
        if offer.coupon is not None:
            chosen = offer.coupon.by_favourite_category
            favourites = (
                recommendations.favourites_of(uow, ids, currency=None, limit=len(chosen))
                if chosen
                else {}
            )
            for member_id in ids:
                categories = favourites.get(member_id, ([], []))[1]
                key = next((chosen[c] for c in categories if c in chosen), offer.coupon.campaign)
                codes.setdefault(key, []).append((member_id, code_source(campaign.key, member_id)))
        if offer.gift is not None:
            gifts.extend(
                rewards.Grant(m, offer.gift.reward, code_source(campaign.key, m)) for m in ids
            )
    if offered:
        members.grant_offers(uow, offered, starts_at=uow.now, ends_at=spec.ends_at)
    for key, grants in sorted(codes.items()):
        found = coupons.find_campaign(uow, key)
        if found is not None:
            coupons.issue_personal_many(uow, found, grants, valid_until=spec.ends_at)
    if gifts:
        rewards.grant_rewards(uow, gifts)


def retire(uow: UnitOfWork, campaign: Campaign) -> None:
    """End the campaign's offers: its rules retire (their versions stay, for the ledger's
    explanations) and the members' offers end now. Codes keep their own end."""
    arms = _arms(campaign)
    wanted = {rule_key(campaign.key, arm) for arm in arms}
    for rule in programs.list_rules(uow):
        if rule.key in wanted:
            programs.retire_rule(uow, rule.key)
    members.end_offers(uow, {offer_key(campaign.key, arm) for arm in arms})


def _arms(campaign: Campaign) -> list[str]:
    spec = CampaignSpec.model_validate(campaign.spec)
    return [v.key for v in spec.variants] or [DEFAULT_ARM]
