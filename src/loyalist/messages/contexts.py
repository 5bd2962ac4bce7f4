"""The lifecycle messages' templates: their keys, parts, layouts and the context each expects.

Every context is a ``TypedDict``: what the journey that queues the message passes, and what a
preview's JSON body must hold (``validate_context`` checks it, dates as ISO text). Money is
``{"amount_minor": int, "currency": "EUR"}``; dates are ``date``s (the member's local day),
moments aware ``datetime``s (shown in the member's time zone). Every template also sees
``brand`` (the ``BrandKit``) and ``locale`` (``en``/``ru``), set by the renderer.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from pydantic import TypeAdapter, ValidationError
from typing_extensions import TypedDict  # pydantic validates these only on Python < 3.12

from loyalist.errors import FieldError
from loyalist.messages.errors import TemplateContextInvalidError, TemplateNotFoundError


class TemplateKey(StrEnum):
    WELCOME = "welcome"
    ORDER_CONFIRMATION = "order_confirmation"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    POST_PURCHASE_TIPS = "post_purchase_tips"
    REVIEW_REQUEST = "review_request"
    NPS_SURVEY = "nps_survey"
    POINTS_MATURED = "points_matured"
    POINTS_EXPIRING = "points_expiring"
    BALANCE_STATEMENT = "balance_statement"
    TIER_UPGRADE = "tier_upgrade"
    TIER_DOWNGRADE_WARNING = "tier_downgrade_warning"
    MEMBERSHIP_RENEWAL = "membership_renewal"
    REWARD_ISSUED = "reward_issued"
    REFERRAL_CONVERTED = "referral_converted"
    REFERRAL_FRIEND_WELCOME = "referral_friend_welcome"
    BIRTHDAY = "birthday"
    WIN_BACK = "win_back"
    PACKING_NOTE = "packing_note"
    CAMPAIGN = "campaign"
    PORTAL_SIGN_IN = "portal_sign_in"


class Part(StrEnum):
    """A part of a message; ``short`` is the SMS and push text."""

    SUBJECT = "subject"
    TEXT = "text"
    HTML = "html"
    SHORT = "short"


class Layout(StrEnum):
    """What wraps a template's HTML: the brand's email layout, or a printable page."""

    EMAIL = "email"
    PRINT = "print"


# -- pieces shared by the contexts ----------------------------------------------------------
class Money(TypedDict):
    amount_minor: int
    currency: str  # ISO 4217


class Member(TypedDict):
    first_name: str  # "" when unknown: the templates then greet without a name
    points_balance: int
    tier: str | None  # the current tier's name in the member's language


class Product(TypedDict):
    name: str
    url: str
    image_url: str | None
    price: Money | None


class Coupon(TypedDict):
    code: str
    description: str  # "10% off your next order"
    expires_on: date | None


class Needs(TypedDict):
    """What a tier takes, any one part enough (``None`` where the tier does not count it)."""

    points: int | None
    spend: Money | None
    orders: int | None


class TierProgress(TypedDict):
    tier: str | None
    next_tier: str | None  # None at the top tier
    needs: Needs | None  # what the next tier takes; None at the top tier
    by: date | None  # the end of the qualification period, if any
    percent: int  # 0…100 of the way to the next tier


class Tip(TypedDict):
    category: str
    title: str
    body: str
    url: str | None


class OrderRef(TypedDict):
    number: str
    url: str | None


# -- one context per template ----------------------------------------------------------------
class EarnWay(TypedDict):
    label: str  # "Every order"
    detail: str  # "1 point per €1"


class TierInfo(TypedDict):
    name: str
    requirement: str  # "from 500 points a year"
    perks: list[str]


class RewardInfo(TypedDict):
    name: str
    points_cost: int


class ProgramInfo(TypedDict):
    """The live program, as the welcome explains it."""

    earn: list[EarnWay]
    tiers: list[TierInfo]
    rewards: list[RewardInfo]
    expiry_months: int | None  # points expire after this many months; None: never


class Referral(TypedDict):
    code: str
    link: str
    friend_offer: str | None  # "€10 off their first order"


class WelcomeContext(TypedDict):
    member: Member
    program: ProgramInfo
    referral: Referral | None
    portal_url: str


class OrderLine(TypedDict):
    name: str
    quantity: int
    total: Money


class Order(TypedDict):
    number: str
    url: str | None
    placed_at: datetime
    lines: list[OrderLine]
    total: Money


class OrderPoints(TypedDict):
    earned: int  # available now
    pending: int  # waiting for the return window
    matures_on: date | None  # when the pending points become available


class OrderConfirmationContext(TypedDict):
    member: Member
    order: Order
    points: OrderPoints
    tier_progress: TierProgress | None
    recommendations: list[Product]
    coupon: Coupon | None  # the next-order coupon a rule issued


class Shipment(TypedDict):
    carrier: str  # "" when the shop did not say
    tracking_number: str  # "" when the shop did not say
    tracking_url: str | None
    estimated_delivery_on: date | None


class PortalSignInContext(TypedDict):
    member: Member
    link: str  # the single-use sign-in link to the portal
    valid_minutes: int  # how long the link works


class ShippedContext(TypedDict):
    member: Member
    order: OrderRef
    shipment: Shipment
    recommendations: list[Product]


class DeliveredContext(TypedDict):
    member: Member
    order: OrderRef
    points_pending: int  # points of the order still waiting for the return window
    matures_on: date | None


class PostPurchaseTipsContext(TypedDict):
    member: Member
    order: OrderRef
    tips: list[Tip]


class ReviewRequestContext(TypedDict):
    member: Member
    product: Product
    review_url: str
    review_points: int  # what a review earns; 0 if nothing


class Survey(TypedDict):
    id: str
    url: str  # carries the survey id; the templates add ``score=0…10``


class NpsSurveyContext(TypedDict):
    member: Member
    survey: Survey
    order: OrderRef | None


class PointsMaturedContext(TypedDict):
    member: Member
    matured_points: int
    portal_url: str


class PointsExpiringContext(TypedDict):
    member: Member
    expiring_points: int
    expires_on: date
    days_left: int  # 30 or 7
    portal_url: str
    rewards: list[RewardInfo]  # rewards the balance pays for


class Period(TypedDict):
    start_on: date
    end_on: date


class ExpiringSoon(TypedDict):
    points: int
    expires_on: date


class BalanceStatementContext(TypedDict):
    member: Member
    period: Period
    opening_balance: int
    earned: int
    spent: int
    expired: int
    closing_balance: int
    expiring_soon: ExpiringSoon | None
    portal_url: str


class Tier(TypedDict):
    name: str
    perks: list[str]


class TierUpgradeContext(TypedDict):
    member: Member
    tier: Tier
    previous_tier: str | None
    progress: TierProgress | None  # towards the tier after this one
    portal_url: str


class TierDowngradeWarningContext(TypedDict):
    member: Member
    tier: Tier
    review_on: date
    keep: Needs  # what it takes to keep the tier by ``review_on``
    lower_tier: str | None  # where the member goes otherwise
    shop_url: str


class Membership(TypedDict):
    name: str
    renews_on: date
    price: Money | None  # None: the shop did not say (paid plan events carry no price)
    manage_url: str


class MembershipRenewalContext(TypedDict):
    member: Member
    membership: Membership
    perks: list[str]


class IssuedReward(TypedDict):
    name: str
    code: str
    expires_on: date | None
    instructions: str | None


class RewardIssuedContext(TypedDict):
    member: Member
    reward: IssuedReward
    points_spent: int
    shop_url: str


class ReferralConvertedContext(TypedDict):
    member: Member  # the referrer
    friend_name: str  # "" when unknown
    points_earned: int
    referral: Referral


class FriendOffer(TypedDict):
    description: str
    coupon: Coupon | None


class ReferralFriendWelcomeContext(TypedDict):
    member: Member  # the friend
    referrer_name: str
    offer: FriendOffer
    shop_url: str


class Gift(TypedDict):
    description: str
    coupon: Coupon | None
    points: int | None


class BirthdayContext(TypedDict):
    member: Member
    gift: Gift | None
    shop_url: str


class WinBackContext(TypedDict):
    member: Member
    coupon: Coupon
    recommendations: list[Product]
    shop_url: str


class PackingNoteContext(TypedDict):
    member: Member
    order: OrderRef
    points_earned: int
    tier_progress: TierProgress | None
    tip: Tip | None
    recommendation: Product | None


class CampaignInfo(TypedDict):
    name: str  # the campaign's name in the member's language
    ends_at: datetime | None  # the offer's deadline
    step: str  # "main", or the follow-up's key ("last_day")


class CampaignOffer(TypedDict):
    """The member's offer; every part the campaign does not give is ``None``."""

    description: str | None  # the offer in the member's language
    coupon: Coupon | None  # the member's personal code
    points: int | None  # bonus points per paid order
    multiplier: str | None  # "2" or "1.5": the order's base points times this
    gift: str | None  # the surprise gift's name


class Favourites(TypedDict):
    categories: list[str]
    products: list[Product]


class PointsSummary(TypedDict):
    balance: int
    expiring: int  # points expiring soon (0: none)
    expiring_on: date | None


class CampaignContext(TypedDict):
    """A campaign's message (the shipped ``campaign`` template and every campaign's own
    content, stored as ``campaign:<campaign>/<step>[/<arm>]``)."""

    member: Member
    campaign: CampaignInfo
    offer: CampaignOffer | None  # None: pure content
    favourites: Favourites
    recommendations: list[Product]
    points: PointsSummary
    tier_progress: TierProgress | None
    clv: Money | None  # the member's predicted lifetime value
    shop_url: str


#: Stored template keys of campaigns' own content start with this:
#: ``campaign:<campaign>/<step>`` and ``campaign:<campaign>/<step>/<arm>``.
CAMPAIGN_PREFIX = "campaign:"


def campaign_template_key(campaign: str, step: str, arm: str | None = None) -> str:
    """The stored template key of a campaign step's content (an arm's own, with ``arm``)."""
    return f"{CAMPAIGN_PREFIX}{campaign}/{step}" + (f"/{arm}" if arm else "")


def spec_key(key: str) -> TemplateKey | None:
    """The template whose parts and context a message's template key has: its own, or
    ``campaign`` for a campaign's stored content; None for no template."""
    if key.startswith(CAMPAIGN_PREFIX) and len(key) > len(CAMPAIGN_PREFIX):
        return TemplateKey.CAMPAIGN
    try:
        return TemplateKey(key)
    except ValueError:
        return None


def template_key(key: str) -> TemplateKey:
    """Raises:
    TemplateNotFoundError: no template has this key."""
    try:
        return TemplateKey(key)
    except ValueError:
        known = ", ".join(k.value for k in TemplateKey)
        raise TemplateNotFoundError(f"no template {key!r}; the templates are: {known}") from None


@dataclass(frozen=True, slots=True)
class TemplateSpec:
    """What a template has: its parts, what wraps its HTML, and its context's type."""

    key: TemplateKey
    parts: tuple[Part, ...]
    layout: Layout
    context: type[Any]


_EMAIL = (Part.SUBJECT, Part.TEXT, Part.HTML)
_EMAIL_AND_SHORT = (*_EMAIL, Part.SHORT)

SPECS: Mapping[TemplateKey, TemplateSpec] = {
    spec.key: spec
    for spec in (
        TemplateSpec(TemplateKey.WELCOME, _EMAIL, Layout.EMAIL, WelcomeContext),
        TemplateSpec(
            TemplateKey.ORDER_CONFIRMATION, _EMAIL, Layout.EMAIL, OrderConfirmationContext
        ),
        TemplateSpec(TemplateKey.SHIPPED, _EMAIL_AND_SHORT, Layout.EMAIL, ShippedContext),
        TemplateSpec(TemplateKey.PORTAL_SIGN_IN, _EMAIL, Layout.EMAIL, PortalSignInContext),
        TemplateSpec(TemplateKey.DELIVERED, _EMAIL, Layout.EMAIL, DeliveredContext),
        TemplateSpec(TemplateKey.POST_PURCHASE_TIPS, _EMAIL, Layout.EMAIL, PostPurchaseTipsContext),
        TemplateSpec(TemplateKey.REVIEW_REQUEST, _EMAIL, Layout.EMAIL, ReviewRequestContext),
        TemplateSpec(TemplateKey.NPS_SURVEY, _EMAIL, Layout.EMAIL, NpsSurveyContext),
        TemplateSpec(TemplateKey.POINTS_MATURED, _EMAIL, Layout.EMAIL, PointsMaturedContext),
        TemplateSpec(
            TemplateKey.POINTS_EXPIRING, _EMAIL_AND_SHORT, Layout.EMAIL, PointsExpiringContext
        ),
        TemplateSpec(TemplateKey.BALANCE_STATEMENT, _EMAIL, Layout.EMAIL, BalanceStatementContext),
        TemplateSpec(TemplateKey.TIER_UPGRADE, _EMAIL, Layout.EMAIL, TierUpgradeContext),
        TemplateSpec(
            TemplateKey.TIER_DOWNGRADE_WARNING, _EMAIL, Layout.EMAIL, TierDowngradeWarningContext
        ),
        TemplateSpec(
            TemplateKey.MEMBERSHIP_RENEWAL, _EMAIL, Layout.EMAIL, MembershipRenewalContext
        ),
        TemplateSpec(
            TemplateKey.REWARD_ISSUED, _EMAIL_AND_SHORT, Layout.EMAIL, RewardIssuedContext
        ),
        TemplateSpec(
            TemplateKey.REFERRAL_CONVERTED, _EMAIL, Layout.EMAIL, ReferralConvertedContext
        ),
        TemplateSpec(
            TemplateKey.REFERRAL_FRIEND_WELCOME,
            _EMAIL,
            Layout.EMAIL,
            ReferralFriendWelcomeContext,
        ),
        TemplateSpec(TemplateKey.BIRTHDAY, _EMAIL_AND_SHORT, Layout.EMAIL, BirthdayContext),
        TemplateSpec(TemplateKey.WIN_BACK, _EMAIL, Layout.EMAIL, WinBackContext),
        TemplateSpec(TemplateKey.PACKING_NOTE, (Part.HTML,), Layout.PRINT, PackingNoteContext),
        TemplateSpec(TemplateKey.CAMPAIGN, _EMAIL_AND_SHORT, Layout.EMAIL, CampaignContext),
    )
}


@functools.cache
def _adapter(key: TemplateKey) -> TypeAdapter[dict[str, Any]]:
    return TypeAdapter(SPECS[key].context)


def _pointer(location: tuple[int | str, ...]) -> str:
    return "/" + "/".join(str(step).replace("~", "~0").replace("/", "~1") for step in location)


def validate_context(key: TemplateKey, data: object) -> dict[str, Any]:
    """``data`` (e.g. a preview's JSON body) as the context ``key`` expects: ISO dates become
    ``date``/``datetime``; keys the context does not have are dropped.

    Raises:
        TemplateContextInvalidError: a key is missing or has the wrong type (one field error
            per problem, with its JSON pointer).
    """
    try:
        return _adapter(key).validate_python(data)
    except ValidationError as exc:
        errors = [FieldError(_pointer(e["loc"]), e["msg"]) for e in exc.errors()]
        raise TemplateContextInvalidError(
            f"the context does not fit template {key.value}", errors=errors
        ) from exc
