"""Problems of checkout: pricing a cart, holding points and coupons, settling the hold."""

from __future__ import annotations

from loyalist.errors import ConflictError, InvalidRequestError, NotFoundError


class CouponDuplicateError(InvalidRequestError):
    """The same coupon code is typed twice in one cart."""

    code = "coupon_duplicate"


class PointsOutOfRangeError(InvalidRequestError):
    """The points chosen are outside what the cart allows (minimum, step, share)."""

    code = "points_out_of_range"


class CheckoutEmptyError(InvalidRequestError):
    """A checkout hold has neither points nor a coupon to hold."""

    code = "checkout_empty"


class CheckoutExistsError(ConflictError):
    """The order already has an active or confirmed checkout hold."""

    code = "checkout_exists"


class CheckoutNotFoundError(NotFoundError):
    """No checkout hold has the id asked for."""

    code = "checkout_not_found"


class CheckoutNotActiveError(ConflictError):
    """The checkout hold was released or timed out, or (for a release) confirmed."""

    code = "checkout_not_active"


class CheckoutExpiredError(ConflictError):
    """A checkout hold is confirmed after its time-out."""

    code = "checkout_expired"


class CheckoutOrderMismatchError(ConflictError):
    """The checkout hold was placed or confirmed for another order."""

    code = "checkout_order_mismatch"
