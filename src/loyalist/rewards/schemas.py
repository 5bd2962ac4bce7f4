"""The shape of a catalogue reward: what it gives (a coupon discount), its price and limits."""

from __future__ import annotations

from typing import Annotated

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints, model_validator

from loyalist.coupons.models import Stacking
from loyalist.coupons.schemas import Conditions, Currency, Discount, Ref, Text
from loyalist.rewards.models import RewardStatus

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
