"""Taking rewards: redeeming for points, surprise grants by rules, what members took.

A reward is issued in one transaction: the member's balance row is locked first (through
the ledger), so everything counted per member (the per-member limit, the balance) is
counted under that lock; stock is taken by a conditional update of the reward's counter;
then the points are spent and the personal coupon issued. Any refusal raises and the unit
rolls back, so a refused redemption leaves nothing behind.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from loyalist.coupons import service as coupons
from loyalist.db.keyset import Bound
from loyalist.db.uow import UnitOfWork
from loyalist.errors import IdempotencyKeyReusedError
from loyalist.ledger import service as ledger
from loyalist.members import service as members
from loyalist.rewards import policy, repository
from loyalist.rewards.catalogue import Audience, campaign_key, get_reward, offer_of, perk_tiers
from loyalist.rewards.errors import RewardOutOfStockError
from loyalist.rewards.models import Reward, RewardRedemption, RewardRedemptionStatus
from loyalist.rewards.policy import Refusal
from loyalist.settings import ProgramPolicy

log = logging.getLogger(__name__)

#: ``reward_redemptions.source`` is 200 characters; longer sources keep a readable head
#: and a digest of the whole, so distinct sources stay distinct.
_SOURCE_MAX = 200


def source_key(text: str) -> str:
    """``text`` if it fits the source column, else its head and a SHA-256 digest."""
    if len(text) <= _SOURCE_MAX:
        return text
    digest = hashlib.sha256(text.encode()).hexdigest()
    return f"{text[: _SOURCE_MAX - len(digest) - 1]}#{digest}"


def _new_redemption_id() -> str:
    return f"rwd_{secrets.token_hex(12)}"


def redeem(
    uow: UnitOfWork,
    member_id: int,
    reward_key: str,
    program: ProgramPolicy,
    *,
    source: str | None = None,
) -> RewardRedemption:
    """Spend the reward's cost and issue the member its coupon, in one transaction.

    ``source`` (``points:<idempotency key>``) makes a replay return the first redemption;
    without it every call is a new redemption.

    Raises:
        NotFoundError: ``reward_not_found``.
        InvalidRequestError: ``reward_not_available`` (paused, not started, ended),
            ``reward_not_eligible`` (tier or segment gating).
        ConflictError: ``reward_limit_reached``, ``reward_out_of_stock``,
            ``insufficient_points``, ``idempotency_key_reused`` (the source was used for
            another member or reward).
    """
    reward = get_reward(uow, reward_key)
    ledger.lock(uow, [member_id])
    if source is not None:
        source = source_key(source)
        found = repository.redemption_by_source(uow.session, source)
        if found is not None:
            if (found.member_id, found.reward_id) != (member_id, reward.id):
                raise IdempotencyKeyReusedError(
                    "this idempotency key was already used for another redemption"
                )
            return found
    offer = offer_of(reward, perk_tiers(uow))
    refusal = (
        policy.availability(offer, uow.now)
        or Audience(uow, member_id, program).eligibility(offer)
        or _member_limit(uow, reward, member_id)
    )
    if refusal is not None:
        raise refusal.error()
    if not repository.take_stock(uow.session, reward.id):
        raise Refusal(RewardOutOfStockError, "the reward is out of stock").error()
    posting_id = None
    if reward.cost_points > 0:
        posting_id = ledger.spend_points(
            uow,
            member_id,
            reward.cost_points,
            reason_code="reward_redeemed",
            reason_params={"reward": reward.key, "name": reward.name},
        )
    redemption_id = _new_redemption_id()
    return _issue(
        uow,
        reward,
        member_id,
        redemption_id=redemption_id,
        points=reward.cost_points,
        posting_id=posting_id,
        source=source or f"points:{redemption_id}",
    )


def _member_limit(uow: UnitOfWork, reward: Reward, member_id: int) -> Refusal | None:
    """Counted under the member's lock, so two concurrent redemptions by one member cannot
    both see the last one left."""
    if reward.per_member_limit is None:
        return None
    taken = repository.taken_by_member(uow.session, member_id, reward.id).get(reward.id, 0)
    return policy.member_limit(offer_of(reward), taken)


def _issue(
    uow: UnitOfWork,
    reward: Reward,
    member_id: int,
    *,
    redemption_id: str,
    points: int,
    posting_id: int | None,
    source: str,
) -> RewardRedemption:
    campaign = coupons.get_campaign(uow, campaign_key(reward.key))
    code = coupons.issue_personal(
        uow,
        campaign,
        member_id,
        source=f"reward:{redemption_id}",
        valid_days=reward.coupon_valid_days,
    )
    redemption = RewardRedemption(
        **_redemption(
            uow,
            reward,
            member_id,
            redemption_id=redemption_id,
            points=points,
            posting_id=posting_id,
            source=source,
            code=(code.id, code.valid_until),
        )
    )
    uow.session.add(redemption)
    uow.session.flush()
    return redemption


def _redemption(
    uow: UnitOfWork,
    reward: Reward,
    member_id: int,
    *,
    redemption_id: str,
    points: int,
    posting_id: int | None,
    source: str | None,
    code: tuple[int, datetime | None],
) -> dict[str, Any]:
    """The row of a redemption issued now with its code (``(id, valid_until)``)."""
    return {
        "id": redemption_id,
        "reward_id": reward.id,
        "member_id": member_id,
        "points": points,
        "posting_id": posting_id,
        "code_id": code[0],
        "status": RewardRedemptionStatus.ISSUED.value,
        "source": source,
        "created_at": uow.now,
        "expires_at": code[1],
        "refunded_at": None,
    }


@dataclass(frozen=True, slots=True)
class Grant:
    """A reward a rule granted: ``source`` is ``rule:<rule key>:<ref>:<reward key>``."""

    member_id: int
    reward: str
    source: str


def grant_rewards(uow: UnitOfWork, grants: Sequence[Grant]) -> list[RewardRedemption]:
    """Issue rewards that rules granted, without their points cost ("surprise" rewards).

    Each is issued once per source (a replayed event adds nothing). A reward that is
    missing, paused, outside its dates, out of stock or at the member's limit grants
    nothing and is logged (the rule fired; the catalogue decides). Tier and segment
    gating does not apply: the rule's own targeting chose the member. Stock is taken in
    reward key order, so concurrent batches lock reward rows in one order.

    In bulk (a campaign grants a gift to thousands at once): one read of the sources
    already issued, then per reward one check, one stock update, the codes issued
    together (``coupons.issue_personal_many``) and the redemptions written in one
    statement (they are returned as plain objects, not in the session).
    """
    ledger.lock(uow, sorted({g.member_id for g in grants}))
    done = repository.redeemed_sources(uow.session, [source_key(g.source) for g in grants])
    by_reward: dict[str, list[tuple[Grant, str]]] = {}
    for grant in sorted(grants, key=lambda g: (g.reward, g.member_id, g.source)):
        source = source_key(grant.source)
        if source not in done:
            done.add(source)
            by_reward.setdefault(grant.reward, []).append((grant, source))
    issued: list[RewardRedemption] = []
    for key, wanted in by_reward.items():
        issued += _grant_reward(uow, key, wanted)
    return issued


def _grant_reward(
    uow: UnitOfWork, key: str, wanted: Sequence[tuple[Grant, str]]
) -> list[RewardRedemption]:
    """``grant_rewards`` for one reward: each of ``wanted`` in turn, as if one by one (the
    member limit counts those granted before it, stock runs out at the same one)."""
    reward = repository.reward_by_key(uow.session, key, lock=True)
    if reward is None:
        for grant, _ in wanted:
            _not_granted(grant, "no such reward")
        return []
    offer = offer_of(reward)
    taken = (
        repository.taken_by_members(uow.session, [g.member_id for g, _ in wanted], reward.id)
        if reward.per_member_limit is not None
        else {}
    )
    left = None if reward.stock is None else reward.stock - reward.issued
    chosen: list[tuple[Grant, str]] = []
    for grant, source in wanted:
        refusal = policy.availability(offer, uow.now) or policy.member_limit(
            offer, taken.get(grant.member_id, 0)
        )
        if refusal is None and left is not None and left <= 0:
            refusal = Refusal(RewardOutOfStockError, "the reward is out of stock")
        if refusal is not None:
            _not_granted(grant, refusal.detail)
            continue
        taken[grant.member_id] = taken.get(grant.member_id, 0) + 1
        left = None if left is None else left - 1
        chosen.append((grant, source))
    if not chosen or not repository.take_stock(uow.session, reward.id, len(chosen)):
        return []
    campaign = coupons.get_campaign(uow, campaign_key(reward.key))
    ids = {source: _new_redemption_id() for _, source in chosen}
    coupons.issue_personal_many(
        uow,
        campaign,
        [(grant.member_id, f"reward:{ids[source]}") for grant, source in chosen],
        valid_until=_code_end(uow, reward),
    )
    codes = coupons.issued_by_sources(uow, [f"reward:{i}" for i in ids.values()])
    rows = [
        _redemption(
            uow,
            reward,
            grant.member_id,
            redemption_id=ids[source],
            points=0,
            posting_id=None,
            source=source,
            code=codes[f"reward:{ids[source]}"],
        )
        for grant, source in chosen
    ]
    repository.insert_redemptions(uow.session, rows)
    return [RewardRedemption(**row) for row in rows]


def _code_end(uow: UnitOfWork, reward: Reward) -> datetime | None:
    """The end of a granted reward's code as ``_issue`` sets it (None: the coupon
    campaign's own validity)."""
    days = reward.coupon_valid_days
    return uow.now + timedelta(days=days) if days else None


@dataclass(frozen=True, slots=True)
class Issued:
    """A reward a member holds: its names (``en``/``ru``…) and description, the code to
    use (as shown to people) and until when."""

    member_id: int
    redemption_id: str
    name: dict[str, str]
    description: dict[str, str] | None
    code: str
    expires_at: datetime | None


def issued_for_grants(uow: UnitOfWork, grants: Sequence[Grant]) -> dict[Grant, Issued]:
    """What ``grant_rewards`` issued for each of ``grants`` (those it refused are left out),
    in two reads for all of them."""
    by_source = {source_key(g.source): g for g in grants}
    rows = repository.redemptions_by_source(uow.session, list(by_source))
    codes = coupons.codes_by_id(uow, [r.code_id for r, _ in rows])
    found: dict[Grant, Issued] = {}
    for redemption, reward in rows:
        code = codes.get(redemption.code_id)
        grant = by_source[redemption.source]
        if code is None or redemption.member_id != grant.member_id:
            continue
        found[grant] = Issued(
            redemption.member_id,
            redemption.id,
            dict(reward.name),
            dict(reward.description) if reward.description else None,
            coupons.show(code.code),
            redemption.expires_at,
        )
    return found


def _not_granted(grant: Grant, why: str) -> None:
    log.warning(
        "reward %s not granted to member %s (%s): %s",
        grant.reward,
        grant.member_id,
        grant.source,
        why,
    )


# -- reading what members took ------------------------------------------------------------
def redemption_views(
    uow: UnitOfWork, rows: Sequence[tuple[RewardRedemption, Reward]]
) -> list[dict[str, Any]]:
    codes = coupons.codes_by_id(uow, [r.code_id for r, _ in rows])
    external = members.external_ids(uow, {r.member_id for r, _ in rows})
    out = []
    for redemption, reward in rows:
        code = codes.get(redemption.code_id)
        granted_by = (
            redemption.source.split(":", 2)[1] if redemption.source.startswith("rule:") else None
        )
        out.append(
            {
                "id": redemption.id,
                "reward": reward.key,
                "name": reward.name,
                "member_id": external.get(redemption.member_id),
                "points": redemption.points,
                "code": code.code if code else None,
                "valid_until": redemption.expires_at,
                "coupon_used": bool(code and code.uses),
                "status": redemption.status,
                "granted_by_rule": granted_by,
                "created_at": redemption.created_at,
                "refunded_at": redemption.refunded_at,
            }
        )
    return out


def redemption_view(uow: UnitOfWork, redemption: RewardRedemption) -> dict[str, Any]:
    reward = uow.session.get(Reward, redemption.reward_id)
    assert reward is not None
    (view,) = redemption_views(uow, [(redemption, reward)])
    return view


def timeline_redemptions(
    uow: UnitOfWork, member_id: int, *, limit: int, before: Bound | None
) -> list[dict[str, Any]]:
    """The member's rewards newest first (those after ``before``) for the member timeline,
    with their state but not their coupon codes (the rewards panel shows those)."""
    rows = repository.member_redemptions_before(uow.session, member_id, limit=limit, before=before)
    return [
        {
            "id": redemption.id,
            "at": redemption.created_at,
            "reward": reward.key,
            "name": reward.name,
            "points": redemption.points,
            "status": redemption.status,
            "granted_by_rule": redemption.source.split(":", 2)[1]
            if redemption.source.startswith("rule:")
            else None,
            "valid_until": redemption.expires_at,
            "refunded_at": redemption.refunded_at,
        }
        for redemption, reward in rows
    ]


def member_redemptions(
    uow: UnitOfWork, member_id: int, *, limit: int = 100
) -> list[dict[str, Any]]:
    """The member's rewards, newest first, with their coupon codes and state."""
    rows = repository.member_redemptions(uow.session, member_id, limit)
    return redemption_views(uow, [(r, w) for r, w in rows])
