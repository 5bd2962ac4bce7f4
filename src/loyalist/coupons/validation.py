"""Finding a code and checking it: the hot read path of checkout.

One statement on the driver's cursor reads the code, its batch and its campaign's counters;
the campaign's rules (discount, conditions, limits) are parsed once per campaign revision
and kept in the process. Used inside write units as well (through the unit's own
connection), so there is one implementation of the checks.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any, TypeVar

import orjson
from pydantic import TypeAdapter

from loyalist.coupons import codes, policy, repository
from loyalist.coupons.errors import (
    CouponCampaignExhaustedError,
    CouponExpiredError,
    CouponInactiveError,
    CouponMemberLimitError,
    CouponMemberRequiredError,
    CouponNotFoundError,
    CouponUsedUpError,
)
from loyalist.coupons.models import (
    BatchStatus,
    CampaignStatus,
    CouponCampaign,
    CouponCode,
    Stacking,
)
from loyalist.coupons.policy import Offer, Priced, Refusal
from loyalist.coupons.schemas import Cart, Conditions, Discount, Text
from loyalist.db.raw import Cursor, as_utc
from loyalist.db.uow import UnitOfWork
from loyalist.errors import DomainError, FieldError
from loyalist.members import service as members
from loyalist.tiers import service as tiers

T = TypeVar("T")
_DISCOUNT: TypeAdapter[Discount] = TypeAdapter(Discount)
_NOT_FOUND = Refusal(CouponNotFoundError, "no such coupon code")


def refusal_error(refusal: Refusal, pointer: str = "/code") -> DomainError:
    """The problem for a code that does not apply, pointing at where it was typed."""
    return refusal.problem(refusal.detail, errors=[FieldError(pointer, refusal.detail)])


# -- what is checked ----------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class CodeFacts:
    """A code's row as checks need it, with its batch's status and its campaign's count."""

    id: int
    code: str
    campaign_id: int
    max_uses: int | None
    uses: int
    disabled: bool
    member_id: int | None
    valid_until: datetime | None
    batch_status: str | None
    campaign_redemptions: int

    @classmethod
    def of(cls, row: CouponCode, campaign: CouponCampaign) -> CodeFacts:
        return cls(
            row.id,
            row.code,
            row.campaign_id,
            row.max_uses,
            row.uses,
            row.disabled,
            row.member_id,
            row.valid_until,
            BatchStatus.READY,
            campaign.redemptions,
        )


@dataclass(frozen=True, slots=True)
class CampaignRules:
    """A campaign's rules, parsed; immutable per revision, so shared between requests."""

    id: int
    key: str
    name: dict[str, Any]
    discount: Discount
    conditions: Conditions
    stacking: Stacking
    priority: int
    status: str
    valid_from: datetime | None
    valid_until: datetime | None
    max_redemptions: int | None
    per_member_limit: int | None

    @classmethod
    def of(cls, campaign: CouponCampaign) -> CampaignRules:
        return cls(
            campaign.id,
            campaign.key,
            campaign.name,
            _DISCOUNT.validate_python(campaign.discount),
            Conditions.model_validate(campaign.conditions),
            Stacking(campaign.stacking),
            campaign.priority,
            campaign.status,
            campaign.valid_from,
            campaign.valid_until,
            campaign.max_redemptions,
            campaign.per_member_limit,
        )


#: Parsed rules by the campaign's stored row (as text): an edit changes the key, so a
#: cached entry is never stale, whatever the database.
_RULES: dict[tuple[Any, ...], CampaignRules] = {}


def _rules(campaign_id: int, row: tuple[Any, ...]) -> CampaignRules:
    key = (campaign_id, *row)
    found = _RULES.get(key)
    if found is not None:
        return found
    name, discount, conditions, stacking, priority, status, start, end, limit, per_member = row[1:]
    rules = CampaignRules(
        campaign_id,
        row[0],
        orjson.loads(name),
        _DISCOUNT.validate_json(discount),
        Conditions.model_validate_json(conditions),
        Stacking(stacking),
        priority,
        status,
        as_utc(start),
        as_utc(end),
        limit,
        per_member,
    )
    if len(_RULES) > 10_000:
        _RULES.clear()
    _RULES[key] = rules
    return rules


@dataclass(slots=True)
class Found:
    """A code that passed every check that does not need the cart, ready to be priced."""

    code: CodeFacts
    campaign: CampaignRules
    offer: Offer


@dataclass(slots=True)
class Audience:
    """Who is paying: the member (when known) and, read only if a campaign needs them,
    the member's tier and segments."""

    member_id: int | None
    tier: Callable[[], str | None]
    segments: Callable[[], Sequence[str]]


def audience_of(uow: UnitOfWork, member_id: int | None, zone: tzinfo) -> Audience:
    cache: dict[str, Any] = {}

    def tier() -> str | None:
        if "tier" not in cache:
            cache["tier"] = None if member_id is None else tiers.tier_of(uow, member_id, zone)
        value: str | None = cache["tier"]
        return value

    def segments() -> Sequence[str]:
        if "segments" not in cache:
            facts = members.member_facts(uow, [member_id]) if member_id is not None else {}
            cache["segments"] = facts[member_id].segments if member_id in facts else ()
        value: Sequence[str] = cache["segments"]
        return value

    return Audience(member_id, tier, segments)


def deferred_audience(
    member_id: int | None, zone: tzinfo, read: Callable[[Callable[[UnitOfWork], Any]], Any]
) -> Audience:
    """An audience for the raw read path: tier and segments, rarely needed, are read in a
    unit of their own (``read`` is the database's) only when a campaign is gated."""

    def tier() -> str | None:
        value: str | None = read(lambda uow: audience_of(uow, member_id, zone).tier())
        return value

    def segments() -> Sequence[str]:
        value: Sequence[str] = read(lambda uow: audience_of(uow, member_id, zone).segments())
        return value

    return Audience(member_id, tier, segments)


# -- the checks ---------------------------------------------------------------------------
def state_refusal(
    now: datetime, code: CodeFacts, campaign: CampaignRules, member_id: int | None
) -> Refusal | None:
    """Checks on the code and campaign alone (no cart): cheap, read-only."""
    if code.batch_status is not None and code.batch_status != BatchStatus.READY:
        return _NOT_FOUND
    if code.member_id is not None and code.member_id != member_id:
        # Said like an unknown code: a personal code must not confirm it exists to others.
        return _NOT_FOUND
    if code.disabled or campaign.status != CampaignStatus.ACTIVE:
        return Refusal(CouponInactiveError, "the coupon is not active")
    refusal = policy.timing(now, campaign.valid_from, campaign.valid_until)
    if refusal is None and code.valid_until is not None and now >= code.valid_until:
        refusal = Refusal(CouponExpiredError, f"the code expired at {code.valid_until.isoformat()}")
    if refusal is not None:
        return refusal
    if code.max_uses is not None and code.uses >= code.max_uses:
        return Refusal(CouponUsedUpError, "the code was already used")
    limit = campaign.max_redemptions
    if limit is not None and code.campaign_redemptions >= limit:
        return Refusal(CouponCampaignExhaustedError, "the campaign's coupons are all used")
    return None


def find(
    cursor: Cursor, now: datetime, text: str, audience: Audience
) -> tuple[Found | None, Refusal | None]:
    """Find a code and run every check that does not need the cart (on the raw read path,
    or in a unit of work, where it sees the unit's writes and locks)."""
    body = codes.normalize(text)
    row = repository.code_facts(cursor, body) if body.isascii() and body.isalnum() else None
    if row is None:
        return None, _NOT_FOUND
    id_, stored, campaign_id, max_uses, uses, disabled, member_id, until, batch, count = row[:10]
    code = CodeFacts(
        id_,
        stored,
        campaign_id,
        max_uses,
        uses,
        bool(disabled),
        member_id,
        as_utc(until),
        batch,
        count,
    )
    campaign = _rules(campaign_id, row[10:])
    refusal = state_refusal(now, code, campaign, audience.member_id)
    limit = campaign.per_member_limit
    if refusal is None and limit is not None:
        if audience.member_id is None:
            refusal = Refusal(
                CouponMemberRequiredError, "this coupon is limited per member: send member_id"
            )
        elif repository.member_uses(cursor, campaign.id, audience.member_id) >= limit:
            refusal = Refusal(
                CouponMemberLimitError, f"the member already used this coupon {limit} time(s)"
            )
    conditions = campaign.conditions
    if refusal is None and (conditions.tiers or conditions.segments):
        if audience.member_id is None:
            refusal = Refusal(
                CouponMemberRequiredError, "this coupon is for members: send member_id"
            )
        else:
            refusal = policy.audience(conditions, audience.tier(), audience.segments())
    if refusal is not None:
        return None, refusal
    offer = Offer(
        code=code.code,
        campaign=campaign.key,
        discount=campaign.discount,
        conditions=conditions,
        stacking=campaign.stacking,
        priority=campaign.priority,
    )
    return Found(code, campaign, offer), None


def personal_codes(cursor: Cursor, member_id: int) -> list[str]:
    """The member's personal codes with a use left, newest first (at most 50)."""
    return repository.personal_codes(cursor, member_id)


def priced_view(cart: Cart, priced: Priced, campaign: CampaignRules) -> dict[str, Any]:
    return {
        "code": priced.offer.code,
        "campaign": campaign.key,
        "name": campaign.name,
        "discount_type": priced.offer.discount.type,
        "discount": priced.amount,
        "shipping_discount": priced.shipping,
        "currency": cart.currency,
        "lines": [
            {"index": i, "sku": cart.lines[i].sku, "discount": amount}
            for i, amount in sorted(priced.lines.items())
        ],
        "gift": gift(priced.offer),
    }


def gift(offer: Offer) -> dict[str, Any] | None:
    discount = offer.discount
    if discount.type in ("gift", "custom"):
        description: Text = discount.description
        return {
            "type": discount.type,
            "sku": getattr(discount, "sku", None),
            "description": description.model_dump(),
        }
    return None


def validate_found(
    found: Found | None, refusal: Refusal | None, cart: Cart
) -> tuple[Found, Priced]:
    """Price the cart with a looked-up code.

    Raises:
        NotFoundError, ConflictError, InvalidRequestError: the code does not apply (the
        problem's ``code`` says why).
    """
    if found is None:
        raise refusal_error(refusal or _NOT_FOUND)
    (priced,) = policy.price_cart(cart, [found.offer])
    if priced.refusal is not None:
        raise refusal_error(priced.refusal)
    return found, priced


def validate(
    cursor: Cursor, now: datetime, text: str, cart: Cart, audience: Audience
) -> dict[str, Any]:
    """Price the cart with one code; writes nothing (see ``validate_found``)."""
    found, priced = validate_found(*find(cursor, now, text, audience), cart)
    return {"valid": True, **priced_view(cart, priced, found.campaign)}
