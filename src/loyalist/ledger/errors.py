"""Problems of the points ledger: spending, holds and adjustments."""

from __future__ import annotations

from loyalist.errors import (
    ConflictError,
    InvalidRequestError,
    NotFoundError,
    PermissionDeniedError,
)


class PointsAmountInvalidError(InvalidRequestError):
    """A number of points to spend or confirm is not positive, or above the held amount."""

    code = "points_amount_invalid"


class InsufficientPointsError(ConflictError):
    """The member has fewer available points than asked for."""

    code = "insufficient_points"


class HoldNotFoundError(NotFoundError):
    """No points hold has the id asked for."""

    code = "hold_not_found"


class HoldNotActiveError(ConflictError):
    """A hold to settle was already released, timed out or confirmed."""

    code = "hold_not_active"


class HoldExpiredError(ConflictError):
    """A hold is confirmed after its time-out."""

    code = "hold_expired"


class AdjustmentInvalidError(InvalidRequestError):
    """A manual adjustment has a zero amount or no reason."""

    code = "adjustment_invalid"


class AdjustmentRequestNotFoundError(NotFoundError):
    """No adjustment request has this id."""

    code = "adjustment_request_not_found"


class AdjustmentDecidedError(ConflictError):
    """The adjustment request was approved or rejected already (a concurrent decision won)."""

    code = "adjustment_decided"


class ApprovalByRequesterError(PermissionDeniedError):
    """Whoever asked for an adjustment cannot approve or reject it: a second person must."""

    code = "approval_by_requester"
