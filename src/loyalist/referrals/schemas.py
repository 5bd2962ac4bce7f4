"""Referral program configuration and request bodies."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from loyalist.members.schemas import canonical_ip
from loyalist.referrals.models import AttributedOn, DecisionReason, ReferralStatus, Via
from loyalist.rules.schemas import Name

CampaignKey = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_\-]{0,63}$")]
Domain = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True,
        to_lower=True,
        max_length=253,
        pattern=r"^[a-z0-9]([a-z0-9\-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9\-]{0,61}[a-z0-9])?)+$",
    ),
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Action(StrEnum):
    """What a fraud rule does when it fires."""

    OFF = "off"
    REVIEW = "review"
    BLOCK = "block"


class Reward(_Strict):
    """Points (available at once) or a personal coupon of a campaign: exactly one."""

    points: int | None = Field(default=None, ge=1, le=10_000_000)
    coupon_campaign: CampaignKey | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> Reward:
        if (self.points is None) == (self.coupon_campaign is None):
            raise ValueError("give exactly one of points and coupon_campaign")
        return self


class FriendReward(Reward):
    """The friend's welcome: on sign-up (available at once) or with the first qualifying
    order (points pending like the order's own, maturing with it)."""

    on: Literal["enrolled", "first_order"] = "enrolled"


class Milestone(_Strict):
    """An extra reward for every ``every``-th rewarded referral of a referrer."""

    every: int = Field(ge=2, le=1000)
    reward: Reward


class Cap(_Strict):
    """At most ``max_rewarded`` rewarded referrals per referrer per calendar year (program
    time zone) or ever; conversions past it count but earn nothing."""

    max_rewarded: int = Field(ge=1, le=1_000_000)
    per: Literal["year", "ever"] = "year"


class SelfReferralRule(_Strict):
    action: Action = Action.BLOCK
    signal_window_days: int = Field(
        default=30, ge=1, le=3650, description="same IP or device seen this recently"
    )


class SimpleRule(_Strict):
    action: Action


class VelocityRule(_Strict):
    action: Action = Action.REVIEW
    max_referrals: int = Field(default=3, ge=1, le=100_000)
    days: int = Field(default=7, ge=1, le=365)


class SimilarityRule(_Strict):
    action: Action = Action.REVIEW
    threshold: int = Field(default=90, ge=50, le=100, description="rapidfuzz ratio, 0–100")


class FraudRules(_Strict):
    self_referral: SelfReferralRule = SelfReferralRule()
    existing_customer: SimpleRule = SimpleRule(action=Action.BLOCK)
    disposable_email: SimpleRule = SimpleRule(action=Action.BLOCK)
    velocity: VelocityRule = VelocityRule()
    similar_identity: SimilarityRule = SimilarityRule()


class DisposableDomains(_Strict):
    """Edits to the shipped list of disposable e-mail domains."""

    add: list[Domain] = Field(default_factory=list, max_length=10_000)
    exceptions: list[Domain] = Field(default_factory=list, max_length=10_000)


class ReferralProgramIn(_Strict):
    """The referral program (``PUT /api/v1/referral-program`` replaces it whole)."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        json_schema_extra={
            "examples": [
                {
                    "is_active": True,
                    "attribution_window_days": 14,
                    "friend_reward": {"points": 100, "on": "enrolled"},
                    "referrer_reward": {"points": 500},
                    "min_order": {"EUR": 5000},
                    "milestones": [{"every": 5, "reward": {"points": 1000}}],
                    "cap": {"max_rewarded": 20, "per": "year"},
                    "share_base_url": "https://shop.example/r/",
                }
            ]
        },
    )

    is_active: bool = True
    attribution_window_days: int = Field(
        default=30,
        ge=1,
        le=365,
        description="days from the last click on the link (or share, or the link's "
        "creation) to the sign-up or first order; a code typed at sign-up always counts",
    )
    friend_reward: FriendReward | None = None
    referrer_reward: Reward | None = None
    min_order: dict[Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")], int] = Field(
        default_factory=dict,
        max_length=50,
        description="minimum net order amount per currency (minor units) for the friend's "
        "first order to qualify; a currency not listed has no minimum",
    )
    milestones: list[Milestone] = Field(default_factory=list, max_length=10)
    cap: Cap | None = None
    fraud: FraudRules = FraudRules()
    disposable_domains: DisposableDomains = DisposableDomains()
    share_base_url: str = Field(
        default="https://shop.example/r/",
        max_length=500,
        pattern=r"^https?://\S+$",
        description="the share link is this followed by the member's token",
    )
    show_referrer_name: bool = Field(
        default=False, description="code and link look-ups may show the referrer's first name"
    )
    offer: Name | None = Field(
        default=None, description="the friend's offer as the shop shows it; generated if absent"
    )

    @field_validator("min_order")
    @classmethod
    def _non_negative(cls, value: dict[str, int]) -> dict[str, int]:
        if any(amount < 0 or amount > 10**13 for amount in value.values()):
            raise ValueError("minimum amounts are 0 … 10^13 minor units")
        return value


class ClickIn(_Strict):
    """A click on a share link, as the shop saw it (the signals are kept hashed)."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        json_schema_extra={
            "examples": [{"click_id": "clk-8841", "ip": "203.0.113.7", "device_id": "d-51c2"}]
        },
    )
    click_id: str = Field(min_length=1, max_length=128, description="the shop's id of the click")
    ip: str | None = Field(default=None, max_length=64)
    device_id: str | None = Field(default=None, min_length=1, max_length=200)

    @field_validator("ip")
    @classmethod
    def _ip_address(cls, value: str | None) -> str | None:
        return None if value is None else canonical_ip(value)


class ShareIn(_Strict):
    """Where the member shared their link."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, json_schema_extra={"examples": [{"channel": "whatsapp"}]}
    )
    channel: str = Field(pattern=r"^[a-z][a-z0-9_\-]{0,31}$", description="e.g. whatsapp, email")


class DecisionIn(_Strict):
    """A reviewer's note and (optionally) reason code."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        json_schema_extra={"examples": [{"note": "cousins", "reason": "signals_explained"}]},
    )
    note: str = Field(min_length=1, max_length=500)
    reason: DecisionReason | None = Field(
        default=None,
        description="why, as a code: signals_explained, verified_new_customer (approve); "
        "same_person, existing_customer, disposable_email, referral_farming (reject); other",
    )


# -- what the referral routes answer (documentation models) -------------------------------
class ReferralProgramRead(ReferralProgramIn):
    """The referral program as saved, with its version (0 and inactive until first saved)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "is_active": True,
                    "friend_reward": {"points": 100, "on": "enrolled"},
                    "referrer_reward": {"points": 500},
                    "version": 2,
                    "updated_at": "2026-01-15T12:00:00Z",
                    "updated_by": "api-key:shop admin",
                }
            ]
        }
    )

    version: int
    updated_at: datetime | None = None
    updated_by: str | None = None


class FunnelCounts(BaseModel):
    """Counts of the referral funnel's stages."""

    shares: int
    clicks: int
    attributed: int
    enrolled: int
    pending: int
    review: int
    qualifying: int
    blocked: int
    rejected: int
    converted: int
    rewarded: int
    ambassadors: int | None = Field(
        default=None, description="referrers with a converted referral; not for one referrer"
    )


class Funnel(FunnelCounts):
    """The funnel of the period (of one referrer, when asked)."""

    model_config = ConfigDict(populate_by_name=True)
    referrer_id: str | None = None
    from_: datetime | None = Field(default=None, alias="from")
    to: datetime | None = None


class MemberReferral(BaseModel):
    """A member's personal code, share link and funnel."""

    member_id: str
    code: str = Field(description="masked for callers without coupons.export")
    token: str
    share_url: str
    is_program_active: bool
    funnel: FunnelCounts


class Resolution(BaseModel):
    """Whether a typed code or a link's token is valid, and the friend's offer."""

    code: str | None = Field(default=None, description="the code (as typed, if invalid)")
    token: str | None = Field(default=None, description="the token asked (link look-ups)")
    is_valid: bool
    reason: Literal["unknown", "program_inactive"] | None = Field(
        default=None, description="why it is not valid"
    )
    referrer_first_name: str | None = Field(
        default=None, description="only when the program shows it"
    )
    offer: dict[str, str] | None = Field(default=None, description="by language (en, ru)")
    friend_reward: FriendReward | None = None


class ClickRead(BaseModel):
    """Whether a click was counted."""

    click_id: str
    is_recorded: bool
    reason: Literal["daily_limit", "duplicate"] | None = None


class ShareRead(BaseModel):
    """A share recorded for the funnel."""

    id: int
    member_id: str
    channel: str
    shared_at: datetime


class Check(BaseModel):
    """A fraud rule that fired at the sign-up."""

    rule: str
    action: Action
    reason: str


class ReferralRead(BaseModel):
    """A referral: who referred whom, its state, checks and history."""

    id: int
    referrer_id: str | None = None
    friend_id: str | None = None
    status: ReferralStatus
    via: Via
    attributed_on: AttributedOn
    attributed_at: datetime
    checks: list[Check]
    order_id: str | None = None
    matures_at: datetime | None = None
    is_friend_rewarded: bool
    converted_at: datetime | None = None
    is_rewarded: bool | None = None
    reward: dict[str, Any] | None = Field(default=None, description="what the referrer got")
    decided_by: str | None = None
    decided_at: datetime | None = None
    decision_note: str | None = None
    history: list[dict[str, Any]] = Field(description="steps, oldest first: at, what, …")


class ReferralPage(BaseModel):
    """Referrals oldest first; ``next_after`` asks for the next page."""

    items: list[ReferralRead]
    next_after: int | None = None


class Ambassador(BaseModel):
    """A member on the leaderboard."""

    rank: int
    member_id: str | None = None
    converted: int
    last_converted_at: datetime


class Leaderboard(BaseModel):
    """The members with the most referrals converted in the period."""

    model_config = ConfigDict(populate_by_name=True)
    from_: datetime | None = Field(default=None, alias="from")
    to: datetime | None = None
    items: list[Ambassador]
