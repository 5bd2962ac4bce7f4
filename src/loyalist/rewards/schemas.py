"""The shape of a catalogue reward: what it gives (a coupon discount), its price and limits."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints, model_validator

from loyalist.coupons.models import Stacking
from loyalist.coupons.schemas import Conditions, Currency, Discount, Ref, Text
from loyalist.rewards.models import RewardRedemptionStatus, RewardStatus

#: A reward's key; its coupon campaign is ``reward-<key>``, which must fit 64 characters.
RewardKey = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_\-]{0,56}$")]
Audience = Annotated[str, StringConstraints(min_length=1, max_length=64)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CouponUse(_Strict):
    """When the issued coupon applies at checkout: minimum order (goods after the shop's
    discounts, in ``currency``) and eligible lines (any listed SKU or category; none listed
    = every line). Who may take the reward is the reward's own ``tiers``/``segments``: the
    coupon is personal, so it needs no audience of its own."""

    min_order: int | None = Field(default=None, gt=0, le=10**13)
    currency: Currency | None = None
    skus: list[Ref] = Field(default_factory=list, max_length=10_000)
    categories: list[str] = Field(default_factory=list, max_length=1_000)

    @model_validator(mode="after")
    def _minimum_has_currency(self) -> CouponUse:
        if self.min_order is not None and self.currency is None:
            raise ValueError("min_order needs a currency")
        return self

    def conditions(self) -> Conditions:
        return Conditions(
            min_order=self.min_order,
            currency=self.currency,
            skus=self.skus,
            categories=self.categories,
        )


class RewardIn(_Strict):
    """A catalogue reward; ``key`` comes from the path.

    Redeeming it costs ``cost_points`` (0: free, still counted against stock and limits) and
    issues the member a personal, single-use coupon with ``discount``, valid for
    ``coupon_valid_days``. ``stock`` (None: unlimited) counts every reward ever issued;
    ``per_member_limit`` counts the member's rewards not refunded.
    """

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        json_schema_extra={
            "examples": [
                {
                    "name": {"en": "Five euros off", "ru": "Скидка пять евро"},
                    "description": {"en": "On your next order", "ru": "На следующий заказ"},
                    "discount": {"type": "fixed", "amount": 500, "currency": "EUR"},
                    "conditions": {"min_order": 2000, "currency": "EUR"},
                    "cost_points": 300,
                    "stock": 100,
                    "per_member_limit": 2,
                    "coupon_valid_days": 14,
                }
            ]
        },
    )

    name: Text
    description: Text
    discount: Discount
    conditions: CouponUse = Field(default_factory=CouponUse)
    stacking: Stacking = Stacking.COMBINABLE
    priority: int = Field(default=100, ge=0, le=10_000, description="lower applies first")
    cost_points: int = Field(ge=0, le=10**9)
    stock: int | None = Field(default=None, ge=0, le=10**12, description="None: unlimited")
    per_member_limit: int | None = Field(default=None, gt=0, le=10**6)
    tiers: list[Audience] = Field(
        default_factory=list, max_length=100, description="only members of these tiers"
    )
    segments: list[Audience] = Field(
        default_factory=list, max_length=100, description="only members in one of these segments"
    )
    valid_from: AwareDatetime | None = None
    valid_until: AwareDatetime | None = None
    coupon_valid_days: int = Field(default=30, gt=0, le=3660)
    refund_unused: bool = Field(
        default=False, description="points come back when the coupon expires unused"
    )
    status: RewardStatus = RewardStatus.ACTIVE

    @model_validator(mode="after")
    def _ordered(self) -> RewardIn:
        if self.valid_from and self.valid_until and self.valid_until <= self.valid_from:
            raise ValueError("valid_until must be after valid_from")
        return self


# -- what the reward routes answer (documentation models) ---------------------------------
class RewardRead(BaseModel):
    """A catalogue reward as stored, in every language, with its stock left."""

    key: str
    name: dict[str, str] = Field(description="by language (en, ru)")
    description: dict[str, str] = Field(description="by language (en, ru)")
    discount: Discount
    conditions: CouponUse
    stacking: Stacking
    priority: int
    cost_points: int
    stock: int | None = Field(default=None, description="null: unlimited")
    issued: int = Field(description="rewards issued so far (counted against the stock)")
    stock_left: int | None = Field(default=None, description="null: unlimited")
    per_member_limit: int | None = None
    tiers: list[str]
    segments: list[str]
    valid_from: datetime | None = None
    valid_until: datetime | None = None
    coupon_valid_days: int
    refund_unused: bool
    status: RewardStatus
    campaign: str = Field(description="the coupon campaign behind it: reward-<key>")
    created_at: datetime
    updated_at: datetime


class RewardList(BaseModel):
    """Every reward, active and paused."""

    items: list[RewardRead]


class Refusal(BaseModel):
    """Why the member cannot redeem a reward now: a stable problem code and a sentence."""

    code: str = Field(examples=["insufficient_points", "reward_out_of_stock"])
    detail: str


class RewardOffer(BaseModel):
    """One active reward as one member sees it, in their language."""

    key: str
    name: str | None = None
    description: str | None = None
    discount: Discount | None = None
    cost_points: int
    stock_left: int | None = Field(default=None, description="null: unlimited")
    per_member_limit: int | None = None
    taken: int = Field(description="the member's rewards of this kind not refunded")
    valid_from: datetime | None = None
    valid_until: datetime | None = None
    coupon_valid_days: int
    tiers: list[str]
    segments: list[str]
    affordable: bool
    eligible: bool
    in_stock: bool
    redeemable: bool
    reasons: list[Refusal] = Field(description="empty when redeemable")


class MemberCatalogue(BaseModel):
    """Every active reward for a member, cheapest first."""

    member_id: str
    items: list[RewardOffer]


class RewardRedemptionRead(BaseModel):
    """A reward a member took: its personal coupon and state."""

    id: str
    reward: str = Field(description="the reward's key")
    name: dict[str, str] = Field(description="by language (en, ru)")
    member_id: str | None = None
    points: int = Field(description="the points it cost")
    code: str | None = Field(default=None, description="masked for callers without coupons.export")
    valid_until: datetime | None = None
    coupon_used: bool
    status: RewardRedemptionStatus
    granted_by_rule: str | None = Field(
        default=None, description="the rule that granted it, if one did"
    )
    created_at: datetime
    refunded_at: datetime | None = None


class MemberRedemptions(BaseModel):
    """A member's rewards, newest first."""

    member_id: str
    items: list[RewardRedemptionRead]
