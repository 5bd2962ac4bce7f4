"""Coupon use cases: campaigns, personal codes, validate (writes nothing), redeem, reserve
for a checkout, confirm, release and roll back.

A use is granted by conditional updates in a fixed order (code, member, campaign), each
``… WHERE uses < limit``: a lost race is a ``ConflictError`` and the unit rolls back, so
no limit is ever passed and a failed redemption leaves nothing behind.
"""

from __future__ import annotations

import secrets
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from loyalist.audit import service as audit
from loyalist.audit.models import Actor
from loyalist.coupons import codes, repository, validation
from loyalist.coupons.errors import (
    CampaignNotFoundError,
    CampaignNotUniqueError,
    CampaignOriginMismatchError,
    CodeSpaceTooSmallError,
    CouponCampaignExhaustedError,
    CouponCampaignModeFixedError,
    CouponCodeTakenError,
    CouponInactiveError,
    CouponLimitBelowUsesError,
    CouponMemberLimitError,
    CouponUsedUpError,
    RedemptionNotFoundError,
    RedemptionNotRedeemedError,
)
from loyalist.coupons.models import (
    CampaignStatus,
    CodeMode,
    CouponCampaign,
    CouponCode,
    CouponRedemption,
    RedemptionStatus,
)
from loyalist.coupons.policy import Priced
from loyalist.coupons.schemas import CampaignIn, Cart
from loyalist.coupons.validation import Audience, Found
from loyalist.db.keyset import Bound
from loyalist.db.uow import UnitOfWork
from loyalist.members import service as members

#: Personal codes (rewards, rule grants): 10 random characters, 49 bits.
PERSONAL_PATTERN = codes.CodePattern(length=10, group=5)


# -- campaigns ----------------------------------------------------------------------------
def put_campaign(
    uow: UnitOfWork, key: str, spec: CampaignIn, *, origin: str = "campaign"
) -> CouponCampaign:
    """Create or replace a campaign. A generic campaign's shared code is created with it;
    its code mode cannot change once created.

    Raises:
        ConflictError: the generic code belongs to another campaign, or the mode changed.
    """
    campaign = repository.campaign_by_key(uow.session, key)
    values: dict[str, Any] = {
        "name": spec.name.model_dump(),
        "discount": spec.discount.model_dump(mode="json"),
        "conditions": spec.conditions.model_dump(mode="json"),
        "stacking": spec.stacking,
        "priority": spec.priority,
        "code_mode": spec.code_mode,
        "uses_per_code": spec.effective_uses_per_code,
        "max_redemptions": spec.max_redemptions,
        "per_member_limit": spec.per_member_limit,
        "valid_from": spec.valid_from,
        "valid_until": spec.valid_until,
        "code_valid_days": spec.code_valid_days,
        "status": spec.status,
        "updated_at": uow.now,
    }
    if campaign is None:
        campaign = CouponCampaign(key=key, origin=origin, redemptions=0, created_at=uow.now)
        uow.session.add(campaign)
    elif campaign.origin != origin:
        raise CampaignOriginMismatchError(
            f"campaign {key!r} belongs to a {campaign.origin}; change it there"
        )
    elif campaign.code_mode != spec.code_mode:
        raise CouponCampaignModeFixedError(
            f"campaign {key!r} has {campaign.code_mode} codes; its mode cannot change"
        )
    is_new = campaign.id is None
    if spec.max_redemptions is not None and not is_new and campaign.max_redemptions is None:
        # A limit set on a running campaign counts the uses it already has.
        campaign.redemptions = repository.count_campaign_uses(uow.session, campaign.id)
    limit = spec.max_redemptions
    if limit is not None and campaign.redemptions > limit:
        raise CouponLimitBelowUsesError(
            f"the campaign already has {campaign.redemptions} uses, more than {limit}"
        )
    for name, value in values.items():
        setattr(campaign, name, value)
    uow.session.flush()
    if spec.code_mode == CodeMode.GENERIC:
        assert spec.code is not None
        _put_generic_code(uow, campaign, spec.code)
    return campaign


def _put_generic_code(uow: UnitOfWork, campaign: CouponCampaign, code: str) -> None:
    found = repository.code_row(uow.session, code)
    if found is not None and found[0].campaign_id != campaign.id:
        raise CouponCodeTakenError(f"the code {code} belongs to another campaign")
    shared = repository.shared_code(uow.session, campaign.id)
    if shared is None:
        uow.session.add(
            CouponCode(
                campaign_id=campaign.id,
                code=code,
                max_uses=campaign.uses_per_code,
                uses=0,
                disabled=False,
                issued_at=uow.now,
            )
        )
    else:
        limit = campaign.uses_per_code
        if limit is not None and shared.uses > limit:
            raise CouponLimitBelowUsesError(
                f"the code was already used {shared.uses} times, more than {limit}"
            )
        shared.code = code
        shared.max_uses = limit
    uow.session.flush()


def campaign_spec(uow: UnitOfWork, campaign: CouponCampaign) -> CampaignIn:
    """A campaign as ``put_campaign`` takes it (a generic campaign with its shared code):
    the program file exports campaigns so."""
    shared = (
        repository.shared_code(uow.session, campaign.id)
        if campaign.code_mode == CodeMode.GENERIC
        else None
    )
    return CampaignIn(
        name=campaign.name,
        discount=campaign.discount,
        conditions=campaign.conditions,
        stacking=campaign.stacking,
        priority=campaign.priority,
        code_mode=campaign.code_mode,
        code=None if shared is None else shared.code,
        # A unique campaign's codes are single-use unless it says otherwise.
        uses_per_code=(
            None
            if campaign.code_mode == CodeMode.UNIQUE and campaign.uses_per_code == 1
            else campaign.uses_per_code
        ),
        max_redemptions=campaign.max_redemptions,
        per_member_limit=campaign.per_member_limit,
        valid_from=campaign.valid_from,
        valid_until=campaign.valid_until,
        code_valid_days=campaign.code_valid_days,
        status=campaign.status,
    )


def find_campaign(uow: UnitOfWork, key: str) -> CouponCampaign | None:
    return repository.campaign_by_key(uow.session, key)


def get_campaign(uow: UnitOfWork, key: str) -> CouponCampaign:
    campaign = repository.campaign_by_key(uow.session, key)
    if campaign is None:
        raise CampaignNotFoundError(f"coupon campaign {key!r} does not exist")
    return campaign


def campaigns_by_key(uow: UnitOfWork, keys: Sequence[str]) -> dict[str, CouponCampaign]:
    """The campaigns of ``keys`` that exist, by key, in one query."""
    return {c.key: c for c in repository.campaigns_by_keys(uow.session, keys)}


def list_campaigns(uow: UnitOfWork) -> Sequence[CouponCampaign]:
    return repository.campaigns(uow.session)


def campaign_view(uow: UnitOfWork, campaign: CouponCampaign) -> dict[str, Any]:
    return {
        "key": campaign.key,
        "name": campaign.name,
        "origin": campaign.origin,
        "discount": campaign.discount,
        "conditions": campaign.conditions,
        "stacking": campaign.stacking,
        "priority": campaign.priority,
        "code_mode": campaign.code_mode,
        "uses_per_code": campaign.uses_per_code,
        "max_redemptions": campaign.max_redemptions,
        "per_member_limit": campaign.per_member_limit,
        "valid_from": campaign.valid_from,
        "valid_until": campaign.valid_until,
        "code_valid_days": campaign.code_valid_days,
        "status": campaign.status,
        "created_at": campaign.created_at,
        "updated_at": campaign.updated_at,
        "stats": repository.campaign_stats(uow.session, campaign.id),
    }


def campaign_figures(uow: UnitOfWork, campaigns: Sequence[CouponCampaign]) -> list[dict[str, Any]]:
    """The campaigns' usage in two reads for all (the console's list): codes issued and
    used, redemptions, the redemption rate (share of issued codes used at least once;
    None for a shared code, which many use) and the discount given per currency."""
    figures = repository.campaign_figures(uow.session, [c.id for c in campaigns])
    out = []
    for campaign in campaigns:
        found = figures[campaign.id]
        shared = campaign.code_mode == CodeMode.GENERIC
        rate = None if shared or not found["codes"] else found["used_codes"] / found["codes"]
        out.append(
            {
                "key": campaign.key,
                "name": campaign.name,
                "origin": campaign.origin,
                "code_mode": campaign.code_mode,
                "status": campaign.status,
                **found,
                "redemption_rate": rate,
            }
        )
    return out


# -- personal codes -----------------------------------------------------------------------
def issue_personal(
    uow: UnitOfWork,
    campaign: CouponCampaign,
    member_id: int,
    *,
    source: str,
    valid_days: int | None = None,
) -> CouponCode:
    """A unique code for one member; issuing again for the same ``source`` returns the
    first code (rule grants and reward redemptions are replay-safe)."""
    found = repository.code_by_source(uow.session, source)
    if found is not None:
        return found
    days = valid_days or campaign.code_valid_days
    until = _valid_until(campaign, uow.now + timedelta(days=days) if days else None)
    (code,) = codes.generate_codes(
        1,
        codes.CodePattern(length=PERSONAL_PATTERN.length, group=0),
        taken=lambda fresh: repository.existing_codes(uow.session, list(fresh)),
    )
    row = CouponCode(
        campaign_id=campaign.id,
        code=code,
        max_uses=campaign.uses_per_code or 1,
        uses=0,
        disabled=False,
        member_id=member_id,
        valid_until=until,
        issued_at=uow.now,
        source=source,
    )
    uow.session.add(row)
    uow.session.flush()
    return row


def _valid_until(campaign: CouponCampaign, until: datetime | None) -> datetime | None:
    """A personal code's end: ``until``, never past its campaign's end."""
    if campaign.valid_until is None:
        return until
    return min(until, campaign.valid_until) if until else campaign.valid_until


#: Rounds of ``issue_personal_many`` before it gives up: a round re-makes only the codes
#: that collided with stored ones (at 10 random characters, hardly ever one).
_ISSUE_ROUNDS = 20


def issue_personal_many(
    uow: UnitOfWork,
    campaign: CouponCampaign,
    grants: Sequence[tuple[int, str]],
    *,
    valid_until: datetime | None,
) -> int:
    """A unique personal code of ``campaign`` for each ``(member_id, source)``, once per
    source (a source that issued a code before keeps it: a replay issues nothing), valid
    until ``valid_until`` (None: the campaign's ``code_valid_days`` from now), never past
    the campaign's end. Returns how many codes were issued.

    In bulk: the codes are made as one block (``codes.fresh_codes``) and written by one
    statement per chunk, skipping a code or source already stored; the few that collided
    are made again.

    Raises:
        InvalidRequestError: ``code_space_too_small``, codes kept colliding (never seen:
            the personal codes' space holds 30^10 codes).
    """
    days = campaign.code_valid_days
    until = _valid_until(
        campaign,
        valid_until
        if valid_until is not None
        else (uow.now + timedelta(days=days) if days else None),
    )
    owners = {source: member_id for member_id, source in grants}
    pattern = codes.CodePattern(length=PERSONAL_PATTERN.length, group=0)
    issued = 0
    for _ in range(_ISSUE_ROUNDS):
        taken = repository.issued_sources(uow.session, sorted(owners))
        todo = sorted(source for source in owners if source not in taken)
        if not todo:
            return issued
        block: list[str] = []
        while len(block) < len(todo):
            block = sorted({*block, *codes.fresh_codes(len(todo) - len(block), pattern).texts()})
        rows = [
            {
                "campaign_id": campaign.id,
                "code": code,
                "max_uses": campaign.uses_per_code or 1,
                "member_id": owners[source],
                "valid_until": until,
                "issued_at": uow.now,
                "source": source,
            }
            for code, source in zip(block, todo, strict=True)
        ]
        done = repository.insert_personal_codes(uow.session, rows)
        issued += len(done)
        owners = {source: owners[source] for source in todo if source not in done}
    if owners:
        raise CodeSpaceTooSmallError(
            f"{len(owners):,} personal codes found no free code in {_ISSUE_ROUNDS} rounds"
        )
    return issued


def issue_granted(uow: UnitOfWork, grants: Sequence[tuple[int, str, str]]) -> int:
    """Issue codes that rules granted: ``(member_id, campaign key, source)`` each. A grant
    naming a missing or paused campaign issues nothing (the rule file was checked when it
    was applied; a campaign paused since is the shop's decision). Returns codes issued."""
    issued = 0
    for member_id, key, source in grants:
        campaign = repository.campaign_by_key(uow.session, key)
        if campaign is None or campaign.status != CampaignStatus.ACTIVE:
            continue
        if repository.code_by_source(uow.session, source) is None:
            issue_personal(uow, campaign, member_id, source=source)
            issued += 1
    return issued


@dataclass(frozen=True, slots=True)
class GrantedCode:
    """A code a rule granted: shown in groups (``show``), the campaign's name in every
    language, and the end of its validity."""

    code: str
    name: dict[str, str]
    valid_until: datetime | None


def granted_for_many(
    uow: UnitOfWork, occurrences: Collection[tuple[int, str]]
) -> dict[tuple[int, str], list[GrantedCode]]:
    """Per ``(member, occurrence)`` (``order:<id>``), the codes rules granted the member for
    it, oldest first (the order confirmation shows them): one read for all."""
    wanted: dict[int, list[str]] = {}
    for member_id, occurrence in occurrences:
        wanted.setdefault(member_id, []).append(occurrence)
    found: dict[tuple[int, str], list[GrantedCode]] = {}
    for code, campaign in repository.codes_granted_to(uow.session, wanted):
        for occurrence in wanted.get(code.member_id or 0, ()):
            if (code.source or "").endswith(f":{occurrence}"):
                found.setdefault((code.member_id or 0, occurrence), []).append(
                    GrantedCode(show(code.code), dict(campaign.name), code.valid_until)
                )
    return found


def granted_by_rule(
    uow: UnitOfWork, member_id: int, rule_key: str, occurrence: str
) -> GrantedCode | None:
    """The code rule ``rule_key`` granted the member for ``occurrence``
    (``birthday:<member>:<year>``), if it granted one."""
    found = repository.code_with_campaign(uow.session, f"rule:{rule_key}:{occurrence}")
    if found is None or found[0].member_id != member_id:
        return None
    code, campaign = found
    return GrantedCode(show(code.code), dict(campaign.name), code.valid_until)


def granted_by_sources(uow: UnitOfWork, sources: Collection[str]) -> dict[str, GrantedCode]:
    """The codes issued for ``sources`` (those that issued one), by source: one read of
    the codes (plain rows) and one of their campaigns' names."""
    rows = repository.codes_by_sources(uow, sorted(sources))
    names = repository.campaign_names(uow.session, {row[3] for row in rows}) if rows else {}
    return {
        source: GrantedCode(show(code), names[campaign_id], valid_until)
        for source, _, code, campaign_id, valid_until in rows
    }


def issued_by_sources(
    uow: UnitOfWork, sources: Collection[str]
) -> dict[str, tuple[int, datetime | None]]:
    """The id and end of the codes issued for ``sources``, by source: one read (after
    ``issue_personal_many``)."""
    return {
        source: (code_id, valid_until)
        for source, code_id, _, _, valid_until in repository.codes_by_sources(uow, sorted(sources))
    }


def issue_to_member(
    uow: UnitOfWork, campaign_key: str, member_id: int, *, source: str
) -> GrantedCode | None:
    """A single-use personal code of campaign ``campaign_key`` for the member, once per
    ``source`` (issuing again returns the first code); None when the campaign is missing
    or not active (a journey then sends nothing that needs it)."""
    campaign = repository.campaign_by_key(uow.session, campaign_key)
    if campaign is None or campaign.status != CampaignStatus.ACTIVE:
        return None
    code = issue_personal(uow, campaign, member_id, source=source)
    return GrantedCode(show(code.code), dict(campaign.name), code.valid_until)


def give_to_member(
    uow: UnitOfWork,
    campaign_key: str,
    member_id: int,
    *,
    source: str,
    actor: Actor,
    reason: str,
) -> CouponCode:
    """A personal code of an active unique-code campaign, given by staff to one member (a
    goodwill gesture), once per ``source`` (giving again returns the first code). Audited
    as ``coupon.given`` on the member with the campaign and the reason.

    Raises:
        CampaignNotFoundError: no such campaign.
        CampaignNotUniqueError: the campaign has one shared code, none to give.
        CouponInactiveError: the campaign is paused.
    """
    campaign = get_campaign(uow, campaign_key)
    if campaign.code_mode != CodeMode.UNIQUE:
        raise CampaignNotUniqueError(
            f"coupon campaign {campaign_key!r} has one shared code: give a unique-code one"
        )
    if campaign.status != CampaignStatus.ACTIVE:
        raise CouponInactiveError(f"coupon campaign {campaign_key!r} is paused")
    code = issue_personal(uow, campaign, member_id, source=source)
    audit.record(
        uow, actor, "coupon.given", target_type="member", target_id=str(member_id),
        member_id=member_id, after={"campaign": campaign_key, "code_id": code.id},
        reason=reason,
    )  # fmt: skip
    return code


def givable_campaigns(uow: UnitOfWork) -> list[CouponCampaign]:
    """The campaigns staff may give a member a code of: active, with unique codes."""
    return [
        c
        for c in repository.campaigns(uow.session)
        if c.status == CampaignStatus.ACTIVE and c.code_mode == CodeMode.UNIQUE
    ]


def show(code: str) -> str:
    """A stored code in groups of five for people (``7K2QM-9XHAB``)."""
    if len(code) <= 6:
        return code
    return "-".join(code[i : i + 5] for i in range(0, len(code), 5))


def timeline_uses(
    uow: UnitOfWork, member_id: int, *, limit: int, before: Bound | None
) -> list[dict[str, Any]]:
    """The member's uses of coupon codes newest first (those after ``before``) for the
    member timeline: campaign, order, discount and state, not the code itself."""
    return [
        {
            "id": use.id,
            "at": use.created_at,
            "campaign": campaign.key,
            "name": campaign.name,
            "order_id": use.order_id,
            "currency": use.currency,
            "discount": use.discount,
            "shipping_discount": use.shipping_discount,
            "status": use.status,
            "reason": use.reason,
        }
        for use, campaign in repository.member_uses_before(
            uow.session, member_id, limit=limit, before=before
        )
    ]


def member_coupons(uow: UnitOfWork, member_id: int, *, usable_only: bool) -> list[dict[str, Any]]:
    """The member's personal codes, newest first, with whether each can still be used."""
    out = []
    for code, campaign in repository.member_codes(uow.session, member_id):
        rules = validation.CampaignRules.of(campaign)
        refusal = validation.state_refusal(
            uow.now, validation.CodeFacts.of(code, campaign), rules, member_id
        )
        if usable_only and refusal is not None:
            continue
        out.append(
            {
                "code": code.code,
                "campaign": campaign.key,
                "name": campaign.name,
                "discount": campaign.discount,
                "valid_until": code.valid_until,
                "uses_left": None if code.max_uses is None else code.max_uses - code.uses,
                "usable": refusal is None,
                "reason": None if refusal is None else refusal.code,
            }
        )
    return out


def codes_by_id(uow: UnitOfWork, ids: Collection[int]) -> dict[int, CouponCode]:
    """Codes by id: the rewards domain shows the codes it issued and whether they were used."""
    return repository.codes_by_id(uow.session, ids)


# -- using a code -------------------------------------------------------------------------
def _new_redemption_id() -> str:
    return f"cpr_{secrets.token_hex(12)}"


def take(
    uow: UnitOfWork,
    found: Found,
    priced: Priced,
    *,
    member_id: int | None,
    currency: str,
    order_id: str | None,
    checkout_id: str | None,
    status: RedemptionStatus,
) -> CouponRedemption:
    """Count one use (code, member, campaign, in that order) and record it.

    Raises:
        ConflictError: a limit was reached meanwhile (a concurrent use won the race).
    """
    writer, campaign = uow, found.campaign
    if not repository.take_code_use(writer, found.code.id):
        raise CouponUsedUpError("the code was already used")
    member_counted = campaign.per_member_limit is not None and member_id is not None
    if member_counted:
        assert member_id is not None
        assert campaign.per_member_limit is not None
        if not repository.take_member_use(
            writer, campaign.id, member_id, campaign.per_member_limit
        ):
            raise CouponMemberLimitError(
                f"the member already used this coupon {campaign.per_member_limit} time(s)"
            )
    campaign_counted = campaign.max_redemptions is not None
    if campaign_counted and not repository.take_campaign_use(writer, campaign.id):
        raise CouponCampaignExhaustedError("the campaign's coupons are all used")
    redemption = CouponRedemption(
        id=_new_redemption_id(),
        code_id=found.code.id,
        campaign_id=campaign.id,
        member_id=member_id,
        order_id=order_id,
        checkout_id=checkout_id,
        currency=currency,
        discount=sum(priced.lines.values()),
        shipping_discount=priced.shipping,
        status=status,
        reason=None,
        created_at=uow.now,
        settled_at=uow.now if status == RedemptionStatus.REDEEMED else None,
        member_counted=member_counted,
        campaign_counted=campaign_counted,
    )
    repository.insert_redemption(writer, redemption)  # not kept in the session
    return redemption


def redeem(
    uow: UnitOfWork,
    text: str,
    cart: Cart,
    audience: Audience,
    *,
    order_id: str | None,
    member: str | None = None,
) -> dict[str, Any]:
    """Validate and use a code in one transaction (``member``: the shop's id of
    ``audience.member_id``, for the answer).

    Raises:
        NotFoundError, ConflictError, InvalidRequestError: as ``validate``; a 409 when a
        concurrent redemption took the last use.
    """
    found, priced = validation.validate_found(*validation.find(uow, uow.now, text, audience), cart)
    redemption = take(
        uow,
        found,
        priced,
        member_id=audience.member_id,
        currency=cart.currency,
        order_id=order_id,
        checkout_id=None,
        status=RedemptionStatus.REDEEMED,
    )
    if member is None and audience.member_id is not None:
        member = members.external_ids(uow, [audience.member_id]).get(audience.member_id)
    return _view(redemption, found.code.code, found.campaign.key, member) | {
        "lines": validation.priced_view(cart, priced, found.campaign)["lines"],
        "gift": validation.gift(found.offer),
    }


def redemption_view(uow: UnitOfWork, redemption: CouponRedemption) -> dict[str, Any]:
    code = uow.session.get(CouponCode, redemption.code_id)
    campaign = uow.session.get(CouponCampaign, redemption.campaign_id)
    assert code is not None
    assert campaign is not None
    member = (
        members.external_ids(uow, [redemption.member_id]).get(redemption.member_id)
        if redemption.member_id is not None
        else None
    )
    return _view(redemption, code.code, campaign.key, member)


def _view(
    redemption: CouponRedemption, code: str, campaign: str, member: str | None
) -> dict[str, Any]:
    return {
        "id": redemption.id,
        "code": code,
        "campaign": campaign,
        "member_id": member,
        "order_id": redemption.order_id,
        "checkout_id": redemption.checkout_id,
        "status": redemption.status,
        "currency": redemption.currency,
        "discount": redemption.discount + redemption.shipping_discount,
        "shipping_discount": redemption.shipping_discount,
        "reason": redemption.reason,
        "created_at": redemption.created_at,
        "settled_at": redemption.settled_at,
    }


def find_redemptions(
    uow: UnitOfWork, *, code: str | None = None, order_id: str | None = None, limit: int = 50
) -> list[dict[str, Any]]:
    """Redemptions of a code (as a person types it) or of an order, newest first, at most
    ``limit``; none when neither is given."""
    body = codes.normalize(code) if code is not None else None
    if not body and not order_id:
        return []
    rows = repository.redemptions_by(uow.session, code=body, order_id=order_id, limit=limit)
    owners = members.external_ids(uow, {r.member_id for r, _, _ in rows if r.member_id})
    return [
        _view(r, text, key, owners.get(r.member_id) if r.member_id is not None else None)
        for r, text, key in rows
    ]


def get_redemption(uow: UnitOfWork, redemption_id: str, *, lock: bool = False) -> CouponRedemption:
    redemption = (
        repository.redemption_for_update(uow.session, redemption_id)
        if lock
        else uow.session.get(CouponRedemption, redemption_id)
    )
    if redemption is None:
        raise RedemptionNotFoundError(f"redemption {redemption_id!r} does not exist")
    return redemption


def rollback(uow: UnitOfWork, redemption_id: str, reason: str) -> CouponRedemption:
    """Undo a redemption: the use goes back to the code (and member and campaign counts).
    Rolling back a rolled-back redemption again is a no-op.

    Raises:
        NotFoundError: no such redemption.
        ConflictError: it is reserved by a checkout (release the checkout instead).
    """
    redemption = get_redemption(uow, redemption_id, lock=True)
    if redemption.status == RedemptionStatus.ROLLED_BACK:
        return redemption
    if redemption.status != RedemptionStatus.REDEEMED:
        raise RedemptionNotRedeemedError(
            f"redemption {redemption_id} is {redemption.status}; only a redeemed one rolls back"
        )
    repository.give_back(uow.session, redemption)
    redemption.status = RedemptionStatus.ROLLED_BACK
    redemption.reason = reason
    redemption.settled_at = uow.now
    uow.session.flush()
    return redemption


def redemptions_of(uow: UnitOfWork, checkout_id: str) -> Sequence[CouponRedemption]:
    return repository.redemptions_for(uow.session, checkout_id)


def settle_checkout(
    uow: UnitOfWork, checkout_id: str, *, confirm: bool, order_id: str | None, reason: str
) -> list[CouponRedemption]:
    """Turn a checkout's reserved uses into redemptions (confirm) or give them back."""
    settled = []
    for redemption in repository.redemptions_of_checkout(uow.session, checkout_id):
        if redemption.status != RedemptionStatus.RESERVED:
            continue
        if confirm:
            redemption.status = RedemptionStatus.REDEEMED
            redemption.order_id = order_id or redemption.order_id
        else:
            repository.give_back(uow.session, redemption)
            redemption.status = RedemptionStatus.RELEASED
            redemption.reason = reason
        redemption.settled_at = uow.now
        settled.append(redemption)
    uow.session.flush()
    return settled


def retire_order_refs(uow: UnitOfWork, refs: dict[str, str]) -> None:
    """The accounting period of these orders ran out: coupon redemptions name them by the
    opaque ids given (``old -> new``)."""
    repository.rename_redemption_orders(uow.session, refs)


def redeemed_by_source(uow: UnitOfWork, prefix: str) -> list[tuple[int | None, str, int]]:
    """``(member, currency, discount)`` of the redeemed codes whose source starts with
    ``prefix`` (a campaign's personal codes: ``campaign:<key>:``), per member and currency."""
    return repository.redeemed_by_source(uow.session, prefix)
