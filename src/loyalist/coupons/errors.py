"""Problems of coupons: campaigns, codes, their generation and redemptions, and every
reason a typed code does not apply (a ``Refusal`` names one of these)."""

from __future__ import annotations

from loyalist.errors import ConflictError, InvalidRequestError, NotFoundError


# -- campaigns ----------------------------------------------------------------------------
class CampaignNotFoundError(NotFoundError):
    """No coupon campaign has the key asked for."""

    code = "campaign_not_found"


class CampaignOriginMismatchError(ConflictError):
    """A campaign a reward created is changed through the coupon campaigns instead."""

    code = "campaign_origin_mismatch"


class CouponCampaignModeFixedError(ConflictError):
    """A campaign's ``code_mode`` is changed after it was created."""

    code = "coupon_campaign_mode_fixed"


class CouponLimitBelowUsesError(ConflictError):
    """A campaign's or generic code's new use limit is below the uses already made."""

    code = "coupon_limit_below_uses"


class CouponCodeTakenError(ConflictError):
    """A generic code is already the code of another campaign."""

    code = "coupon_code_taken"


# -- generating unique codes --------------------------------------------------------------
class CampaignNotUniqueError(InvalidRequestError):
    """Unique codes are asked for a campaign with one shared code."""

    code = "campaign_not_unique"


class BatchKeyReusedError(ConflictError):
    """A generation ``request_key`` is sent again with other parameters."""

    code = "batch_key_reused"


class CodeSpaceTooSmallError(InvalidRequestError):
    """The codes asked for would fill too much of the space of their length."""

    code = "code_space_too_small"


class BatchNotFoundError(NotFoundError):
    """No coupon generation batch has the id asked for."""

    code = "batch_not_found"


# -- redemptions --------------------------------------------------------------------------
class RedemptionNotFoundError(NotFoundError):
    """No coupon redemption has the id asked for."""

    code = "redemption_not_found"


class RedemptionNotRedeemedError(ConflictError):
    """A redemption to roll back is not a redeemed one (a checkout holds it)."""

    code = "redemption_not_redeemed"


# -- why a typed code does not apply ------------------------------------------------------
class CouponNotFoundError(NotFoundError):
    """No such code, or another member's personal code, or one of a batch not ready."""

    code = "coupon_not_found"


class CouponInactiveError(InvalidRequestError):
    """The code was disabled or its campaign is paused."""

    code = "coupon_inactive"


class CouponNotStartedError(InvalidRequestError):
    """The campaign's ``valid_from`` is still to come."""

    code = "coupon_not_started"


class CouponExpiredError(InvalidRequestError):
    """The code or its campaign is past its ``valid_until``."""

    code = "coupon_expired"


class CouponUsedUpError(ConflictError):
    """The code has no use left."""

    code = "coupon_used_up"


class CouponCampaignExhaustedError(ConflictError):
    """The campaign's ``max_redemptions`` are all used."""

    code = "coupon_campaign_exhausted"


class CouponMemberRequiredError(InvalidRequestError):
    """The campaign counts or gates members, and the request names none."""

    code = "coupon_member_required"


class CouponMemberLimitError(ConflictError):
    """The member already used the campaign ``per_member_limit`` times."""

    code = "coupon_member_limit"


class CouponNotEligibleError(InvalidRequestError):
    """The campaign is for other tiers or segments than the member's."""

    code = "coupon_not_eligible"


class CouponNotCombinableError(InvalidRequestError):
    """An exclusive coupon meets another coupon of the same cart."""

    code = "coupon_not_combinable"


class CouponCurrencyMismatchError(InvalidRequestError):
    """The coupon's amounts are in another currency than the cart."""

    code = "coupon_currency_mismatch"


class CouponMinOrderError(InvalidRequestError):
    """The cart's goods cost less than the campaign's ``min_order``."""

    code = "coupon_min_order"


class CouponNoEligibleLinesError(InvalidRequestError):
    """No line of the cart is one the coupon discounts."""

    code = "coupon_no_eligible_lines"


class CouponProductMissingError(InvalidRequestError):
    """The product the coupon gives for free is not in the cart."""

    code = "coupon_product_missing"


class CouponNotApplicableError(InvalidRequestError):
    """The coupon gives nothing on the cart (free shipping without shipping)."""

    code = "coupon_not_applicable"
