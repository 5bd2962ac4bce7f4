"""The catalogue: defining rewards (each with its coupon campaign) and a member's view of
it, every reward with whether the member can take it now and why not."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from loyalist.coupons import service as coupons
from loyalist.coupons.models import CodeMode, CouponCampaign
from loyalist.coupons.schemas import CampaignIn
from loyalist.db.uow import UnitOfWork
from loyalist.i18n import pick_locale
from loyalist.ledger import balances
from loyalist.ledger.errors import InsufficientPointsError
from loyalist.members import service as members
from loyalist.rewards import policy, repository
from loyalist.rewards.errors import (
    RewardCampaignTakenError,
    RewardNotEligibleError,
    RewardNotFoundError,
    RewardOutOfStockError,
    RewardStockBelowIssuedError,
)
from loyalist.rewards.models import Reward, RewardStatus
from loyalist.rewards.policy import Offer, Refusal
from loyalist.rewards.schemas import RewardIn
from loyalist.settings import ProgramPolicy
from loyalist.tiers import service as tiers


def campaign_key(reward_key: str) -> str:
    """The coupon campaign that holds a reward's discount and conditions of use."""
    return f"reward-{reward_key}"


def put_reward(uow: UnitOfWork, key: str, spec: RewardIn) -> tuple[Reward, bool]:
    """Create or replace a reward and its coupon campaign (``reward-<key>``, unique
    single-use codes). Returns the reward and whether it was created.

    Coupons already issued keep their expiry; a changed discount or conditions apply to
    them too (they are read from the campaign when used).

    Raises:
        ConflictError: ``reward_stock_below_issued``, the stock is below the rewards
            already issued.
    """
    existing = coupons.find_campaign(uow, campaign_key(key))
    if existing is not None and existing.origin != "reward":
        raise RewardCampaignTakenError(
            f"the coupon campaign {campaign_key(key)!r} exists and is not this reward's"
        )
    campaign = coupons.put_campaign(
        uow,
        campaign_key(key),
        CampaignIn(
            name=spec.name,
            discount=spec.discount,
            conditions=spec.conditions.conditions(),
            stacking=spec.stacking,
            priority=spec.priority,
            code_mode=CodeMode.UNIQUE,
            uses_per_code=1,
            code_valid_days=spec.coupon_valid_days,
        ),
        origin="reward",
    )
    # Locked, so the stock check below sees every issue committed before it.
    reward = repository.reward_by_key(uow.session, key, lock=True)
    created = reward is None
    if reward is None:
        reward = Reward(key=key, campaign_id=campaign.id, issued=0, created_at=uow.now)
        uow.session.add(reward)
    elif spec.stock is not None and spec.stock < reward.issued:
        raise RewardStockBelowIssuedError(
            f"reward {key!r} has issued {reward.issued}; the stock cannot be lower",
            extra={"issued": reward.issued},
        )
    reward.campaign_id = campaign.id
    reward.name = spec.name.model_dump()
    reward.description = spec.description.model_dump()
    reward.cost_points = spec.cost_points
    reward.stock = spec.stock
    reward.per_member_limit = spec.per_member_limit
    reward.tiers = list(spec.tiers)
    reward.segments = list(spec.segments)
    reward.valid_from = spec.valid_from
    reward.valid_until = spec.valid_until
    reward.coupon_valid_days = spec.coupon_valid_days
    reward.refund_unused = spec.refund_unused
    reward.status = spec.status
    reward.updated_at = uow.now
    uow.session.flush()
    return reward, created


def find_reward(uow: UnitOfWork, key: str) -> Reward | None:
    return repository.reward_by_key(uow.session, key)


def get_reward(uow: UnitOfWork, key: str) -> Reward:
    """Raises:
    NotFoundError: ``reward_not_found``.
    """
    reward = repository.reward_by_key(uow.session, key)
    if reward is None:
        raise RewardNotFoundError(f"reward {key!r} does not exist")
    return reward


def list_rewards(uow: UnitOfWork) -> Sequence[Reward]:
    return repository.rewards(uow.session)


def active_rewards(uow: UnitOfWork) -> Sequence[Reward]:
    """The rewards members can see now (not paused), by key."""
    return repository.rewards(uow.session, status=RewardStatus.ACTIVE)


def pause_reward(uow: UnitOfWork, key: str) -> Reward:
    """Take a reward out of the catalogue; coupons already issued stay valid. Pausing a
    paused reward is a no-op; PUT it with ``status: active`` to offer it again.

    Raises:
        NotFoundError: ``reward_not_found``.
    """
    reward = get_reward(uow, key)
    if reward.status != RewardStatus.PAUSED:
        reward.status = RewardStatus.PAUSED
        reward.updated_at = uow.now
        uow.session.flush()
    return reward


def reward_view(uow: UnitOfWork, reward: Reward) -> dict[str, Any]:
    """The definition as stored, in every language, with the stock left."""
    campaign = coupons.get_campaign(uow, campaign_key(reward.key))
    return _view(reward, campaign, repository.current_issued(uow.session, reward.id))


def reward_views(uow: UnitOfWork) -> list[dict[str, Any]]:
    """Every reward's :func:`reward_view`, by key, in two queries however many there are
    (their stock as this unit read it)."""
    found = list_rewards(uow)
    campaigns = coupons.campaigns_by_key(uow, [campaign_key(r.key) for r in found])
    return [
        _view(
            r,
            campaigns.get(campaign_key(r.key)) or coupons.get_campaign(uow, campaign_key(r.key)),
            r.issued,
        )
        for r in found
    ]


def _view(reward: Reward, campaign: CouponCampaign, issued: int) -> dict[str, Any]:
    return {
        "key": reward.key,
        "name": reward.name,
        "description": reward.description,
        "discount": campaign.discount,
        "conditions": {
            k: v for k, v in campaign.conditions.items() if k not in ("tiers", "segments")
        },
        "stacking": campaign.stacking,
        "priority": campaign.priority,
        "cost_points": reward.cost_points,
        "stock": reward.stock,
        "issued": issued,
        "stock_left": None if reward.stock is None else max(reward.stock - issued, 0),
        "per_member_limit": reward.per_member_limit,
        "tiers": reward.tiers,
        "segments": reward.segments,
        "valid_from": reward.valid_from,
        "valid_until": reward.valid_until,
        "coupon_valid_days": reward.coupon_valid_days,
        "refund_unused": reward.refund_unused,
        "status": reward.status,
        "campaign": campaign.key,
        "created_at": reward.created_at,
        "updated_at": reward.updated_at,
    }


def perk_tiers(uow: UnitOfWork) -> dict[str, tuple[str, ...]]:
    """Rewards that tiers list among their perks (``perks.rewards``), with those tiers: such
    a reward is exclusive to them, as if they were in its own ``tiers``."""
    found: dict[str, list[str]] = {}
    for level in tiers.export_program(uow).levels:
        for key in level.perks.rewards:
            found.setdefault(key, []).append(level.key)
    return {key: tuple(levels) for key, levels in found.items()}


def offer_of(reward: Reward, perks: dict[str, tuple[str, ...]] | None = None) -> Offer:
    gating = [*reward.tiers, *(perks or {}).get(reward.key, ())]
    return Offer(
        status=reward.status,
        valid_from=reward.valid_from,
        valid_until=reward.valid_until,
        tiers=tuple(dict.fromkeys(gating)),
        segments=tuple(reward.segments),
        per_member_limit=reward.per_member_limit,
        stock=reward.stock,
        issued=reward.issued,
        cost_points=reward.cost_points,
    )


@dataclass(slots=True)
class Audience:
    """The member's tier and segments, read only when a reward is gated by them."""

    uow: UnitOfWork
    member_id: int
    program: ProgramPolicy
    _tier: tuple[str | None] | None = None
    _segments: tuple[str, ...] | None = None

    def tier(self) -> str | None:
        if self._tier is None:
            self._tier = (tiers.tier_of(self.uow, self.member_id, self.program.zone),)
        return self._tier[0]

    def segments(self) -> tuple[str, ...]:
        if self._segments is None:
            facts = members.member_facts(self.uow, [self.member_id]).get(self.member_id)
            self._segments = facts.segments if facts is not None else ()
        return self._segments

    def eligibility(self, offer: Offer) -> Refusal | None:
        return policy.eligibility(
            offer,
            self.tier() if offer.tiers else None,
            self.segments() if offer.segments else (),
        )


def catalogue(
    uow: UnitOfWork,
    member_id: int,
    program: ProgramPolicy,
    *,
    locale: str | None,
    redeemable_only: bool = False,
) -> list[dict[str, Any]]:
    """Every active reward for one member, cheapest first, each saying whether the member
    can redeem it now and, if not, why (``reasons``: stable codes, first the one a
    redemption would answer). Names and descriptions in ``locale`` (en or ru)."""
    lang = pick_locale(locale)
    member = Audience(uow, member_id, program)
    available = balances.available_points(uow, member_id)
    taken = repository.taken_by_member(uow.session, member_id)
    perks = perk_tiers(uow)
    discounts = {c.id: c.discount for c in coupons.list_campaigns(uow) if c.origin == "reward"}
    items = []
    for reward in repository.rewards(uow.session, status=RewardStatus.ACTIVE):
        offer = offer_of(reward, perks)
        found = policy.refusals(
            offer,
            uow.now,
            tier=member.tier() if offer.tiers else None,
            segments=member.segments() if offer.segments else (),
            taken=taken.get(reward.id, 0),
            available=available,
        )
        if redeemable_only and found:
            continue
        codes = [r.code for r in found]
        items.append(
            {
                "key": reward.key,
                "name": _text(reward.name, lang),
                "description": _text(reward.description, lang),
                "discount": discounts.get(reward.campaign_id),
                "cost_points": reward.cost_points,
                "stock_left": None
                if reward.stock is None
                else max(reward.stock - reward.issued, 0),
                "per_member_limit": reward.per_member_limit,
                "taken": taken.get(reward.id, 0),
                "valid_from": reward.valid_from,
                "valid_until": reward.valid_until,
                "coupon_valid_days": reward.coupon_valid_days,
                "tiers": list(offer.tiers),
                "segments": reward.segments,
                "affordable": InsufficientPointsError.code not in codes,
                "eligible": RewardNotEligibleError.code not in codes,
                "in_stock": RewardOutOfStockError.code not in codes,
                "redeemable": not found,
                "reasons": [{"code": r.code, "detail": r.detail} for r in found],
            }
        )
    items.sort(key=lambda item: (item["cost_points"], item["key"]))
    return items


def _text(value: dict[str, Any] | None, lang: str) -> str | None:
    if not value:
        return None
    text = value.get(lang) or value.get("en")
    return str(text) if text is not None else None
