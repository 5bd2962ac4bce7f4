"""Referral program configuration and request bodies."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from loyalist.members.schemas import canonical_ip
from loyalist.referrals.models import DecisionReason
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
    click_id: str = Field(min_length=1, max_length=128, description="the shop's id of the click")
    ip: str | None = Field(default=None, max_length=64)
    device_id: str | None = Field(default=None, min_length=1, max_length=200)

    @field_validator("ip")
    @classmethod
    def _ip_address(cls, value: str | None) -> str | None:
        return None if value is None else canonical_ip(value)


class ShareIn(_Strict):
    channel: str = Field(pattern=r"^[a-z][a-z0-9_\-]{0,31}$", description="e.g. whatsapp, email")


class DecisionIn(_Strict):
    note: str = Field(min_length=1, max_length=500)
    reason: DecisionReason | None = Field(
        default=None,
        description="why, as a code: signals_explained, verified_new_customer (approve); "
        "same_person, existing_customer, disposable_email, referral_farming (reject); other",
    )
