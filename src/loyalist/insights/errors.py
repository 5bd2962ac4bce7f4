"""Problems of reports, scores and lifetime-value models."""

from __future__ import annotations

from loyalist.errors import InvalidRequestError, NotFoundError


class DateRangeInvalidError(InvalidRequestError):
    """A report's or model's range ends before it starts."""

    code = "date_range_invalid"


class DateRangeTooLongError(InvalidRequestError):
    """A report's range holds more periods than one answer may."""

    code = "date_range_too_long"


class ClvNotFittableError(InvalidRequestError):
    """The lifetime-value models cannot be fitted on the transactions given."""

    code = "clv_not_fittable"


class ScoresNotComputedError(NotFoundError):
    """The member exists but has no stored scores yet."""

    code = "scores_not_computed"
