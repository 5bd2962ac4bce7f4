"""The shape of carts, discounts and coupon campaigns (rewards reuse the discount types)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from loyalist.coupons.codes import CodePattern, normalize
from loyalist.coupons.models import (
    BatchStatus,
    CampaignStatus,
    CodeMode,
    RedemptionStatus,
    Stacking,
)

Key = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_\-:]{0,63}$")]
Currency = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
Money = Annotated[int, Field(ge=0, le=10**13)]
Ref = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=128)]
#: A code as a person types it: separators and case do not matter (see ``codes.normalize``).
CodeText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(_Strict):
    """A text members read, in English and Russian."""

    en: str = Field(min_length=1, max_length=500)
    ru: str = Field(min_length=1, max_length=500)


# -- carts --------------------------------------------------------------------------------
class CartLine(_Strict):
    sku: Ref
    category: str | None = Field(default=None, max_length=200)
    quantity: int = Field(gt=0, le=100_000)
    unit_price: Money
    discount: Money = Field(default=0, description="the shop's own discount on the line")

    @model_validator(mode="after")
    def _discount_within_line(self) -> CartLine:
        if self.discount > self.quantity * self.unit_price:
            raise ValueError(f"discount {self.discount} exceeds quantity × unit_price")
        return self

    @property
    def amount(self) -> int:
        return self.quantity * self.unit_price - self.discount


class Cart(_Strict):
    """What the customer is about to pay for; money in minor units of ``currency``."""

    currency: Currency
    lines: list[CartLine] = Field(min_length=1, max_length=1_000)
    shipping: Money = 0

    @property
    def subtotal(self) -> int:
        return sum(line.amount for line in self.lines)


# -- discounts ----------------------------------------------------------------------------
class FixedDiscount(_Strict):
    """An amount off the eligible lines (never more than they cost)."""

    type: Literal["fixed"]
    amount: int = Field(gt=0, le=10**13)
    currency: Currency


class PercentDiscount(_Strict):
    """A percentage off the eligible lines, optionally capped (cap in ``currency``)."""

    type: Literal["percent"]
    percent: Decimal = Field(gt=0, le=100, max_digits=7, decimal_places=4)
    max_amount: int | None = Field(default=None, gt=0, le=10**13)
    currency: Currency | None = None

    @model_validator(mode="after")
    def _cap_has_currency(self) -> PercentDiscount:
        if self.max_amount is not None and self.currency is None:
            raise ValueError("max_amount needs a currency")
        return self


class FreeShipping(_Strict):
    """Shipping off, optionally up to ``max_amount`` (in ``currency``)."""

    type: Literal["free_shipping"]
    max_amount: int | None = Field(default=None, gt=0, le=10**13)
    currency: Currency | None = None

    @model_validator(mode="after")
    def _cap_has_currency(self) -> FreeShipping:
        if self.max_amount is not None and self.currency is None:
            raise ValueError("max_amount needs a currency")
        return self


class FreeProduct(_Strict):
    """``quantity`` units of ``sku`` free when they are in the cart."""

    type: Literal["free_product"]
    sku: Ref
    quantity: int = Field(default=1, gt=0, le=1_000)


class Gift(_Strict):
    """A gift or free sample the shop adds to the order; no money off."""

    type: Literal["gift"]
    sku: Ref | None = None
    description: Text


class CustomReward(_Strict):
    """Something the shop fulfils itself (a service, an event ticket); no money off."""

    type: Literal["custom"]
    description: Text


Discount = Annotated[
    FixedDiscount | PercentDiscount | FreeShipping | FreeProduct | Gift | CustomReward,
    Field(discriminator="type"),
]


class Conditions(_Strict):
    """When a coupon applies: minimum order (goods after the shop's discounts, in
    ``currency``), eligible lines (any listed SKU or category; none listed = every line),
    and who may use it (tier or segment; none listed = everybody)."""

    min_order: int | None = Field(default=None, gt=0, le=10**13)
    currency: Currency | None = None
    skus: list[Ref] = Field(default_factory=list, max_length=10_000)
    categories: list[str] = Field(default_factory=list, max_length=1_000)
    tiers: list[str] = Field(default_factory=list, max_length=100)
    segments: list[str] = Field(default_factory=list, max_length=100)

    @model_validator(mode="after")
    def _minimum_has_currency(self) -> Conditions:
        if self.min_order is not None and self.currency is None:
            raise ValueError("min_order needs a currency")
        return self


# -- campaigns ----------------------------------------------------------------------------
class CampaignIn(_Strict):
    """A coupon campaign; ``key`` comes from the path."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "name": {"en": "Spring 10%", "ru": "Весна 10%"},
                    "discount": {"type": "percent", "percent": "10"},
                    "conditions": {"min_order": 2000, "currency": "EUR"},
                    "max_redemptions": 5000,
                    "per_member_limit": 1,
                    "valid_from": "2026-03-01T00:00:00Z",
                    "valid_until": "2026-05-31T21:00:00Z",
                }
            ]
        }
    )

    name: Text
    discount: Discount
    conditions: Conditions = Field(default_factory=Conditions)
    stacking: Stacking = Stacking.COMBINABLE
    priority: int = Field(default=100, ge=0, le=10_000, description="lower applies first")
    code_mode: CodeMode = CodeMode.UNIQUE
    code: CodeText | None = Field(default=None, description="the shared code of a generic campaign")
    uses_per_code: int | None = Field(
        default=None, gt=0, le=10**9, description="unique codes: default 1; generic: unlimited"
    )
    max_redemptions: int | None = Field(default=None, gt=0, le=10**12)
    per_member_limit: int | None = Field(default=None, gt=0, le=10**6)
    valid_from: AwareDatetime | None = None
    valid_until: AwareDatetime | None = None
    code_valid_days: int | None = Field(
        default=None, gt=0, le=3660, description="personal codes expire this many days after issue"
    )
    status: CampaignStatus = CampaignStatus.ACTIVE

    @field_validator("code")
    @classmethod
    def _code_chars(cls, code: str | None) -> str | None:
        if code is None:
            return None
        body = normalize(code)
        if not 3 <= len(body) <= 48 or not body.isalnum() or not body.isascii():
            raise ValueError("a code is 3 to 48 letters and digits (separators are ignored)")
        return body

    @model_validator(mode="after")
    def _consistent(self) -> CampaignIn:
        if self.code_mode == CodeMode.GENERIC and self.code is None:
            raise ValueError("a generic campaign needs its `code`")
        if self.code_mode == CodeMode.UNIQUE and self.code is not None:
            raise ValueError("`code` is only for generic campaigns; generate unique codes")
        if self.valid_from and self.valid_until and self.valid_until <= self.valid_from:
            raise ValueError("valid_until must be after valid_from")
        return self

    @property
    def effective_uses_per_code(self) -> int | None:
        if self.uses_per_code is not None:
            return self.uses_per_code
        return 1 if self.code_mode == CodeMode.UNIQUE else None


class GenerateIn(_Strict):
    """Generate ``count`` unique codes; the same ``request_key`` again resumes, never doubles."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "count": 1500,
                    "prefix": "SP",
                    "length": 8,
                    "group": 4,
                    "request_key": "spring-batch-1",
                }
            ]
        }
    )

    count: int = Field(gt=0, le=10_000_000)
    length: int = Field(default=10, ge=6, le=32)
    prefix: str = Field(default="", max_length=12, pattern=r"^[A-Za-z0-9]*$")
    group: int = Field(default=0, ge=0, le=16, description="hyphen every N characters; 0 none")
    request_key: str = Field(min_length=1, max_length=100)

    def pattern(self) -> CodePattern:
        return CodePattern(length=self.length, prefix=self.prefix.upper(), group=self.group)


class BatchRead(BaseModel):
    """A generation batch; its codes are valid once ``status`` is ``ready``."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": 1,
                    "campaign": "spring",
                    "request_key": "r1",
                    "length": 10,
                    "prefix": "SP",
                    "group": 5,
                    "requested": 6000,
                    "generated": 6000,
                    "status": "ready",
                    "created_at": "2026-01-15T12:00:00Z",
                    "finished_at": "2026-01-15T12:00:00Z",
                    "added": 6000,
                }
            ]
        }
    )

    id: int
    campaign: str
    request_key: str
    length: int
    prefix: str
    group: int
    requested: int
    generated: int
    status: BatchStatus
    created_at: AwareDatetime
    finished_at: AwareDatetime | None
    added: int = Field(description="codes this request stored (0 when it replayed a batch)")


_CART_EXAMPLE: dict[str, Any] = {
    "currency": "EUR",
    "lines": [{"sku": "TEA-01", "quantity": 2, "unit_price": 2250}],
    "shipping": 300,
}


class RedeemIn(_Strict):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "code": "SPRING-7QX2",
                    "member_id": "customer-42",
                    "order_id": "1001",
                    "cart": _CART_EXAMPLE,
                }
            ]
        }
    )

    code: CodeText
    member_id: Ref | None = None
    order_id: Ref | None = None
    cart: Cart


class ValidateIn(_Strict):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"code": "SPRING-7QX2", "member_id": "customer-42", "cart": _CART_EXAMPLE}]
        }
    )

    code: CodeText
    member_id: Ref | None = None
    cart: Cart


class RollbackIn(_Strict):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"reason": "the order was cancelled before shipping"}]}
    )

    reason: str = Field(min_length=1, max_length=500)


# -- answers ------------------------------------------------------------------------------
class CampaignStats(BaseModel):
    codes: int = Field(description="usable codes (of ready batches)")
    uses: int
    redeemed: int
    discount_given: int = Field(description="minor units, every currency added up")


_CAMPAIGN_EXAMPLE: dict[str, Any] = {
    "key": "spring",
    "name": {"en": "Spring 10%", "ru": "Весна 10%"},
    "origin": "campaign",
    "discount": {"type": "percent", "percent": "10"},
    "conditions": {"min_order": 2000, "currency": "EUR"},
    "stacking": "combinable",
    "priority": 100,
    "code_mode": "unique",
    "uses_per_code": 1,
    "max_redemptions": 5000,
    "per_member_limit": 1,
    "valid_from": "2026-03-01T00:00:00Z",
    "valid_until": "2026-05-31T21:00:00Z",
    "code_valid_days": None,
    "status": "active",
    "created_at": "2026-02-20T09:00:00Z",
    "updated_at": "2026-02-20T09:00:00Z",
    "stats": {"codes": 1000, "uses": 12, "redeemed": 12, "discount_given": 5400},
}


class CouponCampaignRead(BaseModel):
    """A coupon campaign with its figures."""

    model_config = ConfigDict(json_schema_extra={"examples": [_CAMPAIGN_EXAMPLE]})

    key: str
    name: dict[str, Any] = Field(description="by locale (en, ru)")
    origin: str = Field(description="campaign, reward, referral…: what issues its codes")
    discount: dict[str, Any] = Field(description="the discount as set (see CampaignIn)")
    conditions: dict[str, Any]
    stacking: Stacking
    priority: int
    code_mode: CodeMode
    uses_per_code: int | None
    max_redemptions: int | None
    per_member_limit: int | None
    valid_from: datetime | None
    valid_until: datetime | None
    code_valid_days: int | None
    status: CampaignStatus
    created_at: datetime
    updated_at: datetime
    stats: CampaignStats


class CouponLineDiscount(BaseModel):
    index: int = Field(description="the cart line's index")
    sku: str
    discount: int


class PricedCoupon(BaseModel):
    """A code priced against a cart (minor units)."""

    code: str
    campaign: str
    name: dict[str, Any] = Field(description="the campaign's name by locale")
    discount_type: str
    discount: int
    shipping_discount: int
    currency: str
    lines: list[CouponLineDiscount]
    gift: dict[str, Any] | None = Field(description="a gift or custom reward to hand over")


class CouponValid(PricedCoupon):
    """The code applies to the cart: what it takes off (a code that does not is a problem)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "valid": True,
                    "code": "SPRING-7QX2",
                    "campaign": "spring",
                    "name": {"en": "Spring 10%", "ru": "Весна 10%"},
                    "discount_type": "percent",
                    "discount": 450,
                    "shipping_discount": 0,
                    "currency": "EUR",
                    "lines": [{"index": 0, "sku": "TEA-01", "discount": 450}],
                    "gift": None,
                }
            ]
        }
    )

    valid: Literal[True]


_REDEMPTION_EXAMPLE: dict[str, Any] = {
    "id": "cpr_9f2c4b1a",
    "code": "SPRING-7QX2",
    "campaign": "spring",
    "member_id": "customer-42",
    "order_id": "1001",
    "checkout_id": None,
    "status": "redeemed",
    "currency": "EUR",
    "discount": 450,
    "shipping_discount": 0,
    "reason": None,
    "created_at": "2026-03-08T10:14:00Z",
    "settled_at": "2026-03-08T10:14:00Z",
}


class RedemptionRead(BaseModel):
    """A use of a coupon code: reserved (by a checkout hold), redeemed, released or
    rolled back. The code is masked for callers without ``coupons.export``."""

    model_config = ConfigDict(json_schema_extra={"examples": [_REDEMPTION_EXAMPLE]})

    id: str
    code: str
    campaign: str
    member_id: str | None
    order_id: str | None
    checkout_id: str | None
    status: RedemptionStatus
    currency: str
    discount: int = Field(description="all it took off, shipping included (minor units)")
    shipping_discount: int
    reason: str | None
    created_at: datetime
    settled_at: datetime | None


class Redeemed(RedemptionRead):
    """A code redeemed: the use, with what it took off each line and any gift."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                _REDEMPTION_EXAMPLE
                | {"lines": [{"index": 0, "sku": "TEA-01", "discount": 450}], "gift": None}
            ]
        }
    )

    lines: list[CouponLineDiscount]
    gift: dict[str, Any] | None


class MemberCoupon(BaseModel):
    """One of the member's personal codes."""

    code: str = Field(description="masked for callers without `coupons.export`")
    campaign: str
    name: dict[str, Any]
    discount: dict[str, Any]
    valid_until: datetime | None
    uses_left: int | None
    usable: bool
    reason: str | None = Field(description="why it is not usable: a problem code")


class MemberCoupons(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "member_id": "customer-42",
                    "items": [
                        {
                            "code": "WB-••••••K7",
                            "campaign": "come-back",
                            "name": {"en": "We miss you", "ru": "Мы скучаем"},
                            "discount": {"type": "fixed", "amount": 500, "currency": "EUR"},
                            "valid_until": "2026-04-08T21:00:00Z",
                            "uses_left": 1,
                            "usable": True,
                            "reason": None,
                        }
                    ],
                }
            ]
        }
    )

    member_id: str
    items: list[MemberCoupon]


class CouponGiven(BaseModel):
    """A personal code given to the member."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "member_id": "customer-42",
                    "campaign": "come-back",
                    "code": "WB-4F7Q-2MK7",
                    "valid_until": "2026-04-08T21:00:00Z",
                }
            ]
        }
    )

    member_id: str
    campaign: str
    code: str
    valid_until: datetime | None
